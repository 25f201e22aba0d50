#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the training lines of a printed log (nanoGPT, Megatron-LM); every other line is program
/// output and is passed over.
enum TextLogReader {
    static func read(_ input: ByteInput, format: LogFormat, source: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        var collector = SeriesCollector(options: options)
        let stepName = format == .nanoGPT ? "iter" : "iteration"
        var line = 1
        var entryCount = 0
        try input.forEachWindow(lineAligned: true) { window, _, _ throws(LogReadError) in
            guard let bytes = window.baseAddress else { return 0 }
            var lineStart = 0
            while lineStart < window.count {
                let lineEnd: Int
                if let found = memchr(bytes + lineStart, Int32(UInt8(ascii: "\n")), window.count - lineStart) {
                    lineEnd = bytes.distance(to: found.assumingMemoryBound(to: UInt8.self))
                } else {
                    lineEnd = window.count
                }
                let text = UnsafeBufferPointer(rebasing: window[lineStart..<lineEnd])
                if let entry = format == .nanoGPT ? NanoGPTLine.parse(text) : MegatronLine.parse(text) {
                    entryCount += 1
                    let step: Int
                    switch entry.step {
                    case .value(let value): step = value
                    case .tooLarge(let digits):
                        throw .stepBeyondLimit(file: source, location: .line(line), column: stepName, text: digits, limit: options.maximumStep ?? .max)
                    }
                    for (name, value) in entry.values {
                        let key = collector.key(name)
                        if let value {
                            collector.add(key, step: step, value: value, at: .line(line))
                        } else {
                            collector.addNonNumeric(key)
                        }
                    }
                }
                line += 1
                lineStart = lineEnd + 1
            }
            return window.count
        }
        guard entryCount > 0 else { throw .noLogLines(file: source, format: format) }
        let log = collector.finish(source: source, format: format, name: TrainingLog.defaultName(forSource: source),
                                   stepName: stepName, skips: SkipTally(), notes: [])
        return LogReading(format: format, series: surveys ? collector.summaries : [], logs: log.map { [$0] })
    }
}
