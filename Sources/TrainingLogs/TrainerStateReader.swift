/// Reads a Hugging Face Trainer `trainer_state.json`: the entries of its `log_history` list.
///
/// Training entries hold `loss`, `learning_rate`, `grad_norm`, `epoch` and `step`; evaluation
/// entries `eval_loss` and friends at their step, a separate series (`LossKind.evaluation`). The
/// final summary entry (`train_runtime`, `train_loss`, …) describes the whole run, not a step, and
/// is ignored with a note.
enum TrainerStateReader {
    static func read(_ input: ByteInput, source: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        let document = try input.contents()
        let result = document.withUnsafeBufferPointer { buffer in
            Result { () throws(LogReadError) in try read(buffer, source: source, options: options, surveys: surveys) }
        }
        return try result.get()
    }

    private static func read(_ buffer: UnsafeBufferPointer<UInt8>, source: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        guard let bytes = buffer.baseAddress, buffer.count > 0 else { throw .emptyFile(file: source) }
        var start = 0
        if buffer.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        var scanner = JSONScanner(bytes: bytes, start: start, end: buffer.count)
        var records = JSONRecords(options: options)
        var summaryEntries = 0
        var foundLogHistory = false
        do {
            try readDocument(&scanner, into: &records, summaryEntries: &summaryEntries, foundLogHistory: &foundLogHistory, source: source)
        } catch let error as LogReadError {
            throw error
        } catch {
            let problem = error as? JSONProblem ?? JSONProblem(message: "\(error)", position: scanner.position)
            throw .malformedJSON(file: source, line: scanner.line, column: scanner.column(of: problem.position), problem: problem.message, isOneLine: false)
        }
        guard foundLogHistory else { throw .missingLogHistory(file: source) }
        let collector = records.collector
        let notes: [LogNote] = summaryEntries > 0 ? [.ignoredSummaryEntries(file: source, count: summaryEntries)] : []
        let stepName = records.stepKey.map { collector.names[$0] } ?? options.columns.step ?? "step"
        let log = collector.finish(source: source, format: .trainerState, name: runName(source), stepName: stepName,
                                   skips: records.skips, notes: notes)
        return LogReading(format: .trainerState, series: surveys ? collector.summaries : [], logs: log.map { [$0] })
    }

    /// Reads the document's top-level object, and the entries of its `log_history` list.
    ///
    /// - Throws: `JSONProblem` for malformed JSON, `LogReadError` for an entry whose step is bad.
    private static func readDocument(_ scanner: inout JSONScanner, into records: inout JSONRecords, summaryEntries: inout Int,
                                     foundLogHistory: inout Bool, source: String) throws {
        let bytes = scanner.bytes
        try scanner.expect(UInt8(ascii: "{"), "'{' at the start of the document")
        if !scanner.consume(UInt8(ascii: "}")) {
            while true {
                scanner.skipWhitespace()
                guard scanner.position < scanner.end, bytes[scanner.position] == UInt8(ascii: "\"") else {
                    throw scanner.problem("expected a key in quotes")
                }
                let key = try scanner.scanString()
                try scanner.expect(UInt8(ascii: ":"), "':' after the key")
                if scanner.decodedString(start: key.start, end: key.end) == "log_history" {
                    foundLogHistory = true
                    summaryEntries += try readLogHistory(&scanner, into: &records, source: source)
                } else {
                    try scanner.skipValue(depth: 1)
                }
                if scanner.consume(UInt8(ascii: ",")) { continue }
                if scanner.consume(UInt8(ascii: "}")) { break }
                throw scanner.problem("expected ',' or '}' after a value")
            }
        }
        scanner.skipWhitespace()
        guard scanner.position == scanner.end else { throw scanner.problem("expected the document to end") }
    }

    /// Reads the list's entries; returns how many were summary entries.
    private static func readLogHistory(_ scanner: inout JSONScanner, into records: inout JSONRecords, source: String) throws -> Int {
        try scanner.expect(UInt8(ascii: "["), "'[' opening the log_history list")
        if scanner.consume(UInt8(ascii: "]")) { return 0 }
        var summaryEntries = 0
        var path: [UInt8] = []
        while true {
            scanner.skipWhitespace()
            let line = scanner.line
            records.beginObject()
            path.removeAll(keepingCapacity: true)
            try scanner.walkObject(&records, path: &path, depth: 2)
            if records.isSummaryEntry {
                summaryEntries += 1
            } else {
                try records.commitObject(line: line, source: source, scanner: scanner)
            }
            if scanner.consume(UInt8(ascii: ",")) { continue }
            if scanner.consume(UInt8(ascii: "]")) { return summaryEntries }
            throw scanner.problem("expected ',' or ']' after a log_history entry")
        }
    }

    /// A trainer_state.json is named after the directory it is in (the training's output directory,
    /// or the one holding `checkpoint-N`), or, outside one, after the file.
    private static func runName(_ source: String) -> String {
        let components = source.split(separator: "/").map(String.init)
        guard components.count >= 2 && components.last == "trainer_state.json" else { return TrainingLog.defaultName(forSource: source) }
        let directory = components[components.count - 2]
        if directory.hasPrefix("checkpoint-") && components.count >= 3 { return components[components.count - 3] }
        return directory
    }
}
