import Foundation

/// Reads training logs into `TrainingLog`s.
///
/// Delimited text is the one format so far: a header row, then one row per logged step, with the
/// step, loss and (optionally) learning-rate columns found by their common names (see
/// `ColumnAliases`) or named through `ColumnChoice`. The delimiter (comma, tab or semicolon) is
/// detected from the header. Quoted fields, CRLF line ends, a UTF-8 byte-order mark, blank lines
/// and a trailing delimiter are accepted. Rows whose loss is empty, NaN or infinite are left out of
/// the loss series and counted in `TrainingLog.skipped`; their finite learning rates are kept.
/// Steps come out sorted; a step logged twice keeps the later row (`TrainingLog.replacedSteps`).
public enum TrainingLogReader {
    /// Reads the log at `path`, which may be relative to the current directory.
    ///
    /// - Throws: `LogReadError.fileNotFound` or `.unreadableFile` when the file cannot be read, and
    ///   every error of `parseCSV` when its content is not a usable log.
    public static func read(_ path: String, columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
        let bytes = try FileBytes.contents(ofFile: path)
        return try parseCSV(bytes, source: path, columns: columns)
    }

    /// Parses delimited text held in memory; the fastest way in, used by `read`.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes, UTF-8.
    ///   - source: the file name or other label that messages and `TrainingLog.source` show; the
    ///     log's `name` is its last path component without the extension.
    ///   - columns: columns to use instead of the ones found by their common names.
    /// - Throws: `LogReadError` naming the line and column at fault: an empty file, a header
    ///   missing or without step or loss column, a named column that does not exist, a cell in
    ///   those columns that is not a number, a fractional or negative step, a negative learning
    ///   rate, a row with the wrong number of fields, a broken quote, no data rows, or no row with a
    ///   usable loss.
    public static func parseCSV(_ bytes: UnsafeRawBufferPointer, source: String, columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
        try DelimitedTextReader.read(bytes.bindMemory(to: UInt8.self), source: source, columns: columns)
    }

    /// Parses delimited text held in a byte array; see `parseCSV(_:source:columns:)`.
    public static func parseCSV(_ bytes: [UInt8], source: String, columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(LogReadError) in try DelimitedTextReader.read(buffer, source: source, columns: columns) }
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
            Result { () throws(LogReadError) in try DelimitedTextReader.read(buffer, source: source, columns: columns) }
        }
        return try result.get()
    }
}
