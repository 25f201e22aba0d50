import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws

/// `lossfit recommend`: the peak learning rate and batch size for a model size and token budget.
struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recommend the peak learning rate and batch size for N parameters and D tokens, from a fitted sweep law or a published preset.",
        discussion: """
            Presets: steplaw (Li et al. 2025: lr = 1.79·N^−0.713·D^0.307, B = 0.58·D^0.571 tokens), deepseek (2024: \
            lr = 0.3118·C^−0.125, B = 0.2920·C^0.3271 tokens, C = 6·N·D), power-scheduler (Shen et al. 2024: \
            lr = β·4.6·D^−0.51, β = batch in sequences of 4096; no batch law, so give --batch-tokens).
            N and D take suffixes k, M, B (or G), T: --params 7B --tokens 1.4T.
            Examples:
              lossfit recommend --preset steplaw --params 7B --tokens 1.4T
              lossfit recommend --law law.json --params 1B --tokens 100B --seq-len 4096 --json
            """)

    @Option(name: .customLong("params"), help: ArgumentHelp("Model size N: non-embedding parameters.", valueName: "N"))
    var parameters: ScaledNumber

    @Option(name: .customLong("tokens"), help: ArgumentHelp("Training tokens D.", valueName: "D"))
    var tokens: ScaledNumber

    @Option(name: .customLong("seq-len"), help: ArgumentHelp("Tokens per sequence, to count the batch in sequences (default: the sweep's, or the preset paper's).", valueName: "L"))
    var sequenceLength: Int?

    @Option(name: .customLong("law"), help: ArgumentHelp("A law written by lossfit sweep fit -o.", valueName: "LAW.json"))
    var lawPath: String?

    @Option(help: "A published law instead: steplaw, deepseek or power-scheduler.")
    var preset: HyperparameterPreset?

    @Option(name: .customLong("batch-tokens"), help: ArgumentHelp("The batch size (tokens) the run must use: with --law, the best learning rate at that batch (from the sweep's landscape) instead of at the law's batch; the power scheduler's learning rate depends on it.", valueName: "B"))
    var batchSizeTokens: ScaledNumber?

    @Option(name: .customLong("with"), help: ArgumentHelp("A value for a covariate the law's formula uses (repeatable).", valueName: "NAME=VALUE"))
    var covariates: [String] = []

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard (lawPath == nil) != (preset == nil) else { throw ValidationError("give exactly one of --law LAW.json and --preset NAME") }
    }

    func run() throws {
        var values: [String: Double] = [:]
        for item in covariates {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else { throw ValidationError("--with \(InputExcerpt.quoted(item)): write NAME=VALUE, e.g. --with h=4096") }
            guard values[parts[0]] == nil else { throw ValidationError("--with \(InputExcerpt.quoted(parts[0])) is given twice; give each covariate once") }
            values[parts[0]] = value
        }
        let request = RecommendationRequest(parameters: parameters.value, tokens: tokens.value, sequenceLength: sequenceLength,
                                            batchSizeTokens: batchSizeTokens?.value, covariates: values)
        let recommendation: Recommendation
        if let preset {
            recommendation = try preset.recommend(request)
        } else {
            recommendation = try LawFile.readSweepLaw(lawPath!).recommend(request)
        }
        if json {
            print(try JSONCoding.string(recommendation))
        } else {
            print(Self.render(recommendation))
        }
    }

    static func render(_ recommendation: Recommendation) -> String {
        let length = recommendation.sequenceLength
        var lines = ["Recommendation for N = \(NumberFormat.significant(recommendation.parameters, digits: 3)) parameters, D = \(NumberFormat.significant(recommendation.tokens, digits: 3)) tokens",
                     "law: \(recommendation.law)"]
        let outside = recommendation.outsideSweep
        if !outside.isEmpty {
            let how = outside.map { "\($0.quantity) is \(NumberFormat.significant($0.factor, digits: 3))× \($0.isAbove ? "the sweep's largest" : "below the sweep's smallest")" }
            lines.append("Outside the sweep: \(how.joined(separator: ", ")); the law is extrapolated, so trust the interval, not the value.")
        }
        if recommendation.batchSizeIsGiven {
            lines.append("Batch size fixed by you (--batch-tokens): the learning rate is the best at that batch.")
        }
        lines.append("")
        let confidence = recommendation.confidence.map { "\(Int(($0 * 100).rounded())) % interval" } ?? "interval"
        let percent = NumberFormat.significant(100 * recommendation.tolerance, digits: 2)
        // Outside the sweep the optimum is uncertain by far more than the near-optimum range: the
        // range is shown as factors of the value, the width of the flat region around wherever it lies.
        let relative = !outside.isEmpty
        var table = TextTable(headers: ["", "value", confidence, relative ? "within \(percent) % of the optimum, as factors*" : "within \(percent) % of the optimum"])
        func interval(_ interval: ConfidenceInterval?, digits: Int = 3) -> String {
            interval.map { "[\(NumberFormat.significant($0.lower, digits: digits)), \(NumberFormat.significant($0.upper, digits: digits))]" } ?? "–"
        }
        func range(_ range: NearOptimumRange?, of value: Double, whole: Bool = false) -> String {
            guard let range else { return "–" }
            func text(_ end: Double) -> String {
                relative ? "×" + NumberFormat.significant(end / value, digits: 3) : whole && end < 1e15 ? String(format: "%.0f", end) : NumberFormat.significant(end, digits: 3)
            }
            return "[\(range.lowerIsOpen ? "≤" : "")\(text(range.lower)), \(range.upperIsOpen ? "≥" : "")\(text(range.upper))]"
        }
        let given = recommendation.batchSizeIsGiven ? ", fixed by you" : ""
        table.append(["peak learning rate", NumberFormat.significant(recommendation.learningRate, digits: 3),
                      interval(recommendation.learningRateInterval), range(recommendation.learningRateRange, of: recommendation.learningRate)])
        table.append(["batch size (tokens\(given))", NumberFormat.significant(recommendation.batchSizeTokens, digits: 3),
                      interval(recommendation.batchSizeTokensInterval), range(recommendation.batchSizeTokensRange, of: recommendation.batchSizeTokens)])
        if length > 1 {
            // Whole numbers as printed digits: a count far outside the sweep can exceed what an Int holds.
            func whole(_ value: Double) -> String { value < 1e15 ? String(format: "%.0f", value) : NumberFormat.significant(value, digits: 3) }
            let wholeInterval = recommendation.batchSizeSequencesInterval.map { "[\(whole($0.lower)), \(whole($0.upper))]" } ?? "–"
            table.append(["batch size (whole sequences of \(length)\(given))", whole(recommendation.batchSizeSequences), wholeInterval,
                          range(recommendation.batchSizeSequencesRange, of: recommendation.batchSizeSequences, whole: true)])
        }
        lines.append(table.render())
        if relative, let eta = recommendation.learningRateInterval {
            let spread = "×\(NumberFormat.significant(eta.lower / recommendation.learningRate, digits: 2)) to ×\(NumberFormat.significant(eta.upper / recommendation.learningRate, digits: 2))"
            lines.append("* how far from the value the loss stays within \(percent) % of the optimum, if the sweep's landscape keeps its shape this far out; the optimum itself is uncertain by its interval (learning rate \(spread)), so the range is no tighter than that.")
        }
        lines.append("")
        lines += recommendation.formulas
        lines += recommendation.notes.map { "note: " + $0 }
        return lines.joined(separator: "\n")
    }
}

extension HyperparameterPreset: ExpressibleByArgument {}

/// A positive count written plainly (7e9, 7000000000) or with a suffix: k = 1e3, M = 1e6,
/// B or G = 1e9, T = 1e12.
struct ScaledNumber: ExpressibleByArgument {
    var value: Double

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let multipliers: [Character: Double] = ["k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12]
        var number = text
        var multiplier = 1.0
        if let last = text.last, let scale = multipliers[last] {
            number = String(text.dropLast())
            multiplier = scale
        }
        guard let parsed = Double(number), parsed > 0, parsed.isFinite else { return nil }
        value = parsed * multiplier
    }
}
