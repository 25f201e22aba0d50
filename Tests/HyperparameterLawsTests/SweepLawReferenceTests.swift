import Foundation
import Testing
import TestSupport
@testable import HyperparameterLaws

/// Known answers from an independent implementation: numpy/scipy from the method's definition
/// (References/sweep_law_numpy.py) on the shared Step Law sweep.
@Suite(.enabled(if: SharedData.shouldRun)) struct SweepLawReferenceTests {
    static let optima: [(n: Double, d: Double, learningRate: Double, batchSizeTokens: Double, runs: Int)] = [
        (214663680, 4e9, 0.00225203765, 183997.9237, 35),
        (214663680, 11.4e9, 0.002637517232, 300459.759, 48),
        (214663680, 20e9, 0.00309015168, 477342.6383, 52),
        (268304384, 5e9, 0.001922136247, 196237.7751, 35),
        (268304384, 14.2e9, 0.002500781315, 327238.4833, 51),
        (268304384, 25e9, 0.00317664461, 578362.8009, 59),
        (268304384, 80e9, 0.003242865172, 983151.9393, 80),
        (429260800, 8e9, 0.001182036882, 191822.6299, 49),
        (429260800, 22.7e9, 0.001920570975, 418992.5208, 62),
        (429260800, 40e9, 0.002232622642, 636459.0667, 54),
        (429260800, 50e9, 0.002161185254, 642627.2561, 72),
        (536872960, 10e9, 0.001215813512, 233918.4837, 41),
        (536872960, 28.4e9, 0.001740008078, 433531.978, 60),
        (536872960, 50e9, 0.002036018222, 662327.9822, 65),
    ]

    @Test func groupOptimaAndLawsMatchNumpy() throws {
        var settings = SweepLawSettings()
        settings.bootstrap.resamples = 10
        let law = try SweepLawFitter(settings: settings).fit(try sharedStepLawSweep())
        #expect(law.groups.count == Self.optima.count)
        for (fit, expected) in zip(law.groups, Self.optima) {
            #expect(fit.group.parameters == expected.n && isClose(fit.group.tokens, expected.d, relativeTolerance: 1e-12))
            #expect(fit.optimum.usedRuns.count == expected.runs)
            #expect(isClose(fit.optimum.learningRate, expected.learningRate, relativeTolerance: 1e-8), "\(fit.group.label)")
            #expect(isClose(fit.optimum.batchSizeTokens, expected.batchSizeTokens, relativeTolerance: 1e-8), "\(fit.group.label)")
        }
        #expect(isClose(law.learningRate.law.coefficients, [3.971790661, -0.8148570746, 0.2489274193], relativeTolerance: 1e-8))
        #expect(isClose(law.batchSize.law.coefficients, [-0.8398756677, 0.5801119629], relativeTolerance: 1e-8))
    }

    @Test func surrogateHeldOutErrorsMatchNumpyAndFavourTheCubic() throws {
        let validation = SurrogateValidation(sweep: try sharedStepLawSweep())
        let expected: [(degree: Int, band: Double, error: Double)] = [
            (2, 0.01, 0.002750296918), (2, 0.02, 0.002087906077), (2, 0.03, 0.002379669068), (2, 0.05, 0.002921163702),
            (3, 0.01, 0.002653233549), (3, 0.02, 0.001630787109), (3, 0.03, 0.001590246444), (3, 0.05, 0.001771115997),
        ]
        #expect(validation.alternatives.count == expected.count)
        for (alternative, reference) in zip(validation.alternatives, expected) {
            #expect(alternative.degree == reference.degree && alternative.band == reference.band)
            #expect(isClose(alternative.heldOutError, reference.error, relativeTolerance: 1e-6), "\(alternative.name)")
            #expect(alternative.predictions == 763)
        }
        let chosen = try #require(validation.alternatives.first { $0.isDefault })
        #expect(validation.alternatives.filter { $0.degree == 2 }.allSatisfy { $0.heldOutError > chosen.heldOutError * 1.2 })
    }
}
