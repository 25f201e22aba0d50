/// How well predicted losses match observed ones (DESIGN §3).
///
/// ```
/// R²     = 1 − Σ(L̂ − L)² / Σ(L − mean L)²    (undefined, nil, when the observed loss does not vary)
/// MAE    = mean |L̂ − L|          RMSE = √ mean (L̂ − L)²
/// PredE  = mean |L̂ − L| / L      WorstE = max |L̂ − L| / L
/// ```
/// PredE is the metric of Luo et al. (2025), arXiv 2503.12811.
public struct PredictionMetrics: Sendable, Equatable, Codable {
    /// Number of points compared.
    public var points: Int
    /// nil when the observed losses do not vary (a constant loss): R² divides by their variance.
    public var r2: Double?
    public var mae: Double
    public var rmse: Double
    public var predE: Double
    public var worstE: Double

    /// Compares `predicted` with `observed` point by point (equal, non-zero lengths).
    public init(observed: [Double], predicted: [Double]) {
        precondition(observed.count == predicted.count && !observed.isEmpty, "PredictionMetrics needs equal, non-empty series")
        let n = Double(observed.count)
        let mean = observed.reduce(0, +) / n
        var squared = 0.0, total = 0.0, absolute = 0.0, relative = 0.0, worst = 0.0
        for (l, p) in zip(observed, predicted) {
            let error = p - l
            squared += error * error
            total += (l - mean) * (l - mean)
            absolute += abs(error)
            let r = abs(error) / abs(l)
            relative += r
            worst = max(worst, r)
        }
        points = observed.count
        // A spread below 1e-10 of the level is the rounding of a constant loss's mean, not variance.
        let constant = total <= n * (1e-10 * mean) * (1e-10 * mean)
        r2 = constant ? nil : 1 - squared / total
        mae = absolute / n
        rmse = (squared / n).squareRoot()
        predE = relative / n
        worstE = worst
    }

    private init(points: Int, r2: Double?, mae: Double, rmse: Double, predE: Double, worstE: Double) {
        self.points = points
        self.r2 = r2
        self.mae = mae
        self.rmse = rmse
        self.predE = predE
        self.worstE = worstE
    }

    /// The average over curves: each metric is the mean of the curves' values,
    /// so every curve counts the same whatever its length (R² over the curves that have one).
    /// `points` is the total.
    public static func mean(of curves: [PredictionMetrics]) -> PredictionMetrics {
        precondition(!curves.isEmpty, "mean(of:) needs at least one curve")
        let n = Double(curves.count)
        return PredictionMetrics(
            points: curves.reduce(0) { $0 + $1.points },
            r2: curves.compactMap(\.r2).isEmpty ? nil : curves.compactMap(\.r2).reduce(0, +) / Double(curves.compactMap(\.r2).count),
            mae: curves.reduce(0) { $0 + $1.mae } / n,
            rmse: curves.reduce(0) { $0 + $1.rmse } / n,
            predE: curves.reduce(0) { $0 + $1.predE } / n,
            worstE: curves.reduce(0) { $0 + $1.worstE } / n)
    }

    private enum CodingKeys: String, CodingKey {
        case points, r2, mae, rmse, predE, worstE
    }

    /// Every key, an undefined R² as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(points, forKey: .points)
        try container.encode(r2, forKey: .r2)
        try container.encode(mae, forKey: .mae)
        try container.encode(rmse, forKey: .rmse)
        try container.encode(predE, forKey: .predE)
        try container.encode(worstE, forKey: .worstE)
    }
}
