import NonlinearLeastSquares

/// Settings of an exponential (AutoLRS forecast) fit.
public struct ExponentialFitOptions: Sendable, Equatable, Codable {
    /// The default window: the last three quarters of each curve's logged points. On the shared
    /// multi-power-law runs (fit cosine_24000, constant_24000, wsdcon_9; predict the other six) it
    /// predicts the held-out curves best of 1, 0.75, 0.5, 0.25 and 0.1: mean PredE 0.0099 (25M)
    /// and 0.0118 (100M), against 0.0103 / 0.0118 for every point and 0.021 / 0.032 for the last
    /// half. Chosen on those held-out curves, it is the baseline at its best.
    public static let defaultRecentFraction = 0.75

    /// The recent window: the last `recentFraction` of each curve's logged points (within the
    /// curve's step range), in (0, 1]; 1 fits every point.
    public var recentFraction: Double = defaultRecentFraction
    /// Longer windows are fitted on this many bins of consecutive points (mean loss, weighted by
    /// count); not a stored setting, so fits of windows up to this length are unchanged.
    public static let maxPointsPerCurve = 1000
    /// The range searched for the decay rate −b, per `stepScale` steps (the last fitted step):
    /// from a decay barely curved over the whole horizon (−b = 10⁻³, nearly a straight line) to
    /// one finished within 0.1 % of it (−b = 10³, nearly a constant).
    public var decayRateBounds: ClosedRange<Double> = 1e-3...1e3
    /// Points of the logarithmic grid over −b before the golden-section refinement.
    public var gridPoints = 121

    public init(recentFraction: Double = defaultRecentFraction) {
        self.recentFraction = recentFraction
    }

    func validate() throws(FitError) {
        guard recentFraction > 0 && recentFraction <= 1 else {
            throw .invalidArgument("the recent window \(recentFraction) is not a fraction in (0, 1]; give e.g. 0.5 for the last half of each curve's points")
        }
        guard decayRateBounds.lowerBound > 0, decayRateBounds.upperBound.isFinite, decayRateBounds.lowerBound < decayRateBounds.upperBound else {
            throw .invalidArgument("the decay-rate range \(decayRateBounds) must be positive, finite and not empty")
        }
        guard gridPoints >= 3 else { throw .invalidArgument("the decay-rate grid needs at least 3 points, got \(gridPoints)") }
    }
}
