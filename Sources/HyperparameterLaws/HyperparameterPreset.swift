import Foundation

/// Published hyperparameter laws, usable without a sweep of one's own.
///
/// ```
/// steplaw          η* = 1.79 · N^(−0.713) · D^(0.307)     B* = 0.58 · D^(0.571)  tokens
/// deepseek         η* = 0.3118 · C^(−0.125)               B* = 0.2920 · C^(0.3271)  tokens,  C = 6·N·D
/// power-scheduler  η* = β · 4.6 · T^(−0.51)               (no batch-size law)  β = B / 4096,  T = D
/// ```
/// N = non-embedding parameters, D = T = training tokens, B = batch size in tokens, C = training
/// FLOPs. lossfit takes C = 6·N·D. DeepSeek's own C = M·D counts M = 72·n_layer·d_model² +
/// 6·n_layer·d_model·L non-embedding FLOPs per token (L = sequence length), that is
/// M ≈ 6N·(1 + L/(12·d_model)) with N ≈ 12·n_layer·d_model²; with their C, η* is lower by the
/// factor (1 + L/(12·d_model))^0.125 and B* larger by its 0.3271th power (2 % and 5 % at
/// L = 2048, d_model = 1024).
///
/// References:
/// - Li et al. (2025), "Predictable Scale: Part I — Optimal Hyperparameter Scaling Law in Large
///   Language Model Pretraining", arXiv 2503.04715 (Step Law).
/// - DeepSeek-AI (2024), "DeepSeek LLM: Scaling Open-Source Language Models with Longtermism",
///   arXiv 2401.02954, §3.1.
/// - Shen et al. (2024), "Power Scheduler: A Batch Size and Token Number Agnostic Learning Rate
///   Scheduler", arXiv 2408.13359, eq. 6.
public enum HyperparameterPreset: String, Sendable, Equatable, Codable, CaseIterable {
    /// Step Law (Li et al. 2025).
    case stepLaw = "steplaw"
    /// DeepSeek LLM (2024).
    case deepSeek = "deepseek"
    /// Power scheduler (Shen et al. 2024): learning rate only, for a given batch size.
    case powerScheduler = "power-scheduler"

    /// Author, year and paper.
    public var citation: String {
        switch self {
        case .stepLaw: return "Step Law: Li et al. 2025, arXiv 2503.04715"
        case .deepSeek: return "DeepSeek LLM 2024, arXiv 2401.02954"
        case .powerScheduler: return "Power scheduler: Shen et al. 2024, arXiv 2408.13359 (eq. 6)"
        }
    }

    /// The laws as printed, with units.
    public var formulas: [String] {
        switch self {
        case .stepLaw:
            return ["η* = 1.79·N^(−0.713)·D^(0.307)", "B* = 0.58·D^(0.571) tokens"]
        case .deepSeek:
            return ["η* = 0.3118·C^(−0.125)", "B* = 0.2920·C^(0.3271) tokens", "C = 6·N·D FLOPs"]
        case .powerScheduler:
            return ["η* = β·4.6·T^(−0.51), β = batch size in sequences of 4096 tokens, T = D tokens"]
        }
    }

    /// The sequence length of the paper's runs, used to count sequences when none is given.
    public var sequenceLength: Int {
        switch self {
        case .stepLaw: return 2048
        case .deepSeek, .powerScheduler: return 4096
        }
    }

    /// The optimal peak learning rate.
    /// - Parameters:
    ///   - parameters: N, non-embedding parameters, > 0.
    ///   - tokens: D, training tokens, > 0.
    ///   - batchSizeTokens: the batch size in tokens (> 0); only the power scheduler reads it.
    public func learningRate(parameters: Double, tokens: Double, batchSizeTokens: Double) -> Double {
        switch self {
        case .stepLaw:
            return 1.79 * pow(parameters, -0.713) * pow(tokens, 0.307)
        case .deepSeek:
            return 0.3118 * pow(6 * parameters * tokens, -0.125)
        case .powerScheduler:
            return batchSizeTokens / 4096 * 4.6 * pow(tokens, -0.51)
        }
    }

    /// The optimal batch size in tokens, or nil for the power scheduler, which gives none.
    public func batchSizeTokens(parameters: Double, tokens: Double) -> Double? {
        switch self {
        case .stepLaw: return 0.58 * pow(tokens, 0.571)
        case .deepSeek: return 0.2920 * pow(6 * parameters * tokens, 0.3271)
        case .powerScheduler: return nil
        }
    }

    /// The range of the runs the preset's law was fitted on, where the paper or its released data
    /// say it: Step Law's released dense sweep (N = 214,663,680 to 536,872,960 non-embedding
    /// parameters, D = 4e9 to 8e10 tokens); DeepSeek's compute budgets from 1e17 to 3e20 FLOPs
    /// (§3.1). The power scheduler states none.
    public var fittedRange: [(quantity: String, range: ClosedRange<Double>)] {
        switch self {
        case .stepLaw: return [("N", 214_663_680...536_872_960), ("D", 4e9...8e10)]
        case .deepSeek: return [("C", 1e17...3e20)]
        case .powerScheduler: return []
        }
    }

    /// A note for each quantity of `fittedRange` outside it, saying by what factor.
    func extrapolationNotes(parameters: Double, tokens: Double) -> [String] {
        fittedRange.compactMap { quantity, range in
            let value = quantity == "N" ? parameters : quantity == "D" ? tokens : 6 * parameters * tokens
            let factor = value > range.upperBound ? value / range.upperBound : range.lowerBound / value
            guard factor > 1.0001 else { return nil }
            let side = value > range.upperBound ? "above the largest" : "below the smallest"
            return "\(quantity) = \(SweepGroup.compact(value)) is \(SweepGroup.compact(factor))× \(side) \(quantity) the preset was fitted on "
                + "(\(SweepGroup.compact(range.lowerBound))–\(SweepGroup.compact(range.upperBound))): the law is extrapolated"
        }
    }

    /// What a user of the preset should know.
    var conventions: [String] {
        switch self {
        case .stepLaw:
            return ["N counts non-embedding parameters and B* is in tokens"]
        case .deepSeek:
            return ["C = 6·N·D here; DeepSeek's C = M·D also counts attention, M ≈ 6N·(1 + L/(12·d_model)) for sequence length L, which lowers η* by that factor to the 0.125 and raises B* by it to the 0.3271 (2 % and 5 % at L = 2048, d_model = 1024)"]
        case .powerScheduler:
            return ["the power scheduler gives no batch-size law: the learning rate is for the batch size given",
                    "its schedule caps the learning rate at η_max = 0.02"]
        }
    }
}
