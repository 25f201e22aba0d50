import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import ScalingLaws
import TrainingLogs

/// `lossfit sweep`: hyperparameter laws from a sweep of finished runs.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Fit learning-rate and batch-size laws to a sweep, evaluate them leave-one-group-out, or compare learning-rate transfer rules between batch sizes.",
        discussion: """
            A sweep has one row per finished run with its model size N (non-embedding parameters), tokens D, \
            peak learning rate, batch size and final loss (a smoothed final loss when there is one), as CSV, TSV or JSONL.
            Examples:
              lossfit sweep fit ../shared/data/steplaw/dense_sweep.csv -o law.json
              lossfit sweep evaluate ../shared/data/steplaw/dense_sweep.csv
              lossfit sweep transfer ../shared/data/steplaw/dense_sweep.csv -o transfer.json
              lossfit recommend --law law.json --params 7B --tokens 1.4T
            """,
        subcommands: [SweepFit.self, SweepEvaluate.self, SweepTransfer.self])
}

/// How to read a sweep file.
struct SweepFileOptions: ParsableArguments {
    @Option(name: .customLong("params-key"), help: "Column of the model size N, non-embedding parameters (default: N, params, non_embedding_params, …).")
    var parametersKey: String?

    @Option(name: .customLong("tokens-key"), help: "Column of the training tokens D (default: D, tokens, train_tokens, …).")
    var tokensKey: String?

    @Option(name: .customLong("lr-key"), help: "Column of the peak learning rate (default: lr, peak_lr, learning_rate, …).")
    var learningRateKey: String?

    @Option(name: .customLong("batch-key"), help: "Column of the batch size (default: bs, batch_size, batch_tokens, …).")
    var batchKey: String?

    @Option(name: .customLong("loss-key"), help: "Column of the final loss (default: smooth loss, smooth_loss, final_loss, loss, …).")
    var lossKey: String?

    @Option(name: .customLong("steps-key"), help: "Column of the steps per run, to infer the sequence length as D / (steps × batch) (default: ti, steps, iterations, …).")
    var stepsKey: String?

    @Option(name: .customLong("batch-unit"), help: "What the batch column counts: sequences or tokens (default: tokens when its name says so, else sequences).")
    var batchUnit: BatchSizeUnit?

    @Option(name: .customLong("seq-len"), help: ArgumentHelp("Tokens per sequence of the sweep's batches (default: a seq_len column, else inferred from a steps column).", valueName: "L"))
    var sequenceLength: Int?

    /// Reads the sweep, printing to stderr what was skipped and how the batch was converted.
    func load(_ path: String) throws -> (sweep: HyperparameterLaws.Sweep, table: SweepTable) {
        if let sequenceLength, sequenceLength < 1 { throw ValidationError("--seq-len must be at least 1") }
        var columns: [SweepColumnRole: String] = [:]
        columns[.parameters] = parametersKey
        columns[.tokens] = tokensKey
        columns[.learningRate] = learningRateKey
        columns[.batchSize] = batchKey
        columns[.loss] = lossKey
        columns[.steps] = stepsKey
        let table = try SweepReader.read(path, options: SweepReadOptions(columns: columns, batchSizeUnit: batchUnit, sequenceLength: sequenceLength))
        for skipped in table.skipped {
            printNote("\(table.source): left out \(skipped) (no final loss: crashed or diverged runs)")
        }
        let runs = table.rows.map { row in
            SweepRun(parameters: row.parameters, tokens: row.tokens, learningRate: row.learningRate, batchSizeTokens: row.batchSizeTokens,
                     loss: row.loss, covariates: Dictionary(uniqueKeysWithValues: zip(table.covariateColumns, row.covariates)))
        }
        return (try HyperparameterLaws.Sweep(runs: runs, source: table.source), table)
    }
}

extension BatchSizeUnit: ExpressibleByArgument {}
extension OptimumEstimator: ExpressibleByArgument {}

/// The forms of the laws and how they are fitted.
struct LawOptions: ParsableArguments {
    @Option(name: .customLong("lr-formula"), help: ArgumentHelp("The learning-rate law: ln lr = c0 + Σ a·ln x over the variables given.", valueName: "lr ~ N + D"))
    var learningRateFormula = "lr ~ N + D"

    @Option(name: .customLong("batch-formula"), help: ArgumentHelp("The batch-size law (tokens). Variables: N, D, C = 6·N·D, or a sweep column constant within each (N, D).", valueName: "bs ~ D"))
    var batchSizeFormula = "bs ~ D"

