import Foundation
import LinearAlgebra
import NonlinearLeastSquares

/// Fits the AutoLRS forecast `L = a·e^(b·x) + c` to the recent window of one or more curves,
/// pooled in step space (the schedules are ignored, as the forecast ignores them).
///
/// ```
/// window:    the last ⌈f·n⌉ of each curve's n logged points (f = recentFraction)
/// x_i      = s_i / s_max                       s_max: the last step of any window
/// minimise   Σ_i ((a·e^(b·x_i) + c)/L_i − 1)²   over b ∈ −[b_min, b_max], a and c free
/// ```
/// Relative residuals, the first-order form of the log-loss residuals the other laws minimise,
/// keep (a, c) linear: for each b they come from LAPACK least squares (`LeastSquares.solve`), and
/// b comes from a 1-D search over the resulting profile, a logarithmic grid over −b refined by
/// golden sections between the best grid point's neighbours. Jin et al. (2021), AutoLRS, fit the
/// same form with b by a 1-D search and (a, c) by linear least squares.
///
/// b < 0 is enforced by the search range. A best fit with a ≤ 0 rises (or is flat) over the
/// window and is refused (`FitError.notDecreasing`); a b at the end of its range is kept and said
/// in a note (there the window shows a straight line, or a loss already at its floor). The
/// covariance of (a, b, c) is `σ̂² (JᵀJ)⁻¹` from the Jacobian of the relative residuals, b left
/// out when it sits at its bound.
public struct ExponentialFitter: Sendable {
    public var options: ExponentialFitOptions

    public init(options: ExponentialFitOptions = .init()) {
        self.options = options
    }

    /// The points of each curve's recent window, pooled.
    struct Data {
        var curves: [(curve: TrainingCurve, window: Range<Int>)]
        var x: [Double]
        var losses: [Double]
        /// How many logged points each fitted point stands for (1 unless binned), and their roots.
        var weights: [Double]
        var rootWeights: [Double]
        var stepScale: Double
        var count: Int { losses.count }
    }

    /// Fits the recent windows of `curves` jointly.
    /// - Throws: `FitError.invalidArgument` for bad options or no curves,
    ///   `FitError.tooFewObservations` below 4 points, `FitError.notDecreasing` when the best fit
    ///   does not decay.
    public func fit(_ curves: [TrainingCurve]) throws(FitError) -> FitResult {
        guard !curves.isEmpty else { throw .invalidArgument("no curves to fit") }
        try options.validate()
        let data = try window(curves)
        guard data.count > 3 else { throw .tooFewObservations(observations: data.count, parameters: 3) }

        let logLow = log(options.decayRateBounds.lowerBound), logHigh = log(options.decayRateBounds.upperBound)
        // u = ln(−b): the grid, then golden sections between the best grid point's neighbours.
        let grid = (0..<options.gridPoints).map { logLow + (logHigh - logLow) * Double($0) / Double(options.gridPoints - 1) }
        let profiles = grid.map { profile(data, b: -exp($0)) }
        guard let bestIndex = profiles.indices.filter({ profiles[$0] != nil }).min(by: { profiles[$0]!.objective < profiles[$1]!.objective }) else {
            throw .invalidArgument("no decay rate gave a finite fit; check that the losses are finite and positive")
        }
        var low = grid[max(bestIndex - 1, 0)], high = grid[min(bestIndex + 1, grid.count - 1)]
        let ratio = (5.0.squareRoot() - 1) / 2
        var iterations = grid.count
        var left = high - ratio * (high - low), right = low + ratio * (high - low)
        var leftValue = profile(data, b: -exp(left))?.objective ?? .infinity
        var rightValue = profile(data, b: -exp(right))?.objective ?? .infinity
        while high - low > 1e-10 * max(1, abs(low)) && iterations < grid.count + 200 {
            iterations += 1
            if leftValue <= rightValue {
                (high, right, rightValue) = (right, left, leftValue)
                left = high - ratio * (high - low)
                leftValue = profile(data, b: -exp(left))?.objective ?? .infinity
            } else {
                (low, left, leftValue) = (left, right, rightValue)
                right = low + ratio * (high - low)
                rightValue = profile(data, b: -exp(right))?.objective ?? .infinity
            }
        }
        let converged = high - low <= 1e-10 * max(1, abs(low))
        var candidates = [(u: grid[bestIndex], fit: profiles[bestIndex]!)]
        let middle = 0.5 * (low + high)
        if let refined = profile(data, b: -exp(middle)) { candidates.append((middle, refined)) }
        let best = candidates.min { $0.fit.objective < $1.fit.objective }!
        let law = ExponentialLaw(a: best.fit.a, b: -exp(best.u), c: best.fit.c, stepScale: data.stepScale)

        guard law.a > 0 else {
            let windows = data.curves.map { curve, window in
                "\(curve.name) \(curve.losses[window.lowerBound]) at step \(curve.steps[window.lowerBound]) → \(curve.losses[window.upperBound - 1]) at step \(curve.steps[window.upperBound - 1])"
            }
            throw .notDecreasing("the best exponential fit to the recent window rises or stays flat (a = \(law.a) ≤ 0; \(windows.joined(separator: ", ")))")
        }
        let margin = 1e-6 * (logHigh - logLow)
        let atBound = best.u <= logLow + margin || best.u >= logHigh - margin
        return Self.result(law: law, data: data, options: options, atBound: atBound, objective: best.fit.objective,
                           iterations: iterations, converged: converged)
    }

