/// How the optimum (η*, B*) of each (N, D) group is located before the laws are fitted.
public enum OptimumEstimator: String, Sendable, Equatable, Codable, CaseIterable {
    /// A polynomial surrogate of ln L over (ln η, ln B) fitted to the runs near the group's best,
    /// minimised between grid points (see `OptimumSettings`). The default.
    case surrogate
    /// Step Law's own method (Li et al. 2025, arXiv 2503.04715): every run within `nearBestTolerance`
    /// of the group's best loss enters the law's regression as a point.
    case nearBest = "near-best"
}

/// What located a group's optimum.
public enum OptimumMethod: String, Sendable, Equatable, Codable {
    /// The minimum of a cubic surrogate.
    case cubicSurrogate = "cubic surrogate"
    /// The minimum of a quadratic surrogate (the cubic was rejected).
    case quadraticSurrogate = "quadratic surrogate"
    /// The best run itself (no surrogate passed the checks).
    case bestRun = "best run"
    /// The runs within the near-best tolerance (Step Law's method).
    case nearBestRuns = "runs near the best"
}

/// Settings for locating each group's optimum.
///
/// The surrogate is a cubic in (ln η, ln B) on ln L, fitted by least squares to the runs within
/// `band` of the group's best loss (at least `2 × 10` runs: the best ones when the band holds
/// fewer). A cubic rather than a quadratic because the landscape is lopsided: too high a learning
/// rate costs more than too low a one, and a symmetric quadratic then pulls the optimum towards
/// the gentle side. The cubic is accepted when its minimum lies strictly inside the range of the
/// runs it was fitted to and its Hessian there is positive definite; otherwise a quadratic is
/// tried under the same checks, and then the best run is used. `SurrogateValidation` compares
/// these choices by held-out error on the user's own sweep.
public struct OptimumSettings: Sendable, Equatable, Codable {
    /// Which estimator to use.
    public var estimator: OptimumEstimator = .surrogate
    /// The surrogate's runs: those within this relative excess over the best loss, in (0, 1).
    public var band = 0.02
    /// Step Law's tolerance for `.nearBest`: runs within this relative excess, in (0, 1).
    public var nearBestTolerance = 0.0025

    /// The default settings.
    public init() {}

    func validate() throws(SweepError) {
        guard band > 0 && band < 1 else { throw .invalidSetting("the surrogate band must lie in (0, 1), got \(band)") }
        guard nearBestTolerance > 0 && nearBestTolerance < 1 else {
            throw .invalidSetting("the near-best tolerance must lie in (0, 1), got \(nearBestTolerance)")
        }
    }
}
