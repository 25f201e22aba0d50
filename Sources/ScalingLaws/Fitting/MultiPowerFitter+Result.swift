import Foundation
import LinearAlgebra
import NonlinearLeastSquares

extension MultiPowerFitter {
    /// Assembles parameters with standard errors, goodness of fit and notes.
    static func result(
        law: MultiPowerLaw, data: MultiPowerFitData, options: MultiPowerFitOptions, robust: RobustLoss, layout: Layout,
        settledAmplitudeError: Double?, starts: Int, iterations: Int, converged: Bool
    ) -> FitResult {
        let model: DropModel = layout.modelsDrop ? .full : .settled
        var cache = DropCache(data: data, model: model)
        let residuals = logResiduals(law, data, drop: cache.sums(law, derivatives: false).value)
        // A parameter pressed against a bound is held there for the covariance: the curvature of
        // the objective says nothing about how far beyond the bound the data would take it.
        let atBound = layout.free.filter { parameter in
            guard let range = options.bounds(of: parameter) else { return false }
            let margin = 1e-6 * (range.upperBound - range.lowerBound)
            return law[parameter] <= range.lowerBound + margin || law[parameter] >= range.upperBound - margin
        }
        let free = layout.free.filter { !atBound.contains($0) }
        let covariance = Self.covariance(law, free: free, data: data, model: model, robust: robust)
        var notes: [String] = []

        var parameters = MultiPowerLaw.Parameter.allCases.map { parameter in
            FittedParameter(name: parameter.rawValue, value: law[parameter], status: .fitted)
        }
        for (column, parameter) in free.enumerated() {
            if let covariance, !covariance.undetermined.contains(column) {
                parameters[index(of: parameter)].standardError = covariance.matrix[column][column].squareRoot()
            }
        }
        for parameter in atBound {
            let range = options.bounds(of: parameter)!
            parameters[index(of: parameter)].note = "at the bound of its range \(range.lowerBound)…\(range.upperBound); no standard error"
            notes.append("\(parameter.rawValue) = \(law[parameter]) sits at the bound of its range \(range.lowerBound)…\(range.upperBound): the curves would take it further; it is held there for the uncertainties.")
        }
        for (parameter, _) in options.fixed {
            parameters[index(of: parameter)].status = .fixed
            parameters[index(of: parameter)].note = "held by the fit options"
        }
        if !layout.modelsDrop {
            let why = "no curve lowers its learning rate after the peak, so the loss drop cannot be measured"
            for parameter in [MultiPowerLaw.Parameter.b, .c, .beta, .gamma] where options.fixed[parameter] == nil {
                parameters[index(of: parameter)].status = .undetermined
                parameters[index(of: parameter)].note = why
            }
            notes.append("B, C, beta and gamma are undetermined: \(why). Predictions leave the drop out (B = 0); add a run with a decay (cosine, WSD, step) to measure it.")
        } else if !layout.jointAmplitude {
            parameters[index(of: .b)].standardError = settledAmplitudeError
            parameters[index(of: .b)].note = "from the settled loss L0 + A·S^(−α) − B·(η_0 − η_t), held while C, beta, gamma were fitted"
        }
        for column in covariance?.undetermined ?? [] {
            let i = index(of: free[column])
            parameters[i].status = .undetermined
            parameters[i].standardError = nil
            parameters[i].note = "not determined by these curves (it trades off exactly with other parameters)"
            notes.append("\(parameters[i].name) is not determined by these curves: it trades off with other parameters; add curves with other schedules or lengths, or hold it fixed.")
        }

        var curves: [FittedCurve] = []
        let predicted = zip(residuals, data.logLosses).map { exp($0 + $1) }
        for curve in data.curves where !curve.range.isEmpty {
            let firstStep = curve.source.steps[curve.kept[0]], lastStep = curve.source.steps[curve.kept[curve.kept.count - 1]]
            let metrics: PredictionMetrics
            if curve.range.count == curve.kept.count {
                metrics = PredictionMetrics(observed: Array(data.losses[curve.range]), predicted: Array(predicted[curve.range]))
            } else {
                // A binned curve is scored on its logged points (a sample of them for very long logs).
                let logged = curve.source.restricted(to: firstStep...lastStep).scoringSample()
                metrics = PredictionMetrics(observed: logged.losses, predicted: law.predictLoss(learningRates: logged.learningRates, at: logged.steps))
            }
            let extent = FittedCurve.learningRateExtent(curve.source.learningRates, firstStep: firstStep, lastStep: lastStep)
            curves.append(FittedCurve(
                name: curve.source.name, points: curve.kept.count, firstStep: firstStep, lastStep: lastStep,
                learningRateSource: curve.source.learningRateSource, metrics: metrics,
                learningRateRange: extent.range, longestDecaySteps: extent.longestDecay, learningRateArea: extent.area))
        }
        if data.isBinned {
            notes.append("curves with more than \(MultiPowerFitOptions.maxPointsPerCurve) points were fitted on \(MultiPowerFitOptions.maxPointsPerCurve) bins of consecutive points each (geometric mean loss, weighted by count); statistics use the logged points (every k-th of curves longer than \(TrainingCurve.scoringPoints)).")
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
        var settings = FitSettings(lambda: nil, warmup: options.warmup, objective: options.objective, starts: starts)
        settings.multiPower = options
        var result = FitResult(law: .multiPower(law), parameters: parameters, settings: settings, statistics: statistics, curves: curves,
                               notes: notes, covariance: covariance.map { parameterCovariance($0, free: free, settledAmplitudeError: settledAmplitudeError) })
        // γ's and β's bounds end families of shapes, not ranges the data could overrun: γ chooses
        // the clock a drop relaxes on (area to steps), and β → ∞ at fixed C·β is the exponential
        // relaxation 1 − e^(−Cβx). A fit at either bound still pins the drop down; only α at its
        // bound (a power law flattening into a logarithm, traded against L0) is judged.
        result.identification = FitIdentification.assess(parameters: parameters, rules: [
            .init(name: "L0", nonNegative: true, checksError: true),
            .init(name: "A", nonNegative: true, checksError: true),
            .init(name: "alpha", bounds: options.alphaBounds, checksError: true),
            .init(name: "B", nonNegative: true, checksError: true),
        ], curves: data.curves.map(\.source), fitted: curves)
        return result
    }

    private static func index(of parameter: MultiPowerLaw.Parameter) -> Int {
        MultiPowerLaw.Parameter.allCases.firstIndex(of: parameter)!
    }

    /// The covariance in law order, with a settled B's variance added on its own row and column.
    private static func parameterCovariance(_ covariance: (matrix: [[Double]], undetermined: [Int]), free: [MultiPowerLaw.Parameter],
                                            settledAmplitudeError: Double?) -> ParameterCovariance {
        var names = free
        if settledAmplitudeError != nil && !free.contains(.b) { names.append(.b) }
        names.sort { index(of: $0) < index(of: $1) }
        let matrix = names.map { row in
            names.map { column -> Double in
                if let i = free.firstIndex(of: row), let j = free.firstIndex(of: column) { return covariance.matrix[i][j] }
                return row == .b && column == .b ? (settledAmplitudeError ?? 0) * (settledAmplitudeError ?? 0) : 0
            }
        }
        return ParameterCovariance(parameters: names.map(\.rawValue), matrix: matrix)
    }

    /// The covariance of the `free` parameters from the weighted Jacobian of the log residuals at
    /// `law`, and which of them the data cannot separate (a near-null direction of the
    /// column-scaled Jacobian).
    ///
    /// ```
    /// Cov = σ̂² (JᵀWJ)⁺,   σ̂² = Σ wᵢ rᵢ² / (m − n),   wᵢ = ψ(rᵢ)/rᵢ,   Jᵢⱼ = ∂ log L̂ᵢ / ∂θⱼ
    /// ```
    static func covariance(_ law: MultiPowerLaw, free: [MultiPowerLaw.Parameter], data: MultiPowerFitData, model: DropModel,
                           robust: RobustLoss) -> (matrix: [[Double]], undetermined: [Int])? {
        var cache = DropCache(data: data, model: model)
        let drop = cache.sums(law, derivatives: true)
        let residuals = logResiduals(law, data, drop: drop.value)
        let n = free.count, m = data.count
        var jacobian = Matrix(rowCount: m, columnCount: n)
        var weightedSquares = 0.0
        for i in 0..<m {
            let w = robust.weight(residuals[i]) * data.weights[i]
            weightedSquares += w * residuals[i] * residuals[i]
            let (predicted, gradient) = law.lossGradient(logForwardArea: data.logForwardArea[i], sums: drop, at: i)
            guard predicted > 0 else { return nil }
            for (column, parameter) in free.enumerated() { jacobian[i, column] = gradient[index(of: parameter)] * w.squareRoot() / predicted }
        }
        return JacobianCovariance.estimate(weightedJacobian: jacobian, weightedSquares: weightedSquares)
    }
}
