import Foundation
import SwiftProtobuf

/// Reads TensorBoard event files: TFRecord framing with both CRCs checked, each record an `Event`
/// decoded with swift-protobuf from the upstream definitions (see `Proto/generate.sh`).
///
/// Scalars come from `simple_value` (tensorboardX, `torch.utils.tensorboard`, TF1) and from
/// one-element tensors (TF2 `tf.summary.scalar`: `float_val`, `double_val`, `half_val`, `int_val`,
/// `int64_val` or `tensor_content`) of tags whose plugin is `scalars`. Damage is read past where
/// the framing allows and always reported: a truncated last record or a header that fails its CRC
/// ends the file (records before it are kept), a record whose content fails its CRC is skipped.
enum TensorBoardReader {
    /// Reads one event file.
    static func read(_ input: ByteInput, source: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        let fileName = source.split(separator: "/").last.map(String.init) ?? source
        var run = RunReader(options: options)
        let outcome = try run.readFile(input, fileName: fileName)
        if outcome.recordCount == 0 {
            if let damage = outcome.damage { throw .damagedEventFile(file: source, byteOffset: damage.offset, problem: damage.problem) }
            throw .emptyFile(file: source)
        }
        let log = run.finish(source: source, name: runName(forFile: source))
        return LogReading(format: .tensorboard, series: surveys ? run.collector.summaries : [], logs: log.map { [$0] })
    }

    /// Reads a directory: every directory at or below it holding event files is one run, its files
    /// merged in name order (the names start with the time the writer opened them).
    static func readDirectory(_ given: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        var path = given
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let runs = runDirectories(path)
        guard !runs.isEmpty else { throw .noEventFiles(directory: path) }
        var logs: [TrainingLog] = []
        var series: [SeriesSummary] = []
        var firstProblem: LogReadError?
        for (relativePath, files) in runs {
            var run = RunReader(options: options)
            for file in files {
                _ = try run.readFile(.file(path: file, chunkSize: ByteInput.defaultChunkSize), fileName: file.split(separator: "/").last.map(String.init) ?? file)
            }
            // A run with no scalars at all (the hparams directory the Hugging Face Trainer writes
            // beside the real run, a graph-only file) is no curve and no error.
            guard run.collector.summaries.contains(where: { $0.count + $0.nonFiniteCount > 0 }) || runs.count == 1 else { continue }
            let runPath = relativePath.isEmpty ? path : path + "/" + relativePath
            let name = relativePath.isEmpty ? runName(forDirectory: path) : relativePath
            if surveys {
                series += run.collector.summaries.map { summary in
                    var summary = summary
                    if runs.count > 1 { summary.run = name }
                    return summary
                }
            }
            switch run.finish(source: runPath, name: name) {
            case .success(let log): logs.append(log)
            case .failure(let problem): if firstProblem == nil { firstProblem = problem }
            }
        }
        if let firstProblem { return LogReading(format: .tensorboard, series: series, logs: .failure(firstProblem)) }
        guard !logs.isEmpty else { return LogReading(format: .tensorboard, series: series, logs: .failure(.noLossSeries(file: path, found: [], noun: "tag"))) }
        return LogReading(format: .tensorboard, series: series, logs: .success(logs))
    }

    /// Directories at or below `root` that hold event files, as (path relative to `root`, event
    /// files in name order), sorted by relative path.
    private static func runDirectories(_ root: String) -> [(String, [String])] {
        var byDirectory: [String: [String]] = [:]
        let rootURL = URL(fileURLWithPath: root)
        guard let enumerator = FileManager.default.enumerator(at: rootURL, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let rootComponents = rootURL.standardizedFileURL.pathComponents
        for case let url as URL in enumerator where url.lastPathComponent.contains("tfevents") {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let components = url.standardizedFileURL.pathComponents
            let relative = components.dropFirst(rootComponents.count).dropLast().joined(separator: "/")
            byDirectory[relative, default: []].append(relative.isEmpty ? root + "/" + url.lastPathComponent : root + "/" + relative + "/" + url.lastPathComponent)
        }
        return byDirectory.keys.sorted().map { ($0, byDirectory[$0]!.sorted()) }
    }

    /// An event file is named after the directory it is in (the run), or after itself.
    private static func runName(forFile source: String) -> String {
        let components = source.split(separator: "/").map(String.init)
        return components.count >= 2 ? components[components.count - 2] : TrainingLog.defaultName(forSource: source)
    }

    private static func runName(forDirectory path: String) -> String {
        let components = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        return components.last ?? path
    }
}

/// The scalars of one run, gathered from its event files in order.
struct RunReader {
    var collector: SeriesCollector
    private var skips = SkipTally()
    private var notes: [LogNote] = []
    /// The plugin each tag declared in its first summary metadata, by key.
    private var pluginByKey: [Int: String] = [:]
    private var lastTag = ""
    private var lastKey = -1

    init(options: LogReadOptions) {
        collector = SeriesCollector(options: options)
    }