    @Option(help: "How each (N, D) group's optimum is located: surrogate (a cubic in ln lr, ln B fitted near the best run) or near-best (Step Law's: every run within 0.25 % of the best).")
    var optimum: OptimumEstimator = .surrogate

    @Option(help: ArgumentHelp("Bootstrap resamples of groups for the intervals.", valueName: "N"))
    var bootstrap = 1000

    @Option(help: "Seed of the bootstrap.")
    var seed: UInt64 = 0

    func settings() throws -> SweepLawSettings {
        var settings = SweepLawSettings()
        settings.learningRateFormula = try HyperparameterFormula(parsing: learningRateFormula)
        settings.batchSizeFormula = try HyperparameterFormula(parsing: batchSizeFormula)
        guard settings.learningRateFormula.target == .learningRate else { throw ValidationError("--lr-formula must predict lr, e.g. \"lr ~ N + D\"") }
        guard settings.batchSizeFormula.target == .batchSize else { throw ValidationError("--batch-formula must predict bs, e.g. \"bs ~ D\"") }
        settings.optimum.estimator = optimum
        settings.bootstrap.resamples = bootstrap
        settings.bootstrap.seed = seed
        return settings
    }
}

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

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the laws, every group's runs and optimum, and the landscape here.", valueName: "LAW.json"))
    var output: String?

    @Argument(help: ArgumentHelp("The sweep (CSV, TSV or JSONL).", valueName: "SWEEP"))
    var path: String

    func run() throws {
        let (sweep, table) = try file.load(path)
        let settings = try law.settings()
        let progress = ProgressBar(label: "bootstrap")
        let clock = ContinuousClock()
        let start = clock.now
        let fitted = try SweepLawFitter(settings: settings).fit(sweep, sequenceLength: table.sequenceLength, progress: { progress.update(done: $0, total: $1) })
        let elapsed = (clock.now - start).seconds
        progress.finish()
        print(SweepReport.readSummary(table, sweep: sweep))
        print("Fitted in \(NumberFormat.duration(elapsed)) (\(settings.bootstrap.resamples) bootstrap resamples of the groups, seed \(settings.bootstrap.seed)\(fitted.bootstrapRedrawn > 0 ? ", \(fitted.bootstrapRedrawn) undetermined draws replaced" : "")).\n")
        print(SweepReport.laws(fitted))
        print("")
        print(SweepReport.groups(fitted))
        if let output {
            try LawFile.write(fitted, to: output)
            print("wrote \(output)")
        }
    }
}

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
        let (sweep, table) = try file.load(path)
        var settings = try law.settings()
        // Point recommendations need no intervals.
        settings.bootstrap.resamples = 1
        let evaluation = try LeaveOneGroupOut(settings: settings).evaluate(sweep)
        if json {
            print(try JSONOutput.string(evaluation))
            return
        }
        print(SweepReport.readSummary(table, sweep: sweep))
        print(SweepReport.evaluation(evaluation))
        print("")
        print(SweepReport.validation(evaluation.surrogateValidation))
    }
}

/// The tables `sweep fit` and `sweep evaluate` print.
enum SweepReport {
    static func percent(_ value: Double, decimals: Int = 2) -> String {
        value.isFinite ? String(format: "%+.\(decimals)f %%", value * 100) : "n/a"
    }

    static func readSummary(_ table: SweepTable, sweep: HyperparameterLaws.Sweep) -> String {
        var batch = "batch in \(table.batchSizeUnit.rawValue)"
        switch table.sequenceLengthOrigin {
        case .given: batch += " of \(table.sequenceLength.map(String.init) ?? "?") tokens (--seq-len)"
        case .column(let name): batch += " × column \"\(name)\""
        case .inferred(let steps): batch += " of \(table.sequenceLength.map(String.init) ?? "?") tokens, inferred as D / (\(steps) × batch)"
        case .notNeeded: break
        }
        let loss = table.roleColumns[.loss].map { "loss from \"\($0)\"" } ?? ""
        return "Read \(table.rows.count) runs in \(sweep.groups.count) (N, D) groups from \(table.source) (\(batch); \(loss))."
    }

    static func laws(_ law: SweepLaw) -> String {
        var table = TextTable(headers: ["law", "coefficient", "value", "95 % interval", "groups' scatter"])
        for fitted in [law.learningRate, law.batchSize] {
            let names = ["ln c0"] + fitted.law.formula.terms.map { "exponent of \($0)" }
            for (index, name) in names.enumerated() {
                let interval = fitted.coefficientIntervals[index]
                table.append([index == 0 ? fitted.law.equation + (fitted.law.formula.target == .batchSize ? " tokens" : "") : "",
                              name, NumberFormat.fixed(fitted.law.coefficients[index], decimals: 3),
                              "[\(NumberFormat.fixed(interval.lower, decimals: 3)), \(NumberFormat.fixed(interval.upper, decimals: 3))]",
                              index == 0 ? "±" + NumberFormat.fixed(fitted.residualError * 100, decimals: 1) + " %" : ""])
            }
        }
        return table.render()
    }

