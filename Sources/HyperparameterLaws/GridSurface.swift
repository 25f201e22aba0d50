import Foundation
import LinearAlgebra

/// A smooth surface through one group's whole grid of runs, used to score learning rates and
/// batch sizes that were never run (leave-one-group-out evaluation).
///
/// Local quadratic regression (LOESS) of ln L over (ln η, ln B) with a Gaussian kernel: at a
/// query point q,
/// ```
/// wᵢ = exp(−½ [((xᵢ − x_q)/(h·Δx))² + ((yᵢ − y_q)/(h·Δy))²])
/// L̂(q) = exp(b₀),  b = argmin Σ wᵢ (ln Lᵢ − b₀ − b₁dxᵢ − b₂dyᵢ − b₃dxᵢ² − b₄dxᵢdyᵢ − b₅dyᵢ²)²
/// ```
/// Δx, Δy are the grid's ranges of ln η and ln B. The bandwidth h is chosen per group among
/// `bandwidths` by leave-one-run-out error on the runs within 3 % of the best, where
/// recommendations land. It is deliberately a different model from the polynomial surrogate
/// that locates optima, so that the evaluation does not favour that method. Runs whose loss
/// exceeds 1.5 × the best diverged; they are left out of the surface and counted, and a query
/// whose nearest run diverged is flagged. Queries outside the grid are moved to its edge and flagged.
///
/// Reference: W. S. Cleveland, S. J. Devlin (1988), "Locally weighted regression", JASA 83(403).
public struct GridSurface: Sendable {
    /// Candidate bandwidths, as fractions of the grid's range in each coordinate.
    static let bandwidths = [0.05, 0.075, 0.1, 0.15, 0.2, 0.3]
    /// A run this many times worse than the best has diverged; converged runs of a sweep stay
    /// within some tens of percent of the best.
    static let divergenceFactor = 1.5
    /// The bandwidth is chosen for accuracy among the runs within this excess over the best.
    static let selectionBand = 0.03

    /// How many runs were left out as diverged.
    public let divergedRuns: Int
    /// The chosen bandwidth h.
    public let bandwidth: Double
    /// RMS of the leave-one-run-out errors of ln L (≈ relative error) over the runs within 3 %
    /// of the best, at the chosen bandwidth.
    public let heldOutError: Double
    /// The group's best loss.
    public let bestLoss: Double

    private let x: [Double]
    private let y: [Double]
    private let z: [Double]
    private let divergedX: [Double]
    private let divergedY: [Double]
    private let range: (x: ClosedRange<Double>, y: ClosedRange<Double>)

    /// The value of the surface at one point.
    public struct Value: Sendable, Equatable, Codable {
        /// The smoothed loss.
        public var loss: Double
        /// True when the point lay outside the grid and was moved to its edge (the loss there
        /// understates the loss at the point).
        public var isOutsideGrid: Bool
        /// True when the run nearest to the point diverged (the surface, fitted to converged
        /// runs, understates the loss there).
        public var isNearDivergence: Bool
    }

    /// The surface of `group`.
    public init(group: SweepGroup) {
        let best = group.bestLoss
        let converged = group.runs.filter { $0.loss <= best * Self.divergenceFactor }
        let diverged = group.runs.filter { $0.loss > best * Self.divergenceFactor }
        let x = converged.map { log($0.learningRate) }
        let y = converged.map { log($0.batchSizeTokens) }
        let z = converged.map { log($0.loss) }
        let allX = group.runs.map { log($0.learningRate) }, allY = group.runs.map { log($0.batchSizeTokens) }
        let range = (x: allX.min()!...allX.max()!, y: allY.min()!...allY.max()!)
        (self.x, self.y, self.z, self.range) = (x, y, z, range)
        divergedX = diverged.map { log($0.learningRate) }
        divergedY = diverged.map { log($0.batchSizeTokens) }
        divergedRuns = diverged.count
        bestLoss = best

        let order = z.indices.sorted { z[$0] < z[$1] }
        let nearBest = order.filter { z[$0] <= log(best * (1 + Self.selectionBand)) }
        let selection = nearBest.count >= 10 ? nearBest : Array(order.prefix(10))
        var choice = (error: Double.infinity, bandwidth: Self.bandwidths[0])
        for candidate in Self.bandwidths {
            var squares = 0.0
            for left in selection {
                let r = Self.localFit(x: x, y: y, z: z, skipping: left, at: (x[left], y[left]), bandwidth: candidate, range: range) - z[left]
                squares += r * r
            }
            let error = (squares / Double(selection.count)).squareRoot()
            if error < choice.error { choice = (error, candidate) }
        }
        bandwidth = choice.bandwidth
        heldOutError = choice.error
    }

    /// The smoothed loss at (η, B), B in tokens.
    public func value(learningRate: Double, batchSizeTokens: Double) -> Value {
        let qx = log(learningRate), qy = log(batchSizeTokens)
        let clampedX = min(max(qx, range.x.lowerBound), range.x.upperBound)
        let clampedY = min(max(qy, range.y.lowerBound), range.y.upperBound)
        let loss = exp(Self.localFit(x: x, y: y, z: z, skipping: nil, at: (clampedX, clampedY), bandwidth: bandwidth, range: range))
        return Value(loss: loss, isOutsideGrid: clampedX != qx || clampedY != qy,
                     isNearDivergence: nearestRunDiverged(clampedX, clampedY))
    }

    private func nearestRunDiverged(_ qx: Double, _ qy: Double) -> Bool {
        let width = range.x.upperBound - range.x.lowerBound, height = range.y.upperBound - range.y.lowerBound
        func distance(_ px: Double, _ py: Double) -> Double {
            let dx = (px - qx) / width, dy = (py - qy) / height
            return dx * dx + dy * dy
        }
        let nearestConverged = zip(x, y).map { distance($0, $1) }.min() ?? .infinity
        let nearestDiverged = zip(divergedX, divergedY).map { distance($0, $1) }.min() ?? .infinity
        return nearestDiverged < nearestConverged
    }

    /// b₀ of the weighted local quadratic at `point`, leaving out run `skipping`.
    static func localFit(x: [Double], y: [Double], z: [Double], skipping: Int?, at point: (Double, Double),
                         bandwidth: Double, range: (x: ClosedRange<Double>, y: ClosedRange<Double>)) -> Double {
        let width = bandwidth * max(range.x.upperBound - range.x.lowerBound, 1e-12)
        let height = bandwidth * max(range.y.upperBound - range.y.lowerBound, 1e-12)
        let count = x.count - (skipping == nil ? 0 : 1)
        var design = Matrix(rowCount: count, columnCount: 6)
        var rhs = [Double](repeating: 0, count: count)
        var row = 0
        for i in x.indices where i != skipping {
            let u = (x[i] - point.0) / width, v = (y[i] - point.1) / height
            let root = exp(-0.25 * (u * u + v * v))
            for (column, basis) in [1, u, v, u * u, u * v, v * v].enumerated() { design[row, column] = basis * root }
            rhs[row] = z[i] * root
            row += 1
        }
        if count >= 6, let solution = try? LeastSquares.solve(design, rhs) { return solution[0] }
        // Too few runs carry weight near the point for all six coefficients: the minimum-norm
        // solution still gives a finite local level.
        if let solution = try? LeastSquares.solveRankRevealing(design, rhs) { return solution.solution[0] }
        return z.indices.filter { $0 != skipping }.map { z[$0] }.reduce(0, +) / Double(count)
    }
}
