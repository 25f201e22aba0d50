import ScalingLaws

/// Scoring a fit's predictions on logged curves.
public enum Evaluation {
    /// A fit scored on curves, with what was left out of the scores.
    public struct Outcome: Sendable {
        public var report: EvaluationReport
        /// Per curve (by source), the points before any learning-rate area that could not be scored.
        public var unscoredPoints: [(source: String, count: Int)]
    }

    /// Scores `fit` on every curve: R², MAE, RMSE, PredE, WorstE, and, where the fit has them, the
    /// baselines, the ranking check or each committee member on the same curves.
    /// - Throws: `WorkflowError.unpredictableCurve` for a curve without a point the law can predict.
    public static func evaluate(_ fit: FitResult, on loaded: [LoadedCurve]) throws(WorkflowError) -> Outcome {
        var evaluations: [CurveEvaluation] = []
        var unscored: [(source: String, count: Int)] = []
        for item in loaded {
            guard let evaluation = CurveEvaluation(law: fit.predictor, curve: item.curve) else {
                throw .unpredictableCurve(source: item.log.source)
            }
            if evaluation.excludedPoints > 0 { unscored.append((item.log.source, evaluation.excludedPoints)) }
            evaluations.append(evaluation)
        }
        var report = EvaluationReport(curves: evaluations)
        if let baselines = fit.baselines {
            report.baselines = zip(loaded, evaluations).map { BaselineEvaluation(baselines: baselines, curve: $0.curve, evaluation: $1) }
        }
        report.rankingCheck = fit.rankingCheck.flatMap { LawEvaluation(check: $0, curves: loaded.map(\.curve)) }
        report.members = fit.committee?.members.compactMap { LawEvaluation(label: $0.label, law: $0.fit.law.lossLaw, curves: loaded.map(\.curve)) }
        return Outcome(report: report, unscoredPoints: unscored)
    }

    /// The curves `fit` can predict, scored: those it cannot predict at any point are left out.
    public static func scores(_ fit: FitResult, on curves: [TrainingCurve]) -> [CurveEvaluation] {
        curves.compactMap { CurveEvaluation(law: fit.predictor, curve: $0) }
    }
}
