import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the main job on the bundled example logs in data/: fit, evaluate on unseen runs, predict schedules, recommend LR and batch size from the sweep.")

    @Option(name: .customLong("data"), help: ArgumentHelp(
        "Directory of the example logs (default: ./data when it holds them, else the copy installed with lossfit).", valueName: "DIR"))
    var directory = BundledData.directory

    @Option(name: .customLong("from-step"), help: ArgumentHelp(
        "Fit and score points from this step on (default: the end of warmup).", valueName: "N"))
    var fromStep: Int?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the fit.", valueName: "FIT.json"))
    var output = "demo-fit.json"

    @Option(name: .customLong("sweep-output"), help: ArgumentHelp("Where to write the sweep's learning-rate and batch-size laws.", valueName: "LAW.json"))
    var sweepOutput = "demo-sweep-law.json"

    @Option(name: .customLong("report"), help: ArgumentHelp("Where to write the HTML report.", valueName: "report.html"))
    var report = "demo-report.html"

    func validate() throws {
        if [output, sweepOutput, report].filter({ $0 == OutputFile.standardOutput }).count > 1 {
            throw ValidationError("-o, --sweep-output and --report: only one of them can be - (standard output)")
        }
    }

    /// Where the demo's text goes: standard error when one of its files goes to standard output.
    private var results: ResultPrinter { ResultPrinter(outputs: output, sweepOutput, report) }

    func run() throws {
        let print = results
        var options = try LogOptions.defaults()
        options.fromStep = fromStep
        try DemoRun.checkFiles(in: directory)
        let demo = try DemoRun(directory: directory, loading: try options.loadingOptions(for: []), report: Console.report)
        for skipped in demo.sweep.table.skipped {
            printNote("\(demo.sweep.table.source): left out \(skipped) (no final loss: crashed or diverged runs)")
        }
        try printFit(demo)
        printSweep(demo)
        try LawFile.write(demo.sweepLaw, to: sweepOutput)
        print("wrote \(OutputFile.displayName(sweepOutput))\n")
        print("5. Recommend the peak LR and batch size for a model and budget the sweep never ran\n")
        print(Recommend.render(demo.recommendation))
        let document = AnalysisReport(try demo.analysis()).document(title: "lossfit demo: the example runs in \(directory)/")
        try OutputFile.write(HTMLReport.render(document), to: report)
        print("\n6. Wrote the report with plots to \(OutputFile.displayName(report)); open it in a browser.")
        print("\nNext: lossfit predict --fit \(output) --schedule SPEC, lossfit evaluate --fit \(output) LOG…, or lossfit recommend --law \(sweepOutput) --params N --tokens D")
    }

    /// Steps 1–3: the fit, its scores on unseen runs, the candidates ranked.
    private func printFit(_ demo: DemoRun) throws {
        let print = results
        print("1. Fit the committee of laws (the default fit) to \(DemoRun.training.count) runs (points from \(fromStep.map { "step \($0)" } ?? "the end of warmup") on)\n")
        print(Tables.fitSummary(demo.fit.result, seconds: demo.fit.fitSeconds))
        try FitFile.write(demo.fit.result, to: output)
        print("wrote \(OutputFile.displayName(output))\n")
        print("2. Predict \(DemoRun.unseen.count) runs the fit never saw\n")
        print(Tables.evaluation(EvaluationReport(curves: demo.unseenScores)))
        print("")
        print("3. Predict schedules nobody ran: the loss at the last step, best first\n")
        let rows = demo.ranked.schedules
        var table = TextTable(headers: ["schedule", "final loss", "95 % band", "vs best", "settled?"])
        for row in rows {
            table.append([row.schedule, NumberFormat.fixed(row.finalLoss.loss, decimals: 5),
                          NumberFormat.band(row.finalLoss.band95),
                          "+" + NumberFormat.fixed(100 * (row.finalLoss.loss / rows[0].finalLoss.loss - 1), decimals: 2) + " %", row.settled ? "yes" : "no"])
        }
        print(table.render())
        print("settled? = the order against the best holds within the calibrated 95 % interval of the difference (`lossfit compare` for the details)")
        for line in BandText.branchAdvice(demo.ranked.verdicts, names: rows.map(\.schedule)) { print(line) }
    }

    /// Step 4: the sweep's laws.
    private func printSweep(_ demo: DemoRun) {
        let print = results
        print("\n4. Fit learning-rate and batch-size laws to the simulated sweep \(DemoRun.path(DemoRun.sweepName, in: directory))\n")
        print(SweepReport.readSummary(demo.sweep.table, sweep: demo.sweep.sweep))
        print("Fitted in \(NumberFormat.duration(demo.sweepSeconds)) (\(demo.sweepLaw.settings.bootstrap.resamples) bootstrap resamples of the groups).\n")
        print(SweepReport.laws(demo.sweepLaw))
        print("")
        print(SweepReport.groups(demo.sweepLaw))
    }
}
