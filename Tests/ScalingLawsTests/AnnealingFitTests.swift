import Foundation
import NonlinearLeastSquares
import Testing
import TestSupport
import TrainingLogs
@testable import ScalingLaws

/// Reads a shared MPL curve; the learning rate comes from the exact schedule or the logged column.
func mplCurve(_ size: String, _ name: String, exactSchedule: Bool) throws -> TrainingCurve {
    let url = SharedData.url("mpl/\(size)/\(name).csv")
    try #require(FileManager.default.fileExists(atPath: url.path), "shared data missing: \(url.path)")
    let log = try TrainingLogReader.read(url.path)
    if exactSchedule {
        let spec = try #require(mplSchedules[name])
        return try TrainingCurve(name: name, steps: log.loss.steps, losses: log.loss.values, schedule: Schedule(spec: spec))
    }
    let rates = try #require(log.learningRate)
    return try TrainingCurve(name: name, steps: log.loss.steps, losses: log.loss.values,
                             loggedLearningRates: (rates.steps, rates.values))
}

let mplTrainingCurves = ["cosine_24000", "constant_24000", "wsdcon_9"]
let mplTestCurves = ["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]

@Suite struct AnnealingFitTests {
    /// The published protocol (DESIGN §3): fit three curves with default settings, predict six.
    /// Targets from the issue: mean PredE ≤ 0.0014 (25M) and ≤ 0.0013 (100M), mean R² ≥ 0.998.
    @Test(.enabled(if: SharedData.shouldRun), arguments: [("25", 0.0014), ("100", 0.0013)])
    func publishedProtocolOnTheSharedRuns(size: String, target: Double) throws {
        let training = try mplTrainingCurves.map { try mplCurve(size, $0, exactSchedule: false) }
        let result = try AnnealingFitter().fit(training)
        let law = result.law.lossLaw
        let evaluations = try mplTestCurves.map { name in
            try #require(CurveEvaluation(law: law, curve: try mplCurve(size, name, exactSchedule: false)))
        }
        let report = EvaluationReport(curves: evaluations)
        print("MPL \(size)M held-out: mean PredE \(report.mean.predE), mean R² \(report.mean.r2 ?? .nan); fit R² \(result.statistics.metrics.r2 ?? .nan)")
        #expect(report.mean.predE <= target)
        #expect(try #require(report.mean.r2) >= 0.998)
        #expect(try #require(result.statistics.metrics.r2) >= 0.998)
    }

    /// Curves drawn from a known law with 0.2 % multiplicative noise: the fit recovers it.
    @Test func recoversAKnownLawFromNoisyCurves() throws {
        let truth = AnnealingLaw(l0: 2.2, a: 0.8, alpha: 0.45, c: 1.6, lambda: 0.998, warmup: .literal)
        var generator = SeededGenerator(seed: 11)
        let specs = [
            "cosine:peak=3e-4,end=3e-5,warmup=500,total=20000",
            "constant:peak=3e-4,warmup=500,total=20000",
            "wsd:peak=3e-4,end=0,warmup=500,total=20000,decay=0.2,shape=linear",
        ]
        let curves = try specs.enumerated().map { index, spec in
            let schedule = try Schedule(spec: spec)
            let steps = Array(stride(from: 600, through: 20000, by: 100))
            let clean = truth.predictLoss(learningRates: schedule.learningRates(), at: steps)
            let noisy = clean.map { $0 * (1 + 0.002 * generator.nextGaussian()) }
            return try TrainingCurve(name: "synthetic\(index)", steps: steps, losses: noisy, schedule: schedule)
        }
        let result = try AnnealingFitter().fit(curves)
        let fitted = try #require(result.annealing)
        #expect(isClose(fitted.l0, truth.l0, relativeTolerance: 0.03))
        #expect(isClose(fitted.alpha, truth.alpha, relativeTolerance: 0.1))
        #expect(isClose(fitted.c, truth.c, relativeTolerance: 0.15))
        // λ's information is in 1 − λ (the memory 1/(1 − λ) steps): a relative 0.002 on λ admitted any
        // 1 − λ in (0, 0.004). Measured 1 − λ = 0.00216 against 0.002 (8 %).
        #expect(isClose(1 - fitted.lambda, 1 - truth.lambda, relativeTolerance: 0.12), "1 − λ = \(1 - fitted.lambda)")
        // Prediction of an unseen schedule within 0.3 % everywhere.
        let unseen = try Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=500,total=30000,decay=6000,shape=1-sqrt")
        let steps = Array(stride(from: 1000, through: 30000, by: 500))
        let predicted = fitted.predictLoss(learningRates: unseen.learningRates(), at: steps)
        let expected = truth.predictLoss(learningRates: unseen.learningRates(), at: steps)
        for (p, e) in zip(predicted, expected) { #expect(relativeError(p, e) < 0.003) }
        #expect(result.statistics.converged)
        #expect(result.parameters.allSatisfy { $0.status == .fitted && $0.standardError != nil })
    }

    /// Without any annealing in the data, C and λ are reported as undetermined instead of a number.
    @Test func constantLearningRateLeavesTheAnnealingTermUndetermined() throws {
        let truth = AnnealingLaw(l0: 2.0, a: 1.0, alpha: 0.5, c: 1.0, lambda: 0.999, warmup: .literal)
        let schedule = try Schedule(spec: "constant:peak=1e-3,total=10000")
        let steps = Array(stride(from: 200, through: 10000, by: 100))
        let losses = truth.predictLoss(learningRates: schedule.learningRates(), at: steps)
        let curve = try TrainingCurve(name: "constant", steps: steps, losses: losses, schedule: schedule)
        let result = try AnnealingFitter().fit([curve])
        let c = try #require(result.parameters.first { $0.name == "C" })
        #expect(c.status == .undetermined)
        #expect(result.notes.contains { $0.contains("C and lambda are undetermined") })
        // The curve itself is still fitted closely without the annealing term.
        #expect(result.statistics.metrics.predE < 1e-3)
    }

    @Test func aSinglePointIsTooFew() throws {
        let schedule = try Schedule(spec: "constant:peak=1e-3,total=1000")
        let curve = try TrainingCurve(name: "one", steps: [500], losses: [3.0], schedule: schedule)
        #expect(throws: FitError.tooFewObservations(observations: 1, parameters: 3)) {
            try AnnealingFitter().fit([curve])
        }
    }
}

/// Known answers from an independent implementation: scipy.optimize.least_squares with the same
/// objective (References/annealing_fit_scipy.py: exact schedules, literal warmup, λ fitted, Huber
/// δ = 1e-3 on log residuals, several starts). Values: L0, A, α, C, λ and the objective.
@Suite struct AnnealingFitScipyReferenceTests {
    static let references: [(size: String, parameters: [Double], objective: Double)] = [
        ("25", [3.03744, 0.521134, 0.505562, 1.64374, 0.995706], 0.00020745),
        ("100", [2.67982, 0.565326, 0.496175, 0.729257, 0.998438], 0.000101206),
    ]

    @Test(.enabled(if: SharedData.shouldRun), arguments: references.indices)
    func matchesScipyOnTheSharedTrainingCurves(index: Int) throws {
        let reference = Self.references[index]
        let curves = try mplTrainingCurves.map { try mplCurve(reference.size, $0, exactSchedule: true) }
        var options = AnnealingFitOptions()
        options.lambdaPrior = nil  // scipy minimises the paper's objective alone
        let result = try AnnealingFitter(options: options).fit(curves)
        let law = try #require(result.annealing)
        // The objective is flat along C–λ, so C agrees to fewer digits than the rest.
        let tolerances = [1e-4, 1e-3, 1e-3, 1e-2, 1e-4]
        for (value, (expected, tolerance)) in zip(law.parameterValues, zip(reference.parameters, tolerances)) {
            #expect(isClose(value, expected, relativeTolerance: tolerance), "\(reference.size)M: \(law.parameterValues) vs scipy \(reference.parameters)")
        }
        // Ours may only be as good or better than scipy's minimum (within its printed digits).
        #expect(result.statistics.objective <= reference.objective * (1 + 1e-4))
    }
}

@Suite struct BaselineTests {
    /// The point of the joint law: on unseen schedules it beats a per-curve hand fit and a
    /// schedule-blind power law in steps, fitted on the same three shared curves.
    @Test(.enabled(if: SharedData.shouldRun), arguments: ["25", "100"])
    func jointFitBeatsBothBaselinesOnUnseenSchedules(size: String) throws {
        let training = try mplTrainingCurves.map { try mplCurve(size, $0, exactSchedule: false) }
        let options = AnnealingFitOptions()
        let result = try AnnealingFitter(options: options).fit(training)
        let baselines = FitBaselines.fit(training, options: options)
        #expect(baselines.perCurve.count == 3)
        var fitted: [Double] = [], perCurve: [Double] = [], powerLaw: [Double] = []
        for name in mplTestCurves {
            let curve = try mplCurve(size, name, exactSchedule: false)
            let evaluation = try #require(CurveEvaluation(law: result.law.lossLaw, curve: curve))
            let baseline = BaselineEvaluation(baselines: baselines, curve: curve, evaluation: evaluation)
            fitted.append(evaluation.metrics.predE)
            perCurve.append(try #require(baseline.perCurveRefitPredE))
            powerLaw.append(try #require(baseline.powerLawInStepsPredE))
        }
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
        print("MPL \(size)M PredE: joint \(mean(fitted)), each curve alone \(mean(perCurve)), power law in steps \(mean(powerLaw))")
        #expect(mean(fitted) < 0.5 * mean(perCurve))
        #expect(mean(fitted) < 0.5 * mean(powerLaw))
    }
}
