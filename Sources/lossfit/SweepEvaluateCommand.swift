import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import TrainingLogs

struct SweepEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Leave-one-group-out: fit on the other groups, recommend for the held-out one, score its excess loss; lossfit vs Step Law's method and the presets.",
        discussion: """
            Excess = the held-out group's loss at the recommended (lr, batch) over its best run's loss, minus 1. Off-grid \
            losses come from a local quadratic smoother of the group's grid (its own leave-one-run-out error is printed). \
            The power scheduler has no batch-size law and is scored at lossfit's batch size.
            """)

    @OptionGroup var file: SweepFileOptions
    @OptionGroup var law: LawOptions

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    @Argument(help: ArgumentHelp("The sweep (CSV, TSV or JSONL).", valueName: "SWEEP"))
    var path: String

    func run() throws {
        let loaded = try file.load(path)
        var settings = try law.settings()
        // Point recommendations need no intervals.
        settings.bootstrap.resamples = 1
        let evaluation = try LeaveOneGroupOut(settings: settings).evaluate(loaded.sweep)
        if json {
            print(try JSONCoding.string(evaluation))
            return
        }
        print(SweepReport.readSummary(loaded.table, sweep: loaded.sweep))
        print(SweepReport.evaluation(evaluation))
        print("")
        print(SweepReport.validation(evaluation.surrogateValidation))
    }
}
