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

    /// The edges of a prediction band at each step of an evaluated curve.
    public struct PredictionBand: Sendable, Equatable {
        public var lower: [Double]
        public var upper: [Double]

        public init(lower: [Double], upper: [Double]) {
            self.lower = lower
            self.upper = upper
        }
    }

    /// A candidate schedule ranked by predicted final loss, with its difference from the best.
    public struct RankedCandidate: Sendable {
        public var spec: String
        public var finalLoss: PredictedLoss
        /// Nil for the best.
        public var differenceFromBest: PredictedDifference?

        public init(spec: String, finalLoss: PredictedLoss, differenceFromBest: PredictedDifference?) {
            self.spec = spec
            self.finalLoss = finalLoss
            self.differenceFromBest = differenceFromBest
        }
    }

    /// A cooldown plan for a run in progress, as numbers: its best options and their predicted curves.
    public struct CooldownPlanSummary: Sendable {
        /// One listed option with its spec and difference from the best (nil for the best).
        public struct Row: Sendable {
            public var option: CooldownPlanner.Option
            public var spec: String
            public var differenceFromBest: PredictedDifference?

            public init(option: CooldownPlanner.Option, spec: String, differenceFromBest: PredictedDifference?) {
                self.option = option
                self.spec = spec
                self.differenceFromBest = differenceFromBest
            }
        }

        public var budget: Int
        public var endLearningRate: Double
        public var optionsConsidered: Int
        /// Best first.
        public var best: [Row]
        /// The options that end lower than every option ending earlier.
        public var lossVersusCompute: [CooldownPlanner.Option]
        /// The predicted loss of the first few options, for the figure.
        public var forecasts: [ScheduleForecast]
        /// Shapes left out of the plan: geometric at an end LR of 0, which it cannot reach.
        public var shapesLeftOut: [DecayShape]

        public init(budget: Int, endLearningRate: Double, optionsConsidered: Int, best: [Row], lossVersusCompute: [CooldownPlanner.Option], forecasts: [ScheduleForecast],
                    shapesLeftOut: [DecayShape] = []) {
            self.shapesLeftOut = shapesLeftOut
            self.budget = budget
            self.endLearningRate = endLearningRate
            self.optionsConsidered = optionsConsidered
            self.best = best
            self.lossVersusCompute = lossVersusCompute
            self.forecasts = forecasts
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
    /// The 95 % band of the fit's prediction of each held-out run, by name.
    public var heldOutBands: [String: PredictionBand]
    /// The forecast schedules ranked as candidates for a plan (when two or more were given).
    public var candidates: [RankedCandidate]
    /// A cooldown plan, when one was asked for.
    public var plan: CooldownPlanSummary?

    /// A report of `fit` and what came of it.
    /// - Parameters:
    ///   - fitted: evaluations of the law on the curves it was fitted to.
    ///   - heldOut: evaluations on runs left out of the fit.
    ///   - forecasts: schedules predicted under the fit.
    ///   - sweep: a fitted learning-rate and batch-size law, if any.
    ///   - recommendations: what `sweep` recommends for new (N, D), shown in its section.
    ///   - heldOutBands: the prediction band of held-out runs, by name, drawn around their predictions.
    ///   - candidates: the forecasts ranked with differences from the best, for the plan section.
    ///   - plan: a cooldown plan, for the plan section.
    public init(fit: FitResult?, fitted: [CurveEvaluation] = [], heldOut: [CurveEvaluation] = [], forecasts: [ScheduleForecast] = [],
                sweep: SweepLaw? = nil, recommendations: [Recommendation] = [], heldOutBands: [String: PredictionBand] = [:],
                candidates: [RankedCandidate] = [], plan: CooldownPlanSummary? = nil) {
        self.heldOutBands = heldOutBands
        self.candidates = candidates
        self.plan = plan
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
            if !fitted.isEmpty || !heldOut.isEmpty { sections.append(tailSection(fit)) }
            if !forecasts.isEmpty { sections.append(scheduleSection()) }
            if plan != nil || candidates.count >= 2 { sections.append(planSection()) }
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
        var rows = fit.curves.sorted { ($0.lastStep, $0.name) < ($1.lastStep, $1.name) }.map { curve in
            [curve.name, "\(curve.points)", "\(curve.firstStep)–\(curve.lastStep)", NumberFormat.rSquared(curve.metrics.r2),
             NumberFormat.significant(curve.metrics.rmse, digits: 3), percent(curve.metrics.predE)]
        }
        let mean = fit.statistics.metrics
        rows.append(["mean", "\(mean.points)", "", NumberFormat.rSquared(mean.r2), NumberFormat.significant(mean.rmse, digits: 3), percent(mean.predE)])
        blocks.append(.table(ReportTable(headers: ["curve", "points", "steps", "R²", "RMSE", "PredE"], rows: rows)))
        blocks.append(.paragraph("Curves by horizon (last step), shortest first. The dashed vertical lines mark the fit window: the steps the fit was made on."))
        blocks.append(.figure(name: "fit", StandardFigures.fitAgainstData(title: "Fitted law against the logged loss",
                                                                        curves: observedByHorizon(fitted), fitWindow: Self.fitWindow(fit))))
        return ReportSection(heading: "Fit", blocks: blocks)
    }

    private func heldOutSection() -> ReportSection {
        let report = EvaluationReport(curves: heldOut)
        var rows = Self.byHorizon(heldOut).map { curve in
            [curve.name, "\(curve.metrics.points)", NumberFormat.rSquared(curve.metrics.r2), percent(curve.metrics.predE),
             percent(curve.metrics.worstE), "\(curve.finalStep)", NumberFormat.fixed(curve.finalLoss, decimals: 4), NumberFormat.fixed(curve.predictedFinalLoss, decimals: 4)]
        }
        rows.append(["mean", "\(report.mean.points)", NumberFormat.rSquared(report.mean.r2), percent(report.mean.predE), percent(report.mean.worstE), "", "", ""])
        var text = "Runs the fit never saw, predicted from their learning-rate schedules alone. Worst final-loss error \(percent(report.worstFinalE))"
        if let rho = report.spearmanFinal { text += "; final losses ranked with Spearman ρ = \(NumberFormat.fixed(rho, decimals: 3))" }
        return ReportSection(heading: "Predicting unseen runs", blocks: [
            .paragraph(text + "."),
            .table(ReportTable(headers: ["run", "points", "R²", "PredE", "WorstE", "final step", "final loss", "predicted"], rows: rows)),
            .paragraph("Runs by horizon (last step), shortest first; the shaded band around each prediction is its 95 % band, and the dashed vertical lines mark the fit window."),
            .figure(name: "held-out", StandardFigures.fitAgainstData(title: "Predicted against logged loss on unseen runs",
                                                                     curves: observedByHorizon(heldOut), fitWindow: fit.map(Self.fitWindow) ?? nil)),
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
            let band = NumberFormat.band(entry.1.band95)
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
            blocks.append(.paragraph("The laws' recommendations for sizes the sweep did not run (95 % intervals over the bootstrap resamples; the ranges keep the loss within 0.25 % of the optimum, from the sweep's average landscape). Where N or D lies outside the sweep (how far is given beside it), the law is extrapolated and the ranges are given as factors of the value: they say how flat the loss is around the optimum, while the optimum itself is only known to within its interval."))
            blocks.append(.table(ReportTable(headers: ["N", "D", "peak lr", "95 % interval", "lr within 0.25 %", "batch (tokens)", "95 % interval", "batch within 0.25 %"],
                                             rows: recommendations.map(Self.recommendationRow))))
        }
        return ReportSection(heading: "Learning rate and batch size", blocks: blocks)
    }

    private static func recommendationRow(_ recommendation: Recommendation) -> [String] {
        func interval(_ interval: ConfidenceInterval?) -> String {
            interval.map { "[\(NumberFormat.significant($0.lower, digits: 3)), \(NumberFormat.significant($0.upper, digits: 3))]" } ?? "–"
        }
        // Outside the sweep the range is the width of the flat region around an uncertain optimum: shown as factors of the value.
        let relative = !recommendation.outsideSweep.isEmpty
        func range(_ range: NearOptimumRange?, of value: Double) -> String {
            guard let range else { return "–" }
            func text(_ end: Double) -> String { relative ? "×" + NumberFormat.significant(end / value, digits: 3) : NumberFormat.significant(end, digits: 3) }
            return "[\(range.lowerIsOpen ? "≤" : "")\(text(range.lower)), \(range.upperIsOpen ? "≥" : "")\(text(range.upper))]"
        }
        func quantity(_ name: String, _ value: Double) -> String {
            let text = NumberFormat.significant(value, digits: 3)
            guard let outside = recommendation.outsideSweep.first(where: { $0.quantity == name }) else { return text }
            return text + " (\(NumberFormat.significant(outside.factor, digits: 3))× \(outside.isAbove ? "the sweep's largest" : "below the sweep's smallest"))"
        }
        return [quantity("N", recommendation.parameters), quantity("D", recommendation.tokens),
                NumberFormat.significant(recommendation.learningRate, digits: 3), interval(recommendation.learningRateInterval),
                range(recommendation.learningRateRange, of: recommendation.learningRate),
                NumberFormat.significant(recommendation.batchSizeTokens, digits: 3) + (recommendation.batchSizeIsGiven ? " (given)" : ""),
                interval(recommendation.batchSizeTokensInterval), range(recommendation.batchSizeTokensRange, of: recommendation.batchSizeTokens)]
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

    /// The steps the fit was made on: from the earliest first step to the latest last step of its curves.
    static func fitWindow(_ fit: FitResult) -> ClosedRange<Double>? {
        guard let first = fit.curves.map(\.firstStep).min(), let last = fit.curves.map(\.lastStep).max(), first <= last else { return nil }
        return Double(first)...Double(last)
    }

    /// `curves` by horizon (last step), then name.
    static func byHorizon(_ curves: [CurveEvaluation]) -> [CurveEvaluation] {
        curves.sorted { ($0.finalStep, $0.name) < ($1.finalStep, $1.name) }
    }

    /// `curves` for a figure, by horizon, each with its prediction band when it has one; when the
    /// runs end at different steps, each legend name carries its horizon.
    private func observedByHorizon(_ curves: [CurveEvaluation]) -> [ObservedCurve] {
        let severalHorizons = Set(curves.map(\.finalStep)).count > 1
        return Self.byHorizon(curves).map { curve in
            let band = heldOutBands[curve.name].flatMap { $0.lower.count == curve.steps.count ? $0 : nil }
            return ObservedCurve(name: severalHorizons ? "\(curve.name), ends \(curve.finalStep)" : curve.name,
                                 steps: curve.steps.map(Double.init), observed: curve.observed, fitted: curve.predicted,
                                 bandLower: band?.lower, bandUpper: band?.upper)
        }
    }

    /// The last 20 % of the runs of each horizon, fitted and unseen together, on a loss axis fitted to that part.
    private func tailSection(_ fit: FitResult) -> ReportSection {
        let percent = Int((100 * StandardFigures.tailFraction).rounded())
        var blocks: [ReportBlock] = [.paragraph("Where schedules differ, in the last steps, their losses differ by hundredths, which the plots of whole runs flatten. Each figure shows the runs that end at the same step (their horizon) over their last \(percent) % of steps, with the loss axis fitted to that part: logged points, the law (the fit on fitted runs, its prediction on unseen ones, with the 95 % band) and the fit window where it ends inside.")]
        let fittedNames = Set(fitted.map(\.name))
        let all = fitted + heldOut
        var rows: [[String]] = []
        for horizon in Set(all.map(\.finalStep)).sorted() {
            let group = Self.byHorizon(all.filter { $0.finalStep == horizon })
            for curve in group {
                rows.append(["\(horizon)", curve.name, fittedNames.contains(curve.name) ? "fitted" : "unseen",
                             NumberFormat.fixed(curve.finalLoss, decimals: 4), NumberFormat.fixed(curve.predictedFinalLoss, decimals: 4),
                             NumberFormat.significant(curve.predictedFinalLoss - curve.finalLoss, digits: 2)])
            }
            let curves = group.map { curve in
                let band = heldOutBands[curve.name].flatMap { $0.lower.count == curve.steps.count ? $0 : nil }
                return ObservedCurve(name: curve.name + (fittedNames.contains(curve.name) ? "" : ", unseen"), steps: curve.steps.map(Double.init),
                                     observed: curve.observed, fitted: curve.predicted, bandLower: band?.lower, bandUpper: band?.upper)
            }
            blocks.append(.figure(name: "tail-\(horizon)", StandardFigures.tail(
                title: "Runs ending at step \(horizon): the last \(percent) %", horizon: Double(horizon), curves: curves, fitWindow: Self.fitWindow(fit))))
        }
        blocks.insert(.table(ReportTable(headers: ["horizon", "run", "in the fit", "final loss", "law", "law − logged"], rows: rows, textColumns: [1, 2])), at: 1)
        return ReportSection(heading: "The last steps, by horizon", blocks: blocks)
    }

    /// The difference from the best with its calibrated 95 % interval: "+0.0012 ± 4.1e-04", or
    /// "+0.0012 (0.0008 to 0.0016)" when the interval is not symmetric (bootstrap).
    private static func differenceText(_ difference: PredictedDifference?) -> String {
        difference.map { NumberFormat.difference($0.difference, interval95: $0.interval95, digits: 2) } ?? "best"
    }

    private static func settledText(_ difference: PredictedDifference?) -> [String] {
        [difference.map { $0.isSettled ? "yes" : "no" } ?? ""]
    }

    /// What to run next: the candidates ranked with the uncertainty of each difference, and a cooldown plan.
    private func planSection() -> ReportSection {
        var blocks: [ReportBlock] = []
        let legend = "vs best: the difference in final loss from the best with its calibrated 95 % interval (parameter noise, the committee members' disagreement about it and the law's error calibrated on held-out real runs). settled? = that interval excludes 0 (and a fit's ranking check, if it has one, orders them alike)."
        if candidates.count >= 2 {
            blocks.append(.paragraph("Which of the candidate schedules to run: ranked by predicted final loss."))
            blocks.append(.table(ReportTable(headers: ["rank", "schedule", "final step", "final loss", "vs best (95 %)", "settled?"], rows: candidates.enumerated().map { rank, candidate in
                ["\(rank + 1)", candidate.spec, "\(candidate.finalLoss.step)", NumberFormat.fixed(candidate.finalLoss.loss, decimals: 5),
                 Self.differenceText(candidate.differenceFromBest)] + Self.settledText(candidate.differenceFromBest)
            }, textColumns: [1])))
        }
        if let plan {
            blocks.append(.paragraph("Cooldown options for the run in progress: \(plan.optionsConsidered) options (checkpoint × length × shape) within \(plan.budget) steps, each decaying to LR \(String(format: "%.6g", plan.endLearningRate))\(plan.shapesLeftOut.isEmpty ? "" : " (left out: \(plan.shapesLeftOut.map(\.rawValue).joined(separator: ", ")), which decays the log of the LR and cannot reach 0)"); the best \(plan.best.count):"))
            blocks.append(.table(ReportTable(headers: ["rank", "from step", "length", "shape", "ends at", "final loss", "vs best (95 %)", "settled?"], rows: plan.best.enumerated().map { rank, row in
                ["\(rank + 1)", "\(row.option.checkpoint)", "\(row.option.length)", row.option.shape.rawValue, "\(row.option.finalStep)",
                 NumberFormat.fixed(row.option.finalLoss, decimals: 5), Self.differenceText(row.differenceFromBest)] + Self.settledText(row.differenceFromBest)
            })))
            blocks.append(.paragraph("Loss versus compute: each option that ends lower than every option ending earlier."))
            blocks.append(.table(ReportTable(headers: ["ends at", "from step", "length", "shape", "final loss"], rows: plan.lossVersusCompute.map { option in
                ["\(option.finalStep)", "\(option.checkpoint)", "\(option.length)", option.shape.rawValue, NumberFormat.fixed(option.finalLoss, decimals: 5)]
            })))
            if !plan.forecasts.isEmpty {
                let curves = plan.forecasts.map { forecast in
                    let bands = forecast.points.map(\.band95)
                    let band = bands.allSatisfy { $0 != nil } ? (lower: bands.map { $0!.lowerBound }, upper: bands.map { $0!.upperBound }) : nil
                    return StepCurve(name: forecast.spec, steps: forecast.points.map { Double($0.step) }, values: forecast.points.map(\.loss), band: band)
                }
                blocks.append(.figure(name: "plan", StandardFigures.predictions(title: "Predicted loss of the best \(curves.count) cooldown options (95 % band)", curves: curves)))
            }
        }
        blocks.append(.paragraph(legend))
        return ReportSection(heading: "Plan", blocks: blocks)
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
