import ScalingLaws

/// A schedule's predicted loss at chosen steps under a fit, with the steps it cannot predict and
/// why the prediction extrapolates.
public struct SchedulePrediction: Sendable, Encodable {
    public var schedule: String
    /// The fitted law's name, or `committee`.
    public var law: String
    /// The predicted steps (those with a learning-rate area), with uncertainties.
    public var points: [PredictedLoss]
    public var warnings: [String]
    /// Steps without a prediction: no learning-rate area yet (S1 = 0).
    public var unpredictableSteps: [Int]

    private enum CodingKeys: String, CodingKey { case schedule, law, points, warnings }

    public init(_ fit: FitResult, schedule: Schedule, at steps: [Int]) {
        let rates = schedule.learningRates()
        let predicted = fit.predict(learningRates: rates, at: steps)
        self.schedule = schedule.spec
        law = fit.committee == nil ? fit.law.name : CommitteeLaw.name
        points = predicted.filter { $0.loss.isFinite }
        unpredictableSteps = predicted.filter { !$0.loss.isFinite }.map(\.step)
        warnings = fit.extrapolationWarnings(learningRates: rates)
    }
}
