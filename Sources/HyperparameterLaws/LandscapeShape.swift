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

    /// The range with both ends divided by `divisor` (> 0), e.g. tokens to sequences.
    func divided(by divisor: Double) -> NearOptimumRange {
        NearOptimumRange(lower: lower / divisor, upper: upper / divisor, lowerIsOpen: lowerIsOpen, upperIsOpen: upperIsOpen)
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

    /// Where the relative excess L/L* − 1 first reaches `tolerance` going down and up one axis
    /// (the other held at its optimum), in ln units from the optimum; an end the runs did not
    /// reach is the reach itself, marked open.
    func range(alongLearningRate: Bool, tolerance: Double) -> (lower: Double, upper: Double, lowerIsOpen: Bool, upperIsOpen: Bool) {
        let limit = log1p(tolerance)
        let step = 1e-3
        func walk(direction: Double, reach: Double) -> (Double, Bool) {
            var distance = 0.0
            while distance + step <= abs(reach) {
                distance += step
                let offset = direction * distance
                let excess = alongLearningRate ? logExcess(x: offset, y: 0) : logExcess(x: 0, y: offset)
                if excess >= limit { return (offset, false) }
            }
            return (reach, true)
        }
        let reachBelow = alongLearningRate ? reach[0] : reach[2]
        let reachAbove = alongLearningRate ? reach[1] : reach[3]
        let (lower, lowerIsOpen) = walk(direction: -1, reach: reachBelow)
        let (upper, upperIsOpen) = walk(direction: 1, reach: reachAbove)
        return (lower, upper, lowerIsOpen, upperIsOpen)
    }
}
