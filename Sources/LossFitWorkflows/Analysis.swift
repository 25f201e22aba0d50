import HyperparameterLaws
import ScalingLaws

/// A schedule predicted at evenly spread steps, for plots.
public struct ScheduleForecast: Sendable {
    public var spec: String
    public var points: [PredictedLoss]

    /// Points a plot needs: enough to look smooth, few enough to keep pages small.
    public static let plottedPoints = 120

    /// `spec` predicted under `fit` at about `plottedPoints` steps from 1 to its last step; steps
    /// without a prediction (no learning-rate area yet) are left out.
    public init(_ fit: FitResult, spec: String) throws {
        let schedule = try Schedule(spec: spec)
        let stride = max(1, schedule.totalSteps / Self.plottedPoints)
        var steps = Array(Swift.stride(from: stride, through: schedule.totalSteps, by: stride))
        if steps.last != schedule.totalSteps { steps.append(schedule.totalSteps) }
        self.spec = schedule.spec
        points = fit.predict(learningRates: schedule.learningRates(), at: steps).filter { $0.loss.isFinite }
    }
}

/// What a report or notebook shows: a fit, the curves it was made on and the unseen ones it
/// predicts, schedules it predicts, and a sweep's laws with recommendations.
public struct Analysis: Sendable {
    public var fit: FitResult?
    /// Curves the fit was made on, scored.
    public var fitted: [CurveEvaluation] = []
    /// Curves the fit never saw, predicted and scored.
    public var heldOut: [CurveEvaluation] = []
    public var forecasts: [ScheduleForecast] = []
    public var sweep: SweepLaw?
    public var recommendations: [Recommendation] = []
    /// The 95 % band of the fit's prediction at each step of each held-out curve, by name.
    public var heldOutBands: [String: [ClosedRange<Double>?]] = [:]
    /// The predicted schedules ranked with their differences from the best, when two or more were given.
    public var comparison: ScheduleComparison?
    /// The cooldown plan, when one was asked for.
    public var plan: CooldownPlan?
    /// The predicted loss of the plan's best options (at most `plannedForecasts`).
    public var planForecasts: [ScheduleForecast] = []

    /// How many of a plan's best options are drawn.
    public static let plannedForecasts = 3

    /// What to analyse.
    public struct Request: Sendable {
        /// Logs to fit, or to show against `fit`.
        public var logs: [LoadedCurve] = []
        /// A fit made before; without one the logs are fitted with `fitOptions`.
        public var fit: FitResult?
        public var fitOptions = FullFitOptions()
        /// Schedule specs to predict.
        public var predictions: [String] = []
        public var sweep: SweepLaw?
        /// Model sizes and token budgets to recommend hyperparameters for, from `sweep`.
        public var recommendations: [RecommendationRequest] = []
        /// A cooldown to plan under the fit.
        public var plan: CooldownPlanRequest?

        public init() {}
    }

    /// Fits (when no fit is given), scores and predicts what `request` asks for. Logs a given fit
    /// was made on are shown against it; the others are unseen runs it predicts.
    /// - Throws: `WorkflowError.predictionsWithoutFit` (also for a plan without a fit); the full
    ///   fit's, schedules', plan's and recommendation's errors.
    public init(_ request: Request) throws {
        sweep = request.sweep
        if let law = request.sweep {
            recommendations = try request.recommendations.map { try law.recommend($0) }
        }
        guard !request.logs.isEmpty || request.fit != nil else {
            if !request.predictions.isEmpty || request.plan != nil { throw WorkflowError.predictionsWithoutFit }
            return
        }
        let curves = request.logs.map(\.curve)
        let fit = try request.fit ?? FullFit.run(curves, options: request.fitOptions).result.recordingSources(of: request.logs)
        let fittedNames = Set(fit.curves.map(\.name))
        self.fit = fit
        fitted = Evaluation.scores(fit, on: curves.filter { fittedNames.contains($0.name) })
        heldOut = Evaluation.scores(fit, on: curves.filter { !fittedNames.contains($0.name) })
        forecasts = try request.predictions.map { try ScheduleForecast(fit, spec: $0) }
        for evaluation in heldOut {
            guard let curve = curves.first(where: { $0.name == evaluation.name }) else { continue }
            heldOutBands[evaluation.name] = fit.predict(learningRates: curve.learningRates, at: evaluation.steps).map(\.band95)
        }
        if request.predictions.count >= 2 {
            comparison = try ScheduleComparison(fit, specs: request.predictions)
        }
        if let planRequest = request.plan {
            let plan = try CooldownPlan(fit, request: planRequest)
            self.plan = plan
            planForecasts = try plan.best.prefix(Self.plannedForecasts).map { try ScheduleForecast(fit, spec: $0.spec) }
        }
    }
}
