/// Why a training log cannot be read. Each message is one line that names the file (and the line
/// and column when there is one) and says what to do about it.
public enum LogReadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The path exists but could not be read (a directory, no permission, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file is in a text encoding other than UTF-8 (for example UTF-16).
    case unsupportedEncoding(file: String, encoding: String)
    /// The file holds nothing but blank lines (or nothing at all).
    case emptyFile(file: String)
    /// The first row holds numbers rather than column names.
    case noHeader(file: String, line: Int)
    /// The file has a header row and nothing else.
    case noDataRows(file: String)
    /// No column is named like a step column.
    case noStepColumn(file: String, columns: [String])
    /// No column is named like a loss column.
    case noLossColumn(file: String, columns: [String])
    /// The caller named a column that the file does not have.
    case columnNotFound(file: String, role: ColumnRole, name: String, columns: [String])
    /// A step, learning-rate or loss cell holds text that is not a number.
    case notANumber(file: String, line: Int, column: String, text: String)
    /// A step cell is empty.
    case emptyStep(file: String, line: Int, column: String)
    /// A step is fractional, infinite or NaN, or too large for an integer.
    case stepNotWholeNumber(file: String, line: Int, column: String, text: String)
    /// A step is below zero.
    case negativeStep(file: String, line: Int, column: String, text: String)
    /// A learning rate is below zero.
    case negativeLearningRate(file: String, line: Int, column: String, text: String)
    /// A row has a different number of fields than the header has columns.
    case wrongFieldCount(file: String, line: Int, found: Int, expected: Int)
    /// A quoted field is never closed; `column` is nil in the header or past the last column.
    case unterminatedQuote(file: String, line: Int, column: String?)
    /// A quoted field is followed by more text before the next delimiter.
    case textAfterClosingQuote(file: String, line: Int, column: String?)
    /// Every row's loss is empty, NaN or infinite.
    case noUsableLoss(file: String, rows: Int)
    /// The content does not look like any log format that is read.
    case unknownFormat(file: String)
    /// The content does not fit the format forced with `LogReadOptions.format`.
    case formatMismatch(file: String, format: LogFormat, reason: String)
    /// No series (key, tag) of a JSON, TensorBoard or text log is named like a loss.
    case noLossSeries(file: String, found: [String], noun: String)
    /// Evaluation loss was asked for and no series is named like one.
    case noEvaluationLoss(file: String, found: [String], noun: String)
    /// The caller named a key or tag that the log does not have.
    case seriesNotFound(file: String, role: ColumnRole, name: String, found: [String], noun: String)
    /// No line of a JSON lines log holds a key named like a step.
    case noStepKey(file: String, found: [String])
    /// A line (JSONL) or the document (trainer_state.json) is not well-formed JSON.
    case malformedJSON(file: String, line: Int, column: Int, problem: String, isOneLine: Bool)
    /// A trainer_state.json without the `log_history` list.
    case missingLogHistory(file: String)
    /// A directory given as a TensorBoard run holds no event files.
    case noEventFiles(directory: String)
    /// An event file is damaged before its first readable record.
    case damagedEventFile(file: String, byteOffset: Int, problem: String)
    /// A learning-rate value in a TensorBoard event is below zero.
    case negativeLearningRateInRecord(file: String, byteOffset: Int, tag: String, value: Double)
    /// A text log holds no line of the training-log form its format prints.
    case noLogLines(file: String, format: LogFormat)
    /// A file holding several runs was read as one log.
    case severalRuns(file: String, runs: [String])
    /// No series of the log has a common gradient-norm name (`ColumnAliases.gradientNorm`).
    case noGradientNorm(file: String, found: [String], noun: String)
    /// The gradient-norm series named by the caller is not in the log.
    case gradientNormNotFound(file: String, name: String, found: [String], noun: String)
    /// Every gradient-norm value is empty, NaN or infinite.
    case noUsableGradientNorm(file: String, rows: Int)

    /// The message on one line: line breaks and other control characters in quoted file content
    /// are shown escaped.
    public var description: String {
        var escaped = ""
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private var message: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file; check the path"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason))"
        case .unsupportedEncoding(let file, let encoding):
            return "\(file): the file is \(encoding); save it as UTF-8"
        case .emptyFile(let file):
            return "\(file): the file is empty; a log needs a header row (e.g. step,lr,loss) and one row per logged step"
        case .noHeader(let file, let line):
            return "\(file):\(line): the first row holds numbers, not column names; add a header row such as step,lr,loss"
        case .noDataRows(let file):
            return "\(file): a header row but no data rows; the log holds no logged steps"
        case .noStepColumn(let file, let columns):
            return "no step column in \(file); columns found: \(Self.list(columns)); name one with \(ColumnRole.step.optionName)"
        case .noLossColumn(let file, let columns):
            return "no loss column in \(file); columns found: \(Self.list(columns)); name one with \(ColumnRole.loss.optionName)"
        case .columnNotFound(let file, let role, let name, let columns):
            return "no column \"\(name)\" in \(file) (given as the \(role.displayName) column with \(role.optionName)); columns found: \(Self.list(columns))"
        case .notANumber(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(column)\": \"\(text)\" is not a number; fix or delete that row"
        case .emptyStep(let file, let line, let column):
            return "\(file):\(line): column \"\(column)\" is empty; every row needs a step: fix or delete that row"
        case .stepNotWholeNumber(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(column)\": \"\(text)\" is not a whole number; steps must be whole numbers ≥ 0"
        case .negativeStep(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(column)\": negative step \(text); steps must be whole numbers ≥ 0"
        case .negativeLearningRate(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(column)\": negative learning rate \(text); learning rates must be ≥ 0"
        case .wrongFieldCount(let file, let line, let found, let expected):
            return "\(file):\(line): \(found) \(found == 1 ? "field" : "fields") but the header has \(expected) columns; check that row for a missing value or a stray delimiter"
        case .unterminatedQuote(let file, let line, let column):
            return "\(file):\(line):\(Self.columnLabel(column)) a quote opened here is never closed; close it with \" or remove it"
        case .textAfterClosingQuote(let file, let line, let column):
            return "\(file):\(line):\(Self.columnLabel(column)) text follows a closing quote; quote the whole field and double any quote inside it (\"\")"
        case .noUsableLoss(let file, let rows):
            return "\(file): no usable loss values: all \(rows) \(rows == 1 ? "row has" : "rows have") empty, NaN or infinite loss"
        case .unknownFormat(let file):
            return "\(file): cannot tell the log format from the content; name it with --format (\(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .formatMismatch(let file, let format, let reason):
            return "\(file): not a \(format.displayName): \(reason); check --format"
        case .noLossSeries(let file, let found, let noun):
            return "no loss series in \(file); \(noun)s found: \(Self.list(found)); name one with \(ColumnRole.loss.optionName)"
        case .noEvaluationLoss(let file, let found, let noun):
            return "no evaluation loss in \(file); \(noun)s found: \(Self.list(found)); name one with \(ColumnRole.loss.optionName), or drop --eval"
        case .seriesNotFound(let file, let role, let name, let found, let noun):
            return "no \(noun) \"\(name)\" in \(file) (given as the \(role.displayName) \(noun) with \(role.optionName)); \(noun)s found: \(Self.list(found))"
        case .noStepKey(let file, let found):
            return "no step key in \(file); keys found: \(Self.list(found)); name one with \(ColumnRole.step.optionName)"
        case .malformedJSON(let file, let line, let column, let problem, let isOneLine):
            let advice = isOneLine ? "fix that line, or skip such lines with --skip-bad-lines" : "the file may be cut off or damaged"
            return "\(file):\(line):\(column): malformed JSON: \(problem); \(advice)"
        case .missingLogHistory(let file):
            return "\(file): no \"log_history\" list; a Hugging Face trainer_state.json keeps the logged values there"
        case .noEventFiles(let directory):
            return "\(directory): no TensorBoard event files (events.out.tfevents.*) in this directory or below"
        case .damagedEventFile(let file, let offset, let problem):
            return "\(file): byte \(offset): \(problem); no record could be read before it"
        case .negativeLearningRateInRecord(let file, let offset, let tag, let value):
            return "\(file): byte \(offset): tag \"\(tag)\": negative learning rate \(value); learning rates must be ≥ 0"
        case .noLogLines(let file, let format):
            return "\(file): no \(format.displayName) training lines (\(format == .nanoGPT ? "iter N: loss X, …" : "iteration N/ M | … | lm loss: X |")) found; check --format"
        case .severalRuns(let file, let runs):
            return "\(file) holds \(runs.count) runs (\(Self.list(runs))); read them all with TrainingLogReader.readAll"
        case .noGradientNorm(let file, let found, let noun):
            return "no gradient-norm \(noun) in \(file); \(noun)s found: \(Self.list(found)); log the gradient norm (grad_norm) or name its \(noun) with --grad-key"
        case .gradientNormNotFound(let file, let name, let found, let noun):
            return "no \(noun) \"\(name)\" in \(file) (given as the gradient-norm \(noun) with --grad-key); \(noun)s found: \(Self.list(found))"
        case .noUsableGradientNorm(let file, let rows):
            return "\(file): no usable gradient norms: all \(rows) \(rows == 1 ? "row has" : "rows have") an empty, NaN or infinite norm"
        }
    }

    /// True when the error concerns one row or line only, so that reading can go on after it
    /// (`LogReadOptions.skipsBadLines`).
    var isConfinedToOneRow: Bool {
        switch self {
        case .notANumber, .emptyStep, .stepNotWholeNumber, .negativeStep, .negativeLearningRate, .wrongFieldCount, .textAfterClosingQuote:
            return true
        case .malformedJSON(_, _, _, _, let isOneLine):
            return isOneLine
        default:
            return false
        }
    }

    static func list(_ columns: [String]) -> String {
        columns.isEmpty ? "(none)" : columns.map { $0.isEmpty ? "\"\"" : $0 }.joined(separator: ", ")
    }

    private static func columnLabel(_ column: String?) -> String {
        column.map { " column \"\($0)\":" } ?? ""
    }
}
