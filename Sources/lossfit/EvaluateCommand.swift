import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a fit's predictions on logged curves: R², MAE, RMSE, PredE, WorstE per curve and mean.")

    @OptionGroup var fit: FitFileOption
    @OptionGroup var logs: LogOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Argument(help: ArgumentHelp("Logs to predict (CSV, JSONL, W&B, Hugging Face trainer_state.json or TensorBoard; see the README).", valueName: "LOG"))
    var paths: [String]

    func run() throws {
        let result = try FitFile.read(fit.path)
        warnIfNotIdentified(result, source: fit.path)
        let loaded = try logs.loadCurves(paths)
        for source in result.curvesOfAnotherLossKind(loaded) {
            let isValidation = source.lossKind == .evaluation
            let (scored, fitted) = isValidation ? ("validation", "training") : ("training", "validation")
            printNote("\(source.path): scores its \(scored) loss (\(source.lossKey)) with a fit of \(fitted) losses, which differ by the generalisation gap; \(isValidation ? "without --eval" : "--eval") scores the \(fitted) loss")
        }
        let outcome = try Evaluation.evaluate(result, on: loaded)
        for (source, count) in outcome.unscoredPoints {
            printNote("\(source): \(count) point(s) before any learning-rate area (S1 = 0) not scored")
        }
        print(json ? try JSONCoding.string(outcome.report) : Tables.evaluation(outcome.report))
    }
}
