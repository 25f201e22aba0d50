import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

/// The predictive band and the difference's interval (issue #18): parameter noise, the committee's
/// spread and the law's error add in quadrature; an order is settled only when its interval excludes 0.
@Suite struct PredictiveBandTests {
    /// 1.96 · √(0.01² + 0.02² + 0.0075²) = 0.046226507547 (by hand).
    @Test func theBandAddsParameterNoiseSpreadAndLawErrorInQuadrature() {
        let point = PredictedLoss(step: 100, learningRate: 1e-3, loss: 3, standardError: 0.01, modelSpread: 0.02, lawError: 0.0075)
        let band = point.band95!
        #expect(isClose(band.upperBound - 3, 0.04622650754707736, relativeTolerance: 1e-12))
        #expect(isClose(3 - band.lowerBound, 0.04622650754707736, relativeTolerance: 1e-12))
        #expect(point.bandIncludes == [.deltaMethodParameters, .committeeSpread, .lawError])
        let parameters = point.parameterBand95!
        #expect(isClose(parameters.upperBound - 3, 0.0196, relativeTolerance: 1e-12))
    }

    /// A bootstrap band 2.9…3.2 keeps its asymmetry: 3 − √(0.1² + 1.96²(0.02² + 0.0075²)) = 2.8915900
    /// and 3 + √(0.2² + …) = 3.2043348 (by hand).
    @Test func aBootstrapBandKeepsItsAsymmetry() {
        let point = PredictedLoss(step: 100, learningRate: 1e-3, loss: 3, standardError: 0.01, bootstrapBand95: 2.9...3.2,
                                  modelSpread: 0.02, lawError: 0.0075)
        let band = point.band95!
        #expect(isClose(band.lowerBound, 2.8915899912, relativeTolerance: 1e-9))
        #expect(isClose(band.upperBound, 3.2043348477, relativeTolerance: 1e-9))
        #expect(point.bandIncludes == [.bootstrapParameters, .committeeSpread, .lawError])
    }

    @Test func withoutAnyUncertaintyThereIsNoBand() {
        let point = PredictedLoss(step: 100, learningRate: 1e-3, loss: 3)
        #expect(point.band95 == nil && point.bandIncludes.isEmpty)
    }

    /// 1.96 · √(0.001² + 0.004²) = 0.0080813: a difference of 0.01 is settled, one of 0.005 is not,
    /// and a ranking check that orders them the other way unsettles any.
    @Test func anOrderIsSettledOnlyWhenTheCalibratedIntervalExcludesZero() {
        let clear = PredictedDifference(difference: 0.01, standardError: 0.001, lawError: 0.004)
        #expect(isClose(clear.interval95!.lowerBound, 0.01 - 0.008081287026210615, relativeTolerance: 1e-12))
        #expect(clear.isSettled)
        #expect(!PredictedDifference(difference: 0.005, standardError: 0.001, lawError: 0.004).isSettled)
        #expect(!PredictedDifference(difference: -0.01, standardError: 0.001, checkDifference: 0.002, lawError: 0.004).isSettled)
        #expect(PredictedDifference(difference: -0.01, standardError: 0.001, checkDifference: -0.002, lawError: 0.004).isSettled)
    }

    /// A fit's predictions carry the calibrated law error b · L̂ and its differences b_d · L̄.
    @Test func aFitsPredictionsCarryTheCalibratedLawError() throws {
        let law = AnnealingLaw(l0: 2.5, a: 0.6, alpha: 0.5, c: 1.2, lambda: 0.998, warmup: .literal)
        let steps = Array(stride(from: 500, through: 10000, by: 100))
        let curves = try ["constant:peak=3e-4,warmup=400,total=10000", "cosine:peak=3e-4,end=3e-5,warmup=400,total=10000"].map { spec in
            let schedule = try Schedule(spec: spec)
            return try TrainingCurve(name: spec, steps: steps, losses: law.predictLoss(learningRates: schedule.learningRates(), at: steps), schedule: schedule)
        }
        let fit = try AnnealingFitter().fit(curves)
        let rates = try Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=400,total=10000").learningRates()
        let point = try #require(fit.predict(learningRates: rates, at: [10000]).first)
        #expect(isClose(try #require(point.lawError), 0.0025 * point.loss, relativeTolerance: 1e-12))
        let constant = try Schedule(spec: "constant:peak=3e-4,warmup=400,total=10000").learningRates()
        let difference = fit.difference(rates, at: 10000, minus: constant, at: 10000)
        let lossConstant = try #require(fit.predict(learningRates: constant, at: [10000]).first).loss
        #expect(isClose(try #require(difference.lawError), 0.0037 * (point.loss + lossConstant) / 2, relativeTolerance: 1e-9))
    }
}

/// How far a prediction extrapolates (issue #18).
@Suite struct ExtrapolationTests {
    /// LRs 0…10: warmup to 1 over steps 0–2, held to step 5, linear to 0.1 at step 8, held.
    private static let rates = [0, 0.5, 1, 1, 1, 1, 0.7, 0.4, 0.1, 0.1, 0.1]

    /// The cooldown counts steps since the LR was last at 90 % of its peak (step 5); the area sums
    /// the LRs of steps 1…s; the lowest LR is taken from `from` on.
    @Test func theExtentOfASchedule() {
        let extents = LearningRateExtent.at([4, 8, 10], learningRates: Self.rates, from: 2)
        #expect(extents.map(\.decaySteps) == [0, 3, 5])
        #expect(extents.map(\.area).enumerated().allSatisfy { index, area in isClose(area, [3.5, 5.7, 5.9][index], relativeTolerance: 1e-12) })
        #expect(extents.map(\.lowest) == [1, 0.1, 0.1])
        #expect(LearningRateExtent.longestDecay(learningRates: Self.rates, through: 7) == 2)
    }

    @Test func eachWayOutOfTheFittedDataIsNamedWithItsFactor() {
        let outside = Extrapolation(step: 20000, longestFittedStep: 10000, decaySteps: 6000, longestFittedDecaySteps: 2000,
                                    lowestLearningRate: 1e-5, lowestFittedLearningRate: 1e-4, highestFittedLearningRate: 1e-3,
                                    area: 15, largestFittedArea: 10)
        #expect(outside.isOutside)
        #expect(outside.summary == "2.0× steps, 3.0× cooldown, 2.0× lower LR, 1.5× area",
                "the LR below 5 % of the highest fitted counts as 5 %: 1e-4 / 5e-5")
        #expect(outside.reasons.count == 4)
        let inside = Extrapolation(step: 10000, longestFittedStep: 10000, decaySteps: 2000, longestFittedDecaySteps: 2000,
                                   lowestLearningRate: 0, lowestFittedLearningRate: 1e-5, highestFittedLearningRate: 1e-3,
                                   area: 10, largestFittedArea: 10)
        #expect(!inside.isOutside && inside.summary == "inside", "a decay to 0 where the fitted runs decayed below 5 % of the peak is inside")
        let newCooldown = Extrapolation(step: 100, longestFittedStep: 100, decaySteps: 20, longestFittedDecaySteps: 0,
                                        lowestLearningRate: 1, lowestFittedLearningRate: 1, highestFittedLearningRate: 1, area: 90, largestFittedArea: 100)
        #expect(newCooldown.summary == "new cooldown")
    }
}
