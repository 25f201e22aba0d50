import Foundation
import NonlinearLeastSquares
import Testing
import TestSupport
@testable import ScalingLaws

@Suite struct LawSelectionTests {
    static let schedules = [
        "cosine:peak=3e-4,end=3e-5,warmup=500,total=20000",
        "constant:peak=3e-4,warmup=500,total=20000",
        "two-stage:peak=3e-4,warmup=500,switch=6000,second=3e-5,total=20000",
    ]

    /// Three curves drawn from each law with 0.05 % noise: leave-one-curve-out picks the law that
    /// made them. The multi-power truth relaxes its drops slowly (C·η_peak^(1−γ) = 0.003), which
    /// the annealing law's exponential memory cannot follow.
    @Test(arguments: [
        ("annealing", AnnealingLaw(l0: 2.5, a: 0.6, alpha: 0.45, c: 0.5, lambda: 0.998, warmup: .literal) as any LossLaw),
        ("multi-power", MultiPowerLaw(l0: 2.5, a: 0.6, alpha: 0.45, b: 450, c: 0.2, beta: 0.5, gamma: 0.5) as any LossLaw),
    ])
    func picksTheLawThatMadeTheCurves(name: String, truth: any LossLaw) throws {
        let curves = try syntheticCurves(truth, specs: Self.schedules, seed: 7, noise: 5e-4)
        let outcome = try LawSelection().select(curves)
        #expect(outcome.chosen.law.rawValue == name, "\(outcome.scores.map { "\($0.law.rawValue) \($0.meanPredE ?? .nan)" })")
        // Every candidate is scored on every left-out curve.
        #expect(outcome.scores.map(\.law) == LawSelection.Candidate.allCases)
        for score in outcome.scores {
            #expect(score.folds.map(\.leftOut) == curves.map(\.name))
            #expect(score.folds.allSatisfy { $0.predE != nil && $0.failure == nil })
        }
        let decoded = try JSONDecoder().decode(LawSelection.Outcome.self, from: JSONEncoder().encode(outcome))
        #expect(decoded == outcome)
    }

    @Test func needsTwoCurves() throws {
        let curves = try syntheticCurves(MultiPowerFitTests.truth, specs: [Self.schedules[0]], seed: 1, noise: 0)
        #expect(throws: FitError.self) { try LawSelection().select(curves) }
    }

    /// The issue's target for `fit --law auto` on the three shared training curves, with the
    /// command line's learning rates (interpolated from the logs): mean held-out PredE ≤ 0.00105
    /// (25M) and ≤ 0.0013 (100M). Measured: multi-power 0.00101 (25M), annealing 0.00119 (100M).
    @Test(.enabled(if: SharedData.shouldRun), arguments: [("25", 0.00105), ("100", 0.0013)])
    func automaticChoiceOnTheSharedRuns(size: String, target: Double) throws {
        let training = try mplTrainingCurves.map { try mplCurve(size, $0, exactSchedule: false) }
        let outcome = try LawSelection().select(training)
        let law: any LossLaw
        if let amplitude = outcome.chosen.amplitude {
            var options = MultiPowerFitOptions()
            options.amplitude = amplitude
            law = try MultiPowerFitter(options: options).fit(training).law.lossLaw
        } else {
            law = try AnnealingFitter().fit(training).law.lossLaw
        }
        let report = EvaluationReport(curves: try mplTestCurves.map { name in
            try #require(CurveEvaluation(law: law, curve: try mplCurve(size, name, exactSchedule: false)))
        })
        for score in outcome.scores {
            print("\(size)M \(score.law.rawValue): leave-one-out PredE \(score.meanPredE ?? .nan) \(score.folds.map { "\($0.leftOut) \($0.predE ?? .nan)" })")
        }
        print("\(size)M auto chose \(outcome.chosen.rawValue): held-out mean PredE \(report.mean.predE)")
        #expect(report.mean.predE <= target)
    }
}
