import Foundation
import Testing
import TestSupport
@testable import HyperparameterLaws

@Suite struct PresetTests {
    @Test func powerSchedulerGivesThePublishedLearningRate() throws {
        // Shen et al. 2024: β = 1024 sequences of 4096 tokens, T = 1e13 tokens → 0.0011.
        let eta = HyperparameterPreset.powerScheduler.learningRate(parameters: 7e9, tokens: 1e13, batchSizeTokens: 1024 * 4096)
        #expect(abs(eta - 0.0011) < 0.00005)
        #expect(HyperparameterPreset.powerScheduler.batchSizeTokens(parameters: 7e9, tokens: 1e13) == nil)
    }

    @Test func stepLawMatchesItsFormulaComputedInBaseTen() {
        // 1.79·N^(−0.713)·D^(0.307) and 0.58·D^(0.571), for N = 7e9, D = 1.4e12, via log10.
        let n = 7e9, d = 1.4e12
        let eta = pow(10, log10(1.79) - 0.713 * log10(n) + 0.307 * log10(d))
        let batch = pow(10, log10(0.58) + 0.571 * log10(d))
        #expect(isClose(HyperparameterPreset.stepLaw.learningRate(parameters: n, tokens: d, batchSizeTokens: 1), eta, relativeTolerance: 1e-12))
        #expect(isClose(HyperparameterPreset.stepLaw.batchSizeTokens(parameters: n, tokens: d)!, batch, relativeTolerance: 1e-12))
        // The magnitudes: about 9.2e-4 and 5.0e6 tokens.
        #expect(abs(eta - 9.17e-4) < 1e-6)
        #expect(abs(batch - 5.0e6) < 0.01e6)
    }

    @Test func deepSeekUsesSixNDForCompute() {
        let n = 1e9, d = 1e11, c = 6e20
        #expect(isClose(HyperparameterPreset.deepSeek.learningRate(parameters: n, tokens: d, batchSizeTokens: 1), 0.3118 * pow(c, -0.125), relativeTolerance: 1e-12))
        #expect(isClose(HyperparameterPreset.deepSeek.batchSizeTokens(parameters: n, tokens: d)!, 0.2920 * pow(c, 0.3271), relativeTolerance: 1e-12))
    }

    @Test func thePowerSchedulerNeedsABatchSize() throws {
        let error = SweepError.batchSizeNeeded
        #expect(throws: error) { try HyperparameterPreset.powerScheduler.recommend(RecommendationRequest(parameters: 1e9, tokens: 1e11)) }
        #expect(error.description == "invalid recommendation request: the power scheduler gives no batch-size law; give the batch size you will use")
    }

    @Test func aPresetCountsSequencesInThePapersLengthUnlessTold() throws {
        let stepLaw = try HyperparameterPreset.stepLaw.recommend(RecommendationRequest(parameters: 1e9, tokens: 1e11))
        #expect(stepLaw.sequenceLength == 2048)
        #expect(isClose(stepLaw.batchSizeSequences, stepLaw.batchSizeTokens / 2048, relativeTolerance: 1e-15))
        #expect(stepLaw.learningRateInterval == nil && stepLaw.learningRateRange == nil)
        let custom = try HyperparameterPreset.stepLaw.recommend(RecommendationRequest(parameters: 1e9, tokens: 1e11, sequenceLength: 8192))
        #expect(isClose(custom.batchSizeSequences, custom.batchSizeTokens / 8192, relativeTolerance: 1e-15))
    }

    @Test func jsonHasEveryKeyWithNullForWhatAPresetLacks() throws {
        let recommendation = try HyperparameterPreset.deepSeek.recommend(RecommendationRequest(parameters: 1e9, tokens: 1e11))
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(recommendation)) as? [String: Any])
        for key in ["learningRate", "batchSizeTokens", "batchSizeSequences", "learningRateInterval", "batchSizeTokensInterval", "batchSizeSequencesInterval"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["learningRateInterval"] is NSNull)
    }
}

@Suite struct RecommendationTests {
    private static func law(isLopsided: Bool = false) throws -> SweepLaw {
        var truth = SyntheticSweep()
        truth.noise = 0
        truth.isLopsided = isLopsided
        return try SweepLawFitter(settings: SweepLawFitterTests.settings(resamples: 200)).fit(try truth.sweep(), sequenceLength: 2048)
    }

