import Foundation
import HyperparameterLaws
import ScalingLaws

/// Assembles what the commands computed (a fit, evaluations, predictions, a sweep law) into a
/// `ReportDocument` and the data files a notebook reloads. Numbers only: every figure is computed
/// by the caller, so the same inputs always give the same report.
public struct AnalysisReport: Sendable {
    /// The predicted loss of one schedule at the steps to plot (the last being its final step).
    public struct ScheduleForecast: Sendable {
        public var spec: String
        public var points: [PredictedLoss]

        /// `points` predicted under the fit for schedule `spec`.
        public init(spec: String, points: [PredictedLoss]) {
            self.spec = spec
            self.points = points
        }
    }

    /// The loss-curve fit; nil for a report of a sweep alone.
    public var fit: FitResult?
    /// The fitted curves, compared with the law.
    public var fitted: [CurveEvaluation]
    /// Logged runs the fit never saw, compared with the law's prediction.
    public var heldOut: [CurveEvaluation]
    public var forecasts: [ScheduleForecast]
    public var sweep: SweepLaw?
    /// Recommendations of the sweep's laws for model sizes and budgets it did not run.
    public var recommendations: [Recommendation]

    /// A report of `fit` and what came of it.
    /// - Parameters:
    ///   - fitted: evaluations of the law on the curves it was fitted to.
    ///   - heldOut: evaluations on runs left out of the fit.
    ///   - forecasts: schedules predicted under the fit.
    ///   - sweep: a fitted learning-rate and batch-size law, if any.
    ///   - recommendations: what `sweep` recommends for new (N, D), shown in its section.
    public init(fit: FitResult?, fitted: [CurveEvaluation] = [], heldOut: [CurveEvaluation] = [], forecasts: [ScheduleForecast] = [],
                sweep: SweepLaw? = nil, recommendations: [Recommendation] = []) {
        self.fit = fit
        self.fitted = fitted
        self.heldOut = heldOut
        self.forecasts = forecasts
        self.sweep = sweep
        self.recommendations = recommendations
    }

    /// The document: fit, held-out runs, schedules, and the sweep's laws, for what was given.
    public func document(title: String = "lossfit report") -> ReportDocument {
        var sections: [ReportSection] = []
        var introduction: [String] = []
        if let fit {
            sections.append(fitSection(fit))
            if !heldOut.isEmpty { sections.append(heldOutSection()) }
            if !forecasts.isEmpty { sections.append(scheduleSection()) }
            let points = fit.curves.reduce(0) { $0 + $1.points }
            let what = fit.committee.map { "A committee of \($0.members.count) laws (its prediction is the median of theirs)" } ?? "The \(fit.law) law"
            introduction.append("\(what) fitted jointly to \(fit.curves.count) logged run\(fit.curves.count == 1 ? "" : "s") (\(points) points): mean R² \(NumberFormat.rSquared(fit.statistics.metrics.r2)), mean relative error (PredE) \(percent(fit.statistics.metrics.predE)).")
        }
        if let sweep {
            sections.append(sweepSection(sweep))
            let runs = sweep.groups.reduce(0) { $0 + $1.group.runs.count }
            introduction.append("Learning-rate and batch-size laws fitted to the optima of \(sweep.groups.count) (N, D) groups of a sweep (\(runs) finished runs): \(sweep.learningRate.law.equation) and \(sweep.batchSize.law.equation) tokens.")
        }
        return ReportDocument(title: title, introduction: introduction, sections: sections)
    }

    // MARK: Sections

