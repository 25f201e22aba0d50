/// How well a law predicts one curve, point by point (DESIGN §3).
public struct CurveEvaluation: Sendable, Equatable {
    public var name: String
    public var metrics: PredictionMetrics
    public var finalStep: Int
    public var finalLoss: Double
    public var predictedFinalLoss: Double
    /// Points the law cannot predict (no learning-rate area yet, e.g. step 0 of a warmup from 0).
    public var excludedPoints: Int
    /// The compared steps, observed and predicted losses.
    public var steps: [Int]
    public var observed: [Double]
    public var predicted: [Double]

    /// Compares `law`'s prediction with `curve` at every logged step it can predict;
    /// nil when it can predict none.
    public init?(law: any LossLaw, curve: TrainingCurve) {
        let prediction = law.predictLoss(learningRates: curve.learningRates, at: curve.steps)
        let kept = prediction.indices.filter { prediction[$0].isFinite }
        guard let last = kept.last else { return nil }
        name = curve.name
        steps = kept.map { curve.steps[$0] }
        observed = kept.map { curve.losses[$0] }
        predicted = kept.map { prediction[$0] }
        metrics = PredictionMetrics(observed: observed, predicted: predicted)
        finalStep = curve.steps[last]
        finalLoss = curve.losses[last]
        predictedFinalLoss = prediction[last]
        excludedPoints = curve.steps.count - kept.count
    }
}

/// How the baselines of a fit predict one curve: mean PredE of the per-curve refits, of the
/// schedule-blind power law in steps and of the exponential forecast (AutoLRS).
public struct BaselineEvaluation: Sendable, Equatable, Codable {
    public var name: String
    public var perCurveRefitPredE: Double?
    public var powerLawInStepsPredE: Double?
    public var exponentialPredE: Double?

    /// Scores `baselines` on `curve` at the steps `evaluation` scored.
    public init(baselines: FitBaselines, curve: TrainingCurve, evaluation: CurveEvaluation) {
        name = curve.name
        let scored = curve.restricted(to: (evaluation.steps.first ?? 0)...(evaluation.steps.last ?? 0))
        let (perCurve, powerLaw, exponential) = baselines.predictions(for: scored)
        let errors = perCurve.compactMap { predicted -> Double? in
            let pairs = zip(predicted, scored.losses).filter { $0.0.isFinite }
            guard !pairs.isEmpty else { return nil }
            return PredictionMetrics(observed: pairs.map(\.1), predicted: pairs.map(\.0)).predE
        }
        perCurveRefitPredE = errors.isEmpty ? nil : errors.reduce(0, +) / Double(errors.count)
        powerLawInStepsPredE = powerLaw.map { PredictionMetrics(observed: scored.losses, predicted: $0).predE }
        exponentialPredE = exponential.map { PredictionMetrics(observed: scored.losses, predicted: $0).predE }
    }
}

/// The evaluation of a law on several curves, with the mean over curves.
public struct EvaluationReport: Sendable, Equatable, Encodable {
    public var curves: [CurveEvaluation]
    public var mean: PredictionMetrics
    /// Spearman's rank correlation between predicted and measured final losses over the curves
    /// (nil with fewer than three curves): how well the law ranks schedules.
    public var spearmanFinal: Double?
    /// The largest relative error of a predicted final loss, `max |L̂_T − L_T| / L_T`.
    public var worstFinalE: Double
    /// The fit's baselines on the same curves, when the fit has them.
    public var baselines: [BaselineEvaluation]?
    /// The fit's ranking check scored on the same curves, when the fit has one: on your own held-out
    /// runs, which λ choice predicts and ranks them better.
    public var rankingCheck: LawEvaluation?
    /// Each committee member scored on the same curves alone, when the fit is a committee's.
    public var members: [LawEvaluation]?

