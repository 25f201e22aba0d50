import Foundation
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport

/// compare, plan and optimize as library calls on a fit with a ranking check.
@Suite struct PredictionWorkflowTests {
    static let specs = ["wsd:peak=0.6,warmup=200,total=20000,decay=4000,shape=linear,end=0.06",
                        "cosine:peak=0.6,end=0.06,warmup=200,total=20000",
                        "constant:peak=0.6,warmup=200,total=20000"]

    static func fit() throws -> FitResult {
        try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-annealing.json").path)
    }

    /// Schedules come out best first; each difference from the best is the difference of the two
    /// predictions, and under the check the difference of the check's final losses.
    @Test func comparisonRanksAndDifferencesAgreeWithThePredictions() throws {
        let fit = try Self.fit()
        let comparison = try ScheduleComparison(fit, specs: Self.specs, checkpoints: [10000, 30000])
        let rows = comparison.schedules
        #expect(comparison.law == "annealing" && rows.count == 3)
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.finalLoss.loss <= $1.finalLoss.loss })
        // A constant LR against decays to 0.06 of it: every annealing fit puts the constant run last.
        #expect(rows.last?.schedule.hasPrefix("constant") == true)
        #expect(rows[0].differenceFromBest == nil)
        for row in rows.dropFirst() {
            let difference = try #require(row.differenceFromBest)
            #expect(abs(difference.difference - (row.finalLoss.loss - rows[0].finalLoss.loss)) <= 1e-12)
            let checkDifference = try #require(difference.checkDifference)
            #expect(abs(checkDifference - (try #require(row.checkFinalLoss) - (try #require(rows[0].checkFinalLoss)))) <= 1e-12)
            // 30000 lies past every schedule's end: only step 10000 is predicted.
            #expect(row.checkpoints.map(\.step) == [10000])
        }
    }

    /// Under a committee, every pair of six schedules is judged: each pair's difference is the
    /// difference of the two schedules' own predictions (committee and every member), and the
    /// verdict looked up for a pair, in either order, is that pair's own.
    @Test func everyPairsVerdictIsThatPairsDifference() throws {
        let curves = try CurveLoading.load(WorkflowFixtures.trainingRuns, options: CurveLoadingOptions()).map(\.curve)
        var options = FullFitOptions()
        options.fitsBaselines = false
        let fit = try FullFit.run(curves, options: options).result
        let specs = Self.specs + ["wsd:peak=0.6,warmup=200,total=20000,decay=0.4,shape=cosine,end=0",
                                  "linear:peak=0.6,end=0,warmup=200,total=20000",
                                  "cosine:peak=0.6,end=0,warmup=200,total=16000"]
        let comparison = try ScheduleComparison(fit, specs: specs)
        let rows = comparison.schedules, verdicts = comparison.verdicts
        #expect(rows.count == 6 && verdicts.pairs.count == 15)
        for better in rows.indices {
            for worse in rows.indices where worse > better {
                let pair = try #require(verdicts.pairs.first { $0.better == better && $0.worse == worse })
                #expect(abs(pair.difference.difference - (rows[worse].finalLoss.loss - rows[better].finalLoss.loss)) <= 1e-12)
                let members = try #require(pair.difference.memberDifferences)
                let worseLosses = try #require(rows[worse].finalLoss.memberLosses), betterLosses = try #require(rows[better].finalLoss.memberLosses)
                #expect(members.count == 4)
                for (member, difference) in members.enumerated() {
                    #expect(abs(difference - (worseLosses[member] - betterLosses[member])) <= 1e-12)
                }
                #expect(verdicts.isSettled(better, worse) == pair.difference.isSettled)
                #expect(verdicts.isSettled(worse, better) == pair.difference.isSettled)
                if better == 0 { #expect(isClose(try #require(verdicts.differenceFromBest(worse)).difference, pair.difference.difference, relativeTolerance: 1e-15)) }
            }
            #expect(rows[better].settled == verdicts.isSettledAgainstBest(better))
        }
        #expect(verdicts.differenceFromBest(0) == nil && !verdicts.isSettled(2, 2))
    }

    /// The plan's best option is the lowest final loss of every option within the budget, and the
    /// options it lists are best first.
    @Test func cooldownPlanListsOptionsBestFirst() throws {
        let fit = try Self.fit()
        let request = CooldownPlanRequest(run: try Schedule(spec: "constant:peak=0.6,warmup=200,total=20000"), budget: 20000,
                                          checkpoints: [12000, 16000], lengths: [2000, 4000], shapes: [.linear, .cosine],
                                          endLearningRate: 0.06, top: 3)
        let plan = try CooldownPlan(fit, request: request)
        #expect(plan.optionsConsidered == 2 * 2 * 2)
        #expect(plan.best.count == 3)
        #expect(zip(plan.best, plan.best.dropFirst()).allSatisfy { $0.option.finalLoss <= $1.option.finalLoss })
        #expect(plan.best.allSatisfy { $0.option.finalStep <= 20000 })
        #expect(plan.rankingCheckBest != nil)
        #expect(throws: CooldownPlanError.noOptionWithinBudget(budget: 20000)) {
            var tooLong = request
            tooLong.lengths = [9000]
            return try CooldownPlan(fit, request: tooLong)
        }
        let blind = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-exponential.json").path)
        #expect(throws: CooldownPlanError.self) { try CooldownPlan(blind, request: request) }
    }

    /// A family search returns its best candidate first and compares it with cosine to 0; a free
    /// search needs the annealing law.
    @Test func optimizationFindsTheBestOfAFamily() throws {
        let fit = try Self.fit()
        let request = ScheduleOptimizationRequest(family: .wsd, totalSteps: 20000, peak: 0.6, warmupSteps: 200, top: 4)
        let optimization = try ScheduleOptimization(fit, request: request)
        #expect(optimization.candidates.count == 4)
        #expect(optimization.best == optimization.candidates[0])
        #expect(zip(optimization.candidates, optimization.candidates.dropFirst()).allSatisfy { $0.finalLoss <= $1.finalLoss })
        #expect(optimization.learningRates.count == 20001)
        let predicted = fit.law.predictLoss(learningRates: optimization.learningRates, at: [20000])[0]
        #expect(isClose(predicted, optimization.best.finalLoss, relativeTolerance: 1e-12))
        #expect(optimization.checkRanks?[optimization.best.spec] != nil)
        let multiPower = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-multi-power.json").path)
        #expect(throws: ScheduleOptimizationError.freeSearchNeedsGradient(law: .multiPower)) {
            try ScheduleOptimization(multiPower, request: ScheduleOptimizationRequest(family: nil, totalSteps: 20000, peak: 0.6, warmupSteps: 200))
        }
    }
}

