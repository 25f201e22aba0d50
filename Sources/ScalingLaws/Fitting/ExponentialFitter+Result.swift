import Foundation
import LinearAlgebra
import NonlinearLeastSquares

extension ExponentialFitter {
    /// Assembles parameters with standard errors, goodness of fit on the windows and notes.
    static func result(law: ExponentialLaw, data: Data, options: ExponentialFitOptions, atBound: Bool, objective: Double,
                       iterations: Int, converged: Bool) -> FitResult {
        let free = atBound ? [0, 2] : [0, 1, 2]
        let covariance = Self.covariance(law, free: free, data: data)
        var parameters = zip(law.parameterNames, law.parameterValues).map { FittedParameter(name: $0, value: $1, status: .fitted) }
        for (column, index) in free.enumerated() {
            if let covariance, !covariance.undetermined.contains(column) {
                parameters[index].standardError = covariance.matrix[column][column].squareRoot()
            }
        }
        var notes: [String] = []
        let fitted = data.curves.map(\.window.count).reduce(0, +), total = data.curves.map(\.curve.steps.count).reduce(0, +)
        notes.append("schedule-blind: fitted on the last \(Int((100 * options.recentFraction).rounded())) % of each curve's logged points (\(fitted) of \(total)), x = step / \(Int(data.stepScale)); every schedule gets the same forecast.")
        if atBound {
            let bounds = options.decayRateBounds
            let why = -law.b <= bounds.lowerBound * (1 + 1e-5)
                ? "the window's losses fall about linearly, so the decay rate and the floor c cannot be told apart"
                : "the loss reaches its floor at the start of the window, so the window shows no decay to measure"
            parameters[1].note = "at the bound of its range −\(bounds.upperBound)…−\(bounds.lowerBound); no standard error"
            notes.append("b = \(law.b) sits at the bound of its range −\(bounds.upperBound)…−\(bounds.lowerBound): \(why); it is held there for the uncertainties.")
        }
        for column in covariance?.undetermined ?? [] {
            let index = free[column]
            parameters[index].status = .undetermined
            parameters[index].standardError = nil
            parameters[index].note = "not determined by these points (it trades off exactly with the others)"
            notes.append("\(parameters[index].name) is not determined by the window: widen it or add curves.")
        }
        let curves = data.curves.map { curve, window in
            let steps = Array(curve.steps[window]), observed = Array(curve.losses[window])
            return FittedCurve(name: curve.name, points: window.count, firstStep: steps[0], lastStep: steps[steps.count - 1],
                               learningRateSource: curve.learningRateSource,
                               metrics: PredictionMetrics(observed: observed, predicted: steps.map(law.loss(atStep:))))
        }
        if data.count < fitted {
            notes.append("windows longer than \(ExponentialFitOptions.maxPointsPerCurve) points were fitted on \(ExponentialFitOptions.maxPointsPerCurve) bins of consecutive points each (mean loss, weighted by count); statistics use every point.")
        }
        if !converged {
            notes.append("the golden-section search over b stopped before its tolerance was met; b may be imprecise.")
        }
        let statistics = FitStatistics(metrics: PredictionMetrics.mean(of: curves.map(\.metrics)), objective: objective,
                                       iterations: iterations, converged: converged, excludedPoints: 0)
        var result = FitResult(law: .exponential(law), parameters: parameters,
                               settings: FitSettings(lambda: nil, warmup: .literal, objective: .relativeLeastSquares, starts: options.gridPoints),
                               statistics: statistics, curves: curves, notes: notes)
        result.settings.exponential = options
        result.covariance = covariance.map { covariance in
            ParameterCovariance(parameters: free.map { law.parameterNames[$0] }, matrix: covariance.matrix)
        }
        return result
    }

    /// The covariance of the `free` parameters (indices into a, b, c) from the Jacobian of the
    /// relative residuals, and which of them the window cannot separate.
    ///
    /// ```
    /// Cov = σ̂² (JᵀJ)⁺,   σ̂² = Σ rᵢ² / (m − p),   Jᵢⱼ = (∂L̂ᵢ/∂θⱼ) / Lᵢ
    /// ```
    static func covariance(_ law: ExponentialLaw, free: [Int], data: Data) -> (matrix: [[Double]], undetermined: [Int])? {
        let n = free.count, m = data.count
        var jacobian = Matrix(rowCount: m, columnCount: n)
        var squares = 0.0
        for i in 0..<m {
            let decay = exp(law.b * data.x[i])
            let gradient = [decay, law.a * data.x[i] * decay, 1.0]
            let r = (law.a * decay + law.c) / data.losses[i] - 1
            squares += data.weights[i] * r * r
            for (column, index) in free.enumerated() { jacobian[i, column] = gradient[index] * data.rootWeights[i] / data.losses[i] }
        }
        return JacobianCovariance.estimate(weightedJacobian: jacobian, weightedSquares: squares)
    }
}
