import Foundation
import NonlinearLeastSquares
import Testing
import TestSupport
@testable import ScalingLaws

/// Curves drawn from `law` on `specs`, logged every 100 steps from step 600, with multiplicative
/// Gaussian noise of relative size `noise`.
func syntheticCurves(_ law: any LossLaw, specs: [String], seed: UInt64, noise: Double) throws -> [TrainingCurve] {
    var generator = SeededGenerator(seed: seed)
    return try specs.enumerated().map { index, spec in
        let schedule = try Schedule(spec: spec)
        let steps = Array(stride(from: 600, through: schedule.totalSteps, by: 100))
        let clean = law.predictLoss(learningRates: schedule.learningRates(), at: steps)
        let noisy = clean.map { $0 * (1 + noise * generator.nextGaussian()) }
        return try TrainingCurve(name: "synthetic\(index)", steps: steps, losses: noisy, schedule: schedule)
    }
}

@Suite struct MultiPowerFitTests {
    /// The published protocol (DESIGN §3), fit cosine_24000, constant_24000, wsdcon_9 and predict
    /// the other six, with exact schedules, by the default fit (B from the settled loss) and the
    /// joint fit. Three findings at once, from two fits per size:
    /// - the default predicts within 0.00118 (measured 0.00115 at both sizes; the published
    ///   multi-power fit: 0.00110 and 0.00142);
    /// - the joint fit is the converged optimum of the paper's objective: it agrees with an
    ///   independent scipy fit (References/multi_power_reference.py: least_squares, exact O(T²)
    ///   loss drop, same objective and bounds; ours only as good or better, within the stated
    ///   error of the drop sums);
    /// - why the published, early-stopped fit predicts better than a converged one: the curves do
    ///   not show a drop's far tail, so the joint fit trades B against β (a larger drop relaxing
    ///   more slowly fits them better) and overshoots on longer or lower-rate runs. The settled B
    ///   fits the training curves less closely and predicts the held-out ones better.
    @Test(.enabled(if: SharedData.shouldRun), arguments: scipyJointFits.indices)
    func publishedProtocolWithExactSchedules(index: Int) throws {
        let reference = Self.scipyJointFits[index]
        let training = try mplTrainingCurves.map { try mplCurve(reference.size, $0, exactSchedule: true) }
        let testing = try mplTestCurves.map { try mplCurve(reference.size, $0, exactSchedule: true) }
        func heldOut(_ law: MultiPowerLaw) throws -> EvaluationReport {
            EvaluationReport(curves: try testing.map { try #require(CurveEvaluation(law: law, curve: $0)) })
        }
        let settled = try MultiPowerFitter().fit(training)
        let settledLaw = try #require(settled.multiPower)
        let report = try heldOut(settledLaw)
        print("multi-power \(reference.size)M, exact rates: held-out mean PredE \(report.mean.predE), R² \(report.mean.r2 ?? .nan); \(settledLaw.parameterValues)")
        #expect(report.mean.predE <= 0.00118)
        let heldOutR2 = try #require(report.mean.r2), fitR2 = try #require(settled.statistics.metrics.r2)
        #expect(heldOutR2 >= 0.998 && fitR2 >= 0.998)
        #expect(settled.statistics.converged)

        var options = MultiPowerFitOptions()
        options.amplitude = .joint
        let joint = try MultiPowerFitter(options: options).fit(training)
        let jointLaw = try #require(joint.multiPower)
        // B, C and β trade off along a flat valley: they agree to fewer digits than the rest.
        let tolerances = [1e-4, 1e-3, 1e-3, 1e-2, 5e-2, 2e-2, 1e-3]
        for (value, (expected, tolerance)) in zip(jointLaw.parameterValues, zip(reference.parameters, tolerances)) {
            #expect(isClose(value, expected, relativeTolerance: tolerance), "\(reference.size)M: \(jointLaw.parameterValues) vs scipy \(reference.parameters)")
        }
        #expect(joint.statistics.objective <= reference.objective * (1 + 1e-4))

        #expect(joint.statistics.objective < settled.statistics.objective)
        #expect(jointLaw.b > 1.3 * settledLaw.b)
        #expect(try heldOut(jointLaw).mean.predE > report.mean.predE / 0.85)
    }

    /// Known answers of the joint fit from scipy: L0, A, α, B, C, β, γ and the objective.
    static let scipyJointFits: [(size: String, parameters: [Double], objective: Double)] = [
        ("25", [2.98763, 0.562719, 0.491142, 746.961, 0.378484, 0.112882, 0.895171], 1.38432e-04),
        ("100", [2.60765, 0.629483, 0.449222, 640.54, 0.053006, 0.238, 1], 3.19686e-05),
    ]

    /// The protocol with learning rates interpolated from the logs, the command line's default.
    /// Bounds a little above the measured 0.00101 (25M) and 0.00112 (100M).
    @Test(.enabled(if: SharedData.shouldRun), arguments: [("25", 0.00105), ("100", 0.00115)])
    func publishedProtocolWithLoggedRates(size: String, bound: Double) throws {
        let training = try mplTrainingCurves.map { try mplCurve(size, $0, exactSchedule: false) }
        let result = try MultiPowerFitter().fit(training)
        let resultLaw = try #require(result.multiPower)
        let report = EvaluationReport(curves: try mplTestCurves.map { name in
            try #require(CurveEvaluation(law: resultLaw, curve: try mplCurve(size, name, exactSchedule: false)))
        })
        print("multi-power \(size)M, interpolated rates: held-out mean PredE \(report.mean.predE); \(resultLaw.parameterValues)")
        #expect(report.mean.predE <= bound)
    }

    static let truth = MultiPowerLaw(l0: 2.5, a: 0.6, alpha: 0.45, b: 450, c: 2, beta: 0.6, gamma: 0.6)
    static let truthSchedules = [
        "cosine:peak=3e-4,end=3e-5,warmup=500,total=20000",
        "constant:peak=3e-4,warmup=500,total=20000",
        "two-stage:peak=3e-4,warmup=500,switch=8000,second=3e-5,total=16000",
        "wsd:peak=3e-4,end=3e-5,warmup=500,total=20000,decay=0.2,shape=linear",
    ]

    /// Curves drawn from a known law with 0.1 % noise: the joint fit recovers every parameter
    /// within three of its standard errors, and predicts an unseen schedule within 0.03 %; the
    /// settled fit (B from the settled loss, biased low when drops are still relaxing) within 0.1 %.
    @Test func recoversAKnownLawFromNoisyCurves() throws {
        let curves = try syntheticCurves(Self.truth, specs: Self.truthSchedules, seed: 3, noise: 0.001)
        let unseen = try Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=500,total=30000,decay=6000,shape=1-sqrt").learningRates()
        let steps = Array(stride(from: 1000, through: 30000, by: 500))
        let expected = Self.truth.predictLoss(learningRates: unseen, at: steps)
        var options = MultiPowerFitOptions()
        options.amplitude = .joint
        let joint = try MultiPowerFitter(options: options).fit(curves)
        let jointLaw = try #require(joint.multiPower)
        for parameter in joint.parameters {
            let truth = Self.truth[MultiPowerLaw.Parameter(rawValue: parameter.name)!]
            let error = try #require(parameter.standardError)
            #expect(abs(parameter.value - truth) <= 3 * error, "\(parameter.name) = \(parameter.value) ± \(error), truth \(truth)")
        }
        let predicted = jointLaw.predictLoss(learningRates: unseen, at: steps)
        #expect(zip(predicted, expected).allSatisfy { relativeError($0, $1) < 3e-4 })
        let settled = try MultiPowerFitter().fit(curves)
        let settledLaw = try #require(settled.multiPower)
        let settledPrediction = settledLaw.predictLoss(learningRates: unseen, at: steps)
        #expect(zip(settledPrediction, expected).allSatisfy { relativeError($0, $1) < 1e-3 })
        #expect(joint.statistics.converged && settled.statistics.converged)
    }

    /// Without a decrease of the learning rate, the drop's parameters are reported as undetermined.
    @Test func constantLearningRateLeavesTheDropUndetermined() throws {
        let truth = MultiPowerLaw(l0: 2, a: 1, alpha: 0.5, b: 300, c: 1, beta: 0.5, gamma: 0.5)
        let schedule = try Schedule(spec: "constant:peak=1e-3,total=10000")
        let steps = Array(stride(from: 200, through: 10000, by: 100))
        let curve = try TrainingCurve(name: "constant", steps: steps, losses: truth.predictLoss(learningRates: schedule.learningRates(), at: steps),
                                      schedule: schedule)
        let result = try MultiPowerFitter().fit([curve])
        for name in ["B", "C", "beta", "gamma"] {
            #expect(result.parameters.first { $0.name == name }?.status == .undetermined)
        }
        #expect(result.notes.contains { $0.contains("B, C, beta and gamma are undetermined") })
        #expect(result.statistics.metrics.predE < 1e-6)
    }

    /// A held parameter keeps its value and is reported as fixed; only shape parameters can be held.
    @Test func holdsShapeParametersAndRefusesOthers() throws {
        let curves = try syntheticCurves(Self.truth, specs: Array(Self.truthSchedules.prefix(3)), seed: 5, noise: 0.001)
        var options = MultiPowerFitOptions()
        options.fixed = [.gamma: 0.6]
        let result = try MultiPowerFitter(options: options).fit(curves)
        let resultLaw = try #require(result.multiPower)
        let gamma = try #require(result.parameters.first { $0.name == "gamma" })
        #expect(gamma.status == .fixed && gamma.standardError == nil)
        #expect(isClose(resultLaw.gamma, 0.6, relativeTolerance: 1e-15))
        #expect(result.covariance?.parameters.contains("gamma") == false)
        options.fixed = [.b: 400]
        #expect(throws: FitError.self) { try MultiPowerFitter(options: options).fit(curves) }
        // A held value outside the law's range would be written to FIT.json, which refuses it.
        options.fixed = [.alpha: -1]
        #expect(throws: FitError.invalidArgument("alpha = -1.0 cannot be held: it must be a finite number > 0")) {
            try MultiPowerFitter(options: options).fit(curves)
        }
    }

    @Test func aSinglePointIsTooFew() throws {
        let schedule = try Schedule(spec: "constant:peak=1e-3,total=1000")
        let curve = try TrainingCurve(name: "one", steps: [500], losses: [3.0], schedule: schedule)
        #expect(throws: FitError.tooFewObservations(observations: 1, parameters: 3)) {
            try MultiPowerFitter().fit([curve])
        }
    }
}
