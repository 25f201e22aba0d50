extension RobustLoss {
    /// `sign(r)·√(2ρ(r))`: a residual whose half square is the robust loss of `r`.
    public func transformedResidual(_ r: Double) -> Double {
        switch self {
        case .none: return r
        case .huber(let delta):
            let a = abs(r)
            return a <= delta ? r : (r < 0 ? -1 : 1) * (delta * (2 * a - delta)).squareRoot()
        }
    }

    /// `d r̃ / d r` of `transformedResidual`: 1 in the quadratic zone, `δ / |r̃|` beyond it.
    public func transformedSlope(_ r: Double) -> Double {
        switch self {
        case .none: return 1
        case .huber(let delta):
            let a = abs(r)
            return a <= delta ? 1 : delta / (delta * (2 * a - delta)).squareRoot()
        }
    }
}
