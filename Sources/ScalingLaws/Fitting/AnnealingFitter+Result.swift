import Foundation
import LinearAlgebra
import NonlinearLeastSquares

extension AnnealingFitter {
    /// Assembles parameters with standard errors, goodness of fit and plain-language notes.
    static func result(
        law: AnnealingLaw, data: AnnealingFitData, options: AnnealingFitOptions, robust: RobustLoss,
        layout: Layout, starts: Int, iterations: Int, converged: Bool
    ) -> FitResult {
        let modelsAnnealing = layout.modelsAnnealing, fitsLambda = layout.fitsLambda
        var notes: [String] = []
        let residuals = logResiduals(law, data)
        let covariance = Self.covariance(law: law, data: data, residuals: residuals, robust: robust, layout: layout)
        let undetermined = covariance?.undetermined ?? []
        let freeCount = 3 + (modelsAnnealing ? 1 : 0) + (fitsLambda ? 1 : 0)
        let errors = (values: (0..<freeCount).map { j -> Double? in
            guard let matrix = covariance?.matrix, !undetermined.contains(j) else { return nil }
            return matrix[j][j].squareRoot()
        }, undetermined: undetermined)

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
                parameters.append(FittedParameter(name: "lambda", value: law.lambda, status: .fixed, note: "fixed at the given value"))
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
        for curve in data.curves where !curve.kept.isEmpty {
            // Goodness of fit on every logged point, also when the fit itself ran on bins.
            let firstStep = curve.source.steps[curve.kept[0]], lastStep = curve.source.steps[curve.kept[curve.kept.count - 1]]
            let logged = curve.source.restricted(to: firstStep...lastStep)
            let metrics = PredictionMetrics(observed: logged.losses, predicted: law.predictLoss(learningRates: logged.learningRates, at: logged.steps))
            let extent = FittedCurve.learningRateExtent(curve.source.learningRates, firstStep: firstStep, lastStep: lastStep)
            curves.append(FittedCurve(
                name: curve.source.name, points: logged.steps.count, firstStep: firstStep, lastStep: lastStep,
                learningRateSource: curve.source.learningRateSource, metrics: metrics,
                learningRateRange: extent.range, longestDecaySteps: extent.longestDecay, learningRateArea: extent.area))
        }
        if data.isBinned {
            notes.append("curves with more than \(options.maxPointsPerCurve) points were fitted on \(options.maxPointsPerCurve) bins of consecutive points each (geometric mean loss, weighted by count); statistics use every point.")
        }
        if data.excludedPoints > 0 {
            notes.append("\(data.excludedPoints) point(s) before any learning-rate area (S1 = 0, e.g. step 0 of a warmup from 0) were not fitted.")
        }
        if !converged {
            notes.append("the final Levenberg–Marquardt stage stopped before its convergence test was met; the parameters may be imprecise.")
        }
        let statistics = FitStatistics(
            metrics: PredictionMetrics.mean(of: curves.map(\.metrics)), objective: data.objective(residuals, robust),
            iterations: iterations, converged: converged, excludedPoints: data.excludedPoints)
        let settings = FitSettings(lambda: options.lambda, warmup: options.warmup, objective: options.objective,
                                   starts: starts, lambdaPrior: fitsLambda ? options.lambdaPrior : nil)
        var result = FitResult(law: .annealing(law), parameters: parameters, settings: settings,
                               statistics: statistics, curves: curves, notes: notes)
        if let covariance {
            let names = ["L0", "A", "alpha", "C", "lambda"]
            let free = [0, 1, 2] + (modelsAnnealing ? [3] : []) + (fitsLambda ? [4] : [])
            result.covariance = ParameterCovariance(parameters: free.map { names[$0] }, matrix: covariance.matrix)
        }
        result.identification = FitIdentification.assess(parameters: parameters, rules: [
            .init(name: "L0", nonNegative: true, checksError: true),
            .init(name: "A", nonNegative: true, checksError: true),
            .init(name: "alpha", bounds: options.alphaBounds, checksError: true),
            .init(name: "C", nonNegative: true, checksError: true),
            .init(name: "lambda", bounds: options.lambdaBounds),
        ], curves: data.curves.map(\.source), fitted: curves)
        return result
    }

    /// The covariance of the free parameters from the weighted Jacobian at the optimum, and which
    /// of them the data cannot separate (a near-null direction of the column-scaled Jacobian).
    ///
    /// ```
    /// Cov = σ̂² (JᵀWJ)⁺,   σ̂² = Σ wᵢ rᵢ² / (m − n),   wᵢ = ψ(rᵢ)/rᵢ
    /// ```
    /// Free parameters in the order L0, A, α, then C and λ when they are modelled / fitted.
    static func covariance(
        law: AnnealingLaw, data: AnnealingFitData, residuals: [Double], robust: RobustLoss, layout: Layout
    ) -> (matrix: [[Double]], undetermined: [Int])? {
        let columns = [0, 1, 2] + (layout.modelsAnnealing ? [3] : []) + (layout.fitsLambda ? [4] : [])
        let n = columns.count, m = data.count
        let zeros = [Double](repeating: 0, count: m)
        let (s2, slope) = layout.modelsAnnealing ? data.annealingAreaAndDerivative(lambda: law.lambda) : (zeros, zeros)
        var jacobian = Matrix(rowCount: m, columnCount: n)
        var weightedSquares = 0.0
        for i in 0..<m {
            let w = robust.weight(residuals[i]) * data.weights[i]
            weightedSquares += w * residuals[i] * residuals[i]
            let (predicted, gradient) = law.lossAndGradient(logForwardArea: data.logForwardArea[i], annealingArea: s2[i], annealingAreaSlope: slope[i])
            let scale = w.squareRoot() / predicted
            for (column, parameter) in columns.enumerated() { jacobian[i, column] = gradient[parameter] * scale }
        }
        return JacobianCovariance.estimate(weightedJacobian: jacobian, weightedSquares: weightedSquares)
    }
}