    private func fitSection(_ fit: FitResult) -> ReportSection {
        var blocks: [ReportBlock] = []
        if let committee = fit.committee {
            blocks.append(.paragraph("The fit is a committee: \(committee.members.count) laws fitted to the same runs, whose \(committee.combination.rawValue) predicts at every step. Where the members disagree (their spread), the law's form is uncertain; an order of schedules counts as settled only when every member shares it. The parameters below are the first member's."))
            blocks.append(.table(ReportTable(headers: ["member", "parameters", "R²", "PredE"], rows: committee.members.map { member in
                let law = member.fit.law
                return [member.label, zip(law.parameterNames, law.parameterValues).map { "\($0)=\(NumberFormat.significant($1, digits: 4))" }.joined(separator: " "),
                        NumberFormat.rSquared(member.fit.statistics.metrics.r2), percent(member.fit.statistics.metrics.predE)]
            }, textColumns: [0, 1])))
        }
        switch fit.law {
        case .annealing:
            blocks.append(.paragraph("L(s) = L0 + A·S1^(−α) − C·S2(λ): S1 is the area under the learning-rate curve, S2 the annealing area with momentum λ (Tissue et al. 2024)."))
        case .multiPower:
            blocks.append(.paragraph("The multi-power law (Luo et al. 2025): a power law in the LR area plus a loss drop for each LR decrease."))
        case .exponential:
            blocks.append(.paragraph("L(s) = a·e^(b·s/scale) + c: the AutoLRS forecast (Jin et al. 2021), a baseline that reads only the step, so it predicts the same loss for every schedule."))
        }
        blocks.append(.table(ReportTable(headers: ["parameter", "value", "std. error", "status"], rows: fit.parameters.map { parameter in
            [parameter.name, NumberFormat.significant(parameter.value, digits: 6),
             parameter.standardError.map { "±" + NumberFormat.significant($0, digits: 2) } ?? "", parameter.status.rawValue]
        })))
        var rows = fit.curves.map { curve in
            [curve.name, "\(curve.points)", "\(curve.firstStep)–\(curve.lastStep)", NumberFormat.rSquared(curve.metrics.r2),
             NumberFormat.significant(curve.metrics.rmse, digits: 3), percent(curve.metrics.predE)]
        }
        let mean = fit.statistics.metrics
        rows.append(["mean", "\(mean.points)", "", NumberFormat.rSquared(mean.r2), NumberFormat.significant(mean.rmse, digits: 3), percent(mean.predE)])
        blocks.append(.table(ReportTable(headers: ["curve", "points", "steps", "R²", "RMSE", "PredE"], rows: rows)))
        blocks.append(.figure(name: "fit", StandardFigures.fitAgainstData(title: "Fitted law against the logged loss", curves: fitted.map(Self.observed))))
        return ReportSection(heading: "Fit", blocks: blocks)
    }

    private func heldOutSection() -> ReportSection {
        let report = EvaluationReport(curves: heldOut)
        var rows = heldOut.map { curve in
            [curve.name, "\(curve.metrics.points)", NumberFormat.rSquared(curve.metrics.r2), percent(curve.metrics.predE),
             percent(curve.metrics.worstE), "\(curve.finalStep)", NumberFormat.fixed(curve.finalLoss, decimals: 4), NumberFormat.fixed(curve.predictedFinalLoss, decimals: 4)]
        }
        rows.append(["mean", "\(report.mean.points)", NumberFormat.rSquared(report.mean.r2), percent(report.mean.predE), percent(report.mean.worstE), "", "", ""])
        var text = "Runs the fit never saw, predicted from their learning-rate schedules alone. Worst final-loss error \(percent(report.worstFinalE))"
        if let rho = report.spearmanFinal { text += "; final losses ranked with Spearman ρ = \(NumberFormat.fixed(rho, decimals: 3))" }
        return ReportSection(heading: "Predicting unseen runs", blocks: [
            .paragraph(text + "."),
            .table(ReportTable(headers: ["run", "points", "R²", "PredE", "WorstE", "final step", "final loss", "predicted"], rows: rows)),
            .figure(name: "held-out", StandardFigures.fitAgainstData(title: "Predicted against logged loss on unseen runs", curves: heldOut.map(Self.observed))),
        ])
    }