    static func groups(_ law: SweepLaw) -> String {
        var table = TextTable(headers: ["group", "runs", "best loss", "optimum lr", "batch (tokens)", "located by", "runs used", "held-out err", "law lr", "law batch"])
        for fit in law.groups {
            let optimum = fit.optimum
            table.append([fit.group.label, "\(fit.group.runs.count)", NumberFormat.fixed(fit.group.bestLoss, decimals: 4),
                          NumberFormat.significant(optimum.learningRate, digits: 3), NumberFormat.significant(optimum.batchSizeTokens, digits: 3),
                          optimum.method.rawValue, "\(optimum.usedRuns.count)",
                          optimum.heldOutError.map { NumberFormat.fixed($0 * 100, decimals: 2) + " %" } ?? "–",
                          NumberFormat.significant(fit.lawLearningRate, digits: 3), NumberFormat.significant(fit.lawBatchSizeTokens, digits: 3)])
        }
        var text = table.render()
        for fit in law.groups {
            if let note = fit.optimum.note { text += "\n\(fit.group.label): \(note)" }
        }
        return text
    }

    static func evaluation(_ evaluation: SweepEvaluation) -> String {
        var lines = ["Leave-one-group-out over \(evaluation.groups.count) groups: excess = held-out group's loss at the recommendation / its best run − 1",
                     "lossfit and Step Law's method (every run within 0.25 % of the best, regressed) are fitted on the other groups; steplaw, deepseek and power-scheduler are the published formulas",
                     "(off-grid losses from a local quadratic smoother of the group's grid; † outside the grid, scored at its edge; ‡ nearest run diverged)", ""]
        var table = TextTable(headers: ["group", "runs", "best loss", "smoother err"] + evaluation.methods)
        for group in evaluation.groups {
            let scores = group.scores.map { score -> String in
                guard let score else { return "n/a" }
                return percent(score.excess) + (score.isOutsideGrid ? "†" : "") + (score.isNearDivergence ? "‡" : "")
            }
            table.append([group.label, "\(group.runs)", NumberFormat.fixed(group.bestLoss, decimals: 4),
                          NumberFormat.fixed(group.surfaceError * 100, decimals: 2) + " %"] + scores)
        }
        table.append(["mean (\(evaluation.pairedGroups) groups)", "", "", ""] + evaluation.summaries.map { percent($0.meanExcess, decimals: 3) })
        table.append(["median", "", "", ""] + evaluation.summaries.map { percent($0.medianExcess, decimals: 3) })
        table.append(["max", "", "", ""] + evaluation.summaries.map { percent($0.maximumExcess, decimals: 3) })
        table.append(["minus lossfit (± s.e.)", "", "", ""] + evaluation.summaries.enumerated().map { index, summary in
            index == 0 ? "" : percent(summary.meanDifferenceFromFirst, decimals: 3) + " ± " + NumberFormat.fixed(summary.differenceStandardError * 100, decimals: 3)
        })
        lines.append(table.render())
        let surfaceErrors = evaluation.groups.map(\.surfaceError)
        lines.append("")
        lines.append("smoother's own leave-one-run-out error near the best: mean \(NumberFormat.fixed(surfaceErrors.reduce(0, +) / Double(surfaceErrors.count) * 100, decimals: 2)) %, max \(NumberFormat.fixed((surfaceErrors.max() ?? .nan) * 100, decimals: 2)) %; the power scheduler is scored at lossfit's batch size")
        return lines.joined(separator: "\n")
    }

    static func validation(_ validation: SurrogateValidation) -> String {
        var table = TextTable(headers: ["surrogate of ln loss (within each group)", "held-out RMS", "median group", "predictions"])
        for alternative in validation.alternatives {
            table.append([alternative.name + (alternative.isDefault ? " (used)" : ""),
                          NumberFormat.fixed(alternative.heldOutError * 100, decimals: 3) + " %",
                          NumberFormat.fixed(alternative.medianGroupError * 100, decimals: 3) + " %", "\(alternative.predictions)"])
        }
        return "Surrogate validation: each run the default surrogate uses, left out and predicted by each alternative\n" + table.render()
    }
}
