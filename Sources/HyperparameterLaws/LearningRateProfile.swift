import Foundation
import LinearAlgebra

/// The runs of one (N, D) group at one batch size: their best learning rate, located between
/// grid points, and the loss at any learning rate.
///
/// The best learning rate is the 1-D counterpart of `OptimumLocator`'s surrogate: a quadratic in
/// x = ln η fitted by least squares (LAPACK `dgels`) to ln L of the runs within `band` of the best
/// loss (at least the best 2 × 3 runs, `OptimumLocator.runsPerCoefficient` per coefficient),
/// ```
/// ln L ≈ a₀ + a₁u + a₂u²,  u = (x − c)/s,   η* = exp(c − s·a₁/(2a₂))
/// ```
/// accepted when a₂ > 0 and its vertex lies strictly inside the range of the runs used; otherwise
/// the best run's learning rate. A quadratic rather than the 2-D locator's cubic: one batch size
/// has about a dozen learning rates, and a cubic's eight runs reach into the steep, divergent side.
///
/// The loss at a learning rate that was not run is read from the runs themselves, not from the
/// surrogate, so that scoring does not favour the method that located the optimum: linear
/// interpolation of ln L over ln η between the neighbouring runs (diverged runs included: they
/// are what such a learning rate costs), held at the end run outside the grid.
public struct LearningRateProfile: Sendable, Equatable, Codable {
    /// The batch size B in tokens.
    public var batchSizeTokens: Double
    /// The distinct learning rates run, ascending.
    public var learningRates: [Double]
    /// The loss at each learning rate (the geometric mean over repeated runs).
    public var losses: [Double]
    /// The located best learning rate η*.
    public var bestLearningRate: Double
    /// The lowest loss of any run at this batch size.
    public var bestLoss: Double
    /// True when the quadratic placed η* between grid points; false when it is the best run's.
    public var isInterpolated: Bool

    /// The profile of the runs of one batch size.
    /// - Parameters:
    ///   - batchSizeTokens: B > 0 in tokens.
    ///   - runs: the group's runs at B; at least 3 distinct learning rates (the caller checks).
    ///   - band: the surrogate's runs lie within this relative excess over the best, in (0, 1).
    public init(batchSizeTokens: Double, runs: [GroupRun], band: Double) {
        let byRate = Dictionary(grouping: runs, by: \.learningRate)
        let rates = byRate.keys.sorted()
        let logLosses = rates.map { rate in byRate[rate]!.map { log($0.loss) }.reduce(0, +) / Double(byRate[rate]!.count) }
        self.batchSizeTokens = batchSizeTokens
        learningRates = rates
        losses = logLosses.map(exp)
        bestLoss = runs.map(\.loss).min()!
        let vertex = Self.quadraticMinimum(x: rates.map(log), z: logLosses, band: band)
        isInterpolated = vertex != nil
        bestLearningRate = vertex.map(exp) ?? rates[logLosses.indices.min { logLosses[$0] < logLosses[$1] }!]
    }

    /// The loss at learning rate η > 0, and whether η lay outside the learning rates run.
    public func loss(atLearningRate learningRate: Double) -> (loss: Double, isOutsideGrid: Bool) {
        let x = log(learningRate)
        let logRates = learningRates.map(log)
        if x <= logRates[0] { return (losses[0], x < logRates[0]) }
        if x >= logRates[logRates.count - 1] { return (losses[losses.count - 1], x > logRates[logRates.count - 1]) }
        let upper = logRates.firstIndex { $0 >= x }!
        let lower = upper - 1
        let weight = (x - logRates[lower]) / (logRates[upper] - logRates[lower])
        return (exp((1 - weight) * log(losses[lower]) + weight * log(losses[upper])), false)
    }

    /// The vertex of the quadratic fitted to the points near the lowest z, when it is a minimum
    /// strictly inside their x range.
    static func quadraticMinimum(x: [Double], z: [Double], band: Double) -> Double? {
        let order = z.indices.sorted { z[$0] < z[$1] }
        let needed = min(OptimumLocator.runsPerCoefficient * 3, order.count)
        let inBand = order.prefix { z[$0] <= z[order[0]] + log1p(band) }
        let used = inBand.count >= needed ? Array(inBand) : Array(order.prefix(needed))
        let usedX = used.map { x[$0] }
        let low = usedX.min()!, high = usedX.max()!
        guard used.count >= 3, high > low else { return nil }
        let center = (low + high) / 2, scale = (high - low) / 2
        var design = Matrix(rowCount: used.count, columnCount: 3)
        for (row, index) in used.enumerated() {
            let u = (x[index] - center) / scale
            design[row, 0] = 1
            design[row, 1] = u
            design[row, 2] = u * u
        }
        guard let coefficients = try? LeastSquares.solve(design, used.map { z[$0] }), coefficients[2] > 0 else { return nil }
        let vertex = -coefficients[1] / (2 * coefficients[2])
        return abs(vertex) < 1 ? center + scale * vertex : nil
    }
}
