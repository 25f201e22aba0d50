import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import TrainingLogs

struct SweepFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit the learning-rate and batch-size laws to a sweep, with bootstrap intervals; write LAW.json.",
        discussion: """
            Per (N, D) group, the optimum is located between grid points by a cubic surrogate of ln loss over \
            (ln lr, ln batch) fitted to the runs within 2 % of the group's best; then ln lr* = c0 + a·ln N + b·ln D and \
            ln B* = d0 + e·ln D by least squares (Step Law's forms, Li et al. 2025, arXiv 2503.04715). Intervals: \
            percentiles over bootstrap resamples of the groups.
            """)

    @OptionGroup var file: SweepFileOptions
    @OptionGroup var law: LawOptions

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the laws, every group's runs and optimum, and the landscape here (- for standard output).", valueName: "LAW.json"))
    var output: String?

    @Argument(help: ArgumentHelp("The sweep (CSV, TSV or JSONL).", valueName: "SWEEP"))
    var path: String

    func run() throws {
        // With -o -, standard output holds the written file alone and the results go to standard error.
        let print = ResultPrinter(outputs: output)
        let loaded = try file.load(path)
        let settings = try law.settings()
        let progress = ProgressBar(label: "bootstrap")
        let clock = ContinuousClock()
        let start = clock.now
        let fitted = try SweepLoading.fitLaws(loaded, settings: settings, progress: { progress.update(done: $0, total: $1) })
        let elapsed = (clock.now - start).seconds
        progress.finish()
        print(SweepReport.readSummary(loaded.table, sweep: loaded.sweep))
        print("Fitted in \(NumberFormat.duration(elapsed)) (\(settings.bootstrap.resamples) bootstrap resamples of the groups, seed \(settings.bootstrap.seed)\(fitted.bootstrapRedrawn > 0 ? ", \(fitted.bootstrapRedrawn) undetermined draws replaced" : "")).\n")
        print(SweepReport.laws(fitted))
        print("")
        print(SweepReport.groups(fitted))
        if let output {
            try LawFile.write(fitted, to: output)
            print("wrote \(OutputFile.displayName(output))")
        }
    }
}
