import Testing
@testable import LossFitReports

@Suite struct TerminalChartTests {
    @Test func chartFitsTheWidthAndLabelsItsAxes() {
        let x = (1...50).map { Double($0) * 400 }
        let chart = TerminalChart(xAxis: PlotAxis("step"), yAxis: PlotAxis("loss"), series: [
            PlotSeries(name: "falling", x: x, y: x.map { 0.2 + 100 / $0 }, style: .line, color: 0),
            PlotSeries(name: "flat", x: x, y: x.map { _ in 0.25 }, style: .markers, color: 1),
        ], width: 72, height: 12).render()
        let lines = chart.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 72 }, "\(lines.map(\.count))")
        #expect(lines.first?.hasSuffix("loss") == true)
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces) == "step" })
        #expect(lines.contains("  • falling") && lines.contains("  + flat"))
        // The flat series sits on one row; the falling line spans many.
        let rows = lines.filter { $0.contains("│") }
        #expect(rows.filter { $0.contains("+") }.count == 1)
        #expect(rows.filter { $0.contains("•") }.count >= 5)
        // x ticks of 400…20000 include 20000 and 10000.
        #expect(lines.contains { $0.contains("10000") && $0.contains("20000") })
    }
}
