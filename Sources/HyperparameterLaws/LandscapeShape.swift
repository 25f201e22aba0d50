import Foundation

/// The range of one hyperparameter over which the loss stays within a tolerance of the optimum.
public struct NearOptimumRange: Sendable, Equatable, Codable {
    /// The lowest value that stays within the tolerance.
    public var lower: Double
    /// The highest value that stays within the tolerance.
    public var upper: Double
    /// True when the sweep's runs end before the loss rises by the tolerance below the optimum:
    /// the range reaches at least down to `lower`.
    public var lowerIsOpen: Bool
    /// True when the sweep's runs end before the loss rises by the tolerance above the optimum.
    public var upperIsOpen: Bool

    /// A range from its parts.
    public init(lower: Double, upper: Double, lowerIsOpen: Bool, upperIsOpen: Bool) {
        self.lower = lower
        self.upper = upper
        self.lowerIsOpen = lowerIsOpen
        self.upperIsOpen = upperIsOpen
    }

    /// A range of batch sizes in tokens as whole sequences of `length` tokens (`Recommendation.wholeSequences`).
    func inWholeSequences(of length: Int) -> NearOptimumRange {
        NearOptimumRange(lower: Recommendation.wholeSequences(lower, length: length), upper: Recommendation.wholeSequences(upper, length: length),
                         lowerIsOpen: lowerIsOpen, upperIsOpen: upperIsOpen)
    }
}

/// The shape of the loss landscape around the optimum, averaged over a sweep's groups: how fast
/// the loss rises as the learning rate and the batch size move away from their optimal values.
///
/// With x = ln η − ln η*, y = ln B − ln B* and each group's surrogate expanded at its optimum
/// (exact for a cubic):
/// ```
/// ln L(x, y) − ln L* = ½(h_xx x² + 2h_xy xy + h_yy y²)
///                    + ⅙(t_xxx x³ + 3t_xxy x²y + 3t_xyy xy² + t_yyy y³)
/// ```
/// The h and t are the means over groups whose optimum came from a surrogate. Averaging the
/// expansions keeps the optimum at zero, because each has no constant or linear term. The shape
/// gives the range within 0.25 % of the optimum at a new (N, D); a range end that the groups'
/// runs did not reach on average is reported as open.
public struct LandscapeShape: Sendable, Equatable, Codable {
    /// (h_xx, h_xy, h_yy): mean second derivatives of ln L at the optimum.
    public var second: [Double]
    /// (t_xxx, t_xxy, t_xyy, t_yyy): mean third derivatives.
    public var third: [Double]
    /// How far the surrogates' runs reached from the optimum, on average, in ln units:
    /// (below in x, above in x, below in y, above in y), the "below" entries negative.
    public var reach: [Double]
    /// How many groups were averaged.
    public var groupCount: Int

    /// The mean shape of the surrogate optima among `optima` and the runs of `groups`; nil when
    /// no optimum came from a surrogate.
    init?(groups: [SweepGroup], optima: [GroupOptimum]) {
        var second = [0.0, 0, 0], third = [0.0, 0, 0, 0], reach = [0.0, 0, 0, 0]
        var count = 0
        for (group, optimum) in zip(groups, optima) {
            guard let surrogate = optimum.surrogate else { continue }
            let x = log(optimum.learningRate), y = log(optimum.batchSizeTokens)
            for (index, value) in surrogate.hessian(x: x, y: y).enumerated() { second[index] += value }
            for (index, value) in surrogate.thirdDerivatives.enumerated() { third[index] += value }
            let dx = optimum.usedRuns.map { log(group.runs[$0].learningRate) - x }
            let dy = optimum.usedRuns.map { log(group.runs[$0].batchSizeTokens) - y }
            for (index, value) in [dx.min()!, dx.max()!, dy.min()!, dy.max()!].enumerated() { reach[index] += value }
            count += 1
        }
        guard count > 0 else { return nil }
        let scale = 1 / Double(count)
        self.second = second.map { $0 * scale }
        self.third = third.map { $0 * scale }
        self.reach = reach.map { $0 * scale }
        self.groupCount = count
    }

    /// Whether every array has its length and every entry is finite (a file may have been edited).
    var isWellFormed: Bool {
        second.count == 3 && third.count == 4 && reach.count == 4 && (second + third + reach).allSatisfy(\.isFinite)
    }

    /// ln L(x, y) − ln L*, x and y in ln units from the optimum.
    public func logExcess(x: Double, y: Double) -> Double {
        let quadratic = 0.5 * (second[0] * x * x + 2 * second[1] * x * y + second[2] * y * y)
        let cubic = (third[0] * x * x * x + 3 * third[1] * x * x * y + 3 * third[2] * x * y * y + third[3] * y * y * y) / 6
        return quadratic + cubic
    }

    /// The learning rate with the lowest loss at a batch size held `y` ln units from B* (the
    /// minimum of the expansion along x at that y), in ln units from η*; nil when the expansion
    /// has no minimum along x there.
    ///
    /// ```
    /// ∂/∂x = ½t_xxx x² + (h_xx + t_xxy y) x + (h_xy y + ½t_xyy y²) = a x² + b x + c = 0
    /// x* = −2c / (b + √(b² − 4ac))      (the root where ∂²/∂x² = √(b² − 4ac) > 0)
    /// ```
    public func bestLearningRateOffset(atBatchOffset y: Double) -> Double? {
        let a = third[0] / 2, b = second[0] + third[1] * y, c = second[1] * y + third[2] * y * y / 2
        let discriminant = b * b - 4 * a * c
        guard discriminant >= 0 else { return nil }
        let denominator = b + discriminant.squareRoot()
        guard denominator > 0 else { return nil }
        return -2 * c / denominator
    }

    /// Whether the point (x, y) lies within the reach of the sweep's runs around their optima
    /// (`reach`), where the averaged expansion was measured.
    public func isWithinReach(x: Double, y: Double) -> Bool {
        x >= reach[0] && x <= reach[1] && y >= reach[2] && y <= reach[3]
    }

    /// Where the relative excess over the loss at `point` first reaches `tolerance` going down and
    /// up one axis (the other held), in ln units from the optimum; an end the runs did not reach
    /// is the reach itself, marked open. At the optimum (the default point) the excess is over L*.
    func range(alongLearningRate: Bool, tolerance: Double, from point: (x: Double, y: Double) = (0, 0))
        -> (lower: Double, upper: Double, lowerIsOpen: Bool, upperIsOpen: Bool) {
        let limit = log1p(tolerance)
        let step = 1e-3
        let start = alongLearningRate ? point.x : point.y
        let base = logExcess(x: point.x, y: point.y)
        func walk(direction: Double, reach: Double) -> (Double, Bool) {
            let length = max(0, direction * (reach - start))
            var distance = 0.0
            while distance + step <= length {
                distance += step
                let offset = start + direction * distance
                let excess = alongLearningRate ? logExcess(x: offset, y: point.y) : logExcess(x: point.x, y: offset)
                if excess - base >= limit { return (offset, false) }
            }
            return (start + direction * length, true)
        }
        let reachBelow = alongLearningRate ? reach[0] : reach[2]
        let reachAbove = alongLearningRate ? reach[1] : reach[3]
        let (lower, lowerIsOpen) = walk(direction: -1, reach: reachBelow)
        let (upper, upperIsOpen) = walk(direction: 1, reach: reachAbove)
        return (lower, upper, lowerIsOpen, upperIsOpen)
    }
}