    @Test func aFittedLawRecommendsItsValuesWithIntervalsAndRanges() throws {
        let law = try Self.law(isLopsided: true)
        let recommendation = try law.recommend(RecommendationRequest(parameters: 3e8, tokens: 3e10))
        #expect(isClose(recommendation.learningRate, try law.learningRate.law.predict(parameters: 3e8, tokens: 3e10), relativeTolerance: 1e-12))
        #expect(isClose(recommendation.batchSizeSequences, recommendation.batchSizeTokens / 2048, relativeTolerance: 1e-12))
        let interval = try #require(recommendation.learningRateInterval)
        #expect(interval.lower < recommendation.learningRate && recommendation.learningRate < interval.upper)
        let range = try #require(recommendation.learningRateRange)
        #expect(range.lower < recommendation.learningRate && recommendation.learningRate < range.upper)
        // Lopsided: going up costs more, so the range reaches further below than above.
        #expect(log(recommendation.learningRate / range.lower) > log(range.upper / recommendation.learningRate))
        #expect(recommendation.notes.allSatisfy { !$0.contains("extrapolated") })
    }

    @Test func theRangeOfAQuadraticLandscapeIsWhereTheQuadraticReachesTheTolerance() throws {
        let law = try Self.law()
        let recommendation = try law.recommend(RecommendationRequest(parameters: 3e8, tokens: 3e10))
        let landscape = try #require(law.landscape)
        // ln(1 + 0.0025) = ½·h·Δ² along each axis.
        let halfWidth = (2 * log1p(0.0025) / landscape.second[0]).squareRoot()
        let range = try #require(recommendation.learningRateRange)
        #expect(abs(log(recommendation.learningRate / range.lower) - halfWidth) < 2e-3)
        #expect(abs(log(range.upper / recommendation.learningRate) - halfWidth) < 2e-3)
        // The synthetic landscape's own curvature along ln η at fixed B: 2·0.00675.
        #expect(isClose(landscape.second[0], 2 * 0.00675, relativeTolerance: 1e-6))
    }

    @Test func extrapolationIsNamedWithItsFactor() throws {
        let recommendation = try Self.law().recommend(RecommendationRequest(parameters: 8e9, tokens: 2e10))
        #expect(recommendation.notes.contains("N = 8e9 is 10× the largest N in the sweep (8e8): the law is extrapolated"))
    }

    @Test func aSweepInTokensNeedsASequenceLength() throws {
        var truth = SyntheticSweep()
        truth.noise = 0
        let law = try SweepLawFitter(settings: SweepLawFitterTests.settings(resamples: 10)).fit(try truth.sweep())
        #expect(throws: SweepError.sequenceLengthNeeded) {
            try law.recommend(RecommendationRequest(parameters: 1e9, tokens: 1e11))
        }
        #expect(try law.recommend(RecommendationRequest(parameters: 1e9, tokens: 1e11, sequenceLength: 4096)).sequenceLength == 4096)
    }

    @Test func aLawRoundTripsThroughJSON() throws {
        let law = try Self.law()
        let decoded = try JSONDecoder().decode(SweepLaw.self, from: JSONEncoder().encode(law))
        #expect(decoded == law)
    }
}

@Suite struct HyperparameterFormulaTests {
    @Test func readsTargetsAndTerms() throws {
        #expect(try HyperparameterFormula(parsing: "lr ~ N + D") == .stepLawLearningRate)
        #expect(try HyperparameterFormula(parsing: " bs~D ") == .stepLawBatchSize)
        #expect(try HyperparameterFormula(parsing: "batch_size ~ C").terms == ["C"])
        #expect(try HyperparameterFormula(parsing: "lr ~ 1").terms.isEmpty)
    }

    @Test func explainsWhatIsWrong() {
        #expect(throws: SweepError.invalidFormula(formula: "lr = N", reason: "it needs exactly one ~ between the target and the variables")) {
            try HyperparameterFormula(parsing: "lr = N")
        }
        #expect(throws: SweepError.invalidFormula(formula: "loss ~ N", reason: "the target \"loss\" is neither lr nor bs")) {
            try HyperparameterFormula(parsing: "loss ~ N")
        }
        #expect(throws: SweepError.invalidFormula(formula: "lr ~ N +", reason: "a + has no variable on one side")) {
            try HyperparameterFormula(parsing: "lr ~ N +")
        }
        #expect(SweepError.invalidFormula(formula: "lr = N", reason: "it needs exactly one ~ between the target and the variables").description
                == "invalid law formula \"lr = N\": it needs exactly one ~ between the target and the variables; write it as e.g. \"lr ~ N + D\" or \"bs ~ D\"")
    }

    @Test func unknownVariablesListWhatExists() throws {
        var settings = SweepLawSettings()
        settings.learningRateFormula = try HyperparameterFormula(parsing: "lr ~ depth + D")
        #expect(throws: SweepError.unknownVariable(formula: "lr ~ depth + D", name: "depth", available: ["N", "D", "C", "width"])) {
            try SweepLawFitter(settings: settings).fit(try SyntheticSweep().sweep())
        }
    }
}