    private func scheduleSection() -> ReportSection {
        let ranked = forecasts.compactMap { forecast in forecast.points.last.map { (forecast.spec, $0) } }.sorted { $0.1.loss < $1.1.loss }
        let best = ranked.first?.1.loss ?? .nan
        let checkRanks = fit?.rankingCheck.map { check in
            let finals = ranked.map { entry in
                (try? Schedule(spec: entry.0)).map { check.law.predictLoss(learningRates: $0.learningRates(), at: [entry.1.step])[0] } ?? .infinity
            }
            return finals.map { final in finals.filter { $0 < final }.count + 1 }
        }
        // Each member's rank of each schedule, from the members' own final losses.
        let memberRanks: [[Int]]? = fit?.committee.map { committee in
            committee.members.indices.map { member in
                let finals = ranked.map { $0.1.memberLosses?[member] ?? .infinity }
                return finals.map { final in finals.filter { $0 < final }.count + 1 }
            }
        }
        let rows = ranked.enumerated().map { rank, entry -> [String] in
            let band = entry.1.band95.map { NumberFormat.fixed($0.lowerBound, decimals: 4) + "–" + NumberFormat.fixed($0.upperBound, decimals: 4) } ?? ""
            let versusBest = rank == 0 ? "best" : "+" + NumberFormat.fixed(100 * (entry.1.loss / best - 1), decimals: 2) + " %"
            var row = ["\(rank + 1)", entry.0, "\(entry.1.step)", NumberFormat.fixed(entry.1.loss, decimals: 5), band]
            if memberRanks != nil { row.append(entry.1.modelSpread.map { NumberFormat.significant($0, digits: 2) } ?? "") }
            row.append(versusBest)
            if let checkRanks { row.append("\(checkRanks[rank])") }
            if let memberRanks { row.append(memberRanks.map { "\($0[rank])" }.joined(separator: " ")) }
            return row
        }
        let schedules = forecasts.map { forecast in
            StepCurve(name: forecast.spec, steps: forecast.points.map { Double($0.step) }, values: forecast.points.map(\.learningRate))
        }
        let predictions = forecasts.map { forecast in
            let bands = forecast.points.map { $0.band95 }
            let band = bands.allSatisfy { $0 != nil } ? (lower: bands.map { $0!.lowerBound }, upper: bands.map { $0!.upperBound }) : nil
            return StepCurve(name: forecast.spec, steps: forecast.points.map { Double($0.step) }, values: forecast.points.map(\.loss), band: band)
        }
        var text = "Each schedule's loss predicted under the fit, ranked by the loss at its last step (95 % band from the parameter covariance, delta method)."
        if let committee = fit?.committee {
            text += " Spread: half the gap between the two middle members' predictions, the law's uncertain form (not in the band). Members' ranks: the schedule's rank under each of the \(committee.members.count) members alone (\(committee.members.map(\.label).joined(separator: "; "))); where they differ, the data have not settled the order."
        }
        if let check = fit?.rankingCheck {
            text += " The check's rank is the schedule's rank under the ranking check (\(check.label), fitted to the same curves). Where the two ranks differ, the data have not settled the order."
        }
        return ReportSection(heading: "Schedules nobody ran", blocks: [
            .paragraph(text),
            .table(ReportTable(headers: ["rank", "schedule", "final step", "final loss", "95 % band"] + (memberRanks == nil ? [] : ["spread"])
                               + ["vs best"] + (checkRanks == nil ? [] : ["check's rank"]) + (memberRanks == nil ? [] : ["members' ranks"]),
                               rows: rows, textColumns: [1])),
            .figure(name: "schedules", StandardFigures.schedules(title: "Learning-rate schedules", curves: schedules)),
            .figure(name: "predictions", StandardFigures.predictions(title: "Predicted loss of each schedule (95 % band)", curves: predictions)),
        ])
    }

