/// Reads logs stored as delimited text (CSV, TSV, semicolon-separated, W&B exports) straight from
/// their bytes, window by window (see `ByteInput`).
///
/// A plain log gives one curve; only its step, learning-rate and loss cells are converted, the
/// other fields are only counted, so that a malformed row is still caught. A W&B panel export
/// gives one curve per run. When surveying (for `inspect`), every cell of every row is classified.
struct DelimitedTextReader {
    private let source: String
    private let options: LogReadOptions
    private let surveys: Bool

    private var hasHeader = false
    private var line = 1
    private var delimiter = UInt8(ascii: ",")
    private var columns: [String] = []
    private var format = LogFormat.csv
    /// The single curve's columns; nil for a panel export, or when they could not be found.
    private var resolved: ColumnResolution?
    /// Why the single curve's columns could not be found; thrown at the end (kept so that a survey
    /// can still list what the file holds).
    private var resolutionError: LogReadError?
    private var panel: WandbPanelLayout?
    private var rows = LogRows()
    private var panelRows: [LogRows] = []
    private var survey: [SeriesSummary] = []
    private var fields: [FieldScanner.Field] = []
    private var badLines = BadLineTally()

    init(source: String, options: LogReadOptions, surveys: Bool) {
        self.source = source
        self.options = options
        self.surveys = surveys
    }

    /// Reads `input` whole.
    static func read(_ input: ByteInput, source: String, options: LogReadOptions, surveys: Bool) throws(LogReadError) -> LogReading {
        var reader = DelimitedTextReader(source: source, options: options, surveys: surveys)
        try input.forEachWindow(lineAligned: true) { window, offset, isFinal throws(LogReadError) in
            try reader.consume(window, isFirst: offset == 0, isFinal: isFinal)
        }
        return try reader.finish()
    }

