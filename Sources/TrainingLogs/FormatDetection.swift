/// Recognises a log's format from its first bytes, with the file name as a hint only where the
/// content cannot tell.
enum FormatDetection {
    /// How many bytes of a file detection looks at.
    static let prefixLength = 64 * 1024

    /// The format of a file starting with `prefix`; nil when nothing fits. Delimited text comes out
    /// as `.csv`: the delimited reader tells CSV, TSV and the W&B exports apart from the header.
    static func format(ofPrefix prefix: [UInt8], fileName: String) -> LogFormat? {
        if TFRecordFraming.startsWithValidHeader(prefix) { return .tensorboard }
        let lowercasedName = fileName.lowercased()
        if lowercasedName.contains("tfevents") { return .tensorboard }
        var start = 0
        if prefix.count >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF { start = 3 }
        while start < prefix.count && isWhitespace(prefix[start]) { start += 1 }
        guard start < prefix.count else { return hint(fromName: lowercasedName) }
        if prefix[start...].contains(0) { return nil }
        if prefix[start] == UInt8(ascii: "{") {
            return isMultilineObject(prefix, from: start) || containsLogHistory(prefix) ? .trainerState : .jsonl
        }
        if let textFormat = textLogFormat(prefix) { return textFormat }
        return .csv
    }

    /// The format a file name suggests, for a file too empty to tell by content.
    private static func hint(fromName name: String) -> LogFormat? {
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }
        if name.hasSuffix("trainer_state.json") { return .trainerState }
        if name.hasSuffix(".tsv") { return .tsv }
        return .csv
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// True when the opening brace is alone on its line: a pretty-printed document, not JSON lines.
    private static func isMultilineObject(_ prefix: [UInt8], from start: Int) -> Bool {
        var index = start + 1
        while index < prefix.count && (prefix[index] == UInt8(ascii: " ") || prefix[index] == UInt8(ascii: "\t") || prefix[index] == UInt8(ascii: "\r")) {
            index += 1
        }
        return index < prefix.count && prefix[index] == UInt8(ascii: "\n")
    }

    private static func containsLogHistory(_ prefix: [UInt8]) -> Bool {
        let key = Array("\"log_history\"".utf8)
        guard prefix.count >= key.count else { return false }
        for start in 0...(prefix.count - key.count) where prefix[start] == key[0] && Array(prefix[start..<(start + key.count)]) == key {
            return true
        }
        return false
    }

    /// nanoGPT or Megatron-LM when one of the first lines is one of their training lines.
    private static func textLogFormat(_ prefix: [UInt8]) -> LogFormat? {
        var lineStart = 0
        while lineStart < prefix.count {
            var lineEnd = lineStart
            while lineEnd < prefix.count && prefix[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let isComplete = lineEnd < prefix.count
            if isComplete || lineStart == 0 {
                let found = prefix.withUnsafeBufferPointer { buffer -> LogFormat? in
                    let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
                    if NanoGPTLine.isTrainingLine(line) { return .nanoGPT }
                    if MegatronLine.isTrainingLine(line) { return .megatron }
                    return nil
                }
                if let found { return found }
            }
            lineStart = lineEnd + 1
        }
        return nil
    }
}
