/// Renders a report as one self-contained HTML page: inline CSS and SVG, no scripts, nothing
/// fetched from the network.
public enum HTMLReport {
    /// The page for `document`.
    public static func render(_ document: ReportDocument) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(document.title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>
            <h1>\(escape(document.title))</h1>

            """
        for paragraph in document.introduction { html += "<p>\(escape(paragraph))</p>\n" }
        for section in document.sections {
            html += "<section>\n<h2>\(escape(section.heading))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    html += "<p>\(escape(text))</p>\n"
                case .table(let table):
                    html += render(table)
                case .figure(let name, let figure):
                    html += "<figure id=\"\(escape(name))\">\n\(figure.svg(id: name))</figure>\n"
                }
            }
            html += "</section>\n"
        }
        html += "<footer>Made by lossfit.</footer>\n</main>\n</body>\n</html>\n"
        return html
    }

    private static func render(_ table: ReportTable) -> String {
        var html = "<div class=\"table\"><table>\n<thead><tr>"
        func cell(_ tag: String, _ column: Int, _ text: String) -> String {
            table.textColumns.contains(column) ? "<\(tag) class=\"text\">\(escape(text))</\(tag)>" : "<\(tag)>\(escape(text))</\(tag)>"
        }
        html += table.headers.enumerated().map { cell("th", $0.offset, $0.element) }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>" + row.enumerated().map { cell("td", $0.offset, $0.element) }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    private static func escape(_ text: String) -> String { SVGWriter.escape(text) }

    private static let style = """
        body { margin: 0; background: #f6f6f4; color: #222; font: 15px/1.5 "DejaVu Sans", Helvetica, Arial, sans-serif; }
        main { max-width: 820px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
        h1 { font-size: 26px; margin: 8px 0 12px; }
        h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        figure { margin: 16px 0; }
        figure svg { max-width: 100%; height: auto; }
        .table { overflow-x: auto; margin: 12px 0; }
        table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
        th, td { padding: 3px 10px; border-bottom: 1px solid #e5e5e5; text-align: right; white-space: nowrap; }
        th.text, td.text { text-align: left; white-space: normal; overflow-wrap: anywhere; }
        th { border-bottom: 2px solid #999; }
        footer { margin-top: 40px; color: #777; font-size: 12px; }
        """
}
