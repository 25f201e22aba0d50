import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import TrainingLogs

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
    func load(_ path: String) throws -> LoadedSweep {
        if let sequenceLength, sequenceLength < 1 { throw ValidationError("--seq-len must be at least 1") }
        var columns: [SweepColumnRole: String] = [:]
        columns[.parameters] = parametersKey
        columns[.tokens] = tokensKey
        columns[.learningRate] = learningRateKey
        columns[.batchSize] = batchKey
        columns[.loss] = lossKey
        columns[.steps] = stepsKey
        let loaded = try SweepLoading.load(path, options: SweepReadOptions(columns: columns, batchSizeUnit: batchUnit, sequenceLength: sequenceLength))
        for skipped in loaded.table.skipped {
            printNote("\(loaded.table.source): left out \(skipped) (no final loss: crashed or diverged runs)")
        }
        return loaded
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

extension SweepFileOptions {
    /// Options as if none were given: columns recognised by name (every option is optional).
    static func defaults() throws -> SweepFileOptions {
        try SweepFileOptions.parse([])
    }
}