/// The shapes a plan uses at an end LR of 0.
@Suite struct CooldownShapeTests {
    /// A geometric decay cannot reach 0: it is left out when other shapes remain and is an error alone.
    @Test func geometricIsLeftOutAtAnEndOfZero() throws {
        let fit = try PredictionWorkflowTests.fit()
        var request = CooldownPlanRequest(run: try Schedule(spec: "constant:peak=0.6,warmup=200,total=20000"), budget: 20000,
                                          checkpoints: [12000, 16000], lengths: [2000, 4000], shapes: [.linear, .geometric],
                                          endLearningRate: CooldownPlanRequest.defaultEndLearningRate, top: 10)
        #expect(CooldownPlanRequest.defaultEndLearningRate == 0)
        let plan = try CooldownPlan(fit, request: request)
        #expect(plan.shapesLeftOut == [.geometric] && plan.endLearningRate == 0)
        #expect(plan.optionsConsidered == 4 && plan.best.allSatisfy { $0.option.shape == .linear })
        request.endLearningRate = 0.06
        let withEnd = try CooldownPlan(fit, request: request)
        #expect(withEnd.shapesLeftOut.isEmpty && withEnd.optionsConsidered == 8)
        request.endLearningRate = 0
        request.shapes = [.geometric]
        #expect(throws: ScheduleError.geometricCooldownNeedsEnd) { try CooldownPlan(fit, request: request) }
    }
}
