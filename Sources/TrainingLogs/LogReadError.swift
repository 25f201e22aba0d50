/// Why a training log or a sweep cannot be read. Each message is one line that names the file (and
/// the line and column, or the byte offset, when there is one) and says what to do about it.
///
/// Messages speak of columns, keys and formats, never of a program's options: what a caller can
/// change is `remedy`, which a command-line tool can say in its own words
/// (`description(sayingRemedyAs:)`). Text quoted from the file is cut to a short excerpt with its
/// length, control characters and bytes that are not UTF-8 escaped.
public enum LogReadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The path exists but could not be read (a directory, no permission, an I/O error).
    case unreadableFile(path: String, reason: String)
    /// The file is in a text encoding other than UTF-8 (for example UTF-16).
    case unsupportedEncoding(file: String, encoding: String)
    /// The file holds nothing but blank lines (or nothing at all).
    case emptyFile(file: String, content: ReadContent = .log)
    /// The first row holds numbers rather than column names.
    case noHeader(file: String, line: Int)
    /// The file has a header row (or JSON keys) and nothing else.
    case noDataRows(file: String, content: ReadContent = .log)
    /// No column is named like the column of `role`.
    case missingColumn(file: String, role: ReadColumn, columns: [String])
    /// The caller named a column that the file does not have.
    case columnNotFound(file: String, role: ReadColumn, name: String, columns: [String])
    /// A cell that must hold a number holds text.
    case notANumber(file: String, line: Int, column: String, text: String)
    /// A step cell is empty.
    case emptyStep(file: String, line: Int, column: String)
    /// A cell that every sweep run needs is empty (or missing from a JSON object).
    case emptyValue(file: String, line: Int, column: String)
    /// A step is fractional, infinite or NaN.
    case stepNotWholeNumber(file: String, line: Int, column: String, text: String)
    /// A step is below zero.
    case negativeStep(file: String, line: Int, column: String, text: String)
    /// A step of the loss or learning rate is above the caller's largest (`LogReadOptions.maximumStep`),
    /// or any step is beyond what the format holds exactly (`limit`: an Int's largest, or 2^53 in JSON).
    case stepBeyondLimit(file: String, location: LogLocation, column: String, text: String, limit: Int)
    /// A learning rate is below zero.
    case negativeLearningRate(file: String, line: Int, column: String, text: String)
    /// A model size, token count, learning rate, batch size or sequence length of a sweep is zero,
    /// negative, NaN or infinite.
    case notPositive(file: String, line: Int, column: String, text: String)
    /// A row has a different number of fields than the header has columns.
    case wrongFieldCount(file: String, line: Int, found: Int, expected: Int)
    /// A quoted field is never closed; `column` is nil in the header, past the last column or
    /// where the reader does not track columns.
    case unterminatedQuote(file: String, line: Int, column: String?)
    /// A quoted field is followed by more text before the next delimiter.
    case textAfterClosingQuote(file: String, line: Int, column: String?)
    /// Every row's (or run's) loss is empty, NaN or infinite.
    case noUsableLoss(file: String, rows: Int, content: ReadContent = .log)
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
    /// `isOneLine` is true when the rest of the file can still be read (`LogReadOptions.skipsBadLines`).
    case malformedJSON(file: String, line: Int, column: Int, problem: String, isOneLine: Bool)
    /// A line of a JSONL sweep is not one well-formed JSON object; `column` is where reading
    /// stopped, `problem` what was expected there.
    case notAJSONObject(file: String, line: Int, column: Int, problem: String)
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
    /// A sweep's batch sizes count sequences and nothing tells how long a sequence is.
    case sequenceLengthUnknown(file: String, batchColumn: String)
    /// The sequence length inferred as tokens / (steps × batch) at `line` differs by more than
    /// 1 % from the median over all rows (`typical`, found for example at `typicalLine`).
    case inconsistentSequenceLength(file: String, line: Int, inferred: Int, typical: Int, typicalLine: Int, stepsColumn: String)

    /// The message on one line, with the remedy in the reader's own words.
    public var description: String {
        description(sayingRemedyAs: \.description)
    }

    /// The message with `remedyText` saying what to do, for a caller that offers the remedy its
    /// own way (a command-line option, a form field).
    public func description(sayingRemedyAs remedyText: (ReadRemedy) -> String) -> String {
        let text = remedy.map { "\(problem); \(remedyText($0))" } ?? problem
        return Excerpt.escaped(text)
    }

    /// What the caller of a reader can change to get past this error; nil when the file itself
    /// must change (the message then says how).
    public var remedy: ReadRemedy? {
        switch self {
        case .missingColumn(_, let role, _), .columnNotFound(_, let role, _, _):
            return .nameColumn(role, noun: "column")
        case .noLossSeries(_, _, let noun):
            return .nameColumn(.log(.loss), noun: noun)
        case .seriesNotFound(_, let role, _, _, let noun):
            return .nameColumn(.log(role), noun: noun)
        case .noStepKey:
            return .nameColumn(.log(.step), noun: "key")
        case .stepBeyondLimit:
            return .nameColumn(.log(.step), noun: "column")
        case .noEvaluationLoss(_, _, let noun):
            return .nameEvaluationLoss(noun: noun)
        case .unknownFormat:
            return .nameFormat
        case .formatMismatch, .noLogLines:
            return .checkFormat
        case .malformedJSON(_, _, _, _, let isOneLine):
            return isOneLine ? .skipBadLines : nil
        case .noGradientNorm(_, _, let noun), .gradientNormNotFound(_, _, _, let noun):
            return .nameGradientNorm(noun: noun)
        case .sequenceLengthUnknown:
            return .giveSequenceLength(orBatchUnit: true)
        case .inconsistentSequenceLength:
            return .giveSequenceLength(orBatchUnit: false)
        default:
            return nil
        }
    }

    /// What went wrong, with any advice on fixing the file; `remedy` follows it.
    private var problem: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file; check the path"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason))"
        case .unsupportedEncoding(let file, let encoding):
            return "\(file): the file is \(encoding); save it as UTF-8"
        case .emptyFile(let file, let content):
            return "\(file): the file is empty; a \(content.noun) needs a header row (e.g. \(content.headerExample)) and one row per \(content.rowMeaning)"
        case .noHeader(let file, let line):
            return "\(file):\(line): the first row holds numbers, not column names; add a header row such as step,lr,loss"
        case .noDataRows(let file, let content):
            switch content {
            case .log: return "\(file): a header row but no data rows; the log holds no logged steps"
            case .sweep: return "\(file): no runs; a sweep needs one row per finished run"
            }
        case .missingColumn(let file, let role, let columns):
            return "no \(role.displayName) column in \(file); columns found: \(Excerpt.list(columns))"
        case .columnNotFound(let file, let role, let name, let columns):
            return "no column \"\(Excerpt.quoted(name))\" in \(file) (given as the \(role.displayName) column); columns found: \(Excerpt.list(columns))"
        case .notANumber(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(Excerpt.quoted(column))\": \"\(Excerpt.quoted(text))\" is not a number; fix or delete that row"
        case .emptyStep(let file, let line, let column):
            return "\(file):\(line): column \"\(Excerpt.quoted(column))\" is empty; every row needs a step: fix or delete that row"
        case .emptyValue(let file, let line, let column):
            return "\(file):\(line): column \"\(Excerpt.quoted(column))\" is empty; every run needs one: fix or delete that row"
        case .stepNotWholeNumber(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(Excerpt.quoted(column))\": \"\(Excerpt.quoted(text))\" is not a whole number; steps must be whole numbers ≥ 0"
        case .negativeStep(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(Excerpt.quoted(column))\": negative step \(Excerpt.quoted(text)); steps must be whole numbers ≥ 0"
        case .stepBeyondLimit(let file, let location, let column, let text, let limit):
            let place: String
            switch location {
            case .line(let line): place = "\(file):\(line): column \"\(Excerpt.quoted(column))\":"
            case .byte: place = "\(file): \(location):"
            }
            return "\(place) step \(Excerpt.quoted(text)) is beyond step \(Self.grouped(limit)), the last a curve may reach (a learning rate is held for every step); count steps in coarser units (e.g. divide them by 10), or read a column of optimizer steps"
        case .negativeLearningRate(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(Excerpt.quoted(column))\": negative learning rate \(Excerpt.quoted(text)); learning rates must be ≥ 0"
        case .notPositive(let file, let line, let column, let text):
            return "\(file):\(line): column \"\(Excerpt.quoted(column))\": \(Excerpt.quoted(text)) is not a positive number; model sizes, token counts, learning rates and batch sizes must be > 0: fix or delete that row"
        case .wrongFieldCount(let file, let line, let found, let expected):
            return "\(file):\(line): \(found) \(found == 1 ? "field" : "fields") but the header has \(expected) columns; check that row for a missing value or a stray delimiter"
        case .unterminatedQuote(let file, let line, let column):
            return "\(file):\(line):\(Self.columnLabel(column)) a quote opened here is never closed; close it with \" or remove it"
        case .textAfterClosingQuote(let file, let line, let column):
            return "\(file):\(line):\(Self.columnLabel(column)) text follows a closing quote; quote the whole field and double any quote inside it (\"\")"
        case .noUsableLoss(let file, let rows, let content):
            let unit = content == .sweep ? "run" : "row"
            return "\(file): no usable loss values: all \(rows) \(rows == 1 ? "\(unit) has" : "\(unit)s have") empty, NaN or infinite loss"
        case .unknownFormat(let file):
            return "\(file): cannot tell the log format from the content (formats read: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .formatMismatch(let file, let format, let reason):
            return "\(file): not a \(format.displayName): \(reason)"
        case .noLossSeries(let file, let found, let noun):
            return "no loss series in \(file); \(noun)s found: \(Excerpt.list(found))"
        case .noEvaluationLoss(let file, let found, let noun):
            return "no evaluation loss in \(file); \(noun)s found: \(Excerpt.list(found))"
        case .seriesNotFound(let file, let role, let name, let found, let noun):
            return "no \(noun) \"\(Excerpt.quoted(name))\" in \(file) (given as the \(role.displayName) \(noun)); \(noun)s found: \(Excerpt.list(found))"
        case .noStepKey(let file, let found):
            return "no step key in \(file); keys found: \(Excerpt.list(found))"
        case .malformedJSON(let file, let line, let column, let problem, let isOneLine):
            let text = "\(file):\(line):\(column): malformed JSON: \(problem)"
            return isOneLine ? text : "\(text); the file may be cut off or damaged"
        case .notAJSONObject(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): not a JSON object (\(problem)); a JSONL sweep holds one object per line, e.g. {\"N\": 4e8, \"D\": 2e10, \"lr\": 0.002, \"bs\": 256, \"loss\": 2.3}"
        case .missingLogHistory(let file):
            return "\(file): no \"log_history\" list; a Hugging Face trainer_state.json keeps the logged values there"
        case .noEventFiles(let directory):
            return "\(directory): no TensorBoard event files (events.out.tfevents.*) in this directory or below"
        case .damagedEventFile(let file, let offset, let problem):
            return "\(file): byte \(offset): \(problem); no record could be read before it"
        case .negativeLearningRateInRecord(let file, let offset, let tag, let value):
            return "\(file): byte \(offset): tag \"\(Excerpt.quoted(tag))\": negative learning rate \(value); learning rates must be ≥ 0"
        case .noLogLines(let file, let format):
            return "\(file): no \(format.displayName) training lines (\(format == .nanoGPT ? "iter N: loss X, …" : "iteration N/ M | … | lm loss: X |")) found"
        case .severalRuns(let file, let runs):
            return "\(file) holds \(runs.count) runs (\(Excerpt.list(runs))); read them all with TrainingLogReader.readAll"
        case .noGradientNorm(let file, let found, let noun):
            return "no gradient-norm \(noun) in \(file); \(noun)s found: \(Excerpt.list(found))"
        case .gradientNormNotFound(let file, let name, let found, let noun):
            return "no \(noun) \"\(Excerpt.quoted(name))\" in \(file) (given as the gradient-norm \(noun)); \(noun)s found: \(Excerpt.list(found))"
        case .noUsableGradientNorm(let file, let rows):
            return "\(file): no usable gradient norms: all \(rows) \(rows == 1 ? "row has" : "rows have") an empty, NaN or infinite norm"
        case .sequenceLengthUnknown(let file, let batchColumn):
            return "\(file): the batch sizes in column \"\(Excerpt.quoted(batchColumn))\" count sequences, but the sequence length is unknown"
        case .inconsistentSequenceLength(let file, let line, let inferred, let typical, let typicalLine, let stepsColumn):
            return "\(file):\(line): tokens / (\(Excerpt.quoted(stepsColumn)) × batch) gives a sequence length of \(inferred), but most rows (e.g. line \(typicalLine)) give \(typical)"
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

    /// `value` with thousands separators: `10,000,000`.
    private static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && digits[index - 1] != "-" && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    private static func columnLabel(_ column: String?) -> String {
        column.map { " column \"\(Excerpt.quoted($0))\":" } ?? ""
    }
}
