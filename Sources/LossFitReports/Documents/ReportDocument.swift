/// A report independent of its output format: sections of paragraphs, tables and figures, which
/// `HTMLReport` and `NotebookExport` render.
public struct ReportDocument: Sendable, Equatable {
    public var title: String
    /// Paragraphs under the title.
    public var introduction: [String]
    public var sections: [ReportSection]

    /// A document titled `title`.
    public init(title: String, introduction: [String] = [], sections: [ReportSection] = []) {
        self.title = title
        self.introduction = introduction
        self.sections = sections
    }

    /// Every figure with its name, in document order.
    public var figures: [(name: String, figure: Figure)] {
        sections.flatMap { section in
            section.blocks.compactMap { block in
                if case .figure(let name, let figure) = block { return (name, figure) }
                return nil
            }
        }
    }
}

/// A headed section of a report.
public struct ReportSection: Sendable, Equatable {
    public var heading: String
    public var blocks: [ReportBlock]

    /// A section `heading` holding `blocks` in order.
    public init(heading: String, blocks: [ReportBlock]) {
        self.heading = heading
        self.blocks = blocks
    }
}

/// One piece of a report section.
public enum ReportBlock: Sendable, Equatable {
    /// Plain text (no markup).
    case paragraph(String)
    case table(ReportTable)
    /// A figure and its name, unique in the document (an element id and a file name).
    case figure(name: String, Figure)
}

/// A table of text cells: text columns align left and may wrap, number columns align right.
public struct ReportTable: Sendable, Equatable {
    public var headers: [String]
    public var rows: [[String]]
    /// Indices of the columns holding text rather than numbers.
    public var textColumns: Set<Int>

    /// A table with `headers` and `rows` (each as many cells as headers).
    /// - Parameter textColumns: the columns of text (default: the first).
    public init(headers: [String], rows: [[String]], textColumns: Set<Int> = [0]) {
        self.headers = headers
        self.rows = rows
        self.textColumns = textColumns
    }
}
