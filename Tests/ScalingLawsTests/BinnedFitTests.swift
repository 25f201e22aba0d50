import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

/// Per-step logs are fitted on bins: the reduction must give the same fit as every point.
@Suite struct BinnedFitTests {
    static func denseCurves(seed: UInt64, steps: Int) throws -> [TrainingCurve] {
        let truth = AnnealingLaw(l0: 2.2, a: 0.8, alpha: 0.45, c: 1.6, lambda: 0.998, warmup: .literal)
        var generator = SeededGenerator(seed: seed)
        return try [
            "cosine:peak=3e-4,end=3e-5,warmup=500,total=\(steps)",
            "constant:peak=3e-4,warmup=500,total=\(steps)",
            "wsd:peak=3e-4,end=0,warmup=500,total=\(steps),decay=0.2,shape=1-sqrt",
        ].enumerated().map { index, spec in
            let schedule = try Schedule(spec: spec)
            let logged = Array(1...steps)
            // 1 % multiplicative noise per step, as a per-step train loss has.
            let losses = truth.predictLoss(learningRates: schedule.learningRates(), at: logged).map { $0 * (1 + 0.01 * generator.nextGaussian()) }
            return try TrainingCurve(name: "dense\(index)", steps: logged, losses: losses, schedule: schedule)
        }
    }

    @Test func binsGiveTheSameFitAsEveryPoint() throws {
        let curves = try Self.denseCurves(seed: 5, steps: 6000)
        var everyPoint = AnnealingFitOptions()
        everyPoint.maxPointsPerCurve = .max
        everyPoint.objective = .leastSquares
        var binned = everyPoint
        binned.maxPointsPerCurve = 200
        let fullResult = try AnnealingFitter(options: everyPoint).fit(curves)
        let full = try #require(fullResult.annealing)
        let reduced = try AnnealingFitter(options: binned).fit(curves)
        let law = try #require(reduced.annealing)
        print("every point: \(full.parameterValues); binned: \(law.parameterValues)")
        #expect(reduced.notes.contains { $0.contains("bins of consecutive points") })
        // Predictions of an unseen schedule agree within twice the every-point fit's own standard
        // error (its parameter uncertainty), and to 0.3 %, well inside the 1 % per-step noise.
        let unseen = try Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=500,total=6000,decay=1500,shape=linear").learningRates()
        let steps = Array(stride(from: 500, through: 6000, by: 500))
        for (a, b) in zip(fullResult.predict(learningRates: unseen, at: steps), law.predictLoss(learningRates: unseen, at: steps)) {
            let error = try #require(a.standardError)
            #expect(abs(b - a.loss) <= 2 * error, "step \(a.step): \(b) vs \(a.loss) ± \(error)")
            #expect(relativeError(b, a.loss) < 3e-3)
        }
        // Goodness of fit is still reported on every logged point.
        #expect(reduced.curves.allSatisfy { $0.points == 6000 })
    }
}
