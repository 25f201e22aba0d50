import ArgumentParser
import Foundation
import LossFitReports
import ScalingLaws

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a fit's predictions on logged curves: R², MAE, RMSE, PredE, WorstE per curve and mean.")

    @OptionGroup var fit: FitFileOption
    @OptionGroup var logs: LogOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Argument(help: ArgumentHelp("Logs to predict (CSV with step, lr, loss).", valueName: "LOG"))
    var paths: [String]

    func run() throws {
        let result = try FitFile.read(fit.path)
        let law = result.fittedLaw
        let loaded = try logs.loadCurves(paths)
        var evaluations: [CurveEvaluation] = []
        for item in loaded {
            guard let evaluation = CurveEvaluation(law: law, curve: item.curve) else {
                throw CommandError("\(item.log.source): no point can be predicted (no learning-rate area before the last logged step)")
            }
            if evaluation.excludedPoints > 0 {
                printNote("\(item.log.source): \(evaluation.excludedPoints) point(s) before any learning-rate area (S1 = 0) not scored")
            }
            evaluations.append(evaluation)
        }
        var report = EvaluationReport(curves: evaluations)
        if let baselines = result.baselines {
            report.baselines = zip(loaded, evaluations).map { BaselineEvaluation(baselines: baselines, curve: $0.curve, evaluation: $1) }
        }
        report.rankingCheck = result.rankingCheck.flatMap { RankingCheckEvaluation(check: $0, curves: loaded.map(\.curve)) }
        if json {
            print(try JSONOutput.string(report))
        } else {
            print(Tables.evaluation(report))
        }
    }
}
