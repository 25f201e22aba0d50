/// A line of a text log, walked byte by byte.
struct TextLine {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func skipSpaces() {
        while position < bytes.count && (bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")) { position += 1 }
    }

    /// Moves past `word` when the line continues with it.
    mutating func consume(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
        position += count
        return true
    }

    /// A run of decimal digits as a whole number, or its digits when they overflow an Int (nil
    /// when there are none).
    mutating func wholeNumber() -> WholeNumber? {
        let start = position
        var value = 0
        var overflowed = false
        while position < bytes.count, bytes[position] &- UInt8(ascii: "0") < 10 {
            let (multiplied, overflow) = value.multipliedReportingOverflow(by: 10)
            let (added, overflowAgain) = multiplied.addingReportingOverflow(Int(bytes[position] &- UInt8(ascii: "0")))
            overflowed = overflowed || overflow || overflowAgain
            value = added
            position += 1
        }
        guard position > start else { return nil }
        return overflowed ? .tooLarge(digits: trimmedText(start, position)) : .value(value)
    }

    /// The offset of the first occurrence of `word` at or after `position`, or nil.
    func find(_ word: StaticString) -> Int? {
        let count = word.utf8CodeUnitCount
        guard bytes.count >= count else { return nil }
        var start = position
        while start + count <= bytes.count {
            var matches = true
            for offset in 0..<count where bytes[start + offset] != word.utf8Start[offset] {
                matches = false
                break
            }
            if matches { return start }
            start += 1
        }
        return nil
    }

    /// The text of `bytes[start..<end]` with surrounding spaces removed.
    func trimmedText(_ start: Int, _ end: Int) -> String {
        var start = start
        var end = end
        while start < end && (bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t")) { start += 1 }
        while end > start && (bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") || bytes[end - 1] == UInt8(ascii: "\r")) { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The number at the start of `bytes[start..<end]` after spaces, ignoring a unit after it
    /// (`12.5ms`, `40.1%`); nil when no number starts there.
    func leadingNumber(_ start: Int, _ end: Int) -> Double? {
        var start = start
        while start < end && bytes[start] == UInt8(ascii: " ") { start += 1 }
        var numberEnd = start
        while numberEnd < end {
            let byte = bytes[numberEnd]
            let isNumberByte = byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
            if !isNumberByte { break }
            numberEnd += 1
        }
        if numberEnd > start, let value = NumberParsing.parseDouble(bytes.baseAddress!, start, numberEnd) { return value }
        // nan and inf are words, not digits.
        var wordEnd = start
        while wordEnd < end && bytes[wordEnd] != UInt8(ascii: " ") && bytes[wordEnd] != UInt8(ascii: ",") && bytes[wordEnd] != UInt8(ascii: "\r") { wordEnd += 1 }
        guard wordEnd > start, let value = NumberParsing.parseDouble(bytes.baseAddress!, start, wordEnd), !value.isFinite else { return nil }
        return value
    }
}

/// A whole number read from a text line.
enum WholeNumber: Equatable {
    case value(Int)
    /// More than an Int holds: the digits as written.
    case tooLarge(digits: String)
}

/// What a training line of a text log says: the step and named values (nil: not a number).
struct TextLogEntry {
    var step: WholeNumber
    var values: [(name: String, value: Double?)]
}

/// nanoGPT's printed lines (train.py):
/// `iter 100: loss 3.2145, time 12.34ms, mfu 40.12%` every `log_interval` iterations, and
/// `step 2000: train loss 1.2345, val loss 1.3456` at each evaluation.
enum NanoGPTLine {
    static func isTrainingLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let entry = parse(bytes), entry.values.contains(where: { $0.name == "loss" || $0.name == "val loss" }) else { return false }
        return true
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TextLogEntry? {
        var line = TextLine(bytes)
        line.skipSpaces()
        guard line.consume("iter ") || line.consume("step ") else { return nil }
        guard let step = line.wholeNumber(), line.consume(":") else { return nil }
        var values: [(String, Double?)] = []
        var partStart = line.position
        while partStart < bytes.count {
            var partEnd = partStart
            while partEnd < bytes.count && bytes[partEnd] != UInt8(ascii: ",") { partEnd += 1 }
            // "name value": the value is the last word.
            var valueStart = partEnd
            while valueStart > partStart && bytes[valueStart - 1] == UInt8(ascii: " ") { valueStart -= 1 }
            let trimmedEnd = valueStart
            while valueStart > partStart && bytes[valueStart - 1] != UInt8(ascii: " ") { valueStart -= 1 }
            let name = line.trimmedText(partStart, valueStart)
            if !name.isEmpty { values.append((name, line.leadingNumber(valueStart, trimmedEnd))) }
            partStart = partEnd + 1
        }
        guard !values.isEmpty else { return nil }
        return TextLogEntry(step: step, values: values)
    }
}

/// Megatron-LM's printed lines (training_log and evaluate_and_print_results):
/// ` [date] iteration      100/   10000 | consumed samples: 51200 | … | learning rate: 1.500000E-04 | … | lm loss: 7.891234E+00 | …`
/// and ` validation loss at iteration 1000 | lm loss value: 3.456789E+00 | lm loss PPL: 3.17E+01 |`,
/// whose values are read as `validation/lm loss` and `validation/lm loss PPL`.
enum MegatronLine {
    static func isTrainingLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let entry = parse(bytes) else { return false }
        return !entry.values.isEmpty
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TextLogEntry? {
        var line = TextLine(bytes)
        let isValidation: Bool
        if let validation = line.find("validation loss at iteration") {
            line.position = validation + "validation loss at iteration".utf8.count
            isValidation = true
        } else if let iteration = line.find("iteration") {
            line.position = iteration + "iteration".utf8.count
            isValidation = false
        } else {
            return nil
        }
        line.skipSpaces()
        guard let step = line.wholeNumber() else { return nil }
        if !isValidation {
            line.skipSpaces()
            guard line.consume("/") else { return nil }
        }
        guard let firstBar = line.find("|") else { return nil }
        var values: [(String, Double?)] = []
        var segmentStart = firstBar + 1
        while segmentStart < bytes.count {
            var segmentEnd = segmentStart
            while segmentEnd < bytes.count && bytes[segmentEnd] != UInt8(ascii: "|") { segmentEnd += 1 }
            var colon = segmentEnd
            while colon > segmentStart && bytes[colon - 1] != UInt8(ascii: ":") { colon -= 1 }
            if colon > segmentStart {
                var name = line.trimmedText(segmentStart, colon - 1)
                if isValidation {
                    if name.hasSuffix(" value") { name.removeLast(" value".count) }
                    name = "validation/" + name
                }
                if !name.isEmpty { values.append((name, line.leadingNumber(colon, segmentEnd))) }
            }
            segmentStart = segmentEnd + 1
        }
        return TextLogEntry(step: step, values: values)
    }
}