    /// What reading one file came to.
    struct FileOutcome {
        var recordCount = 0
        /// The first damage that stopped or skipped records, with its offset.
        var damage: (offset: Int, problem: String)?
    }

    /// Reads the records of one event file; damage becomes notes.
    mutating func readFile(_ input: ByteInput, fileName: String) throws(LogReadError) -> FileOutcome {
        var outcome = FileOutcome()
        var stoppedAt: Int?
        var ignoredBytes = 0
        var corrupt = (count: 0, first: 0)
        var undecodable = (count: 0, first: 0)
        try input.forEachWindow(lineAligned: false) { window, offset, isFinal throws(LogReadError) in
            if stoppedAt != nil {
                ignoredBytes += window.count
                return window.count
            }
            guard let bytes = window.baseAddress else { return 0 }
            var position = 0
            while true {
                let remaining = window.count - position
                if remaining == 0 { return position }
                guard remaining >= TFRecordFraming.headerLength else {
                    if isFinal { return truncated(at: offset + position) }
                    return position
                }
                let header = bytes + position
                guard TFRecordFraming.isValidHeader(header) else {
                    stoppedAt = offset + position
                    ignoredBytes += remaining
                    if outcome.damage == nil { outcome.damage = (offset + position, "the record header fails its CRC check") }
                    return window.count
                }
                let length = TFRecordFraming.readUInt64(header)
                let available = remaining - TFRecordFraming.headerLength - TFRecordFraming.footerLength
                guard available >= 0, length <= UInt64(available) else {
                    if isFinal { return truncated(at: offset + position) }
                    return position
                }
                let payloadLength = Int(length)
                let payload = header + TFRecordFraming.headerLength
                let recordOffset = offset + position
                position += TFRecordFraming.headerLength + payloadLength + TFRecordFraming.footerLength
                guard CRC32C.masked(CRC32C.checksum(payload, count: payloadLength)) == TFRecordFraming.readUInt32(payload + payloadLength) else {
                    if corrupt.count == 0 { corrupt.first = recordOffset }
                    corrupt.count += 1
                    if outcome.damage == nil { outcome.damage = (recordOffset, "the record's content fails its CRC check") }
                    continue
                }
                let event: Tensorboard_Event
                do {
                    event = try Tensorboard_Event(serializedBytes: RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: payload, count: payloadLength)))
                } catch {
                    if undecodable.count == 0 { undecodable.first = recordOffset }
                    undecodable.count += 1
                    if outcome.damage == nil { outcome.damage = (recordOffset, "the record is not a TensorBoard event") }
                    continue
                }
                outcome.recordCount += 1
                add(event, at: recordOffset, fileName: fileName)
            }

            func truncated(at recordOffset: Int) -> Int {
                notes.append(.truncatedRecord(file: fileName, byteOffset: recordOffset, recordsKept: outcome.recordCount))
                if outcome.damage == nil { outcome.damage = (recordOffset, "the file ends inside the first record") }
                return window.count
            }
        }
        if corrupt.count > 0 { notes.append(.corruptRecords(file: fileName, firstByteOffset: corrupt.first, count: corrupt.count)) }
        if undecodable.count > 0 { notes.append(.undecodableRecords(file: fileName, firstByteOffset: undecodable.first, count: undecodable.count)) }
        if let stoppedAt {
            notes.append(.corruptRecordLength(file: fileName, byteOffset: stoppedAt, recordsKept: outcome.recordCount, bytesIgnored: ignoredBytes))
        }
        return outcome
    }

    private mutating func add(_ event: Tensorboard_Event, at offset: Int, fileName: String) {
        guard case .summary(let summary)? = event.what else { return }
        for value in summary.value {
            let key = key(for: value.tag.isEmpty ? value.nodeName : value.tag)
            if value.hasMetadata && pluginByKey[key] == nil && !value.metadata.pluginData.pluginName.isEmpty {
                pluginByKey[key] = value.metadata.pluginData.pluginName
            }
            let number: Double?
            switch value.value {
            case .simpleValue(let simple)?: number = Double(simple)
            case .tensor(let tensor)?:
                let plugin = pluginByKey[key] ?? "scalars"
                number = plugin == "scalars" ? TensorScalar.value(of: tensor) : nil
            case nil: continue
            default: number = nil
            }
            guard let number else {
                collector.addNonNumeric(key)
                continue
            }
            guard event.step >= 0 else {
                skips.record(.negativeStep, at: .byte(offset, file: fileName))
                continue
            }
            collector.add(key, step: Int(event.step), value: number, at: .byte(offset, file: fileName))
        }
    }

    /// The key of `tag`; consecutive values usually repeat a tag, so the last one is tried first.
    private mutating func key(for tag: String) -> Int {
        if tag == lastTag && lastKey >= 0 { return lastKey }
        lastTag = tag
        lastKey = collector.key(tag)
        return lastKey
    }

    func finish(source: String, name: String) -> Result<TrainingLog, LogReadError> {
        collector.finish(source: source, format: .tensorboard, name: name, stepName: "step", skips: skips, notes: notes)
    }
}
