import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

@Suite struct CooldownPlannerTests {
    /// A run in progress on the shared runs: fit the constant run and one cooldown branch, plan a
    /// linear cooldown from step 20,000 to 3e-5, compare with the measured wsdld_20000_24000.
    @Test(.enabled(if: SharedData.shouldRun), arguments: ["25", "100"])
    func linearCooldownMatchesTheMeasuredRun(size: String) throws {
        let curves = try ["constant_24000", "wsd_20000_24000"].map { try mplCurve(size, $0, exactSchedule: false) }
        let law = try #require(try AnnealingFitter().fit(curves).annealing)
        let run = try Schedule(spec: "constant:peak=3e-4,warmup=2160,total=24000").learningRates()
        let planner = CooldownPlanner(law: law, runRates: run)
        let options = try planner.options(checkpoints: [16000, 20000], lengths: [4000], shapes: DecayShape.allCases,
                                          endLearningRate: 3e-5, budget: 24000)
        let linear = try #require(options.first { $0.checkpoint == 20000 && $0.shape == .linear })
        let measured = try mplCurve(size, "wsdld_20000_24000", exactSchedule: true)
        let lastStep = try #require(measured.steps.last), lastLoss = try #require(measured.losses.last)
        let predicted = law.predictLoss(learningRates: planner.learningRates(of: linear), at: [lastStep])[0]
        print("plan \(size)M: linear cooldown from 20000 predicted \(predicted) at step \(lastStep), measured \(lastLoss)")
        #expect(relativeError(predicted, lastLoss) <= 0.001)
        // The planner's own final-loss recurrence agrees with the general prediction path.
        let general = law.predictLoss(learningRates: planner.learningRates(of: linear), at: [linear.finalStep])[0]
        #expect(isClose(linear.finalLoss, general, relativeTolerance: 1e-12))
    }

    @Test func everyOptionMatchesAFullPredictionOfItsSchedule() throws {
        let run = try Schedule(spec: "constant:peak=3e-4,warmup=500,total=12000").learningRates()
        let annealing = AnnealingLaw(l0: 2.6, a: 0.58, alpha: 0.48, c: 0.9, lambda: 0.998, warmup: .literal)
        let multiPower = MultiPowerLaw(l0: 3.04045406, a: 0.52468604, alpha: 0.50786857, b: 363.78751622,
                                       c: 2.06560812, beta: 0.58279013, gamma: 0.64142257)
        for law in [annealing as any LossLaw, multiPower] {
            let planner = CooldownPlanner(law: law, runRates: run)
            let options = try planner.options(checkpoints: [6000, 9000], lengths: [1000, 3000], shapes: [.linear, .cosine, .geometric],
                                              endLearningRate: 3e-5, budget: 12000)
            #expect(options.count == 12)
            #expect(zip(options, options.dropFirst()).allSatisfy { $0.finalLoss <= $1.finalLoss })
            for option in options {
                let rates = try Schedule(spec: option.spec(peak: 3e-4, warmupSteps: 500)).learningRates()
                let direct = law.predictLoss(learningRates: rates, at: [option.finalStep])[0]
                #expect(isClose(option.finalLoss, direct, relativeTolerance: 1e-9), "\(type(of: law)) \(option)")
            }
        }
    }

    @Test func checkpointBeyondTheBudgetIsAnError() throws {
        let law = AnnealingLaw(l0: 2, a: 1, alpha: 0.5, c: 1, lambda: 0.999, warmup: .literal)
        let planner = CooldownPlanner(law: law, runRates: [Double](repeating: 1e-3, count: 1001))
        #expect(throws: ScheduleError.inconsistent("checkpoint 2000 lies outside the run (1…1000 for a budget of 1000 steps)")) {
            try planner.options(checkpoints: [2000], lengths: [100], shapes: [.linear], endLearningRate: 0, budget: 1000)
        }
    }
}