    /// Reads the complete rows of `window`; returns how many bytes they take.
    private mutating func consume(_ window: UnsafeBufferPointer<UInt8>, isFirst: Bool, isFinal: Bool) throws(LogReadError) -> Int {
        guard let bytes = window.baseAddress, window.count > 0 else { return 0 }
        let end = window.count
        var start = 0
        if isFirst && !hasHeader {
            if end >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
                throw .unsupportedEncoding(file: source, encoding: "UTF-16")
            }
            if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        }
        if !hasHeader {
            // Blank lines are skipped the same way whatever the delimiter turns out to be (tabs are
            // not padding then, but a header cannot start with one anyway).
            var headerFinder = FieldScanner(bytes: bytes, end: end, delimiter: FieldScanner.tab, position: start, line: line)
            guard headerFinder.skipBlankLines() else {
                if isFinal { throw .emptyFile(file: source) }
                return 0
            }
            delimiter = FieldScanner.detectDelimiter(bytes, from: headerFinder.position, to: end)
            var scanner = FieldScanner(bytes: bytes, end: end, delimiter: delimiter, position: headerFinder.position, line: headerFinder.line)
            guard let header = try readHeader(&scanner, isFinal: isFinal) else { return 0 }
            try setUp(header: header, line: headerFinder.line)
            line = scanner.line
            start = scanner.position
        }
        var scanner = FieldScanner(bytes: bytes, end: end, delimiter: delimiter, position: start, line: line)
        let stopped = try readRows(&scanner, isFinal: isFinal)
        return stopped ?? end
    }

    /// The header row's column names, and whether every field reads as a number.
    struct Header {
        var columns: [String]
        var isAllNumbers: Bool
    }

    /// The header, or nil when it continues past a window that is not the last.
    private func readHeader(_ scanner: inout FieldScanner, isFinal: Bool) throws(LogReadError) -> Header? {
        let line = scanner.line
        var columns: [String] = []
        var isAllNumbers = true
        while true {
            let (field, problem) = scanner.nextField()
            if problem == .unterminated && !isFinal { return nil }
            if let problem { throw Self.quoteError(problem, file: source, line: line, column: nil) }
            let trimmed = scanner.trimmed(field)
            if trimmed.start == trimmed.end || NumberParsing.parseDouble(scanner.bytes, trimmed.start, trimmed.end) == nil {
                isAllNumbers = false
            }
            columns.append(ColumnAliases.trimmedColumnName(scanner.text(of: field)))
            if !scanner.consumeDelimiter() { break }
        }
        scanner.finishRow()
        // A trailing delimiter leaves an empty last name; it is not a column.
        if columns.count > 1 && columns[columns.count - 1].isEmpty { columns.removeLast() }
        return Header(columns: columns, isAllNumbers: isAllNumbers)
    }

    private mutating func setUp(header: Header, line headerLine: Int) throws(LogReadError) {
        hasHeader = true
        columns = header.columns
        survey = columns.map { SeriesSummary(name: $0) }
        let isPanelWanted = options.format == nil || options.format == .wandbPanel
        if isPanelWanted, let layout = WandbPanelLayout(columns: columns, choice: options.columns, lossKind: options.loss) {
            panel = layout
            panelRows = Array(repeating: LogRows(), count: layout.runs.count)
            format = .wandbPanel
            return
        }
        if options.format == .wandbPanel {
            throw .formatMismatch(file: source, format: .wandbPanel,
                                  reason: "no step column with \"<run> - <metric>\" loss columns beside it; columns found: \(Excerpt.list(columns))")
        }
        let normalized = Set(columns.map(ColumnAliases.normalized))
        if delimiter == FieldScanner.tab {
            format = .tsv
        } else if !normalized.isDisjoint(with: ["_step", "_runtime", "_timestamp"]) {
            format = .wandbHistory
        }
        do {
            resolved = try ColumnResolution(header: header, choice: options.columns, lossKind: options.loss, source: source, headerLine: headerLine)
        } catch {
            guard surveys else { throw error }
            resolutionError = error
        }
    }

    /// Which field of each row holds the step, the loss and the learning rate.
    struct ColumnResolution {
        var step: Int
        var loss: Int
        var learningRate: Int?

        init(header: Header, choice: ColumnChoice, lossKind: LossKind, source: String, headerLine: Int) throws(LogReadError) {
            let columns = header.columns
            func find(_ role: ColumnRole, _ explicitName: String?) throws(LogReadError) -> Int? {
                let index = ColumnAliases.index(of: role, in: columns, explicitName: explicitName, lossKind: lossKind)
                if index == nil, let explicitName {
                    throw .columnNotFound(file: source, role: .log(role), name: explicitName, columns: columns)
                }
                return index
            }
            let step = try find(.step, choice.step)
            let loss = try find(.loss, choice.loss)
            if header.isAllNumbers && (step == nil || loss == nil) {
                throw .noHeader(file: source, line: headerLine)
            }
            guard let step else { throw .missingColumn(file: source, role: .log(.step), columns: columns) }
            guard let loss else {
                if lossKind == .evaluation { throw .noEvaluationLoss(file: source, found: columns, noun: "column") }
                throw .missingColumn(file: source, role: .log(.loss), columns: columns)
            }
            self.step = step
            self.loss = loss
            self.learningRate = try find(.learningRate, choice.learningRate)
        }
    }

    /// Reads rows until the window ends; returns nil when every row was read, or the offset of a
    /// row that continues past a window that is not the last.
    private mutating func readRows(_ scanner: inout FieldScanner, isFinal: Bool) throws(LogReadError) -> Int? {
        if let resolved, !surveys {
            return try readSingleCurveRows(&scanner, resolved: resolved, isFinal: isFinal)
        }
        while scanner.skipBlankLines() {
            let rowStart = scanner.position
            let rowLine = scanner.line
            fields.removeAll(keepingCapacity: true)
            var quoteProblem: FieldScanner.QuoteProblem?
            while true {
                let (field, problem) = scanner.nextField()
                fields.append(field)
                if let problem {
                    quoteProblem = problem
                    break
                }
                if !scanner.consumeDelimiter() { break }
            }
            if quoteProblem == .unterminated && !isFinal {
                line = rowLine
                return rowStart
            }
            if let quoteProblem {
                let column = fields.count <= columns.count ? columns[fields.count - 1] : nil
                try rowFailed(Self.quoteError(quoteProblem, file: source, line: rowLine, column: column), line: rowLine)
                scanner.skipRestOfLine()
                continue
            }
            scanner.finishRow()
            line = scanner.line
            do throws(LogReadError) {
                try readFieldsRow(scanner, line: rowLine)
            } catch {
                try rowFailed(error, line: rowLine)
            }
        }
        line = scanner.line
        return nil
    }

    /// The fast path for one curve, without a survey: only three cells per row are looked at.
    private mutating func readSingleCurveRows(_ scanner: inout FieldScanner, resolved: ColumnResolution, isFinal: Bool) throws(LogReadError) -> Int? {
        let columnCount = columns.count
        let stepIndex = resolved.step
        let lossIndex = resolved.loss
        let learningRateIndex = resolved.learningRate ?? -1

        while scanner.skipBlankLines() {
            let rowStart = scanner.position
            let rowLine = scanner.line
            var stepField = FieldScanner.Field.missing
            var lossField = FieldScanner.Field.missing
            var learningRateField = FieldScanner.Field.missing
            var fieldCount = 0
            var lastField = FieldScanner.Field.missing
            var quoteProblem: FieldScanner.QuoteProblem?
            while true {
                let (field, problem) = scanner.nextField()
                if let problem {
                    quoteProblem = problem
                    break
                }
                if fieldCount == stepIndex { stepField = field }
                if fieldCount == lossIndex { lossField = field }
                if fieldCount == learningRateIndex { learningRateField = field }
                fieldCount += 1
                if !scanner.consumeDelimiter() {
                    lastField = field
                    break
                }
            }
            if let quoteProblem {
                if quoteProblem == .unterminated && !isFinal {
                    line = rowLine
                    return rowStart
                }
                let column = fieldCount < columnCount ? columns[fieldCount] : nil
                try rowFailed(Self.quoteError(quoteProblem, file: source, line: rowLine, column: column), line: rowLine)
                scanner.skipRestOfLine()
                continue
            }
            scanner.finishRow()
            do throws(LogReadError) {
                if fieldCount != columnCount {
                    // A trailing delimiter adds one empty field; that is tolerated.
                    let trimmedLast = scanner.trimmed(lastField)
                    guard fieldCount == columnCount + 1 && trimmedLast.start == trimmedLast.end && !lastField.isQuoted else {
                        throw LogReadError.wrongFieldCount(file: source, line: rowLine, found: fieldCount, expected: columnCount)
                    }
                }
                try Self.appendRow(to: &rows, source: source, columns: columns, scanner: scanner, line: rowLine, step: stepField, stepColumn: stepIndex,
                              loss: lossField, lossColumn: lossIndex, learningRate: learningRateField,
                              learningRateColumn: resolved.learningRate, emptyMeansAbsent: false, maximumStep: options.maximumStep ?? .max)
            } catch {
                try rowFailed(error, line: rowLine)
            }
        }
        line = scanner.line
        return nil
    }

    /// Handles one row whose fields are in `fields`: the survey, then the curve or panel runs.
    private mutating func readFieldsRow(_ scanner: FieldScanner, line rowLine: Int) throws(LogReadError) {
        var fieldCount = fields.count
        if fieldCount == columns.count + 1 {
            let trimmedLast = scanner.trimmed(fields[fieldCount - 1])
            if trimmedLast.start == trimmedLast.end && !fields[fieldCount - 1].isQuoted { fieldCount -= 1 }
        }
        guard fieldCount == columns.count else {
            throw .wrongFieldCount(file: source, line: rowLine, found: fields.count, expected: columns.count)
        }
        let stepColumn = panel?.stepColumn ?? resolved?.step ?? ColumnAliases.index(of: .step, in: columns, explicitName: nil)
        if surveys {
            var step: Int?
            if let stepColumn, case .value(let value) = stepValue(scanner, fields[stepColumn]) { step = value }
            for column in 0..<fieldCount {
                let cell = scanner.trimmed(fields[column])
                guard cell.start < cell.end else { continue }
                if let value = NumberParsing.parseDouble(scanner.bytes, cell.start, cell.end) {
                    survey[column].add(value, step: step)
                } else {
                    survey[column].nonNumericCount += 1
                }
            }
        }
        if let resolved {
            try Self.appendRow(to: &rows, source: source, columns: columns, scanner: scanner, line: rowLine, step: fields[resolved.step], stepColumn: resolved.step,
                          loss: fields[resolved.loss], lossColumn: resolved.loss,
                          learningRate: resolved.learningRate.map { fields[$0] } ?? .missing,
                          learningRateColumn: resolved.learningRate, emptyMeansAbsent: false, maximumStep: options.maximumStep ?? .max)
        } else if let panel {
            for (index, run) in panel.runs.enumerated() {
                try Self.appendRow(to: &panelRows[index], source: source, columns: columns, scanner: scanner, line: rowLine, step: fields[panel.stepColumn], stepColumn: panel.stepColumn,
                              loss: fields[run.lossColumn], lossColumn: run.lossColumn,
                              learningRate: run.learningRateColumn.map { fields[$0] } ?? .missing,
                              learningRateColumn: run.learningRateColumn, emptyMeansAbsent: true, maximumStep: options.maximumStep ?? .max)
            }
        }
    }

    private func stepValue(_ scanner: FieldScanner, _ field: FieldScanner.Field) -> NumberParsing.StepValue {
        let cell = scanner.trimmed(field)
        guard cell.start < cell.end else { return .notANumber }
        return NumberParsing.parseStep(scanner.bytes, cell.start, cell.end)
    }

    /// Converts one row's step, loss and learning-rate cells and appends them to `rows`.
    ///
    /// - Parameters:
    ///   - emptyMeansAbsent: a panel export leaves a run's cells empty at steps the run did not log;
    ///     such a row is not part of that run, rather than a row with a missing value.
    ///   - maximumStep: the largest step accepted (`LogReadOptions.maximumStep`).
    ///
    /// Static, so that appending to one of the reader's own row lists never copies the reader.
    @inline(__always)
    private static func appendRow(to rows: inout LogRows, source: String, columns: [String], scanner: FieldScanner, line: Int, step stepField: FieldScanner.Field, stepColumn: Int,
                           loss lossField: FieldScanner.Field, lossColumn: Int, learningRate learningRateField: FieldScanner.Field,
                           learningRateColumn: Int?, emptyMeansAbsent: Bool, maximumStep: Int) throws(LogReadError) {
        let bytes = scanner.bytes
        let lossCell = scanner.trimmed(lossField)
        let learningRateCell = scanner.trimmed(learningRateField)
        if emptyMeansAbsent && lossCell.start == lossCell.end && (learningRateColumn == nil || learningRateCell.start == learningRateCell.end) {
            return
        }
        let stepCell = scanner.trimmed(stepField)
        guard stepCell.start < stepCell.end else {
            throw .emptyStep(file: source, line: line, column: columns[stepColumn])
        }
        let step: Int
        switch NumberParsing.parseStep(bytes, stepCell.start, stepCell.end) {
        case .value(let value): step = value
        case .notANumber:
            throw .notANumber(file: source, line: line, column: columns[stepColumn], text: scanner.text(of: stepField))
        case .notWholeNumber:
            // A whole number too large for a step is beyond any limit, not fractional.
            if let number = NumberParsing.parseDouble(bytes, stepCell.start, stepCell.end),
               number.isFinite, number.rounded(.towardZero) == number, number > Double(maximumStep) {
                throw .stepBeyondLimit(file: source, location: .line(line), column: columns[stepColumn], text: scanner.text(of: stepField), limit: maximumStep)
            }
            throw .stepNotWholeNumber(file: source, line: line, column: columns[stepColumn], text: scanner.text(of: stepField))
        case .negative:
            throw .negativeStep(file: source, line: line, column: columns[stepColumn], text: scanner.text(of: stepField))
        }
        guard step <= maximumStep else {
            throw .stepBeyondLimit(file: source, location: .line(line), column: columns[stepColumn], text: scanner.text(of: stepField), limit: maximumStep)
        }

        var loss = Double.nan
        var lossSkip: SkipReason?
        if lossCell.start == lossCell.end {
            if !emptyMeansAbsent { lossSkip = .emptyLoss }
        } else if let value = NumberParsing.parseDouble(bytes, lossCell.start, lossCell.end) {
            if value.isNaN {
                lossSkip = .nanLoss
            } else if value.isInfinite {
                lossSkip = .infiniteLoss
            } else {
                loss = value
            }
        } else {
            throw .notANumber(file: source, line: line, column: columns[lossColumn], text: scanner.text(of: lossField))
        }

        var learningRate = Double.nan
        var learningRateSkip: SkipReason?
        if let learningRateColumn {
            if learningRateCell.start == learningRateCell.end {
                if !emptyMeansAbsent { learningRateSkip = .emptyLearningRate }
            } else if let value = NumberParsing.parseDouble(bytes, learningRateCell.start, learningRateCell.end) {
                if value.isNaN {
                    learningRateSkip = .nanLearningRate
                } else if value < 0 {
                    throw .negativeLearningRate(file: source, line: line, column: columns[learningRateColumn],
                                                text: scanner.text(of: learningRateField))
                } else if value.isInfinite {
                    learningRateSkip = .infiniteLearningRate
                } else {
                    learningRate = value
                }
            } else {
                throw .notANumber(file: source, line: line, column: columns[learningRateColumn],
                                  text: scanner.text(of: learningRateField))
            }
        }
        // Skips are recorded only once the row is known to be good, so a bad row skipped with
        // `skipsBadLines` leaves no trace but its own count.
        if let lossSkip { rows.skips.record(lossSkip, line: line) }
        if let learningRateSkip { rows.skips.record(learningRateSkip, line: line) }
        rows.append(step: step, loss: loss, learningRate: learningRate, line: line)
    }

    /// Skips the row when bad rows may be skipped and `error` concerns that row only; else throws.
    private mutating func rowFailed(_ error: LogReadError, line rowLine: Int) throws(LogReadError) {
        guard options.skipsBadLines, error.isConfinedToOneRow else { throw error }
        badLines.record(error, line: rowLine)
    }

    /// The curves read, with the survey of every column.
    private func finish() throws(LogReadError) -> LogReading {
        guard hasHeader else { throw .emptyFile(file: source) }
        let notes = badLines.note(file: source).map { [$0] } ?? []
        var logs: Result<[TrainingLog], LogReadError>
        if let panel {
            var curves: [TrainingLog] = []
            logs = .success([])
            for (run, runRows) in zip(panel.runs, panelRows) {
                let log = makeLog(name: run.name, rows: runRows, stepColumn: panel.stepColumn, lossColumn: run.lossColumn,
                                  learningRateColumn: run.learningRateColumn, notes: notes)
                guard !log.loss.isEmpty else {
                    logs = .failure(.noUsableLoss(file: "\(source) (run \"\(run.name)\")", rows: runRows.count))
                    break
                }
                curves.append(log)
            }
            if case .success = logs { logs = .success(curves) }
        } else if let resolved {
            let log = makeLog(name: TrainingLog.defaultName(forSource: source), rows: rows, stepColumn: resolved.step,
                              lossColumn: resolved.loss, learningRateColumn: resolved.learningRate, notes: notes)
            if rows.count == 0 {
                logs = .failure(.noDataRows(file: source))
            } else if log.loss.isEmpty {
                // Also when every usable loss was replaced by a later row of the same step without one.
                logs = .failure(.noUsableLoss(file: source, rows: rows.count))
            } else {
                logs = .success([log])
            }
        } else {
            logs = .failure(resolutionError ?? .missingColumn(file: source, role: .log(.loss), columns: columns))
        }
        return LogReading(format: format, series: surveys ? survey : [], logs: logs)
    }

    private func makeLog(name: String, rows: LogRows, stepColumn: Int, lossColumn: Int, learningRateColumn: Int?, notes: [LogNote]) -> TrainingLog {
        let (loss, learningRate, replacedSteps) = rows.assemble()
        return TrainingLog(
            name: name,
            source: source,
            format: format,
            columns: columns,
            stepColumn: columns[stepColumn],
            lossColumn: columns[lossColumn],
            learningRateColumn: learningRateColumn.map { columns[$0] },
            loss: loss,
            learningRate: learningRateColumn == nil ? nil : learningRate,
            skipped: rows.skips.skippedRows,
            replacedSteps: replacedSteps,
            restarts: rows.restarts,
            notes: notes
        )
    }

    private static func quoteError(_ problem: FieldScanner.QuoteProblem, file: String, line: Int, column: String?) -> LogReadError {
        switch problem {
        case .unterminated: return .unterminatedQuote(file: file, line: line, column: column)
        case .textAfterClosingQuote: return .textAfterClosingQuote(file: file, line: line, column: column)
        }
    }
}

/// What a reader found in a file: its format, the survey of every series (when asked for), and
/// the curves, or why there are none.
struct LogReading {
    var format: LogFormat
    var series: [SeriesSummary]
    var logs: Result<[TrainingLog], LogReadError>
}

/// Lines skipped as bad (`LogReadOptions.skipsBadLines`): how many, and the first one's problem.
struct BadLineTally {
    private(set) var count = 0
    private var first: (line: Int, problem: String)?

    mutating func record(_ error: LogReadError, line: Int) {
        count += 1
        if first == nil { first = (line, error.description) }
    }

    func note(file: String) -> LogNote? {
        guard let first else { return nil }
        return .skippedBadLines(file: file, count: count, firstLine: first.line, firstProblem: first.problem)
    }
}
