import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

private let law = AnnealingLaw(l0: 2.6, a: 0.56, alpha: 0.5, c: 0.7, lambda: 0.9985, warmup: .literal)

@Suite struct ScheduleSearchTests {
    @Test func poolAdjacentViolatorsKnownAnswers() {
        // Least-squares projections onto non-increasing sequences, worked by hand.
        #expect(isClose(ScheduleSearch.projectNonIncreasing([1, 3, 2], lower: 0, upper: 10), [2, 2, 2], relativeTolerance: 1e-15))
        #expect(isClose(ScheduleSearch.projectNonIncreasing([3, 1, 2], lower: 0, upper: 10), [3, 1.5, 1.5], relativeTolerance: 1e-15))
        #expect(isClose(ScheduleSearch.projectNonIncreasing([5, 4, 6, 0], lower: 1, upper: 4.5), [4.5, 4.5, 4.5, 1], relativeTolerance: 1e-15))
    }

    @Test func projectionIsNonIncreasingAndBounded() {
        var generator = SeededGenerator(seed: 21)
        let values = (0..<500).map { _ in generator.nextGaussian() }
        let projected = ScheduleSearch.projectNonIncreasing(values, lower: -0.5, upper: 0.8)
        #expect(zip(projected, projected.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(projected.allSatisfy { $0 >= -0.5 && $0 <= 0.8 })
        // The projection preserves the mean of every unclipped pool; overall it cannot move the
        // sum by more than the clipping did.
        #expect(projected.count == values.count)
    }

    @Test func finalLossGradientMatchesCentralDifferences() throws {
        let rates = try Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=100,total=3000,decay=0.3,shape=cosine").learningRates()
        let search = ScheduleSearch(law: law, totalSteps: 3000, peak: 3e-4, warmupSteps: 100)
        let gradient = search.finalLossGradient(rates)
        for k in [0, 1, 50, 1500, 2500, 2999, 3000] {
            let h = 1e-9
            var up = rates, down = rates
            up[k] += h
            down[k] -= h
            let numeric = (search.finalLoss(up) - search.finalLoss(down)) / (2 * h)
            #expect(abs(gradient[k] - numeric) <= 1e-5 * max(abs(numeric), 1e-3), "step \(k): \(gradient[k]) vs \(numeric)")
        }
    }

    @Test func freeScheduleIsNoWorseThanTheBestWSDAndNonIncreasing() throws {
        let search = ScheduleSearch(law: law, totalSteps: 4000, peak: 3e-4, warmupSteps: 200)
        let family = try search.searchFamily(.wsd)
        let free = try search.searchFree(minimum: 1e-5)
        #expect(free.best.finalLoss <= family.best.finalLoss)
        let body = free.learningRates[200...]
        #expect(zip(body, body.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(body.allSatisfy { $0 >= 1e-5 && $0 <= 3e-4 })
    }

    @Test func familySearchWorksUnderTheMultiPowerLaw() throws {
        // The published 25M multi-power law (Luo et al. 2025); the search only evaluates the law.
        let multiPower = MultiPowerLaw(l0: 3.04045406, a: 0.52468604, alpha: 0.50786857, b: 363.78751622,
                                       c: 2.06560812, beta: 0.58279013, gamma: 0.64142257)
        let search = ScheduleSearch(law: multiPower, totalSteps: 8000, peak: 3e-4, warmupSteps: 500)
        #expect(!search.supportsFreeSearch)
        let outcome = try search.searchFamily(.linear)
        #expect(zip(outcome.candidates, outcome.candidates.dropFirst()).allSatisfy { $0.finalLoss <= $1.finalLoss })
        for candidate in outcome.candidates {
            let rates = try Schedule(spec: candidate.spec).learningRates()
            let direct = multiPower.predictLoss(learningRates: rates, at: [8000])[0]
            #expect(isClose(direct, candidate.finalLoss, relativeTolerance: 1e-14))
        }
    }

    @Test func familySearchRanksByPredictedLoss() throws {
        let search = ScheduleSearch(law: law, totalSteps: 24000, peak: 3e-4, warmupSteps: 2160)
        let outcome = try search.searchFamily(.cosine)
        #expect(outcome.candidates.count == 6)
        #expect(zip(outcome.candidates, outcome.candidates.dropFirst()).allSatisfy { $0.finalLoss <= $1.finalLoss })
        for candidate in outcome.candidates {
            let rates = try Schedule(spec: candidate.spec).learningRates()
            #expect(isClose(search.finalLoss(rates), candidate.finalLoss, relativeTolerance: 1e-14))
        }
    }
}

