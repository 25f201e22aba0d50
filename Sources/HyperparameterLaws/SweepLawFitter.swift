import Foundation

/// Fits hyperparameter laws to a sweep.
///
/// ```
/// 1. per (N, D) group: locate (η*, B*)                           OptimumLocator
/// 2. ln η* = ln c₀ + a·ln N + b·ln D    (or the formula given)     least squares, LAPACK dgelsy
///    ln B* = ln d₀ + e·ln D
/// 3. intervals: case bootstrap over groups, percentile             GroupBootstrap
/// ```
/// The forms are Step Law's (Li et al. 2025, arXiv 2503.04715); their method (runs within 0.25 %
/// of the best, regressed) is `OptimumEstimator.nearBest`.
public struct SweepLawFitter: Sendable {
    /// The settings in use.
    public var settings: SweepLawSettings

    /// A fitter with these settings.
    public init(settings: SweepLawSettings = .init()) {
        self.settings = settings
    }

    /// Fits the laws to `sweep`.
    ///
    /// - Parameters:
    ///   - sequenceLength: tokens per sequence of the sweep's batches, stored for recommendations.
    ///   - progress: called with (bootstrap resamples done, wanted) about a hundred times.
    /// - Throws: `SweepError` when the sweep has too few groups, a group cannot be located, a
    ///   formula names an unknown variable, or the groups cannot determine a coefficient.
    public func fit(_ sweep: Sweep, sequenceLength: Int? = nil, progress: ((Int, Int) -> Void)? = nil) throws(SweepError) -> SweepLaw {
        let optima = try locateOptima(sweep)
        let regressions = regressions(sweep, optima: optima)
        let everyGroup = Array(sweep.groups.indices)
        let laws = try fittedCoefficients(regressions, groups: everyGroup, source: sweep.source)

        let bootstrap = GroupBootstrap(settings: settings.bootstrap)
        let (draws, redrawn) = try bootstrap.run(groupCount: sweep.groups.count, fit: { indices in
            guard let learningRate = regressions.learningRate.coefficients(groups: indices),
                  let batchSize = regressions.batchSize.coefficients(groups: indices) else { return nil }
            return [learningRate, batchSize]
        }, progress: progress)

        func fitted(_ index: Int, _ regression: PowerLawRegression) -> FittedHyperparameterLaw {
            let law = regression.law(coefficients: laws[index])
            let samples = draws.map { $0[index] }
            let intervals = law.coefficients.indices.map { coefficient in
                ConfidenceInterval(percentilesOf: samples.map { $0[coefficient] }, confidence: settings.bootstrap.confidence)
            }
            return FittedHyperparameterLaw(law: law, coefficientIntervals: intervals,
                                           residualError: residualError(law, regression, sweep), bootstrapCoefficients: samples)
        }
        let learningRate = fitted(0, regressions.learningRate)
        let batchSize = fitted(1, regressions.batchSize)

        let groups = zip(sweep.groups, optima).map { group, optimum in
            GroupFit(group: group, optimum: optimum,
                     lawLearningRate: (try? learningRate.law.predict(parameters: group.parameters, tokens: group.tokens, covariates: group.covariates)) ?? .nan,
                     lawBatchSizeTokens: (try? batchSize.law.predict(parameters: group.parameters, tokens: group.tokens, covariates: group.covariates)) ?? .nan)
        }
        let landscapeOptima = settings.optimum.estimator == .surrogate ? optima : try surrogateOptima(sweep)
        let parameters = sweep.groups.map(\.parameters), tokens = sweep.groups.map(\.tokens)
        return SweepLaw(source: sweep.source, sequenceLength: sequenceLength, settings: settings,
                        learningRate: learningRate, batchSize: batchSize, bootstrapRedrawn: redrawn, groups: groups,
                        landscape: LandscapeShape(groups: sweep.groups, optima: landscapeOptima),
                        domain: SweepDomain(parameters: ConfidenceInterval(lower: parameters.min()!, upper: parameters.max()!),
                                            tokens: ConfidenceInterval(lower: tokens.min()!, upper: tokens.max()!)))
    }

    /// Every group's optimum, after checking the formulas and the number of groups.
    func locateOptima(_ sweep: Sweep) throws(SweepError) -> [GroupOptimum] {
        try settings.optimum.validate()
        try settings.bootstrap.validate()
        try settings.learningRateFormula.validate(against: sweep)
        try settings.batchSizeFormula.validate(against: sweep)
        let needed = max(settings.learningRateFormula.terms.count, settings.batchSizeFormula.terms.count) + 1
        guard sweep.groups.count >= needed else { throw .tooFewGroups(source: sweep.source, groups: sweep.groups.count, needed: needed) }
        let locator = OptimumLocator(settings: settings.optimum)
        return try sweep.groups.map { group throws(SweepError) in try locator.locate(group, source: sweep.source) }
    }

    /// The optima the surrogate locates, for the landscape shape when the laws use another estimator.
    private func surrogateOptima(_ sweep: Sweep) throws(SweepError) -> [GroupOptimum] {
        var surrogateSettings = settings.optimum
        surrogateSettings.estimator = .surrogate
        let locator = OptimumLocator(settings: surrogateSettings)
        return try sweep.groups.map { group throws(SweepError) in try locator.locate(group, source: sweep.source) }
    }

    /// The two regressions over the groups' optima.
    func regressions(_ sweep: Sweep, optima: [GroupOptimum]) -> (learningRate: PowerLawRegression, batchSize: PowerLawRegression) {
        (PowerLawRegression(formula: settings.learningRateFormula, groups: sweep.groups, optima: optima),
         PowerLawRegression(formula: settings.batchSizeFormula, groups: sweep.groups, optima: optima))
    }

    /// Both laws' coefficients on `groups`, or the error naming the first undetermined term.
    func fittedCoefficients(_ regressions: (learningRate: PowerLawRegression, batchSize: PowerLawRegression), groups: [Int],
                            source: String) throws(SweepError) -> [[Double]] {
        var result: [[Double]] = []
        for regression in [regressions.learningRate, regressions.batchSize] {
            guard let coefficients = regression.coefficients(groups: groups) else {
                throw .lawUndetermined(source: source, formula: regression.formula.description,
                                       term: regression.firstUndeterminedTerm(groups: groups) ?? regression.formula.terms.last ?? "intercept")
            }
            result.append(coefficients)
        }
        return result
    }

    private func residualError(_ law: HyperparameterLaw, _ regression: PowerLawRegression, _ sweep: Sweep) -> Double {
        var squares = 0.0
        var count = 0
        for (index, group) in sweep.groups.enumerated() {
            guard let predicted = try? law.logPrediction(coefficients: law.coefficients, parameters: group.parameters,
                                                         tokens: group.tokens, covariates: group.covariates) else { continue }
            for target in regression.logTargets[index] {
                squares += (target - predicted) * (target - predicted)
                count += 1
            }
        }
        return (squares / Double(max(count, 1))).squareRoot()
    }
}
