#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads JSON lines: one object per line, e.g. `{"step": 100, "train": {"loss": 3.1}, "lr": 3e-4}`.
/// Nested keys read as `train/loss` (or `train.loss`); blank lines are ignored.
enum JSONLinesReader {
    static func read(_ input: ByteInput, source: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        var records = JSONRecords(options: options)
        var badLines = BadLineTally()
        var line = 1
        var objectCount = 0
        var path: [UInt8] = []
        try input.forEachWindow(lineAligned: true) { window, offset, _ throws(LogReadError) in
            guard let bytes = window.baseAddress else { return 0 }
            var lineStart = 0
            if offset == 0 && window.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { lineStart = 3 }
            while lineStart < window.count {
                let lineEnd: Int
                if let found = memchr(bytes + lineStart, Int32(UInt8(ascii: "\n")), window.count - lineStart) {
                    lineEnd = bytes.distance(to: found.assumingMemoryBound(to: UInt8.self))
                } else {
                    lineEnd = window.count
                }
                do throws(LogReadError) {
                    if try readLine(bytes, from: lineStart, to: lineEnd, line: line, into: &records, path: &path, source: source) {
                        objectCount += 1
                    }
                } catch {
                    guard options.skipsBadLines, error.isConfinedToOneRow else { throw error }
                    badLines.record(error, line: line)
                }
                line += 1
                lineStart = lineEnd + 1
            }
            return window.count
        }
        guard objectCount > 0 || badLines.count > 0 else { throw .emptyFile(file: source) }
        let collector = records.collector
        let series = surveys ? collector.summaries : []
        guard let stepKey = records.stepKey else {
            let problem: LogReadError = options.columns.step.map {
                .seriesNotFound(file: source, role: .step, name: $0, found: collector.names, noun: "key")
            } ?? .noStepKey(file: source, found: collector.names)
            return LogReading(format: .jsonl, series: series, logs: .failure(problem))
        }
        let notes = badLines.note(file: source).map { [$0] } ?? []
        let log = collector.finish(source: source, format: .jsonl, name: TrainingLog.defaultName(forSource: source),
                                   stepName: collector.names[stepKey], skips: records.skips, notes: notes)
        return LogReading(format: .jsonl, series: series, logs: log.map { [$0] })
    }

    /// Reads one line; false when it is blank.
    private static func readLine(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, line: Int,
                                 into records: inout JSONRecords, path: inout [UInt8], source: String) throws(LogReadError) -> Bool {
        var scanner = JSONScanner(bytes: bytes, start: start, end: end)
        scanner.skipWhitespace()
        guard scanner.position < end else { return false }
        do throws(JSONProblem) {
            guard bytes[scanner.position] == UInt8(ascii: "{") else {
                throw scanner.problem("expected a JSON object ('{') at the start of the line")
            }
            records.beginObject()
            path.removeAll(keepingCapacity: true)
            try scanner.walkObject(&records, path: &path)
            scanner.skipWhitespace()
            guard scanner.position == end else { throw scanner.problem("expected the line to end after the object") }
        } catch {
            throw .malformedJSON(file: source, line: line, column: error.position - start + 1, problem: error.message, isOneLine: true)
        }
        try records.commitObject(line: line, source: source, scanner: scanner)
        return true
    }
}
