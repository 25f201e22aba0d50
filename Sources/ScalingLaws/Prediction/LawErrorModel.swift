/// The law's own error: how far a fitted law's prediction of a run it has not seen lies from the
/// measured loss beyond what parameter noise and the committee's spread explain.
///
/// ```
/// predictive SD of L̂(s)      = √( SE(s)² + spread(s)² + (b · L̂(s))² )
/// predictive SD of L̂_A − L̂_B = √( SE_d² + spread_d² + (b_d · (L̂_A + L̂_B)/2)² )
/// ```
/// SE is the delta-method standard error (or the bootstrap's band), spread the committee members'
/// half gap (`Committee.combine`). The constants were calibrated on held-out real runs (the shared
/// MPL 25M/100M and 124M families under ten fit sets, each setting left out in turn so that 95 %
/// of the held-out points of the others fall inside the band, and 95 % of the measured differences
/// of same-horizon held-out pairs inside the difference's interval): the folds gave b = 0.0021–0.0025
/// and b_d = 0.0034–0.0039. `lossfit evidence` reports the coverage and widths they give.
/// Terms growing with extrapolation (steps, cooldown length, LR, area beyond the fitted data) did not
/// improve the held-out coverage: the members' spread already grows where the law's error does, so
/// extrapolation is reported beside the band (`Extrapolation`), not added to it.
public struct LawErrorModel: Sendable, Equatable, Codable {
    /// b: the relative standard deviation of the law's error in one prediction.
    public var relativeError: Double
    /// b_d: the relative standard deviation of the law's error in the difference of two predictions,
    /// relative to their mean.
    public var relativeDifferenceError: Double

    public init(relativeError: Double, relativeDifferenceError: Double) {
        self.relativeError = relativeError
        self.relativeDifferenceError = relativeDifferenceError
    }

    /// The calibration on held-out real runs: b = 0.25 %, b_d = 0.37 %.
    public static let calibrated = LawErrorModel(relativeError: 0.0025, relativeDifferenceError: 0.0037)

    /// No law error: bands of parameter noise (and spread) only.
    public static let none = LawErrorModel(relativeError: 0, relativeDifferenceError: 0)
}
