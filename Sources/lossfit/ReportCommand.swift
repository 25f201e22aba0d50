import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws

/// `lossfit report`: one self-contained HTML page with the fit, its predictions and plots.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML report (inline SVG plots, no network): fit, unseen runs, schedules, sweep laws.",
        discussion: """
            Without --fit, every LOG gets the fit lossfit fit makes by default (the committee of four laws and the baselines). With --fit, LOGs the fit was made on are shown \
            against it and the others as unseen runs it predicts. --predict names schedules to predict, as in predict and \
            compare; here --schedule gives the exact schedule of the LOGs, so it cannot name them.
            Examples:
              lossfit report data/cosine_20000.csv data/constant_20000.csv --predict wsd:peak=0.6,warmup=200,total=20000,decay=0.2 -o report.html
              lossfit report --fit fit.json data/*.csv --sweep-law law.json -o report.html
            """)

    @OptionGroup var inputs: AnalysisOptions

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the page (- for standard output).", valueName: "report.html"))
    var output = "report.html"

    func run() throws {
        let report = try inputs.analysis()
        try OutputFile.write(HTMLReport.render(report.document(title: inputs.title)), to: output)
        ResultPrinter(outputs: output)("wrote \(OutputFile.displayName(output))")
    }
}
