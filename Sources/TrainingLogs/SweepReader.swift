import Foundation

/// Reads hyperparameter sweeps: one finished training run per row, with its model size N, token
/// count D, peak learning rate, batch size and final loss.
///
/// Formats: delimited text (CSV, TSV, semicolons; a header row) and JSONL (one JSON object per
/// line, chosen by a `.jsonl`/`.ndjson` extension or a first line starting with `{`). Columns are
/// found by their common names (`SweepColumnAliases`: `N`, `D`, `lr`, `bs`, `smooth loss`, …) or
/// named through `SweepReadOptions`. Runs whose loss is empty, NaN or infinite are left out and
/// counted in `SweepTable.skipped` (a run that crashed or diverged to NaN has no final loss).
///
/// The batch size comes out in tokens. A batch counted in sequences is multiplied by the sequence
/// length: given, read from a sequence-length column, or inferred as D / (steps × batch) from a
/// steps column (the Step Law sweep's `ti` gives 2048), where every row must agree within 1 %.
public enum SweepReader {
    /// Rows whose inferred sequence length differs from the median by more than this are an error.
    static let sequenceLengthTolerance = 0.01

    /// Reads the sweep at `path`.
    ///
    /// - Throws: `LogReadError` naming the file, line and column at fault.
    public static func read(_ path: String, options: SweepReadOptions = .init()) throws(LogReadError) -> SweepTable {
        let bytes = try ByteInput.file(path: path, chunkSize: ByteInput.defaultChunkSize).contents()
        return try parse(bytes, source: path, options: options)
    }

    /// Parses a sweep held in memory; `source` labels messages and picks JSONL by its extension.
    public static func parse(_ bytes: [UInt8], source: String, options: SweepReadOptions = .init()) throws(LogReadError) -> SweepTable {
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            throw .unsupportedEncoding(file: source, encoding: "UTF-16")
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let firstByte = bytes[start...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard let firstByte else { throw .emptyFile(file: source, content: .sweep) }
        let lowercasedSource = source.lowercased()
        let isJSONLines = lowercasedSource.hasSuffix(".jsonl") || lowercasedSource.hasSuffix(".ndjson") || firstByte == UInt8(ascii: "{")
        let raw = isJSONLines
            ? try JSONLinesCells.read(bytes, from: start, source: source)
            : try DelimitedCells.read(bytes, from: start, source: source)
        return try SweepConversion(raw: raw, source: source, options: options).table()
    }
}

/// A sweep's cells as text, before any number is read: the common ground of every format.
struct RawSweep {
    struct Row {
        var line: Int
        /// One entry per column; nil when the cell is empty or the key is absent.
        var cells: [String?]
    }

