/// Reads logs stored as delimited text (CSV, TSV, semicolon-separated) straight from their bytes.
///
/// Only the step, learning-rate and loss cells are converted; the other fields are only counted,
/// so that a malformed row is still caught.
enum DelimitedTextReader {
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, source: String, columns choice: ColumnChoice) throws(LogReadError) -> TrainingLog {
        guard let bytes = buffer.baseAddress, buffer.count > 0 else { throw .emptyFile(file: source) }
        let end = buffer.count
        if end >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            throw .unsupportedEncoding(file: source, encoding: "UTF-16")
        }
        let hasByteOrderMark = end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let start = hasByteOrderMark ? 3 : 0

        // Blank lines are skipped the same way whatever the delimiter turns out to be (tabs are not
        // padding then, but a header cannot start with one anyway).
        var headerFinder = FieldScanner(bytes: bytes, end: end, delimiter: FieldScanner.tab, position: start, line: 1)
        guard headerFinder.skipBlankLines() else { throw .emptyFile(file: source) }
        let delimiter = FieldScanner.detectDelimiter(bytes, from: headerFinder.position, to: end)
        var scanner = FieldScanner(bytes: bytes, end: end, delimiter: delimiter, position: headerFinder.position, line: headerFinder.line)

        let headerLine = scanner.line
        let header = try readHeader(&scanner, source: source)
        let resolved = try ColumnResolution(header: header, choice: choice, source: source, headerLine: headerLine)
        let columns = header.columns

        var rows = LogRows()
        try readRows(&scanner, into: &rows, columns: columns, resolved: resolved, source: source)
        guard rows.count > 0 else { throw .noDataRows(file: source) }
        guard rows.usableLossCount > 0 else { throw .noUsableLoss(file: source, rows: rows.count) }

        let (loss, learningRate, replacedSteps) = rows.assemble()
        return TrainingLog(
            name: TrainingLog.defaultName(forSource: source),
            source: source,
            format: delimiter == FieldScanner.tab ? .tsv : .csv,
            columns: columns,
            stepColumn: columns[resolved.step],
            lossColumn: columns[resolved.loss],
            learningRateColumn: resolved.learningRate.map { columns[$0] },
            loss: loss,
            learningRate: resolved.learningRate == nil ? nil : learningRate,
            skipped: rows.skips.skippedRows,
            replacedSteps: replacedSteps
        )
    }

    /// The header row's column names, and whether every field reads as a number.
    struct Header {
        var columns: [String]
        var isAllNumbers: Bool
    }

    private static func readHeader(_ scanner: inout FieldScanner, source: String) throws(LogReadError) -> Header {
        let line = scanner.line
        var columns: [String] = []
        var isAllNumbers = true
        while true {
            let (field, problem) = scanner.nextField()
            if let problem { throw quoteError(problem, file: source, line: line, column: nil) }
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

    /// Which field of each row holds the step, the loss and the learning rate.
    struct ColumnResolution {
        var step: Int
        var loss: Int
        var learningRate: Int?

        init(header: Header, choice: ColumnChoice, source: String, headerLine: Int) throws(LogReadError) {
            let columns = header.columns
            func find(_ role: ColumnRole, _ explicitName: String?) throws(LogReadError) -> Int? {
                let index = ColumnAliases.index(of: role, in: columns, explicitName: explicitName)
                if index == nil, let explicitName {
                    throw .columnNotFound(file: source, role: role, name: explicitName, columns: columns)
                }
                return index
            }
            let step = try find(.step, choice.step)
            let loss = try find(.loss, choice.loss)
            if header.isAllNumbers && (step == nil || loss == nil) {
                throw .noHeader(file: source, line: headerLine)
            }
            guard let step else { throw .noStepColumn(file: source, columns: columns) }
            guard let loss else { throw .noLossColumn(file: source, columns: columns) }
            self.step = step
            self.loss = loss
            self.learningRate = try find(.learningRate, choice.learningRate)
        }
    }

    private static func readRows(_ scanner: inout FieldScanner, into rows: inout LogRows, columns: [String],
                                 resolved: ColumnResolution, source: String) throws(LogReadError) {
        let bytes = scanner.bytes
        let columnCount = columns.count
        let stepIndex = resolved.step
        let lossIndex = resolved.loss
        let learningRateIndex = resolved.learningRate ?? -1
        let hasLearningRate = resolved.learningRate != nil

        while scanner.skipBlankLines() {
            let line = scanner.line
            var stepField = FieldScanner.Field.missing
            var lossField = FieldScanner.Field.missing
            var learningRateField = FieldScanner.Field.missing
            var fieldCount = 0
            var lastField = FieldScanner.Field.missing
            while true {
                let (field, problem) = scanner.nextField()
                if let problem {
                    throw quoteError(problem, file: source, line: line, column: fieldCount < columnCount ? columns[fieldCount] : nil)
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
            scanner.finishRow()
            if fieldCount != columnCount {
                // A trailing delimiter adds one empty field; that is tolerated.
                let trimmedLast = scanner.trimmed(lastField)
                guard fieldCount == columnCount + 1 && trimmedLast.start == trimmedLast.end && !lastField.isQuoted else {
                    throw .wrongFieldCount(file: source, line: line, found: fieldCount, expected: columnCount)
                }
            }

            let stepCell = scanner.trimmed(stepField)
            guard stepCell.start < stepCell.end else {
                throw .emptyStep(file: source, line: line, column: columns[stepIndex])
            }
            let step: Int
            switch NumberParsing.parseStep(bytes, stepCell.start, stepCell.end) {
            case .value(let value): step = value
            case .notANumber:
                throw .notANumber(file: source, line: line, column: columns[stepIndex], text: scanner.text(of: stepField))
            case .notWholeNumber:
                throw .stepNotWholeNumber(file: source, line: line, column: columns[stepIndex], text: scanner.text(of: stepField))
            case .negative:
                throw .negativeStep(file: source, line: line, column: columns[stepIndex], text: scanner.text(of: stepField))
            }

            var loss = Double.nan
            let lossCell = scanner.trimmed(lossField)
            if lossCell.start == lossCell.end {
                rows.skips.record(.emptyLoss, line: line)
            } else if let value = NumberParsing.parseDouble(bytes, lossCell.start, lossCell.end) {
                if value.isNaN {
                    rows.skips.record(.nanLoss, line: line)
                } else if value.isInfinite {
                    rows.skips.record(.infiniteLoss, line: line)
                } else {
                    loss = value
                }
            } else {
                throw .notANumber(file: source, line: line, column: columns[lossIndex], text: scanner.text(of: lossField))
            }

            var learningRate = Double.nan
            if hasLearningRate {
                let learningRateCell = scanner.trimmed(learningRateField)
                if learningRateCell.start == learningRateCell.end {
                    rows.skips.record(.emptyLearningRate, line: line)
                } else if let value = NumberParsing.parseDouble(bytes, learningRateCell.start, learningRateCell.end) {
                    if value.isNaN {
                        rows.skips.record(.nanLearningRate, line: line)
                    } else if value < 0 {
                        throw .negativeLearningRate(file: source, line: line, column: columns[learningRateIndex],
                                                    text: scanner.text(of: learningRateField))
                    } else if value.isInfinite {
                        rows.skips.record(.infiniteLearningRate, line: line)
                    } else {
                        learningRate = value
                    }
                } else {
                    throw .notANumber(file: source, line: line, column: columns[learningRateIndex],
                                      text: scanner.text(of: learningRateField))
                }
            }
            rows.append(step: step, loss: loss, learningRate: learningRate)
        }
    }

    private static func quoteError(_ problem: FieldScanner.QuoteProblem, file: String, line: Int, column: String?) -> LogReadError {
        switch problem {
        case .unterminated: return .unterminatedQuote(file: file, line: line, column: column)
        case .textAfterClosingQuote: return .textAfterClosingQuote(file: file, line: line, column: column)
        }
    }
}
