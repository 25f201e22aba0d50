/// Why a sweep file cannot be read. Each message is one line that names the file (and the line
/// and column when there is one) and says what to do about it.
public enum SweepReadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The path exists but could not be read (a directory, no permission, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file is in a text encoding other than UTF-8.
    case unsupportedEncoding(file: String, encoding: String)
    /// The file holds nothing but blank lines.
    case emptyFile(file: String)
    /// The file has a header row (or JSON keys) but no runs.
    case noDataRows(file: String)
    /// No column is named like the column of `role`.
    case missingColumn(file: String, role: SweepColumnRole, columns: [String])
    /// The caller named a column the file does not have.
    case columnNotFound(file: String, role: SweepColumnRole, name: String, columns: [String])
    /// A cell that must hold a number holds text.
    case notANumber(file: String, line: Int, column: String, text: String)
    /// A cell that every run needs is empty (or missing from a JSON object).
    case emptyValue(file: String, line: Int, column: String)
    /// A model size, token count, learning rate, batch size or sequence length is zero, negative,
    /// NaN or infinite.
    case notPositive(file: String, line: Int, column: String, text: String)
    /// A row has a different number of fields than the header has columns.
    case wrongFieldCount(file: String, line: Int, found: Int, expected: Int)
    /// A quoted field is never closed.
    case unterminatedQuote(file: String, line: Int)
    /// A quoted field is followed by more text before the next delimiter.
    case textAfterClosingQuote(file: String, line: Int)
    /// A line of a JSONL file is not one JSON object.
    case notAJSONObject(file: String, line: Int)
    /// Every run's loss is empty, NaN or infinite.
    case noUsableLoss(file: String, rows: Int)
    /// The batch size counts sequences and nothing tells how long a sequence is.
    case sequenceLengthUnknown(file: String, batchColumn: String)
    /// The sequence length inferred as tokens / (steps × batch) at `line` differs by more than
    /// 1 % from the median over all rows (`typical`, found for example at `typicalLine`).
    case inconsistentSequenceLength(file: String, line: Int, inferred: Int, typical: Int, typicalLine: Int, stepsColumn: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file; check the path"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason))"
        case .unsupportedEncoding(let file, let encoding):
            return "\(file): the file is \(encoding); save it as UTF-8"
        case .emptyFile(let file):
            return "\(file): the file is empty; a sweep needs a header row (e.g. N,D,lr,bs,loss) and one row per finished run"
        case .noDataRows(let file):
            return "\(file): no runs; a sweep needs one row per finished run"
        case .missingColumn(let file, let role, let columns):
            return "no \(role.displayName) column in \(file); columns found: \(Self.list(columns)); name one with \(role.optionName)"
        case .columnNotFound(let file, let role, let name, let columns):
            return "no column \"\(name)\" in \(file) (given as the \(role.displayName) column with \(role.optionName)); columns found: \(Self.list(columns))"
        case .notANumber(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(column)\": \"\(text)\" is not a number; fix or delete that row"
        case .emptyValue(let file, let line, let column):
            return "\(file):\(line): column \"\(column)\" is empty; every run needs one: fix or delete that row"
        case .notPositive(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(column)\": \(text) is not a positive number; model sizes, token counts, learning rates and batch sizes must be > 0: fix or delete that row"
        case .wrongFieldCount(let file, let line, let found, let expected):
            return "\(file):\(line): \(found) \(found == 1 ? "field" : "fields") but the header has \(expected) columns; check that row for a missing value or a stray delimiter"
        case .unterminatedQuote(let file, let line):
            return "\(file):\(line): a quote opened here is never closed; close it with \" or remove it"
        case .textAfterClosingQuote(let file, let line):
            return "\(file):\(line): text follows a closing quote; quote the whole field and double any quote inside it (\"\")"
        case .notAJSONObject(let file, let line):
            return "\(file):\(line): not a JSON object; a JSONL sweep holds one object per line, e.g. {\"N\": 4e8, \"D\": 2e10, \"lr\": 0.002, \"bs\": 256, \"loss\": 2.3}"
        case .noUsableLoss(let file, let rows):
            return "\(file): no usable loss values: all \(rows) \(rows == 1 ? "run has" : "runs have") empty, NaN or infinite loss"
        case .sequenceLengthUnknown(let file, let batchColumn):
            return "\(file): the batch sizes in column \"\(batchColumn)\" count sequences, but the sequence length is unknown; give --seq-len, or --batch-unit tokens if they count tokens"
        case .inconsistentSequenceLength(let file, let line, let inferred, let typical, let typicalLine, let stepsColumn):
            return "\(file):\(line): tokens / (\(stepsColumn) × batch) gives a sequence length of \(inferred), but most rows (e.g. line \(typicalLine)) give \(typical); give the sequence length with --seq-len"
        }
    }

    private static func list(_ columns: [String]) -> String {
        columns.isEmpty ? "(none)" : columns.map { $0.isEmpty ? "\"\"" : $0 }.joined(separator: ", ")
    }
}