    /// Each curve's recent window, pooled, with x scaled by the last windowed step.
    func window(_ curves: [TrainingCurve]) throws(FitError) -> Data {
        var windows: [(curve: TrainingCurve, window: Range<Int>)] = []
        var steps: [Int] = [], losses: [Double] = [], weights: [Double] = []
        for curve in curves {
            let count = curve.steps.count
            let kept = min(count, max(1, Int((options.recentFraction * Double(count)).rounded(.up))))
            let range = (count - kept)..<count
            windows.append((curve, range))
            // A longer window is fitted on bins of consecutive points: the middle point's step, the
            // mean loss, weighted by count (the law is smooth in the step; bins of one change nothing).
            let binSize = (range.count + ExponentialFitOptions.maxPointsPerCurve - 1) / ExponentialFitOptions.maxPointsPerCurve
            for start in stride(from: range.lowerBound, to: range.upperBound, by: binSize) {
                let bin = start..<min(start + binSize, range.upperBound)
                steps.append(curve.steps[bin.lowerBound + bin.count / 2])
                losses.append(bin.count == 1 ? curve.losses[start] : curve.losses[bin].reduce(0, +) / Double(bin.count))
                weights.append(Double(bin.count))
            }
        }
        guard let last = steps.max(), last > 0 else {
            throw .invalidArgument("every fitted point is at step 0; the forecast needs steps after the start")
        }
        let scale = Double(last)
        return Data(curves: windows, x: steps.map { Double($0) / scale }, losses: losses, weights: weights,
                    rootWeights: weights.map { $0.squareRoot() }, stepScale: scale)
    }

    /// The best (a, c) for a fixed b by LAPACK least squares on relative residuals, and the
    /// objective there; nil when the basis is rank deficient.
    func profile(_ data: Data, b: Double) -> (a: Double, c: Double, objective: Double)? {
        var basis = Matrix(rowCount: data.count, columnCount: 2)
        for i in 0..<data.count {
            basis[i, 0] = exp(b * data.x[i]) * data.rootWeights[i] / data.losses[i]
            basis[i, 1] = data.rootWeights[i] / data.losses[i]
        }
        guard let solution = try? LeastSquares.solve(basis, data.rootWeights) else { return nil }
        let (a, c) = (solution[0], solution[1])
        var objective = 0.0
        for i in 0..<data.count {
            let r = (a * exp(b * data.x[i]) + c) / data.losses[i] - 1
            objective += data.weights[i] * r * r
        }
        return objective.isFinite ? (a, c, objective) : nil
    }
}
