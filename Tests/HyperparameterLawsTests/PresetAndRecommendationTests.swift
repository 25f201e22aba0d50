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
        // Whole sequences: the nearest to B / 2048.
        #expect(abs(stepLaw.batchSizeSequences - stepLaw.batchSizeTokens / 2048) <= 0.5)
        #expect(stepLaw.learningRateInterval == nil && stepLaw.learningRateRange == nil)
        let custom = try HyperparameterPreset.stepLaw.recommend(RecommendationRequest(parameters: 1e9, tokens: 1e11, sequenceLength: 8192))
        #expect(abs(custom.batchSizeSequences - custom.batchSizeTokens / 8192) <= 0.5)
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
        #expect(abs(recommendation.batchSizeSequences - recommendation.batchSizeTokens / 2048) <= 0.5)
        #expect(!recommendation.batchSizeIsGiven && recommendation.outsideSweep.isEmpty)
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
        let outside = try #require(recommendation.outsideSweep.first)
        #expect(recommendation.outsideSweep.count == 1 && outside.quantity == "N" && outside.isAbove)
        #expect(isClose(outside.factor, 10, relativeTolerance: 1e-12) && isClose(outside.sweepLimit, 8e8, relativeTolerance: 1e-12))
        let below = try Self.law().recommend(RecommendationRequest(parameters: 3e8, tokens: 1e9))
        #expect(below.outsideSweep.map(\.quantity) == ["D"] && below.outsideSweep[0].isAbove == false)
        #expect(isClose(below.outsideSweep[0].factor, 5, relativeTolerance: 1e-12))
    }

    /// With a batch size given, the learning rate is the best at that batch. In the synthetic
    /// landscape u = ln η − ln η* − 0.3·(ln B − ln B*), so at B = 4·B* the best η is η*·4^0.3.
    @Test func aGivenBatchGetsTheBestLearningRateAtThatBatch() throws {
        var truth = SyntheticSweep()
        truth.noise = 0
        truth.isLopsided = false
        let law = try SweepLawFitter(settings: SweepLawFitterTests.settings(resamples: 200)).fit(try truth.sweep(), sequenceLength: 2048)
        let free = try law.recommend(RecommendationRequest(parameters: 3e8, tokens: 3e10))
        for factor in [0.25, 4.0] {
            let given = factor * free.batchSizeTokens
            let fixed = try law.recommend(RecommendationRequest(parameters: 3e8, tokens: 3e10, batchSizeTokens: given))
            #expect(isClose(fixed.learningRate, free.learningRate * pow(factor, 0.3), relativeTolerance: 1e-4), "factor \(factor)")
            #expect(fixed.batchSizeIsGiven && fixed.batchSizeTokensInterval == nil && fixed.batchSizeTokensRange == nil)
            #expect(isClose(fixed.batchSizeTokens, given, relativeTolerance: 1e-15))
            #expect(abs(fixed.batchSizeSequences - (given / 2048).rounded()) < 0.5)
            let interval = try #require(fixed.learningRateInterval)
            #expect(interval.lower < fixed.learningRate && fixed.learningRate < interval.upper)
            // The range is where the loss stays within 0.25 % of the best at that batch: ½·h·Δ² = ln 1.0025 each side.
            let range = try #require(fixed.learningRateRange)
            let halfWidth = (2 * log1p(0.0025) / (2 * 0.00675)).squareRoot()
            if !range.lowerIsOpen { #expect(abs(log(fixed.learningRate / range.lower) - halfWidth) < 2e-3) }
            if !range.upperIsOpen { #expect(abs(log(range.upper / fixed.learningRate) - halfWidth) < 2e-3) }
            #expect(fixed.notes.contains { $0.hasPrefix("batch size given:") })
        }
    }

    /// The best learning rate at a held batch is the minimum of the landscape's expansion along x,
    /// with its cubic terms: the derivative vanishes there and the curvature is positive.
    @Test func theBestLearningRateAtABatchIsTheMinimumAlongTheLearningRate() throws {
        let json = #"{"second": [0.02, 0.006, 0.015], "third": [0.01, -0.004, 0.003, 0.002], "reach": [-2, 2, -2, 2], "groupCount": 3}"#
        let shape = try JSONDecoder().decode(LandscapeShape.self, from: Data(json.utf8))
        #expect(abs(try #require(shape.bestLearningRateOffset(atBatchOffset: 0))) <= 1e-15)
        for y in [-1.5, -0.5, 0.7, 1.2] {
            let x = try #require(shape.bestLearningRateOffset(atBatchOffset: y))
            let h = 1e-4
            let slope = (shape.logExcess(x: x + h, y: y) - shape.logExcess(x: x - h, y: y)) / (2 * h)
            let curvature = (shape.logExcess(x: x + h, y: y) - 2 * shape.logExcess(x: x, y: y) + shape.logExcess(x: x - h, y: y)) / (h * h)
            #expect(abs(slope) < 1e-8, "y \(y): slope \(slope)")
            #expect(curvature > 0, "y \(y)")
        }
        // A cubic so strong along x that no minimum exists at this batch.
        let steep = try JSONDecoder().decode(LandscapeShape.self, from: Data(#"{"second": [0.001, 0.05, 0.01], "third": [0.5, 0, 0, 0], "reach": [-2, 2, -2, 2], "groupCount": 1}"#.utf8))
        #expect(steep.bestLearningRateOffset(atBatchOffset: 2) == nil)
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
