import Foundation
import TestSupport
import Testing
@testable import LossFitReports

@Suite struct HTMLReportTests {
    private func document() -> ReportDocument {
        let steps = [100.0, 200, 300, 400]
        let figure = StandardFigures.fitAgainstData(title: "fit", curves: [ObservedCurve(name: "run", steps: steps, observed: [3, 2.6, 2.4, 2.3], fitted: [3.02, 2.58, 2.41, 2.29])])
        return ReportDocument(title: "Report <1>", introduction: ["Intro & more."], sections: [
            ReportSection(heading: "Fit", blocks: [
                .paragraph("A paragraph."),
                .table(ReportTable(headers: ["curve", "R²"], rows: [["run", "0.99"]])),
                .figure(name: "fit", figure),
            ]),
        ])
    }

    @Test func pageIsSelfContainedAndHoldsEveryBlock() throws {
        let html = HTMLReport.render(document())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Report &lt;1&gt;</title>"))
        #expect(html.contains("<p>Intro &amp; more.</p>"))
        #expect(html.contains("<td class=\"text\">run</td><td>0.99</td>"))
        #expect(!html.contains("<script"), "no scripts")
        // Nothing to fetch: the only URL is the SVG namespace.
        let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") }, "\(urls)")
        let start = try #require(html.range(of: "<svg"))
        let end = try #require(html.range(of: "</svg>"))
        let svg = try SVGInspection(String(html[start.lowerBound..<end.upperBound]))
        #expect(svg.texts.contains("run (logged)") && svg.texts.contains("run (law)"))
    }

    @Test func fitFigureHasResidualPanel() throws {
        let svg = try SVGInspection(document().figures[0].figure.svg(id: "fit"))
        #expect(svg.texts.contains("residual %"))
        // Logged points in the main panel and their residuals below.
        #expect(svg.all("circle").count == 2 * 4 + 1, "4 points, 4 residuals, 1 legend marker")
    }
}
