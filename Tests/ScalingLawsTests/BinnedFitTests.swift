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

/// The multi-power law bins per-step logs as the annealing fit does, so a dense log costs what a
/// log of `MultiPowerFitOptions.maxPointsPerCurve` points costs, and still recovers the law.
@Suite struct BinnedMultiPowerFitTests {
    @Test func binnedFitRecoversTheLaw() throws {
        let truth = MultiPowerLaw(l0: 2.2, a: 0.5, alpha: 0.5, b: 400, c: 2, beta: 0.6, gamma: 0.6)
        var generator = SeededGenerator(seed: 11)
        let steps = 3 * MultiPowerFitOptions.maxPointsPerCurve
        let curves = try ["cosine:peak=3e-4,end=3e-5,warmup=300,total=\(steps)", "constant:peak=3e-4,warmup=300,total=\(steps)",
                          "wsd:peak=3e-4,end=0,warmup=300,total=\(steps),decay=0.25,shape=linear"].enumerated().map { index, spec in
            let schedule = try Schedule(spec: spec)
            let logged = Array(1...steps)
            // 0.5 % multiplicative noise per step.
            let losses = truth.predictLoss(learningRates: schedule.learningRates(), at: logged).map { $0 * (1 + 0.005 * generator.nextGaussian()) }
            return try TrainingCurve(name: "dense\(index)", steps: logged, losses: losses, schedule: schedule)
        }
        let result = try MultiPowerFitter().fit(curves)
        let law = try #require(result.multiPower)
        #expect(result.notes.contains { $0.contains("bins of consecutive points") }, "\(result.notes)")
        // Statistics are over logged points, not the bins: of 3,000 per curve, above the 2,000 a
        // curve is scored on, every second one and the last.
        #expect(result.curves.allSatisfy { $0.points == steps && $0.metrics.points == steps / 2 + 1 })
        // An unseen schedule is predicted within 0.2 % of the truth, well inside the per-step noise.
        let unseen = try Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=300,total=\(steps),decay=0.5,shape=1-sqrt").learningRates()
        let at = Array(stride(from: 500, through: steps, by: 250))
        for (fitted, expected) in zip(law.predictLoss(learningRates: unseen, at: at), truth.predictLoss(learningRates: unseen, at: at)) {
            #expect(relativeError(fitted, expected) < 2e-3, "\(fitted) vs \(expected)")
        }
    }

    /// Logs of at most `maxPointsPerCurve` points keep every point: weights of one, no note.
    @Test func shortLogsAreNotBinned() throws {
        let curve = try TrainingCurve(name: "short", steps: Array(stride(from: 10, through: 5000, by: 10)),
                                      losses: (1...500).map { 3 / (1 + Double($0) / 50) + 2 }, schedule: Schedule(spec: "cosine:peak=1e-3,total=5000"))
        let data = MultiPowerFitData(curves: [curve], warmup: .literal, maxPointsPerCurve: MultiPowerFitOptions.maxPointsPerCurve)
        #expect(!data.isBinned)
        #expect(data.count == 500 && data.weights.allSatisfy { $0.bitPattern == (1.0).bitPattern })
        #expect(zip(data.losses, curve.losses).allSatisfy { $0.bitPattern == $1.bitPattern }, "the logged losses themselves")
    }
}
