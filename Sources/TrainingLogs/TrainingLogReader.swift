import Foundation

/// Reads training logs into `TrainingLog`s, whatever wrote them.
///
/// Formats (see `LogFormat`), recognised by content, the file name serving only as a hint:
/// - delimited text (CSV, TSV, semicolons) with a header row, including W&B history exports, and
///   W&B panel exports, whose runs become one log each;
/// - JSON lines, nested keys reachable as `a/b` or `a.b`;
/// - Hugging Face `trainer_state.json` (`log_history`; the final summary entry is ignored);
/// - TensorBoard event files, or a directory of them (each directory holding event files is one
///   run; a run's files are merged in step order); scalars from `simple_value` and from tensors;
/// - nanoGPT and Megatron-LM printed training logs.
///
/// The step, learning-rate and loss series are found by their common names (see `ColumnAliases`)
/// or named through `ColumnChoice`. Values that are empty, NaN or infinite are left out of their
/// series and counted in `TrainingLog.skipped`. Steps come out sorted; a step logged twice keeps
/// the later value (`TrainingLog.replacedSteps`). Damage a reader can read past (a truncated event
/// file, lines skipped with `LogReadOptions.skipsBadLines`) is reported in `TrainingLog.notes`.
/// Each file is opened and read once, front to back and in chunks, so that a pipe, `/dev/stdin` or
/// `<(…)` reads like a regular file; memory grows with the series kept, not with the file.
public enum TrainingLogReader {
    /// Reads the log at `path`, which may be relative to the current directory.
    ///
    /// - Throws: `LogReadError.fileNotFound` or `.unreadableFile` when the file cannot be read,
    ///   `.severalRuns` when it holds several runs (use `readAll`), and every error of the format's
    ///   reader when its content is not a usable log.
    public static func read(_ path: String, columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
        try read(path, options: LogReadOptions(columns: columns))
    }

    /// Reads the one log at `path` as `options` say; see `read(_:columns:)`.
    public static func read(_ path: String, options: LogReadOptions) throws(LogReadError) -> TrainingLog {
        try single(readAll(path, options: options), source: path)
    }

    /// Reads every run at `path`: one log for most files, one per run for a W&B panel export or a
    /// directory of TensorBoard runs.
    ///
    /// - Throws: `LogReadError`, naming the file, line (or byte offset) and column at fault.
    public static func readAll(_ path: String, options: LogReadOptions = .init()) throws(LogReadError) -> [TrainingLog] {
        try reading(path, options: options, surveys: false).logs.get()
    }

    /// Reads the log at `path` and lists everything in it: every series with counts and step
    /// ranges, and the curves as `readAll` gives them, or why there are none.
    ///
    /// - Throws: `LogReadError` only when the file cannot be read at all (missing, unreadable,
    ///   malformed); a log without a usable loss comes back with `LogInspection.problem` set.
    public static func inspect(_ path: String, options: LogReadOptions = .init()) throws(LogReadError) -> LogInspection {
        inspection(of: try reading(path, options: options, surveys: true), source: path)
    }

    private static func inspection(of reading: LogReading, source: String) -> LogInspection {
        switch reading.logs {
        case .success(let logs):
            return LogInspection(source: source, format: reading.format, series: reading.series, logs: logs, problem: nil)
        case .failure(let problem):
            return LogInspection(source: source, format: reading.format, series: reading.series, logs: [], problem: problem)
        }
    }

    /// Reads every run in `bytes`, a whole file held in memory; the format is recognised as for
    /// files, with `source`'s name as the hint.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - source: the file name or other label that messages and `TrainingLog.source` show.
    ///   - options: format, series and strictness.
    /// - Throws: `LogReadError` as `readAll`.
    public static func parse(_ bytes: [UInt8], source: String, options: LogReadOptions = .init()) throws(LogReadError) -> [TrainingLog] {
        try parsing(bytes, source: source, options: options, surveys: false).logs.get()
    }

    /// Lists everything in `bytes`, a whole file held in memory, as `inspect(_:options:)` does for a file.
    static func inspect(_ bytes: [UInt8], source: String, options: LogReadOptions) throws(LogReadError) -> LogInspection {
        inspection(of: try parsing(bytes, source: source, options: options, surveys: true), source: source)
    }