@Suite struct PredictionUncertaintyTests {
    /// The delta-method standard error uses the analytic gradient; check it against a gradient by
    /// central differences of the law in each parameter.
    @Test func standardErrorMatchesFiniteDifferenceGradient() throws {
        let names = law.parameterNames
        let matrix = (0..<5).map { i in (0..<5).map { j in i == j ? pow(1e-3 * Double(i + 1), 2) : 0 } }
        let fit = FitResult(law: .annealing(law), parameters: [], settings: FitSettings(lambda: .fit, warmup: .literal, objective: .leastSquares, starts: 1),
                            statistics: FitStatistics(metrics: PredictionMetrics(observed: [1], predicted: [1]), objective: 0, iterations: 0, converged: true, excludedPoints: 0),
                            curves: [], notes: [])
        var withCovariance = fit
        withCovariance.covariance = ParameterCovariance(parameters: names, matrix: matrix)
        let rates = try Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=100,total=5000").learningRates()
        let predicted = withCovariance.predict(learningRates: rates, at: [5000])[0]
        var variance = 0.0
        for i in 0..<5 {
            var up = law.parameterValues, down = law.parameterValues
            let h = 1e-7 * max(abs(up[i]), 1e-3)
            up[i] += h
            down[i] -= h
            func make(_ v: [Double]) -> AnnealingLaw { AnnealingLaw(l0: v[0], a: v[1], alpha: v[2], c: v[3], lambda: v[4], warmup: .literal) }
            let derivative = (make(up).predictLoss(learningRates: rates, at: [5000])[0] - make(down).predictLoss(learningRates: rates, at: [5000])[0]) / (2 * h)
            variance += derivative * derivative * matrix[i][i]
        }
        let error = try #require(predicted.standardError)
        #expect(isClose(error, variance.squareRoot(), relativeTolerance: 1e-5))
        // A schedule compared with itself differs by exactly nothing, with no uncertainty.
        let same = withCovariance.difference(rates, at: 5000, minus: rates, at: 5000)
        #expect(abs(same.difference) < 1e-15)
        #expect(try #require(same.standardError) < 1e-15)
        #expect(fit.predict(learningRates: rates, at: [5000])[0].standardError == nil)
    }
}

@Suite struct RankCorrelationTests {
    @Test func knownAnswers() throws {
        // Perfect agreement, perfect reversal, and the worked example ρ = 1 − 6Σd²/(n(n²−1)) with Σd² = 6, n = 6.
        #expect(isClose(try #require(RankCorrelation.spearman([1, 2, 3], [10, 20, 30])), 1, relativeTolerance: 1e-15))
        #expect(isClose(try #require(RankCorrelation.spearman([1, 2, 3], [3, 2, 1])), -1, relativeTolerance: 1e-15))
        let rho = try #require(RankCorrelation.spearman([1, 4, 2, 3, 5, 6], [1, 2, 3, 4, 5, 6]))
        #expect(isClose(rho, 1 - 6.0 * 6 / (6 * 35), relativeTolerance: 1e-14))
        // Ties take their average rank.
        #expect(RankCorrelation.ranks([5, 1, 5, 3]) == [3.5, 1, 3.5, 2])
        #expect(RankCorrelation.spearman([1, 1, 1], [1, 2, 3]) == nil)
    }

    /// The WSD search covers decays of every length by default, up to all the steps after warmup,
    /// and only the fractions asked for when given a range.
    @Test func wsdSearchCoversTheWholeDecayRange() throws {
        let grid = ScheduleSearch.decayFractionGrid(ScheduleSearch.defaultDecayFractions)
        #expect(grid.count == 20)
        #expect(isClose(grid, (1...20).map { Double($0) / 20 }, relativeTolerance: 1e-12))
        #expect(isClose(ScheduleSearch.decayFractionGrid(0.6...0.7), [0.6, 0.625, 0.65, 0.675, 0.7], relativeTolerance: 1e-12))
        #expect(ScheduleSearch.decayFractionGrid(0.3...0.3) == [0.3])

        // 4000 steps after 200 of warmup: 0.95 of the run (3800 steps) still fits, 1 becomes the 3800 steps after warmup.
        let search = ScheduleSearch(law: law, totalSteps: 4000, peak: 3e-4, warmupSteps: 200)
        let outcome = try search.searchFamily(.wsd)
        func decays(_ outcome: ScheduleSearch.Outcome) throws -> Set<Int> {
            Set(try outcome.candidates.map { candidate in
                guard case .wsd(let steps, _, _) = try Schedule(spec: candidate.spec).body else { throw ScheduleError.inconsistent("not wsd: \(candidate.spec)") }
                return steps
            })
        }
        #expect(try decays(outcome) == Set((1...19).map { $0 * 200 }))
        // The whole-range best is the lowest of every candidate, and no worse than the best up to 0.6.
        #expect(outcome.candidates.allSatisfy { $0.finalLoss >= outcome.best.finalLoss })
        let upTo60 = try ScheduleSearch(law: law, totalSteps: 4000, peak: 3e-4, warmupSteps: 200, decayFractions: 0.05...0.6).searchFamily(.wsd)
        #expect(try decays(upTo60) == Set((1...12).map { $0 * 200 }))
        #expect(outcome.best.finalLoss <= upTo60.best.finalLoss)

        let long = try ScheduleSearch(law: law, totalSteps: 4000, peak: 3e-4, warmupSteps: 200, decayFractions: 0.6...0.8).searchFamily(.wsd)
        #expect(try decays(long) == [2400, 2600, 2800, 3000, 3200])
        #expect(throws: ScheduleError.self) {
            try ScheduleSearch(law: law, totalSteps: 4000, peak: 3e-4, warmupSteps: 200, decayFractions: 0...0.5).searchFamily(.wsd)
        }
    }
}
