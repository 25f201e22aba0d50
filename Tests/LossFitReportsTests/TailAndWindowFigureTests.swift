import Foundation
import TestSupport
import Testing
@testable import LossFitReports

/// The tail figure (the last 20 % of runs of one horizon, on a loss axis fitted there) and the
/// fit window marked on plots.
@Suite struct TailAndWindowFigureTests {
    /// Two runs over 10,000 steps that start near 3 and end 0.01 apart near 2.3, one with a band.
    private func runs() -> [ObservedCurve] {
        let steps = stride(from: 100.0, through: 10_000, by: 100).map { $0 }
        func loss(_ end: Double) -> [Double] { steps.map { end + 0.7 * exp(-$0 / 1500) } }
        let first = loss(2.30), second = loss(2.31)
        return [
            ObservedCurve(name: "a", steps: steps, observed: first, fitted: first.map { $0 + 0.001 }),
            ObservedCurve(name: "b", steps: steps, observed: second, fitted: second, bandLower: second.map { $0 - 0.002 }, bandUpper: second.map { $0 + 0.002 }),
        ]
    }

    @Test func theTailShowsTheLastFifthOnALossAxisFittedThere() throws {
        let figure = StandardFigures.tail(title: "tail", horizon: 10_000, curves: runs(), fitWindow: 200...9000)
        #expect(figure.xAxis.range == 8000...10_000)
        let range = try #require(figure.panels[0].yAxis.range)
        // Every point, law and band edge in the last 20 % lies inside; the start of the runs (near 3) does not.
        var tailValues: [Double] = []
        for curve in runs() {
            for index in curve.steps.indices where curve.steps[index] >= 8000 {
                tailValues += [curve.observed[index], curve.fitted[index]] + [curve.bandLower?[index], curve.bandUpper?[index]].compactMap { $0 }
            }
        }
        #expect(tailValues.allSatisfy { range.contains($0) })
        #expect(range.upperBound - range.lowerBound < 0.05, "\(range)")
        #expect(!range.contains(runs()[0].observed[0]))
        // The band of the second run is drawn; the fit window's end (9000) falls in the tail and is marked, its start is not.
        let series = figure.panels[0].series
        #expect(series.filter { $0.style == .band }.count == 1)
        let marks = try #require(series.first { $0.style == .verticalLine })
        #expect(marks.x == [9000] && marks.name == "fit window: steps 200–9000")
        let svg = try SVGInspection(figure.svg(id: "tail"))
        #expect(svg.texts.contains("fit window: steps 200–9000"))
    }

    @Test func theFitFigureMarksTheWindowInBothPanelsAndDrawsBands() throws {
        let figure = StandardFigures.fitAgainstData(title: "fit", curves: runs(), fitWindow: 200...9000)
        for panel in figure.panels {
            let marks = try #require(panel.series.first { $0.style == .verticalLine })
            #expect(marks.x == [200, 9000])
        }
        #expect(figure.panels[0].series.filter { $0.style == .band }.count == 1)
        let withoutWindow = StandardFigures.fitAgainstData(title: "fit", curves: runs())
        #expect(withoutWindow.panels.allSatisfy { $0.series.allSatisfy { $0.style != .verticalLine } })
    }
}