    public init(curves: [CurveEvaluation]) {
        precondition(!curves.isEmpty, "EvaluationReport needs at least one curve")
        self.curves = curves
        self.mean = PredictionMetrics.mean(of: curves.map(\.metrics))
        self.spearmanFinal = curves.count >= 3
            ? RankCorrelation.spearman(curves.map(\.predictedFinalLoss), curves.map(\.finalLoss)) : nil
        self.worstFinalE = curves.map { abs($0.predictedFinalLoss - $0.finalLoss) / $0.finalLoss }.max() ?? 0
    }

    private enum CodingKeys: String, CodingKey { case curves, mean, baselines, rankingCheck, members }
    private enum CurveKeys: String, CodingKey {
        case name, points, r2, mae, rmse, predE, worstE, finalStep, finalLoss, predictedFinalLoss, excludedPoints
    }
    private enum MeanKeys: String, CodingKey { case points, r2, mae, rmse, predE, worstE, spearmanFinal, worstFinalE }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var list = container.nestedUnkeyedContainer(forKey: .curves)
        for curve in curves {
            var item = list.nestedContainer(keyedBy: CurveKeys.self)
            try item.encode(curve.name, forKey: .name)
            try item.encode(curve.metrics.points, forKey: .points)
            try item.encode(curve.metrics.r2, forKey: .r2)
            try item.encode(curve.metrics.mae, forKey: .mae)
            try item.encode(curve.metrics.rmse, forKey: .rmse)
            try item.encode(curve.metrics.predE, forKey: .predE)
            try item.encode(curve.metrics.worstE, forKey: .worstE)
            try item.encode(curve.finalStep, forKey: .finalStep)
            try item.encode(curve.finalLoss, forKey: .finalLoss)
            try item.encode(curve.predictedFinalLoss, forKey: .predictedFinalLoss)
            try item.encode(curve.excludedPoints, forKey: .excludedPoints)
        }
        var meanContainer = container.nestedContainer(keyedBy: MeanKeys.self, forKey: .mean)
        try meanContainer.encode(mean.points, forKey: .points)
        try meanContainer.encode(mean.r2, forKey: .r2)
        try meanContainer.encode(mean.mae, forKey: .mae)
        try meanContainer.encode(mean.rmse, forKey: .rmse)
        try meanContainer.encode(mean.predE, forKey: .predE)
        try meanContainer.encode(mean.worstE, forKey: .worstE)
        try meanContainer.encodeIfPresent(spearmanFinal, forKey: .spearmanFinal)
        try meanContainer.encode(worstFinalE, forKey: .worstFinalE)
        try container.encodeIfPresent(baselines, forKey: .baselines)
        try container.encodeIfPresent(rankingCheck, forKey: .rankingCheck)
        try container.encodeIfPresent(members, forKey: .members)
    }
}

/// A second law scored on the curves of an `EvaluationReport`: a committee member or a fit's
/// ranking check (`RankingCheck`).
public struct LawEvaluation: Sendable, Equatable, Encodable {
    /// What the law is, e.g. `annealing law, λ = 0.999`.
    public var label: String
    /// Mean PredE of the check's predictions over the curves.
    public var predE: Double
    /// Spearman's ρ between the check's predicted and the measured final losses (nil with fewer than three curves).
    public var spearmanFinal: Double?
    /// The check's largest relative final-loss error.
    public var worstFinalE: Double

    /// Scores `check` on `curves`; nil when it can predict no point of some curve.
    public init?(check: RankingCheck, curves: [TrainingCurve]) {
        self.init(label: check.label, law: check.law, curves: curves)
    }

    /// Scores `law`, described by `label`, on `curves`; nil when it can predict no point of some curve.
    public init?(label: String, law: any LossLaw, curves: [TrainingCurve]) {
        let evaluations = curves.compactMap { CurveEvaluation(law: law, curve: $0) }
        guard !evaluations.isEmpty, evaluations.count == curves.count else { return nil }
        let report = EvaluationReport(curves: evaluations)
        self.label = label
        predE = report.mean.predE
        spearmanFinal = report.spearmanFinal
        worstFinalE = report.worstFinalE
    }
}
