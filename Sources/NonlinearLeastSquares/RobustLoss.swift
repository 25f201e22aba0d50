/// The loss applied to each residual by a fit: plain least squares or Huber's robust loss.
///
/// ```
/// none:        ρ(r) = r²/2
/// huber(δ):    ρ(r) = r²/2            for |r| ≤ δ
///              ρ(r) = δ·(|r| − δ/2)   for |r| > δ
/// objective  = Σᵢ ρ(rᵢ)
/// ```
/// The Huber loss is minimised by iteratively reweighted least squares (IRLS) with weights
/// `w(r) = ψ(r)/r = min(1, δ/|r|)`. Each weighted least-squares solve majorises the Huber
/// objective at the current residuals, so the objective never increases from one IRLS round to
/// the next.
///
/// References: P. J. Huber (1964), "Robust estimation of a location parameter", Ann. Math.
/// Statist. 35(1); P. W. Holland, R. E. Welsch (1977), "Robust regression using iteratively
/// reweighted least-squares", Comm. Statist. A6(9).
public enum RobustLoss: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Ordinary least squares, `ρ(r) = r²/2`.
    case none
    /// Huber's loss with threshold `delta > 0` (same units as the residuals): quadratic for
    /// `|r| ≤ δ`, linear beyond.
    case huber(delta: Double)

    /// `ρ(r)` for one residual.
    @inlinable
    public func value(_ r: Double) -> Double {
        switch self {
        case .none:
            return 0.5 * r * r
        case .huber(let delta):
            let a = abs(r)
            return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta)
        }
    }

    /// The IRLS weight `ψ(r)/r` in (0, 1]: 1 inside the quadratic zone, `δ/|r|` outside.
    @inlinable
    public func weight(_ r: Double) -> Double {
        switch self {
        case .none:
            return 1
        case .huber(let delta):
            let a = abs(r)
            return a <= delta ? 1 : delta / a
        }
    }

    /// `Σᵢ ρ(rᵢ)`, accumulated with compensated (Neumaier) summation.
    public func objective(_ residuals: [Double]) -> Double {
        var sum = CompensatedSum()
        for r in residuals { sum.add(value(r)) }
        return sum.value
    }

    /// Whether the loss is plain least squares.
    public var isLeastSquares: Bool {
        if case .none = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .none: return "least squares"
        case .huber(let delta): return "Huber(δ=\(delta))"
        }
    }

    /// Checks the threshold: `δ` must be finite and positive.
    public func validate() throws(FitError) {
        if case .huber(let delta) = self, !(delta > 0 && delta.isFinite) {
            throw .invalidArgument("the Huber threshold δ must be finite and positive, got \(delta)")
        }
    }
}