    var format: SweepFormat
    var columns: [String]
    var rows: [Row]
}

/// Splits delimited text into cells with the log reader's field scanner (quotes, CRLF, blank lines).
enum DelimitedCells {
    static func read(_ bytes: [UInt8], from start: Int, source: String) throws(LogReadError) -> RawSweep {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(LogReadError) in try read(buffer, from: start, source: source) }
        }
        return try result.get()
    }

    private static func read(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, source: String) throws(LogReadError) -> RawSweep {
        guard let base = buffer.baseAddress else { throw .emptyFile(file: source, content: .sweep) }
        var finder = FieldScanner(bytes: base, end: buffer.count, delimiter: FieldScanner.tab, position: start, line: 1)
        guard finder.skipBlankLines() else { throw .emptyFile(file: source, content: .sweep) }
        let delimiter = FieldScanner.detectDelimiter(base, from: finder.position, to: buffer.count)
        var scanner = FieldScanner(bytes: base, end: buffer.count, delimiter: delimiter, position: finder.position, line: finder.line)

        var header = try readRow(&scanner, source: source).cells.map { ColumnAliases.trimmedColumnName($0 ?? "") }
        // A trailing delimiter leaves an empty last name; it is not a column.
        if header.count > 1 && header[header.count - 1].isEmpty { header.removeLast() }

        var rows: [RawSweep.Row] = []
        while scanner.skipBlankLines() {
            var row = try readRow(&scanner, source: source)
            if row.cells.count == header.count + 1 && row.cells[header.count] == nil { row.cells.removeLast() }
            guard row.cells.count == header.count else {
                throw .wrongFieldCount(file: source, line: row.line, found: row.cells.count, expected: header.count)
            }
            rows.append(row)
        }
        return RawSweep(format: delimiter == FieldScanner.tab ? .tsv : .csv, columns: header, rows: rows)
    }

    private static func readRow(_ scanner: inout FieldScanner, source: String) throws(LogReadError) -> RawSweep.Row {
        let line = scanner.line
        var cells: [String?] = []
        while true {
            let (field, problem) = scanner.nextField()
            switch problem {
            case .unterminated?: throw .unterminatedQuote(file: source, line: line, column: nil)
            case .textAfterClosingQuote?: throw .textAfterClosingQuote(file: source, line: line, column: nil)
            case nil: break
            }
            let text = scanner.text(of: field)
            cells.append(text.isEmpty ? nil : text)
            if !scanner.consumeDelimiter() { break }
        }
        scanner.finishRow()
        return RawSweep.Row(line: line, cells: cells)
    }
}

/// Reads JSONL with the log readers' JSON scanner: one object per non-blank line, nested keys
/// joined with `/`; its keys are the columns, in order of first appearance. Python's `json` writes
/// a diverged run's loss as a bare `NaN`, which the scanner accepts.
enum JSONLinesCells {
    static func read(_ bytes: [UInt8], from start: Int, source: String) throws(LogReadError) -> RawSweep {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(LogReadError) in try read(buffer, from: start, source: source) }
        }
        return try result.get()
    }

    private static func read(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, source: String) throws(LogReadError) -> RawSweep {
        var columns: [String] = []
        var columnIndex: [String: Int] = [:]
        var objects: [(line: Int, values: [String: String])] = []
        guard let base = buffer.baseAddress else { return RawSweep(format: .jsonl, columns: [], rows: []) }
        var lineNumber = 0
        var lineStart = start
        var path: [UInt8] = []
        while lineStart <= buffer.count {
            lineNumber += 1
            let lineEnd = buffer[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
            defer { lineStart = lineEnd + 1 }
            var scanner = JSONScanner(bytes: base, start: lineStart, end: lineEnd)
            scanner.skipWhitespace()
            guard scanner.position < lineEnd else { continue }
            var leaves = SweepLeaves()
            do throws(JSONProblem) {
                path.removeAll(keepingCapacity: true)
                try scanner.walkObject(&leaves, path: &path)
                scanner.skipWhitespace()
                guard scanner.position == lineEnd else { throw scanner.problem("expected the line to end after the object") }
            } catch {
                throw .notAJSONObject(file: source, line: lineNumber, column: error.position - lineStart + 1, problem: error.message)
            }
            var values: [String: String] = [:]
            for (key, leaf) in leaves.entries {
                if columnIndex[key] == nil {
                    columnIndex[key] = columns.count
                    columns.append(key)
                }
                if let text = text(of: leaf, scanner) { values[key] = text }
            }
            objects.append((lineNumber, values))
        }
        let rows = objects.map { object in
            RawSweep.Row(line: object.line, cells: columns.map { object.values[$0] })
        }
        return RawSweep(format: .jsonl, columns: columns, rows: rows)
    }

    /// A JSON value as cell text: numbers exactly (NaN and infinities as `nan`, `inf`), strings
    /// decoded, null and the empty string as an empty cell, anything else as written.
    private static func text(of leaf: JSONLeaf, _ scanner: JSONScanner) -> String? {
        switch leaf {
        case .null: return nil
        case .number(let value): return "\(value)"
        case .string(let start, let end):
            let text = scanner.decodedString(start: start, end: end)
            return text.isEmpty ? nil : text
        case .other(let start, let end):
            return String(decoding: UnsafeBufferPointer(start: scanner.bytes + start, count: end - start), as: UTF8.self)
        }
    }
}

