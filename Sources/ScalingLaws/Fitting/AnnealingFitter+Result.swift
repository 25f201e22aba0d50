import Foundation
import LinearAlgebra

extension AnnealingFitter {
    /// Assembles parameters with standard errors, goodness of fit and plain-language notes.
    static func result(
        law: AnnealingLaw, data: AnnealingFitData, options: AnnealingFitOptions, robust: RobustLoss,
        layout: Layout, starts: Int, iterations: Int, converged: Bool
    ) -> FitResult {
        let modelsAnnealing = layout.modelsAnnealing, fitsLambda = layout.fitsLambda
        var notes: [String] = []
        let residuals = logResiduals(law, data)
        let errors = standardErrors(law: law, data: data, residuals: residuals, robust: robust,
                                    modelsAnnealing: modelsAnnealing, fitsLambda: fitsLambda)

        var parameters = [
            FittedParameter(name: "L0", value: law.l0, standardError: errors.values[0], status: .fitted),
            FittedParameter(name: "A", value: law.a, standardError: errors.values[1], status: .fitted),
            FittedParameter(name: "alpha", value: law.alpha, standardError: errors.values[2], status: .fitted),
        ]
        if modelsAnnealing {
            parameters.append(FittedParameter(name: "C", value: law.c, standardError: errors.values[3], status: .fitted))
            if fitsLambda {
                parameters.append(FittedParameter(name: "lambda", value: law.lambda, standardError: errors.values[4], status: .fitted))
            } else {
                parameters.append(FittedParameter(name: "lambda", value: law.lambda, status: .fixed, note: "fixed by --lambda"))
            }
        } else {
            let why = "no curve lowers its learning rate after the peak, so the annealing term cannot be measured"
            parameters.append(FittedParameter(name: "C", value: 0, status: .undetermined, note: why))
            parameters.append(FittedParameter(name: "lambda", value: law.lambda, status: .undetermined, note: why))
            notes.append("C and lambda are undetermined: \(why). Predictions ignore the annealing drop; add a run with a decay (cosine, WSD, step) to measure it.")
        }
        for index in errors.undetermined {
            parameters[index].status = .undetermined
            parameters[index].standardError = nil
            parameters[index].note = "not determined by these curves (it trades off exactly with other parameters)"
            notes.append("\(parameters[index].name) is not determined by these curves: it trades off with other parameters; add curves with other schedules or lengths, or fix it.")
        }

        var curves: [FittedCurve] = []
        let predicted = zip(residuals, data.logLosses).map { exp($0 + $1) }
        for curve in data.curves where !curve.range.isEmpty {
            let observed = Array(data.losses[curve.range])
            let metrics = PredictionMetrics(observed: observed, predicted: Array(predicted[curve.range]))
            curves.append(FittedCurve(
                name: curve.source.name, points: curve.range.count,
                firstStep: curve.source.steps[curve.kept[0]], lastStep: curve.source.steps[curve.kept[curve.kept.count - 1]],
                learningRateSource: curve.source.learningRateSource, metrics: metrics))
        }
        if data.excludedPoints > 0 {
            notes.append("\(data.excludedPoints) point(s) before any learning-rate area (S1 = 0, e.g. step 0 of a warmup from 0) were not fitted.")
        }
        if !converged {
            notes.append("the final Levenberg–Marquardt stage stopped before its convergence test was met; the parameters may be imprecise.")
        }
        let statistics = FitStatistics(
            metrics: PredictionMetrics.mean(of: curves.map(\.metrics)), objective: robust.objective(residuals),
            iterations: iterations, converged: converged, excludedPoints: data.excludedPoints)
        let settings = FitSettings(lambda: options.lambda, warmup: options.warmup, objective: options.objective,
                                   starts: starts)
        return FitResult(law: AnnealingLaw.name, annealing: law, parameters: parameters, settings: settings,
                         statistics: statistics, curves: curves, notes: notes)
    }

    /// Standard errors from the weighted Jacobian at the optimum, and which free parameters the data
    /// cannot separate (a near-null direction of the column-scaled Jacobian).
    ///
    /// ```
    /// Cov = σ̂² (JᵀWJ)⁺,   σ̂² = Σ wᵢ rᵢ² / (m − n),   wᵢ = ψ(rᵢ)/rᵢ
    /// ```
    private static func standardErrors(
        law: AnnealingLaw, data: AnnealingFitData, residuals: [Double], robust: RobustLoss,
        modelsAnnealing: Bool, fitsLambda: Bool
    ) -> (values: [Double?], undetermined: [Int]) {
        let n = 3 + (modelsAnnealing ? 1 : 0) + (fitsLambda ? 1 : 0)
        let m = data.count
        let zeros = [Double](repeating: 0, count: m)
        let (s2, derivative) = modelsAnnealing ? data.annealingAreaAndDerivative(lambda: law.lambda) : (zeros, zeros)
        var jacobian = Matrix(rowCount: m, columnCount: n)
        var weightedSquares = 0.0
        for i in 0..<m {
            let w = robust.weight(residuals[i])
            weightedSquares += w * residuals[i] * residuals[i]
            let root = w.squareRoot()
            let power = exp(-law.alpha * data.logForwardArea[i])
            let predicted = law.l0 + law.a * power - law.c * s2[i]
            let scale = root / predicted
            jacobian[i, 0] = scale
            jacobian[i, 1] = power * scale
            jacobian[i, 2] = -law.a * power * data.logForwardArea[i] * scale
            if modelsAnnealing { jacobian[i, 3] = -s2[i] * scale }
            if fitsLambda { jacobian[i, 4] = -law.c * derivative[i] * scale }
        }
        let sigma2 = weightedSquares / Double(max(m - n, 1))
        var norms = [Double](repeating: 0, count: n)
        for j in 0..<n {
            norms[j] = jacobian.column(j).reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norms[j] > 0 { jacobian.setColumn(j, to: jacobian.column(j).map { $0 / norms[j] }) }
        }
        guard let svd = try? SingularValueDecomposition(jacobian) else {
            return ([Double?](repeating: nil, count: n), [])
        }
        let rcond = 1e-10
        let largest = svd.singularValues.first ?? 0
        var undetermined: Set<Int> = []
        for (k, sigma) in svd.singularValues.enumerated() where sigma <= rcond * largest {
            for j in 0..<n where abs(svd.vt[k, j]) > 0.3 { undetermined.insert(j) }
        }
        for j in 0..<n where norms[j] == 0 { undetermined.insert(j) }
        var values = [Double?](repeating: nil, count: n)
        for j in 0..<n where !undetermined.contains(j) {
            var variance = 0.0
            for (k, sigma) in svd.singularValues.enumerated() where sigma > rcond * largest {
                variance += svd.vt[k, j] * svd.vt[k, j] / (sigma * sigma)
            }
            values[j] = (sigma2 * variance).squareRoot() / norms[j]
        }
        return (values, undetermined.sorted())
    }
}
