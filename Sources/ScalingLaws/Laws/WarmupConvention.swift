/// How the learning-rate areas treat the warmup.
public enum WarmupConvention: String, Sendable, Equatable, Codable, CaseIterable {
    /// The warmup's own learning rates, as applied.
    case literal
    /// The annealing-law paper's convention: every step before the peak is first reached counts
    /// as if it ran at the peak LR (Tissue et al. 2024, §3).
    case peak

    /// The per-step learning rates the areas are computed from.
    public func effectiveRates(_ rates: [Double]) -> [Double] {
        switch self {
        case .literal:
            return rates
        case .peak:
            guard let peak = rates.max(), peak > 0 else { return rates }
            guard let reached = rates.firstIndex(where: { $0 >= peak * (1 - 1e-9) }) else { return rates }
            var adjusted = rates
            for s in 0..<reached { adjusted[s] = peak }
            return adjusted
        }
    }
}