    private static func parsing(_ bytes: [UInt8], source: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(LogReadError) in
                var format = options.format
                if format == nil { format = try detectedFormat(prefix: Array(buffer.prefix(FormatDetection.prefixLength)), source: source) }
                guard let format else { throw LogReadError.unknownFormat(file: source) }
                return try read(.memory(buffer), format: format, source: source, options: options, surveys: surveys)
            }
        }
        return try result.get()
    }

    /// Parses delimited text held in memory; the fastest way in for CSV.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes, UTF-8.
    ///   - source: the file name or other label that messages and `TrainingLog.source` show; the
    ///     log's `name` is its last path component without the extension.
    ///   - columns: columns to use instead of the ones found by their common names.
    /// - Throws: `LogReadError` naming the line and column at fault: an empty file, a header
    ///   missing or without step or loss column, a named column that does not exist, a cell in
    ///   those columns that is not a number, a fractional or negative step, a negative learning
    ///   rate, a row with the wrong number of fields, a broken quote, no data rows, no row with a
    ///   usable loss, or (`.severalRuns`) a W&B panel export of several runs.
    public static func parseCSV(_ bytes: UnsafeRawBufferPointer, source: String, columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
        let reading = try DelimitedTextReader.read(.memory(bytes.bindMemory(to: UInt8.self)), source: source,
                                                   options: LogReadOptions(columns: columns), surveys: false)
        return try single(reading.logs.get(), source: source)
    }

    /// Parses delimited text held in a byte array; see `parseCSV(_:source:columns:)`.
    public static func parseCSV(_ bytes: [UInt8], source: String, columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(LogReadError) in try parseCSV(buffer, source: source, columns: columns) }
        }
        return try result.get()
    }

    /// Parses delimited text held in `Data`; see `parseCSV(_:source:columns:)`.
    public static func parseCSV(_ data: Data, source: String, columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
        let result = data.withUnsafeBytes { buffer in
            Result { () throws(LogReadError) in try parseCSV(buffer, source: source, columns: columns) }
        }
        return try result.get()
    }

    /// Parses delimited text held in a string; see `parseCSV(_:source:columns:)`.
    public static func parseCSV(_ text: String, source: String, columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(LogReadError) in try parseCSV(UnsafeRawBufferPointer(buffer), source: source, columns: columns) }
        }
        return try result.get()
    }

    static func single(_ logs: [TrainingLog], source: String) throws(LogReadError) -> TrainingLog {
        guard logs.count == 1 else { throw .severalRuns(file: source, runs: logs.map(\.name)) }
        return logs[0]
    }

    private static func reading(_ path: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        if FileBytes.isDirectory(path) {
            if let format = options.format, format != .tensorboard {
                throw .unreadableFile(path: path, reason: "it is a directory; only a TensorBoard run can be a directory")
            }
            return try TensorBoardReader.readDirectory(path, options: options, surveys: surveys)
        }
        // One descriptor for detection and reading: a pipe cannot be read twice.
        let file = try OpenedFile(path: path)
        var format = options.format
        if format == nil { format = try detectedFormat(prefix: file.peek(FormatDetection.prefixLength), source: path) }
        guard let format else { throw .unknownFormat(file: path) }
        return try read(.opened(file, chunkSize: ByteInput.defaultChunkSize), format: format, source: path, options: options, surveys: surveys)
    }

    private static func detectedFormat(prefix: [UInt8], source: String) throws(LogReadError) -> LogFormat {
        let fileName = source.split(separator: "/").last.map(String.init) ?? source
        guard let format = FormatDetection.format(ofPrefix: prefix, fileName: fileName) else { throw .unknownFormat(file: source) }
        return format
    }

    /// Reads `input` as `format`.
    static func read(_ input: ByteInput, format: LogFormat, source: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        var options = options
        options.format = format
        switch format {
        case .csv, .tsv, .wandbHistory, .wandbPanel:
            if format != .wandbPanel { options.format = nil }
            return try DelimitedTextReader.read(input, source: source, options: options, surveys: surveys)
        case .jsonl:
            return try JSONLinesReader.read(input, source: source, options: options, surveys: surveys)
        case .trainerState:
            return try TrainerStateReader.read(input, source: source, options: options, surveys: surveys)
        case .tensorboard:
            return try TensorBoardReader.read(input, source: source, options: options, surveys: surveys)
        case .nanoGPT, .megatron:
            return try TextLogReader.read(input, format: format, source: source, options: options, surveys: surveys)
        }
    }
}