@Suite struct FittingWindowTests {
    /// Points before the window still shape S1 and S2: two runs identical after step 1000 but with
    /// different LRs before it predict differently at the same later steps.
    @Test func learningRatesBeforeTheWindowChangeThePrediction() throws {
        let law = AnnealingLaw(l0: 2, a: 0.8, alpha: 0.5, c: 1.5, lambda: 0.998, warmup: .literal)
        let short = try Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=100,total=10000").learningRates()
        var long = try Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=900,total=10000").learningRates()
        for s in 1000...10000 { long[s] = short[s] }
        let steps = Array(stride(from: 1000, through: 10000, by: 500))
        let a = try TrainingCurve(name: "a", steps: steps, losses: law.predictLoss(learningRates: short, at: steps), learningRates: short, source: .interpolated(points: 0))
        let b = try TrainingCurve(name: "b", steps: steps, losses: law.predictLoss(learningRates: short, at: steps), learningRates: long, source: .interpolated(points: 0))
        let windowA = a.restricted(to: 2000...10000), windowB = b.restricted(to: 2000...10000)
        #expect(windowA.steps == windowB.steps)
        let predictedA = law.predictLoss(learningRates: windowA.learningRates, at: windowA.steps)
        let predictedB = law.predictLoss(learningRates: windowB.learningRates, at: windowB.steps)
        // The longer warmup has less LR area, so its loss is higher at every later step.
        #expect(zip(predictedA, predictedB).allSatisfy { $1 > $0 * (1 + 1e-4) })
    }
}

@Suite struct ExtrapolationWarningTests {
    /// Fitted on a constant run and a cosine to 3e-5 of 10,000 steps each (exact curves of a known
    /// law), a schedule is flagged with each way it leaves the fitted data (its horizon, LR area,
    /// cooldown length, LR range), with the factor, and only then.
    @Test func warningsNameTheHorizonAndTheLearningRateRange() throws {
        let law = AnnealingLaw(l0: 2.5, a: 0.6, alpha: 0.5, c: 1.2, lambda: 0.998, warmup: .literal)
        let steps = Array(stride(from: 500, through: 10000, by: 100))
        let curves = try ["constant:peak=3e-4,warmup=400,total=10000", "cosine:peak=3e-4,end=3e-5,warmup=400,total=10000"].map { spec in
            let schedule = try Schedule(spec: spec)
            return try TrainingCurve(name: spec, steps: steps, losses: law.predictLoss(learningRates: schedule.learningRates(), at: steps),
                                     schedule: schedule)
        }
        let fit = try AnnealingFitter().fit(curves)

        let inside = try Schedule(spec: "wsd:peak=3e-4,warmup=400,total=10000,decay=0.2,shape=linear,end=3e-5").learningRates()
        #expect(fit.extrapolationWarnings(learningRates: inside).isEmpty)

        // 25,000 steps at the peak against curves of 10,000: 2.5× the steps and (25000 − 200) / (10000 − 200) of the area.
        let long = try Schedule(spec: "constant:peak=3e-4,warmup=400,total=25000").learningRates()
        #expect(fit.extrapolationWarnings(learningRates: long)
            == ["the prediction extrapolates: 2.5× the longest fitted run (10000 steps); LR area S1 2.5× the largest fitted"])

        let low = try Schedule(spec: "wsd:peak=3e-4,warmup=400,total=10000,decay=0.2,shape=linear,end=1e-5").learningRates()
        let lowestFitted = try #require(fit.curves.compactMap(\.learningRateRange).map(\.lowerBound).min())
        #expect(lowestFitted > 2.9e-5 && lowestFitted < 3.3e-5)
        #expect(fit.extrapolationWarnings(learningRates: low)
            == ["the prediction extrapolates: LR down to 1e-05, below the lowest fitted (\(String(format: "%.3g", lowestFitted)))"])

        let high = try Schedule(spec: "constant:peak=6e-4,warmup=400,total=10000").learningRates()
        #expect(fit.extrapolationWarnings(learningRates: high)
            == ["the prediction extrapolates: LR area S1 2.0× the largest fitted", "the schedule reaches LR 0.0006, above the highest fitted LR 0.0003"])
    }
}
