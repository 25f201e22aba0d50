/// A plain-text table for the terminal: a header row, a rule, and aligned columns.
public struct TextTable: Sendable {
    /// How a column's cells line up.
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public private(set) var rows: [[String]] = []

    /// A table with these column headers; text columns align left, the rest right unless given.
    public init(headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
    }

    /// Appends a row (padded or cut to the number of columns).
    public mutating func append(_ row: [String]) {
        var cells = Array(row.prefix(headers.count))
        while cells.count < headers.count { cells.append("") }
        rows.append(cells)
    }

    /// The table as lines joined by newlines, columns separated by two spaces.
    public func render() -> String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - cells[column].count)
                return alignments[column] == .left ? cells[column] + padding : padding + cells[column]
            }
            .joined(separator: "  ")
            .trailingSpacesRemoved()
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trailingSpacesRemoved() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