    private func sweepSection(_ law: SweepLaw) -> ReportSection {
        var blocks: [ReportBlock] = [.paragraph("Per (N, D) group the optimum is located between grid points; power laws in N and D are then fitted to the optima, with intervals from a bootstrap over groups. Source: \(law.source).")]
        var rows: [[String]] = []
        for fitted in [law.learningRate, law.batchSize] {
            let interval = { (index: Int) in "[\(NumberFormat.fixed(fitted.coefficientIntervals[index].lower, decimals: 3)), \(NumberFormat.fixed(fitted.coefficientIntervals[index].upper, decimals: 3))]" }
            let names = ["ln c0"] + fitted.law.formula.terms.map { "exponent of \($0)" }
            for (index, name) in names.enumerated() {
                rows.append([index == 0 ? fitted.law.equation : "", name, NumberFormat.fixed(fitted.law.coefficients[index], decimals: 3), interval(index)])
            }
        }
        blocks.append(.table(ReportTable(headers: ["law", "coefficient", "value", "95 % interval"], rows: rows, textColumns: [0, 1])))
        blocks.append(.table(ReportTable(headers: ["group", "runs", "best loss", "optimum lr", "optimum batch", "law lr", "law batch"], rows: law.groups.map { group in
            [group.group.label, "\(group.group.runs.count)", NumberFormat.fixed(group.group.bestLoss, decimals: 4),
             NumberFormat.significant(group.optimum.learningRate, digits: 3), NumberFormat.significant(group.optimum.batchSizeTokens, digits: 3),
             NumberFormat.significant(group.lawLearningRate, digits: 3), NumberFormat.significant(group.lawBatchSizeTokens, digits: 3)]
        })))
        // The group with the most runs shows the landscape best (the last such: the largest).
        if let group = law.groups.max(by: { $0.group.runs.count <= $1.group.runs.count }) {
            let allBatches = Array(Set(group.group.runs.map(\.batchSizeTokens))).sorted()
            // Five lines stay distinguishable; more batch sizes are thinned evenly.
            let shown = min(allBatches.count, 5)
            let batches = (0..<shown).map { allBatches[shown == 1 ? 0 : $0 * (allBatches.count - 1) / (shown - 1)] }
            let lines = batches.map { batch in
                let runs = group.group.runs.filter { $0.batchSizeTokens == batch }.sorted { $0.learningRate < $1.learningRate }
                return (label: "batch \(NumberFormat.significant(batch, digits: 3))", learningRates: runs.map(\.learningRate), losses: runs.map(\.loss))
            }
            blocks.append(.figure(name: "sweep-landscape", StandardFigures.sweepLandscape(
                title: "Final loss against learning rate, \(group.group.label)" + (shown < allBatches.count ? " (\(shown) of \(allBatches.count) batch sizes)" : ""), lines: lines,
                optimum: (group.optimum.learningRate, group.optimum.loss,
                          "located optimum: lr \(NumberFormat.significant(group.optimum.learningRate, digits: 3)), batch \(NumberFormat.significant(group.optimum.batchSizeTokens, digits: 3))"),
                recommendation: (group.lawLearningRate, "recommended lr \(NumberFormat.significant(group.lawLearningRate, digits: 3)) (batch \(NumberFormat.significant(group.lawBatchSizeTokens, digits: 3)))"),
                // Up to 10 % above the best run: where the optimum is decided; diverged runs leave the frame.
                lossRange: Ticks.niceDomain(group.group.bestLoss * 0.995, group.group.bestLoss * 1.10))))
        }
        for (fitted, name) in [(law.batchSize, "batch"), (law.learningRate, "lr")] {
            if let figure = Self.powerLawFigure(fitted, groups: law.groups, name: name) {
                blocks.append(.figure(name: "\(name)-law", figure))
            }
        }
        if law.learningRate.law.formula.terms.count > 1 {
            blocks.append(.figure(name: "lr-law-check", StandardFigures.lawAgainstOptima(
                title: "Each group's located optimum against the law: \(law.learningRate.law.equation)", quantity: "peak learning rate",
                points: law.groups.map { (label: $0.group.label, law: $0.lawLearningRate, located: $0.optimum.learningRate) })))
        }
        if !recommendations.isEmpty {
            blocks.append(.paragraph("The laws' recommendations for sizes the sweep did not run (95 % intervals over the bootstrap resamples; the ranges keep the loss within 0.25 % of the optimum, from the sweep's average landscape)."))
            blocks.append(.table(ReportTable(headers: ["N", "D", "peak lr", "95 % interval", "lr within 0.25 %", "batch (tokens)", "95 % interval", "batch within 0.25 %"],
                                             rows: recommendations.map(Self.recommendationRow))))
        }
        return ReportSection(heading: "Learning rate and batch size", blocks: blocks)
    }

    private static func recommendationRow(_ recommendation: Recommendation) -> [String] {
        func interval(_ interval: ConfidenceInterval?) -> String {
            interval.map { "[\(NumberFormat.significant($0.lower, digits: 3)), \(NumberFormat.significant($0.upper, digits: 3))]" } ?? "–"
        }
        func range(_ range: NearOptimumRange?) -> String {
            guard let range else { return "–" }
            return "[\(range.lowerIsOpen ? "≤" : "")\(NumberFormat.significant(range.lower, digits: 3)), \(range.upperIsOpen ? "≥" : "")\(NumberFormat.significant(range.upper, digits: 3))]"
        }
        return [NumberFormat.significant(recommendation.parameters, digits: 3), NumberFormat.significant(recommendation.tokens, digits: 3),
                NumberFormat.significant(recommendation.learningRate, digits: 3), interval(recommendation.learningRateInterval), range(recommendation.learningRateRange),
                NumberFormat.significant(recommendation.batchSizeTokens, digits: 3), interval(recommendation.batchSizeTokensInterval), range(recommendation.batchSizeTokensRange)]
    }

    // MARK: Data for notebooks

