import Foundation

/// The optimizer a fixed transfer rule is chosen for when no sweep has been fitted.
public enum TransferOptimizer: String, Sendable, Equatable, Codable, CaseIterable {
    /// Adam and its variants (AdamW, …): the optimal learning rate grows as √B.
    case adam
    /// SGD (with or without momentum): the optimal learning rate grows as B.
    case sgd

    /// The optimizer called `name`.
    /// - Throws: `BatchSizeTransferError.unknownOptimizer`, listing the valid names.
    public init(named name: String) throws(BatchSizeTransferError) {
        guard let optimizer = Self(rawValue: name.lowercased()) else { throw .unknownOptimizer(name: name) }
        self = optimizer
    }

    /// The rule without a fitted sweep: √B for Adam, linear for SGD, below the noise scale
    /// (Granziol et al. 2020, "Learning rates as a function of batch size", arXiv 2006.09092).
    public var defaultRule: BatchSizeTransferRule { self == .adam ? .sqrt : .linear }
}

/// How the optimal peak learning rate ε changes with the batch size B.
///
/// Every rule is a shape f(B) with ε_opt(B) ∝ f(B), so a learning rate tuned at B₁ moves to B₂ as
/// ```
/// ε(B₂) = ε(B₁) · f(B₂) / f(B₁)
/// sqrt:        f(B) = √B                                        (Adam, Granziol et al. 2020)
/// linear:      f(B) = B                                         (SGD, Granziol et al. 2020)
/// constant:    f(B) = 1
/// mccandlish:  f(B) = 1 / (1 + B_noise/B)                       (McCandlish et al. 2018)
/// surge:       f(B) = 1 / (½(√(B_noise/B) + √(B/B_noise)))      (Li et al. 2024, Adam)
/// ```
/// The last two have ε_opt(B) = ε_max · f(B) with the noise scale B_noise and ε_max fitted to a
/// sweep's best learning rate per batch size (`BatchSizeTransferFit`); mccandlish rises towards
/// ε_max for B ≫ B_noise, surge peaks at ε_max at B = B_noise and falls beyond it.
///
/// References:
/// - S. McCandlish, J. Kaplan, D. Amodei et al. (2018), "An empirical model of large-batch
///   training", arXiv 1812.06162 (the SGD form, B_noise ≈ the critical batch size).
/// - S. Li, P. Zhao, H. Zhang et al. (2024), "Surge phenomenon in optimal learning rate and batch
///   size scaling", arXiv 2405.14578 (the Adam form).
/// - D. Granziol, S. Zohren, S. Roberts (2020), "Learning rates as a function of batch size: a
///   random matrix theory approach to neural network training", arXiv 2006.09092.
public enum BatchSizeTransferRule: String, Sendable, Equatable, Codable, CaseIterable {
    case sqrt, linear, constant, mccandlish, surge

    /// The rule called `name`.
    /// - Throws: `BatchSizeTransferError.unknownRule`, listing the valid names.
    public init(named name: String) throws(BatchSizeTransferError) {
        guard let rule = Self(rawValue: name.lowercased()) else { throw .unknownRule(name: name) }
        self = rule
    }

    /// True for the rules whose shape depends on a fitted noise scale.
    public var needsNoiseScale: Bool { self == .mccandlish || self == .surge }

    /// f(B), the rule's shape (see the type).
    /// - Parameters:
    ///   - batchSize: B > 0, in the unit of `noiseScale` (tokens in a fitted law).
    ///   - noiseScale: B_noise > 0 for `mccandlish` and `surge`; ignored by the fixed rules.
    public func shape(batchSize: Double, noiseScale: Double?) -> Double {
        switch self {
        case .sqrt: return batchSize.squareRoot()
        case .linear: return batchSize
        case .constant: return 1
        case .mccandlish, .surge:
            guard let noiseScale else { preconditionFailure("the \(rawValue) rule needs a noise scale") }
            if self == .mccandlish { return 1 / (1 + noiseScale / batchSize) }
            return 2 / ((noiseScale / batchSize).squareRoot() + (batchSize / noiseScale).squareRoot())
        }
    }

    /// The learning rate at `targetBatchSize` for one tuned at `batchSize`:
    /// ```
    /// ε(B₂) = ε(B₁) · f(B₂) / f(B₁)
    /// ```
    /// - Parameters:
    ///   - learningRate: ε(B₁) > 0, the tuned peak learning rate.
    ///   - batchSize: B₁ > 0, the batch size it was tuned at.
    ///   - targetBatchSize: B₂ > 0, in the same unit as B₁.
    ///   - noiseScale: B_noise > 0 in the same unit, for `mccandlish` and `surge`.
    public func transfer(learningRate: Double, from batchSize: Double, to targetBatchSize: Double, noiseScale: Double?) -> Double {
        learningRate * shape(batchSize: targetBatchSize, noiseScale: noiseScale) / shape(batchSize: batchSize, noiseScale: noiseScale)
    }

    /// Where the rule stops describing the optimum, for a transfer from B₁ to B₂ (same unit as
    /// `noiseScale`, when one is known).
    public func validity(from batchSize: Double, to targetBatchSize: Double, noiseScale: Double?) -> String {
        let largest = max(batchSize, targetBatchSize)
        switch self {
        case .sqrt, .linear:
            let law = self == .sqrt ? "√B (Adam)" : "B (SGD)"
            guard let noiseScale else {
                return "\(law) holds only below the noise scale (critical batch size), which is unknown here: fit a transfer law to a sweep to know it"
            }
            if largest < noiseScale / 2 {
                return "\(law) holds below the noise scale B_noise ≈ \(Self.compact(noiseScale)); both batch sizes are well below it"
            }
            return "\(law) holds only below the noise scale B_noise ≈ \(Self.compact(noiseScale)); at \(Self.compact(largest)) the optimum grows more slowly (or falls, for Adam): prefer the fitted rule"
        case .constant:
            return "assumes the optimum does not depend on B, which holds only far above the noise scale (SGD saturation) or near the surge peak (Adam)"
        case .mccandlish:
            let fraction = noiseScale.map { shape(batchSize: targetBatchSize, noiseScale: $0) } ?? .nan
            return "rises towards its ceiling ε_max for B ≫ B_noise ≈ \(noiseScale.map(Self.compact) ?? "?"); at \(Self.compact(targetBatchSize)) the learning rate is \(String(format: "%.0f", fraction * 100)) % of ε_max, and growing B further gains little"
        case .surge:
            let peak = noiseScale.map(Self.compact) ?? "?"
            let side = noiseScale.map { targetBatchSize > $0 ? "above the peak: the learning rate falls as B grows" : "below the peak: the learning rate grows with B" } ?? ""
            return "peaks at B = B_noise ≈ \(peak) and decreases beyond it; \(Self.compact(targetBatchSize)) is \(side) (Li et al. fit it at small and moderate B; the peak moves up as training goes on)"
        }
    }

    private static func compact(_ value: Double) -> String { SweepGroup.compact(value) }
}
