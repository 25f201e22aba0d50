import Foundation

/// A line chart drawn with characters for a quick look in the terminal: one glyph per series, y
/// tick labels on the left, x tick labels below, a legend under the chart. Where series share a
/// cell, the earlier one shows.
public struct TerminalChart: Sendable {
    /// Glyphs of the series, in order (wrapping around).
    public static let glyphs: [Character] = ["•", "+", "×", "o", "#", "*", "="]

    public var xAxis: PlotAxis
    public var yAxis: PlotAxis
    public var series: [PlotSeries]
    /// Total width in characters.
    public var width: Int
    /// Rows of the plotting area.
    public var height: Int

    /// A chart of `series` (lines are drawn as connected points; bands and reference lines are left out).
    /// - Parameters:
    ///   - width: characters per line, labels included (at least 40).
    ///   - height: rows of the plotting area (at least 5).
    public init(xAxis: PlotAxis, yAxis: PlotAxis, series: [PlotSeries], width: Int = 72, height: Int = 16) {
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series.filter { [.line, .dashedLine, .markers, .highlight].contains($0.style) }
        self.width = max(40, width)
        self.height = max(5, height)
    }

    /// The chart as lines of text.
    public func render() -> String {
        let x = xAxis.resolved(for: series.flatMap(\.x), tickTarget: 5, padsEdges: false)
        let y = yAxis.resolved(for: series.flatMap(\.y), tickTarget: max(4, height / 3))
        let yLabels = y.ticks.map(Ticks.label)
        let gutter = (yLabels.map(\.count).max() ?? 1) + 1
        let columns = width - gutter - 1
        var grid = [[Character]](repeating: [Character](repeating: " ", count: columns), count: height)
        func cell(_ px: Double, _ py: Double) -> (Int, Int)? {
            let column = Int((x.fraction(px) * Double(columns - 1)).rounded())
            let row = height - 1 - Int((y.fraction(py) * Double(height - 1)).rounded())
            guard (0..<columns).contains(column), (0..<height).contains(row) else { return nil }
            return (row, column)
        }
        for (index, series) in series.enumerated().reversed() {
            let glyph = Self.glyphs[index % Self.glyphs.count]
            let points = zip(series.x, series.y).filter { xAxis.accepts($0.0) && yAxis.accepts($0.1) }
            let connected = series.style == .line || series.style == .dashedLine
            for (offset, point) in points.enumerated() {
                if connected, offset > 0 {
                    // Fill the cells between consecutive points so a line reads as a line.
                    let previous = points[offset - 1]
                    let span = abs(x.fraction(point.0) - x.fraction(previous.0)) * Double(columns)
                    let pieces = max(1, Int(span.rounded(.up)))
                    for piece in 0...pieces {
                        let t = Double(piece) / Double(pieces)
                        let px = interpolate(previous.0, point.0, t, log: xAxis.scale == .logarithmic)
                        let py = interpolate(previous.1, point.1, t, log: yAxis.scale == .logarithmic)
                        if let (row, column) = cell(px, py) { grid[row][column] = glyph }
                    }
                } else if let (row, column) = cell(point.0, point.1) {
                    grid[row][column] = glyph
                }
            }
        }
        var labelAtRow: [Int: String] = [:]
        for (tick, label) in zip(y.ticks, yLabels) {
            labelAtRow[height - 1 - Int((y.fraction(tick) * Double(height - 1)).rounded())] = label
        }
        var lines: [String] = [String(repeating: " ", count: gutter) + yAxis.label]
        for row in 0..<height {
            let label = labelAtRow[row] ?? ""
            lines.append(String(repeating: " ", count: gutter - 1 - label.count) + label + " │" + String(grid[row]).trailingSpacesRemoved())
        }
        var axis = [Character](repeating: "─", count: columns)
        var tickLine = [Character](repeating: " ", count: columns)
        for tick in x.ticks {
            let column = Int((x.fraction(tick) * Double(columns - 1)).rounded())
            guard (0..<columns).contains(column) else { continue }
            axis[column] = "┬"
            let label = Array(Ticks.label(tick))
            let start = max(0, min(tickLine.count - label.count, column - label.count / 2))
            // Skip a label that would run into the previous one.
            guard tickLine[max(0, start - 1)..<min(tickLine.count, start + label.count + 1)].allSatisfy({ $0 == " " }) else { continue }
            tickLine.replaceSubrange(start..<start + label.count, with: label)
        }
        lines.append(String(repeating: " ", count: gutter) + "└" + String(axis))
        lines.append((String(repeating: " ", count: gutter + 1) + String(tickLine)).trailingSpacesRemoved())
        lines.append(String(repeating: " ", count: gutter + 1 + max(0, (columns - xAxis.label.count) / 2)) + xAxis.label)
        for (index, series) in series.enumerated() where series.name != nil {
            lines.append("  \(Self.glyphs[index % Self.glyphs.count]) \(series.name!)")
        }
        return lines.joined(separator: "\n")
    }

    private func interpolate(_ a: Double, _ b: Double, _ t: Double, log logarithmic: Bool) -> Double {
        logarithmic ? exp(log(a) + (log(b) - log(a)) * t) : a + (b - a) * t
    }
}
