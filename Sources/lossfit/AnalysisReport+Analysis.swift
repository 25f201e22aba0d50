import LossFitReports
import LossFitWorkflows

extension AnalysisReport {
    /// The page or notebook of an analysis.
    init(_ analysis: Analysis) {
        var bands: [String: PredictionBand] = [:]
        for (name, band) in analysis.heldOutBands where band.allSatisfy({ $0 != nil }) {
            bands[name] = PredictionBand(lower: band.map { $0!.lowerBound }, upper: band.map { $0!.upperBound })
        }
        let candidates = analysis.comparison?.schedules.map { schedule in
            RankedCandidate(spec: schedule.schedule, finalLoss: schedule.finalLoss, differenceFromBest: schedule.differenceFromBest)
        } ?? []
        let plan = analysis.plan.map { plan in
            CooldownPlanSummary(budget: plan.budget, endLearningRate: plan.endLearningRate,
                                optionsConsidered: plan.optionsConsidered,
                                best: plan.best.map { CooldownPlanSummary.Row(option: $0.option, spec: $0.spec, differenceFromBest: $0.differenceFromBest) },
                                lossVersusCompute: plan.lossVersusCompute,
                                forecasts: analysis.planForecasts.map { ScheduleForecast(spec: $0.spec, points: $0.points) },
                                shapesLeftOut: plan.shapesLeftOut)
        }
        self.init(fit: analysis.fit, fitted: analysis.fitted, heldOut: analysis.heldOut,
                  forecasts: analysis.forecasts.map { ScheduleForecast(spec: $0.spec, points: $0.points) },
                  sweep: analysis.sweep, recommendations: analysis.recommendations, heldOutBands: bands, candidates: candidates, plan: plan)
    }
}
