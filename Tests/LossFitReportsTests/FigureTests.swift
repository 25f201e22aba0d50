import Foundation
import TestSupport
import Testing
@testable import LossFitReports

@Suite struct FigureTests {
    private let steps = stride(from: 100.0, through: 2000, by: 100).map { $0 }

    @Test func lineFigureHasAxesTicksLegendAndOnePathPerLine() throws {
        let figure = Figure(title: "Two curves", xAxis: PlotAxis("step"), panels: [FigurePanel(yAxis: PlotAxis("loss"), series: [
            PlotSeries(name: "first", x: steps, y: steps.map { 1 / $0 }, style: .line, color: 0),
            PlotSeries(name: "second", x: steps, y: steps.map { 2 / $0 }, style: .dashedLine, color: 1),
            PlotSeries(name: nil, x: steps, y: steps.map { 1.5 / $0 }, style: .markers, color: 2),
        ])])
        let svg = try SVGInspection(figure.svg(id: "test"))
        #expect(svg.elements.first?.name == "svg")
        #expect(svg.linePaths.count == 2)
        #expect(svg.all("circle").count == steps.count, "one marker per point")
        for text in ["Two curves", "step", "loss", "first", "second"] { #expect(svg.texts.contains(text), "missing text \(text)") }
        #expect(!svg.texts.contains { $0.contains("nil") })
        // x ticks at nice steps of the data's range 100…2000: 0, 500, …, 2000.
        for tick in ["0", "500", "1000", "1500", "2000"] { #expect(svg.texts.contains(tick), "missing x tick \(tick)") }
        #expect(figure.legendEntries.map(\.name) == ["first", "second"])
        let dashed = svg.linePaths.filter { $0.attributes["stroke-dasharray"] != nil }
        #expect(dashed.count == 1)
    }

    @Test func textIsEscaped() throws {
        let name = "a<b & \"c\" 'd'>"
        let figure = Figure(title: name, xAxis: PlotAxis("x<1"), panels: [FigurePanel(yAxis: PlotAxis("y&z"), series: [
            PlotSeries(name: name, x: [1, 2], y: [1, 2], style: .line, color: 0),
        ])])
        let svg = try SVGInspection(figure.svg(id: "escape"))
        #expect(svg.texts.filter { $0 == name }.count == 3, "title element, heading and legend")
        #expect(svg.texts.contains("x<1") && svg.texts.contains("y&z"))
    }

    @Test func logarithmicAxesLeaveOutNonPositiveValues() throws {
        let figure = Figure(title: "log", xAxis: PlotAxis("lr", scale: .logarithmic), panels: [FigurePanel(yAxis: PlotAxis("loss", scale: .logarithmic), series: [
            PlotSeries(name: "values", x: [-1, 0, 1e-4, 1e-3, 1e-2], y: [1, 1, 2, 3, 4], style: .markers, color: 0),
        ])])
        let svg = try SVGInspection(figure.svg(id: "log"))
        #expect(svg.all("circle").count == 3 + 1, "3 positive points and the legend's marker")
        #expect(svg.texts.contains("1e-4") || svg.texts.contains("0.0001"))
    }

    @Test func bandHighlightAndReferenceLinesAreDrawn() throws {
        let x = [1.0, 2, 3]
        let figure = Figure(title: "band", xAxis: PlotAxis("x"), panels: [
            FigurePanel(yAxis: PlotAxis("y"), series: [
                PlotSeries(name: "band", x: x, y: [1, 1, 1], upper: [2, 2, 2], style: .band, color: 0),
                PlotSeries(name: "optimum", x: [2], y: [1.5], style: .highlight, color: 1),
                PlotSeries(name: "chosen", x: [2.5], y: [], style: .verticalLine, color: 2),
            ], heightWeight: 3),
            FigurePanel(yAxis: PlotAxis("residual"), series: [PlotSeries(name: nil, x: [], y: [0], style: .horizontalLine, color: 6)]),
        ])
        let svg = try SVGInspection(figure.svg(id: "band"))
        #expect(svg.all("path").filter { $0.attributes["fill-opacity"] == "0.18" }.count == 1, "the band")
        #expect(svg.all("path").filter { $0.attributes["stroke"] == "#000000" }.count == 2, "the highlight and its legend entry")
        #expect(svg.all("line").contains { $0.attributes["stroke-dasharray"] == "5 4" }, "the vertical line")
        #expect(svg.all("clipPath").count == 2, "one clip per panel")
        #expect(Set(svg.all("clipPath").compactMap { $0.attributes["id"] }).count == 2, "unique clip ids")
        #expect(svg.texts.contains("residual"))
    }

    @Test func sameFigureGivesSameBytes() {
        let figure = StandardFigures.schedules(title: "s", curves: [StepCurve(name: "c", steps: steps, values: steps.map { 0.6 - $0 / 4000 })])
        #expect(figure.svg(id: "a") == figure.svg(id: "a"))
    }
}
