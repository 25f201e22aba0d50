import Foundation

/// Renders a report as a Jupyter notebook (nbformat 4.5): markdown cells for the narrative and
/// tables, each figure as the `image/svg+xml` output of a cell that shows it from its file, and a
/// first code cell that reloads the data files written beside the notebook.
public enum NotebookExport {
    /// The file a figure is saved to beside the notebook.
    public static func figureFile(_ name: String) -> String { "\(name).svg" }

    /// The notebook's JSON (sorted keys, stable across runs).
    /// - Parameters:
    ///   - document: the narrative, tables and figures.
    ///   - dataFiles: CSV and JSON files beside the notebook that its first code cell reloads.
    /// - Throws: what `JSONSerialization` throws for a value JSON cannot hold (a NaN or infinite number).
    public static func render(_ document: ReportDocument, dataFiles: [String]) throws -> String {
        var cells: [[String: Any]] = []
        func markdown(_ text: String) {
            cells.append(["cell_type": "markdown", "id": "cell-\(cells.count + 1)", "metadata": [String: Any](), "source": lines(text)])
        }
        func code(_ source: String, outputs: [[String: Any]] = []) {
            cells.append(["cell_type": "code", "id": "cell-\(cells.count + 1)", "metadata": [String: Any](), "execution_count": NSNull(),
                          "source": lines(source), "outputs": outputs])
        }
        markdown((["# " + document.title] + document.introduction).joined(separator: "\n\n"))
        if !dataFiles.isEmpty {
            markdown("The numbers behind every table and figure are in the files beside this notebook; the next cell reloads them, with pandas when it is installed.")
            code(loadingCell(dataFiles))
        }
        for section in document.sections {
            markdown("## " + section.heading)
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    markdown(text)
                case .table(let table):
                    markdown(markdownTable(table))
                case .figure(let name, let figure):
                    code("from IPython.display import SVG\nSVG(filename=\"\(figureFile(name))\")", outputs: [[
                        "output_type": "display_data",
                        "metadata": [String: Any](),
                        "data": ["image/svg+xml": lines(figure.svg(id: name)), "text/plain": ["<IPython.core.display.SVG object>"]],
                    ]])
                }
            }
        }
        let notebook: [String: Any] = [
            "cells": cells,
            "metadata": [
                "kernelspec": ["display_name": "Python 3", "language": "python", "name": "python3"],
                "language_info": ["name": "python"],
            ],
            "nbformat": 4,
            "nbformat_minor": 5,
        ]
        let data = try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Source split as nbformat stores it: lines keeping their newline, the last without.
    private static func lines(_ text: String) -> [String] {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }.filter { !$0.isEmpty }
    }

    private static func markdownTable(_ table: ReportTable) -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + table.headers.indices.map { table.textColumns.contains($0) ? ":---|" : "---:|" }.joined()
        return ([row(table.headers), rule] + table.rows.map(row)).joined(separator: "\n")
    }

    private static func loadingCell(_ files: [String]) -> String {
        var source = """
            import csv, json
            try:
                import pandas as pd
            except ImportError:
                pd = None

            def load(path):
                \"\"\"A CSV as a pandas DataFrame (or a list of dicts without pandas); a JSON file as Python objects.\"\"\"
                if path.endswith(".json"):
                    with open(path) as f:
                        return json.load(f)
                if pd is not None:
                    return pd.read_csv(path)
                with open(path, newline="") as f:
                    return list(csv.DictReader(f))

            data = {}

            """
        for file in files {
            source += "data[\"\(file)\"] = load(\"\(file)\")\n"
        }
        source += "sorted(data)"
        return source
    }
}