    /// CSV files holding every number the figures show, for a notebook to reload.
    public func dataFiles() -> [(name: String, contents: String)] {
        var files: [(String, String)] = []
        func curvesCSV(_ curves: [CurveEvaluation]) -> String {
            var csv = "curve,step,observed,predicted\n"
            for curve in curves {
                for index in curve.steps.indices {
                    csv += "\(curve.name),\(curve.steps[index]),\(curve.observed[index]),\(curve.predicted[index])\n"
                }
            }
            return csv
        }
        if fit != nil { files.append(("fitted-curves.csv", curvesCSV(fitted))) }
        if !heldOut.isEmpty { files.append(("held-out-curves.csv", curvesCSV(heldOut))) }
        if !forecasts.isEmpty {
            var csv = "schedule,step,lr,loss,lower95,upper95\n"
            for forecast in forecasts {
                for point in forecast.points {
                    let band = point.band95
                    csv += "\"\(forecast.spec)\",\(point.step),\(point.learningRate),\(point.loss),\(band.map { "\($0.lowerBound)" } ?? ""),\(band.map { "\($0.upperBound)" } ?? "")\n"
                }
            }
            files.append(("schedule-predictions.csv", csv))
        }
        if let sweep {
            var csv = "group,parameters,tokens,lr,batch_tokens,loss\n"
            for group in sweep.groups {
                for run in group.group.runs {
                    csv += "\"\(group.group.label)\",\(group.group.parameters),\(group.group.tokens),\(run.learningRate),\(run.batchSizeTokens),\(run.loss)\n"
                }
            }
            files.append(("sweep-runs.csv", csv))
            var optima = "group,parameters,tokens,optimum_lr,optimum_batch_tokens,optimum_loss,law_lr,law_batch_tokens\n"
            for group in sweep.groups {
                optima += "\"\(group.group.label)\",\(group.group.parameters),\(group.group.tokens),\(group.optimum.learningRate),\(group.optimum.batchSizeTokens),\(group.optimum.loss),\(group.lawLearningRate),\(group.lawBatchSizeTokens)\n"
            }
            files.append(("sweep-optima.csv", optima))
        }
        return files
    }

    // MARK: Helpers

    private static func observed(_ curve: CurveEvaluation) -> ObservedCurve {
        ObservedCurve(name: curve.name, steps: curve.steps.map(Double.init), observed: curve.observed, fitted: curve.predicted)
    }

    private func percent(_ fraction: Double) -> String {
        NumberFormat.significant(100 * fraction, digits: 3) + " %"
    }

    /// A one-variable law against its groups' optima, with the bootstrap's 95 % band; nil for laws
    /// of several variables (no single x axis).
    private static func powerLawFigure(_ fitted: FittedHyperparameterLaw, groups: [GroupFit], name: String) -> Figure? {
        guard fitted.law.formula.terms.count == 1, let variable = fitted.law.formula.terms.first else { return nil }
        func value(_ group: SweepGroup) -> Double? {
            switch variable {
            case "N": return group.parameters
            case "D": return group.tokens
            case "C": return 6 * group.parameters * group.tokens
            default: return group.covariates[variable]
            }
        }
        let points = groups.compactMap { group -> (Double, Double)? in
            guard let x = value(group.group) else { return nil }
            return (x, fitted.law.formula.target == .learningRate ? group.optimum.learningRate : group.optimum.batchSizeTokens)
        }
        guard let low = points.map(\.0).min(), let high = points.map(\.0).max(), low > 0 else { return nil }
        let xs = (0...40).map { exp(log(low) + (log(high) - log(low)) * Double($0) / 40) }
        let law = fitted.law.coefficients
        let draws = fitted.bootstrapCoefficients.filter { $0.count == 2 }
        var lower: [Double] = [], upper: [Double] = []
        for x in xs {
            let predictions = draws.map { $0[0] + $0[1] * log(x) }.sorted()
            guard !predictions.isEmpty else { lower.append(.nan); upper.append(.nan); continue }
            lower.append(exp(predictions[Int(0.025 * Double(predictions.count - 1))]))
            upper.append(exp(predictions[Int((0.975 * Double(predictions.count - 1)).rounded(.up))]))
        }
        let target = fitted.law.formula.target == .learningRate ? "peak learning rate" : "batch size (tokens)"
        return StandardFigures.powerLaw(
            title: "Fitted \(name) law: \(fitted.law.equation)", xLabel: variable, yLabel: "optimal \(target)",
            observed: ("group optima", points.map(\.0), points.map(\.1)),
            law: ("law", xs, xs.map { exp(law[0] + law[1] * log($0)) }, lower, upper))
    }
}