/// The leaves of one sweep object, by key path, in the order written.
private struct SweepLeaves: JSONLeafVisitor {
    var entries: [(key: String, leaf: JSONLeaf)] = []

    mutating func visit(path: UnsafeBufferPointer<UInt8>, leaf: JSONLeaf) {
        let key = String(decoding: path, as: UTF8.self)
        // A key written twice keeps its last value, as Python's json reads it.
        if let index = entries.firstIndex(where: { $0.key == key }) { entries.remove(at: index) }
        entries.append((key, leaf))
    }
}

/// Turns cells into runs: finds the columns, reads and checks the numbers, converts the batch size.
struct SweepConversion {
    let raw: RawSweep
    let source: String
    let options: SweepReadOptions

    func table() throws(LogReadError) -> SweepTable {
        guard !raw.rows.isEmpty else { throw .noDataRows(file: source, content: .sweep) }
        let columns = raw.columns
        func find(_ role: SweepColumnRole, required: Bool) throws(LogReadError) -> Int? {
            let explicitName = options.columns[role]
            let index = SweepColumnAliases.index(of: role, in: columns, explicitName: explicitName)
            if index == nil, let explicitName {
                throw .columnNotFound(file: source, role: .sweep(role), name: explicitName, columns: columns)
            }
            if index == nil && required { throw .missingColumn(file: source, role: .sweep(role), columns: columns) }
            return index
        }
        let parameters = try find(.parameters, required: true)!
        let tokens = try find(.tokens, required: true)!
        let learningRate = try find(.learningRate, required: true)!
        let batch = try find(.batchSize, required: true)!
        let loss = try find(.loss, required: true)!
        let unit = options.batchSizeUnit ?? (SweepColumnAliases.countsTokens(columns[batch]) ? .tokens : .sequences)
        var roleColumns: [SweepColumnRole: String] = [
            .parameters: columns[parameters], .tokens: columns[tokens], .learningRate: columns[learningRate],
            .batchSize: columns[batch], .loss: columns[loss],
        ]

        var skips = SweepSkipTally()
        var kept: [(row: RawSweep.Row, values: SweepRow)] = []
        for row in raw.rows {
            let n = try positive(row, parameters)
            let d = try positive(row, tokens)
            let eta = try positive(row, learningRate)
            let b = try positive(row, batch)
            guard let lossText = row.cells[loss] else {
                skips.record("empty loss", line: row.line)
                continue
            }
            guard let lossValue = Double(lossText.trimmingCharacters(in: .whitespaces)) else {
                throw .notANumber(file: source, line: row.line, column: columns[loss], text: lossText)
            }
            if lossValue.isNaN {
                skips.record("NaN loss", line: row.line)
                continue
            }
            if lossValue.isInfinite {
                skips.record("infinite loss", line: row.line)
                continue
            }
            kept.append((row, SweepRow(line: row.line, parameters: n, tokens: d, learningRate: eta, batchSize: b,
                                       batchSizeTokens: b, loss: lossValue)))
        }
        guard !kept.isEmpty else { throw .noUsableLoss(file: source, rows: raw.rows.count, content: .sweep) }

        var sequenceLength: Int?
        var origin = SequenceLengthOrigin.notNeeded
        if unit == .sequences {
            let perRow: [Double]
            if let given = options.sequenceLength {
                perRow = Array(repeating: Double(given), count: kept.count)
                sequenceLength = given
                origin = .given
            } else if let column = try find(.sequenceLength, required: false) {
                perRow = try kept.map { item throws(LogReadError) in try positive(item.row, column) }
                sequenceLength = Set(perRow).count == 1 ? Int(exactly: perRow[0]) : nil
                origin = .column(columns[column])
                roleColumns[.sequenceLength] = columns[column]
            } else if let steps = try find(.steps, required: false) {
                let inferred = try inferSequenceLength(kept, stepsColumn: steps, batchColumn: batch)
                perRow = Array(repeating: Double(inferred), count: kept.count)
                sequenceLength = inferred
                origin = .inferred(stepsColumn: columns[steps])
                roleColumns[.steps] = columns[steps]
            } else {
                throw .sequenceLengthUnknown(file: source, batchColumn: columns[batch])
            }
            for index in kept.indices { kept[index].values.batchSizeTokens = kept[index].values.batchSize * perRow[index] }
        }

        let roleIndices = Set([parameters, tokens, learningRate, batch, loss])
        let covariates = columns.indices.filter { column in
            !roleIndices.contains(column) && !columns[column].isEmpty && kept.allSatisfy { item in
                item.row.cells[column].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }?.isFinite ?? false
            }
        }
        let rows = kept.map { item in
            var values = item.values
            values.covariates = covariates.map { Double(item.row.cells[$0]!.trimmingCharacters(in: .whitespaces))! }
            return values
        }
        return SweepTable(source: source, format: raw.format, columns: columns, roleColumns: roleColumns,
                          batchSizeUnit: unit, sequenceLength: sequenceLength, sequenceLengthOrigin: origin,
                          covariateColumns: covariates.map { columns[$0] }, rows: rows, skipped: skips.skippedRuns)
    }

    /// The number in `row`'s cell of `column`, which must be finite and positive.
    private func positive(_ row: RawSweep.Row, _ column: Int) throws(LogReadError) -> Double {
        guard let text = row.cells[column] else { throw .emptyValue(file: source, line: row.line, column: raw.columns[column]) }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
            throw .notANumber(file: source, line: row.line, column: raw.columns[column], text: text)
        }
        guard value > 0 && value.isFinite else {
            throw .notPositive(file: source, line: row.line, column: raw.columns[column], text: text)
        }
        return value
    }

    /// D / (steps × batch), which must agree between rows; steps are rounded in logs, hence the tolerance.
    private func inferSequenceLength(_ kept: [(row: RawSweep.Row, values: SweepRow)], stepsColumn: Int, batchColumn: Int) throws(LogReadError) -> Int {
        var inferred: [(line: Int, value: Double)] = []
        for item in kept {
            let steps = try positive(item.row, stepsColumn)
            inferred.append((item.row.line, item.values.tokens / (steps * item.values.batchSize)))
        }
        let median = inferred.map(\.value).sorted()[inferred.count / 2]
        // Tokens per sequence of a real run lie far inside this; beyond it the columns are not what they seem.
        guard median >= 1 && median < 1e9 else { throw .sequenceLengthUnknown(file: source, batchColumn: raw.columns[batchColumn]) }
        if let outlier = inferred.first(where: { abs($0.value / median - 1) > SweepReader.sequenceLengthTolerance }) {
            // The median row agrees with itself, so some row is typical.
            let typical = inferred.first { abs($0.value / median - 1) <= SweepReader.sequenceLengthTolerance }!
            throw .inconsistentSequenceLength(file: source, line: outlier.line, inferred: Int(min(outlier.value, 1e15).rounded()),
                                              typical: Int(median.rounded()), typicalLine: typical.line,
                                              stepsColumn: raw.columns[stepsColumn])
        }
        return Int(median.rounded())
    }
}

/// Counts of left-out runs by reason, with the first line of each, in order of first appearance.
struct SweepSkipTally {
    private var entries: [SkippedRuns] = []

    mutating func record(_ reason: String, line: Int) {
        if let index = entries.firstIndex(where: { $0.reason == reason }) {
            entries[index].count += 1
        } else {
            entries.append(SkippedRuns(reason: reason, count: 1, firstLine: line))
        }
    }

    var skippedRuns: [SkippedRuns] { entries }
}
