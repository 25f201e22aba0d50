import Foundation
import Testing
import TestSupport
@testable import HyperparameterLaws

/// A recommendation says when it extrapolates a preset and refuses covariates no formula uses (issue #17).
@Suite struct RecommendationRequestCheckTests {
    @Test func presetsSayHowFarOutsideTheirFittedRangeAQueryIs() throws {
        let far = try HyperparameterPreset.stepLaw.recommend(RecommendationRequest(parameters: 1e308, tokens: 1e308))
        // 1e308 / 536,872,960 = 1.86e299 and 1e308 / 8e10 = 1.25e297.
        #expect(far.notes.contains("N = 1e308 is 1.86e299× above the largest N the preset was fitted on (2.15e8–5.37e8): the law is extrapolated"), "\(far.notes)")
        #expect(far.notes.contains { $0.hasPrefix("D = 1e308 is 1.25e297× above the largest D") })
        let inside = try HyperparameterPreset.stepLaw.recommend(RecommendationRequest(parameters: 3e8, tokens: 2e10))
        #expect(inside.notes.allSatisfy { !$0.contains("extrapolated") }, "\(inside.notes)")
        // DeepSeek's compute budgets: C = 6·1e6·1e9 = 6e15 is 16.7× below 1e17.
        let small = try HyperparameterPreset.deepSeek.recommend(RecommendationRequest(parameters: 1e6, tokens: 1e9))
        #expect(small.notes.contains { $0.hasPrefix("C = 6e15 is 16.7× below the smallest C") }, "\(small.notes)")
        #expect(HyperparameterPreset.powerScheduler.fittedRange.isEmpty)
    }

    @Test func aCovariateNoFormulaUsesIsAnError() throws {
        #expect(throws: SweepError.unusedCovariate(name: "h", valid: [])) {
            try HyperparameterPreset.stepLaw.recommend(RecommendationRequest(parameters: 1e9, tokens: 1e11, covariates: ["h": 4096]))
        }
    }
}
