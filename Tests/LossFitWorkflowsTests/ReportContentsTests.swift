import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport

/// What a report shows of a fit: held-out runs with their prediction band, the runs' tails by
/// horizon, the fit window, and a plan of candidates and cooldowns.
@Suite struct ReportContentsTests {
    /// The report of `analysis` as `lossfit report` assembles it.
    static func report(_ analysis: Analysis) -> AnalysisReport {
        var bands: [String: AnalysisReport.PredictionBand] = [:]
        for (name, band) in analysis.heldOutBands where band.allSatisfy({ $0 != nil }) {
            bands[name] = AnalysisReport.PredictionBand(lower: band.map { $0!.lowerBound }, upper: band.map { $0!.upperBound })
        }
        let plan = analysis.plan.map { plan in
            AnalysisReport.CooldownPlanSummary(
                budget: plan.budget, endLearningRate: plan.endLearningRate, optionsConsidered: plan.optionsConsidered,
                best: plan.best.map { .init(option: $0.option, spec: $0.spec, differenceFromBest: $0.differenceFromBest) },
                lossVersusCompute: plan.lossVersusCompute,
                forecasts: analysis.planForecasts.map { .init(spec: $0.spec, points: $0.points) })
        }
        return AnalysisReport(
            fit: analysis.fit, fitted: analysis.fitted, heldOut: analysis.heldOut,
            forecasts: analysis.forecasts.map { .init(spec: $0.spec, points: $0.points) }, heldOutBands: bands,
            candidates: analysis.comparison?.schedules.map { .init(spec: $0.schedule, finalLoss: $0.finalLoss, differenceFromBest: $0.differenceFromBest) } ?? [],
            plan: plan)
    }

    @Test func heldOutBandsTailsByHorizonAndAPlan() throws {
        let fit = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-annealing.json").path)
        var request = Analysis.Request()
        request.fit = fit
        request.logs = try CurveLoading.load(WorkflowFixtures.trainingRuns + ["cosine_40000", "wsd_1-sqrt_20000"].map(WorkflowFixtures.bundled),
                                             options: CurveLoadingOptions())
        request.predictions = ["cosine:peak=0.6,end=0,warmup=200,total=20000", "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.2,shape=1-sqrt"]
        request.plan = CooldownPlanRequest(run: try Schedule(spec: "constant:peak=0.6,warmup=200,total=20000"), budget: 20000,
                                           checkpoints: [12000, 16000], lengths: [2000, 4000], shapes: [.linear, .cosine],
                                           endLearningRate: 0, top: 5)
        let analysis = try Analysis(request)

        // Each held-out run has a band at every compared step, around the fit's prediction there.
        #expect(Set(analysis.heldOutBands.keys) == ["cosine_40000", "wsd_1-sqrt_20000"])
        for evaluation in analysis.heldOut {
            let band = try #require(analysis.heldOutBands[evaluation.name])
            #expect(band.count == evaluation.steps.count)
            for (edges, predicted) in zip(band, evaluation.predicted) {
                let edges = try #require(edges)
                #expect(edges.lowerBound < predicted && predicted < edges.upperBound)
            }
        }
        // The plan's forecasts end where the planner says: two ways of predicting the same schedule agree.
        let plan = try #require(analysis.plan)
        #expect(plan.budget == 20000 && analysis.planForecasts.count == 3)
        for (forecast, row) in zip(analysis.planForecasts, plan.best) {
            let last = try #require(forecast.points.last)
            #expect(last.step == row.option.finalStep)
            #expect(isClose(last.loss, row.option.finalLoss, relativeTolerance: 1e-9))
        }
        let comparison = try #require(analysis.comparison)
        #expect(comparison.schedules.count == 2 && comparison.schedules[1].differenceFromBest != nil)

        let document = Self.report(analysis).document()
        #expect(document.sections.map(\.heading) == ["Fit", "Predicting unseen runs", "The last steps, by horizon", "Schedules nobody ran", "Plan"])
        let figures = Dictionary(uniqueKeysWithValues: document.figures.map { ($0.name, $0.figure) })
        // twostage_0.2 ends at 16000, the 20000-step runs at 20000, cosine_40000 at 40000: one tail figure each.
        #expect(Set(figures.keys).isSuperset(of: ["tail-16000", "tail-20000", "tail-40000", "plan"]))
        let tail = try #require(figures["tail-20000"])
        #expect(tail.xAxis.range == 16000...20000)
        let range = try #require(tail.panels[0].yAxis.range)
        let twentyThousand = analysis.fitted.filter { $0.finalStep == 20000 } + analysis.heldOut.filter { $0.finalStep == 20000 }
        let tailLosses = twentyThousand.flatMap { curve in curve.steps.indices.filter { curve.steps[$0] >= 16000 }.map { curve.observed[$0] } }
        #expect(tailLosses.allSatisfy { range.contains($0) })
        let wholeRun = twentyThousand.flatMap(\.observed)
        #expect(range.upperBound - range.lowerBound < 0.2 * (wholeRun.max()! - wholeRun.min()!))
        // The held-out runs' predictions carry their bands, and the fit window (200–20000) is marked.
        let heldOutFigure = try #require(figures["held-out"])
        #expect(heldOutFigure.panels[0].series.filter { $0.style == .band }.count == 2)
        #expect(heldOutFigure.panels[0].series.contains { $0.style == .verticalLine && $0.x == [200, 20000] })
        #expect(heldOutFigure.legendEntries.compactMap(\.name).first { $0.hasPrefix("wsd_1-sqrt_20000") } == "wsd_1-sqrt_20000, ends 20000 (logged)")

        // Tables list runs by horizon.
        let tables = document.sections.flatMap(\.blocks).compactMap { block -> ReportTable? in
            if case .table(let table) = block { return table } else { return nil }
        }
        let heldOutTable = try #require(tables.first { $0.headers.first == "run" && $0.headers.contains("final step") })
        #expect(heldOutTable.rows.dropLast().map { $0[0] } == ["wsd_1-sqrt_20000", "cosine_40000"])
        let tailTable = try #require(tables.first { $0.headers.first == "horizon" })
        let horizons = tailTable.rows.map { Int($0[0]) ?? -1 }
        #expect(horizons == horizons.sorted() && horizons.count == 5)
        let planTable = try #require(tables.first { $0.headers.contains("from step") && $0.headers.contains("vs best (95 %)") })
        #expect(planTable.rows.count == 5 && planTable.rows[0][6] == "best")
    }
}
