import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import TrainingLogs

extension RefinementOptimizer: ExpressibleByArgument {}

/// How to read the gradient norms of a LOG: format, step and gradient-norm series, strictness.
struct GradientNormLogOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Read LOG as this format instead of recognising it by content: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "FORMAT"))
    var format: LogFormat?

    @Option(name: .customLong("step-key"), help: "Column, key or tag holding the step (default: step, global_step, iter, iteration, _step, …).")
    var stepKey: String?

    @Option(name: .customLong("grad-key"), help: "Column, key or tag holding the gradient norm (default: \(ColumnAliases.gradientNorm.prefix(6).joined(separator: ", ")), …).")
    var gradientNormKey: String?

    @Flag(name: .customLong("skip-bad-lines"), help: "Skip lines or rows that cannot be read, counting them, instead of stopping at the first.")
    var skipsBadLines = false

    var readOptions: LogReadOptions {
        LogReadOptions(columns: ColumnChoice(step: stepKey), format: format, skipsBadLines: skipsBadLines)
    }
}

struct Refine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Refine a learning-rate schedule from the gradient norms of an earlier run (Defazio et al. 2023).",
        discussion: """
            Reads the per-step gradient norm g of LOG, median-filters it over a window of --smooth × T updates \
            (odd width; the first norm repeated before the start, the norms mirrored after the end, as the authors' code), \
            and sets η_t ∝ w_t · Σ_{p>t} w_p with w = ĝ^−1 (adam) or ĝ^−2 (sgd), η_T = 0, scaled to a maximum of --peak.
            Adam needs ℓ1 gradient norms, SGD ℓ2 norms (most trainers log the ℓ2 norm); lossfit cannot tell which a log holds.
            Constant norms give linear decay to 0. A log shorter than --total is stretched over the run by progress.
            Output: CSV step,lr for updates 1…T (readable as --schedule table:FILE).
            """)

    @Argument(help: ArgumentHelp("A training log with gradient norms (any format lossfit reads).", valueName: "LOG"))
    var log: String

    @Option(help: ArgumentHelp("Updates in the run to schedule (T).", valueName: "T"))
    var total: Int

    @Option(help: ArgumentHelp("The largest learning rate of the refined schedule.", valueName: "LR"))
    var peak: Double

    @Option(help: "The optimizer the schedule is for: adam (ℓ1 norms, weights ĝ^−1) or sgd (ℓ2 norms, weights ĝ^−2).")
    var optimizer: RefinementOptimizer = .adam

    @Option(help: ArgumentHelp("Median window as a fraction of T, in (0, 1].", valueName: "FRACTION"))
    var smooth: Double = 0.1

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the schedule here (CSV step,lr; - for standard output, with the predictions of --fit on standard error) instead of to standard output.", valueName: "FILE.csv"))
    var output: String?

    @Option(name: .customLong("fit"), help: ArgumentHelp("Also predict the final loss of the refined schedule, linear decay and cosine under this fit.", valueName: "FIT.json"))
    var fitPath: String?

    @OptionGroup var logOptions: GradientNormLogOptions

    func run() throws {
        let read = try GradientNormReader.read(log, key: logOptions.gradientNormKey, options: logOptions.readOptions)
        for skipped in read.skipped { printNote("\(log): skipped \(skipped)") }
        for note in read.notes { note.isWarning ? printWarning(note.description) : printNote(note.description) }
        let refined: RefinedSchedule
        do {
            refined = try RefinedSchedule(steps: read.norms.steps, norms: read.norms.values, totalSteps: total, peak: peak,
                                          optimizer: optimizer, smoothing: smooth)
        } catch .tooFewNorms(let usable, let needed) {
            throw CommandError("\(log), column \"\(read.column)\": \(ErrorHints.message(for: RefinementError.tooFewNorms(usable: usable, needed: needed)))")
        }
        report(refined, column: read.column, logged: read.norms)

        let rows = refined.learningRates.enumerated().map { "\($0.offset + 1),\($0.element)" }
        let csv = (["step,lr"] + rows).joined(separator: "\n") + "\n"
        if let output {
            try OutputFile.write(csv, to: output)
            ResultPrinter(outputs: output)("wrote \(OutputFile.displayName(output)): \(total) updates, peak \(peak) at update \(1 + (refined.learningRates.firstIndex(of: refined.learningRates.max() ?? 0) ?? 0)) (use it as --schedule table:\(output))")
        } else if fitPath == nil {
            print(csv, terminator: "")
        } else {
            printNote("no -o given: the refined schedule itself is not written")
        }
        if let fitPath { try printPredictions(fitPath: fitPath, refined: refined) }
    }

    /// Tells on stderr which norms were used and how they were placed on the run.
    private func report(_ refined: RefinedSchedule, column: String, logged: LogSeries) {
        var used = "\(log): \(refined.usedNorms) gradient norms from \"\(column)\" (\(optimizer == .adam ? "Adam: should be ℓ1 norms" : "SGD: should be ℓ2 norms")), median window \(refined.medianWidth) updates"
        if refined.nonPositiveNorms > 0 { used += "; skipped \(refined.nonPositiveNorms) zero or negative norm\(refined.nonPositiveNorms == 1 ? "" : "s")" }
        printNote(used)
        if refined.isStretched, let first = logged.steps.first, let last = logged.steps.last {
            printNote("\(log): the norms cover steps \(first)–\(last), fewer than --total \(total); stretched over the run by progress")
        }
        if refined.normsAfterRun > 0 {
            printNote("\(log): left out \(refined.normsAfterRun) norm\(refined.normsAfterRun == 1 ? "" : "s") logged after step \(total)")
        }
    }

    /// Prints the predicted final loss of the refined schedule beside linear decay and cosine with the same peak and length.
    private func printPredictions(fitPath: String, refined: RefinedSchedule) throws {
        let result = try FitFile.read(fitPath)
        let comparison = try RefinedScheduleComparison(result, refined: try refined.schedule(source: output ?? "refined").learningRates(),
                                                       label: "refined (\(optimizer.rawValue))", peak: peak, totalSteps: total)
        var table = TextTable(headers: ["schedule", "final loss", "± (95 %)", "refined − this"])
        for row in comparison.rows {
            let final = row.finalLoss
            var cells = [row.name, NumberFormat.fixed(final.loss, decimals: 5), final.standardError.map { NumberFormat.significant(1.96 * $0, digits: 2) } ?? ""]
            if let difference = row.refinedMinusThis {
                let uncertainty = difference.standardError.map { " ± " + NumberFormat.significant(1.96 * $0, digits: 2) } ?? ""
                cells.append(NumberFormat.significant(difference.difference, digits: 3) + uncertainty)
            } else {
                cells.append("")
            }
            table.append(cells)
            for warning in row.warnings { printNote("\(row.name): \(warning)") }
        }
        let say = ResultPrinter(outputs: output)
        say("Predicted final loss at step \(total) under the fitted \(result.law) law (95 % from the fit's parameter covariance)")
        say(table.render())
    }
}
