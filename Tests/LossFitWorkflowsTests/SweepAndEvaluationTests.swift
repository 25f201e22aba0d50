import Foundation
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport
import TrainingLogs

@Suite struct SweepLoadingTests {
    /// Every row with a final loss becomes one run with the same numbers; rows without one are
    /// counted as skipped, not dropped silently.
    @Test func rowsBecomeRuns() throws {
        let loaded = try SweepLoading.load(WorkflowFixtures.bundled("sweep"))
        let runs = loaded.sweep.groups.flatMap(\.runs)
        #expect(runs.count == loaded.table.rows.count)
        #expect(loaded.table.skipped.map(\.count).reduce(0, +) == 20)
        let row = try #require(loaded.table.rows.first)
        let group = try #require(loaded.sweep.groups.first { $0.parameters == row.parameters && $0.tokens == row.tokens })
        #expect(group.runs.contains { $0.learningRate == row.learningRate && $0.batchSizeTokens == row.batchSizeTokens && $0.loss == row.loss })
        #expect(Set(loaded.sweep.groups.map { "\($0.parameters):\($0.tokens)" }).count == loaded.sweep.groups.count)
    }
}

@Suite struct EvaluationTests {
    /// The fit's scores on unseen runs, with the baselines and the ranking check on each.
    @Test func scoresUnseenRunsWithBaselinesAndEachMember() throws {
        let training = try CurveLoading.load(WorkflowFixtures.trainingRuns, options: CurveLoadingOptions())
        let fit = try FullFit.run(training.map(\.curve), options: FullFitOptions()).result
        let unseen = try CurveLoading.load(["cosine_40000", "linear_20000"].map(WorkflowFixtures.bundled), options: CurveLoadingOptions())
        let outcome = try Evaluation.evaluate(fit, on: unseen)
        #expect(outcome.report.curves.map(\.name) == unseen.map(\.curve.name))
        #expect(outcome.report.baselines?.count == 2)
        #expect(outcome.report.members?.map(\.label) == fit.committee?.members.map(\.label))
        #expect(outcome.unscoredPoints.isEmpty)
        // The simulated runs follow the annealing law closely: PredE on unseen runs below 2 %.
        for curve in outcome.report.curves { #expect(curve.metrics.predE < 0.02, "\(curve.name): \(curve.metrics.predE)") }
        let direct = unseen.compactMap { CurveEvaluation(law: fit.predictor, curve: $0.curve) }
        #expect(outcome.report.curves == direct)
        // Each member alone, scored like a separate fit of that law.
        for (member, scored) in zip(try #require(fit.committee).members, try #require(outcome.report.members)) {
            let alone = EvaluationReport(curves: unseen.compactMap { CurveEvaluation(law: member.fit.law.lossLaw, curve: $0.curve) })
            #expect(isClose(scored.predE, alone.mean.predE, relativeTolerance: 1e-15))
        }
    }

    @Test func aCurveWithoutPredictablePointsIsATypedError() throws {
        let fit = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-annealing.json").path)
        let curve = try TrainingCurve(name: "flat", steps: [0], losses: [1], learningRates: [0, 0], source: .schedule(spec: "constant"))
        let log = TrainingLog(name: "flat", source: "flat.csv", format: .csv, columns: [], stepColumn: "step", lossColumn: "loss",
                              learningRateColumn: nil, loss: LogSeries(steps: [0], values: [1]), learningRate: nil,
                              skipped: [], replacedSteps: 0)
        #expect(throws: WorkflowError.unpredictableCurve(source: "flat.csv")) {
            try Evaluation.evaluate(fit, on: [LoadedCurve(log: log, curve: curve)])
        }
    }
}
