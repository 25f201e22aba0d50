import Foundation
import Testing
import TestSupport
@testable import HyperparameterLaws

@Suite struct SweepLawFitterTests {
    static func settings(resamples: Int = 200, seed: UInt64 = 0) -> SweepLawSettings {
        var settings = SweepLawSettings()
        settings.bootstrap.resamples = resamples
        settings.bootstrap.seed = seed
        return settings
    }

    @Test func recoversTheLawsExactlyWhenTheSurrogateCanRepresentTheLandscape() throws {
        var truth = SyntheticSweep()
        truth.noise = 0
        truth.isLopsided = false
        let law = try SweepLawFitter(settings: Self.settings()).fit(try truth.sweep())
        #expect(isClose(law.learningRate.law.coefficients, [truth.learningRateLaw.logPrefactor, truth.learningRateLaw.parameters, truth.learningRateLaw.tokens], relativeTolerance: 1e-6))
        #expect(isClose(law.batchSize.law.coefficients, [truth.batchSizeLaw.logPrefactor, truth.batchSizeLaw.tokens], relativeTolerance: 1e-6))
        for fit in law.groups {
            #expect(fit.optimum.method == .cubicSurrogate)
            #expect(isClose(fit.optimum.learningRate, truth.optimalLearningRate(fit.group.parameters, fit.group.tokens), relativeTolerance: 1e-6))
            #expect(isClose(fit.optimum.batchSizeTokens, truth.optimalBatchSize(fit.group.tokens), relativeTolerance: 1e-6))
        }
    }

    /// On a lopsided landscape the cubic is not exact; measured worst exponent error 0.033.
    @Test func recoversTheExponentsOfALopsidedLandscapeToWithinFourHundredths() throws {
        var truth = SyntheticSweep()
        truth.noise = 0
        let law = try SweepLawFitter(settings: Self.settings()).fit(try truth.sweep())
        #expect(abs(law.learningRate.law.exponents[0] - truth.learningRateLaw.parameters) < 0.04)
        #expect(abs(law.learningRate.law.exponents[1] - truth.learningRateLaw.tokens) < 0.04)
        #expect(abs(law.batchSize.law.exponents[0] - truth.batchSizeLaw.tokens) < 0.04)
    }

    /// With 0.1 % noise per run (about the Step Law sweep's), three seeds; measured worst error 0.035.
    @Test(arguments: [UInt64(1), 2, 3])
    func recoversTheExponentsOfANoisySweep(seed: UInt64) throws {
        var truth = SyntheticSweep()
        truth.seed = seed
        let law = try SweepLawFitter(settings: Self.settings()).fit(try truth.sweep())
        let fitted = [law.learningRate.law.exponents[0], law.learningRate.law.exponents[1], law.batchSize.law.exponents[0]]
        let expected = [truth.learningRateLaw.parameters, truth.learningRateLaw.tokens, truth.batchSizeLaw.tokens]
        for (value, target) in zip(fitted, expected) {
            #expect(abs(value - target) < 0.05, "\(fitted) vs \(expected)")
        }
        for fittedLaw in [law.learningRate, law.batchSize] {
            for (value, interval) in zip(fittedLaw.law.coefficients, fittedLaw.coefficientIntervals) {
                #expect(interval.lower < value && value < interval.upper)
            }
        }
    }

    @Test func theBootstrapIsRepeatableFromItsSeedAndChangesWithIt() throws {
        let sweep = try SyntheticSweep().sweep()
        let first = try SweepLawFitter(settings: Self.settings(resamples: 50, seed: 7)).fit(sweep)
        let again = try SweepLawFitter(settings: Self.settings(resamples: 50, seed: 7)).fit(sweep)
        let other = try SweepLawFitter(settings: Self.settings(resamples: 50, seed: 8)).fit(sweep)
        #expect(first.learningRate.bootstrapCoefficients == again.learningRate.bootstrapCoefficients)
        #expect(first.learningRate.bootstrapCoefficients != other.learningRate.bootstrapCoefficients)
        #expect(first.learningRate.bootstrapCoefficients.count == 50)
    }

    @Test func resamplesThatCannotDetermineTheLawAreRedrawnAndCounted() throws {
        var truth = SyntheticSweep()
        truth.parameterValues = [1e8, 4e8]
        truth.tokenValues = [5e9, 2e10]
        let law = try SweepLawFitter(settings: Self.settings(resamples: 100)).fit(try truth.sweep())
        // Four groups over two N and two D: a resample often draws a single N or a single D.
        #expect(law.bootstrapRedrawn > 0)
        #expect(law.learningRate.bootstrapCoefficients.count == 100)
    }

    @Test func aFormulaOverACovariateRecoversItsExponent() throws {
        var truth = SyntheticSweep()
        truth.noise = 0
        truth.isLopsided = false
        var settings = Self.settings(resamples: 20)
        settings.learningRateFormula = try HyperparameterFormula(parsing: "lr ~ width + D")
        let law = try SweepLawFitter(settings: settings).fit(try truth.sweep())
        // width = √N, so its exponent is twice N's.
        #expect(isClose(law.learningRate.law.exponents, [2 * truth.learningRateLaw.parameters, truth.learningRateLaw.tokens], relativeTolerance: 1e-6))
    }

    @Test func stepLawsMethodRegressesEveryRunNearTheBest() throws {
        var truth = SyntheticSweep()
        truth.noise = 0
        var settings = Self.settings(resamples: 20)
        settings.optimum.estimator = .nearBest
        let law = try SweepLawFitter(settings: settings).fit(try truth.sweep())
        for fit in law.groups {
            #expect(fit.optimum.method == .nearBestRuns)
            #expect(fit.optimum.regressionPoints.count == fit.optimum.usedRuns.count)
            #expect(fit.optimum.usedRuns.allSatisfy { fit.group.runs[$0].loss <= fit.group.bestLoss * 1.0025 })
        }
        // The landscape shape still comes from surrogates.
        #expect(law.landscape?.groupCount == law.groups.count)
    }

    @Test func oneGroupOnlyIsAnError() throws {
        var truth = SyntheticSweep()
        truth.parameterValues = [4e8]
        truth.tokenValues = [2e10]
        #expect(throws: SweepError.tooFewGroups(source: "synthetic.csv", groups: 1, needed: 3)) {
            try SweepLawFitter(settings: Self.settings()).fit(try truth.sweep())
        }
        #expect(SweepError.tooFewGroups(source: "synthetic.csv", groups: 1, needed: 3).description
                == "synthetic.csv: 1 (N, D) group cannot determine a law with 3 coefficients; add runs at 2 more (model size, token count) pairs, or drop terms from the formula")
    }

    @Test func aGroupWithOneLearningRateIsAnError() throws {
        var truth = SyntheticSweep()
        truth.learningRates = [0.002]
        let error = SweepError.tooFewLearningRates(source: "synthetic.csv", group: "N=1e8, D=5e9", count: 1)
        #expect(throws: error) { try SweepLawFitter(settings: Self.settings()).fit(try truth.sweep()) }
        #expect(error.description == "synthetic.csv: group N=1e8, D=5e9 has runs at 1 learning rate; locating its optimum needs at least 3: add runs at other learning rates or remove the group")
    }

    @Test func aGroupWithTwoBatchSizesIsAnError() throws {
        var truth = SyntheticSweep()
        truth.batchSequences = [128, 256]
        #expect(throws: SweepError.tooFewBatchSizes(source: "synthetic.csv", group: "N=1e8, D=5e9", count: 2)) {
            try SweepLawFitter(settings: Self.settings()).fit(try truth.sweep())
        }
    }

    @Test func aModelSizeThatNeverChangesLeavesItsExponentUndetermined() throws {
        var truth = SyntheticSweep()
        truth.parameterValues = [4e8]
        let error = SweepError.lawUndetermined(source: "synthetic.csv", formula: "lr ~ N + D", term: "N")
        #expect(throws: error) { try SweepLawFitter(settings: Self.settings()).fit(try truth.sweep()) }
        #expect(error.description == "synthetic.csv: the groups do not vary enough to determine the N term of lr ~ N + D; remove N from the formula or add groups that differ in it")
    }

    @Test func computeThatIsAProductOfNAndDIsUndeterminedBesideThem() throws {
        var settings = Self.settings()
        settings.learningRateFormula = try HyperparameterFormula(parsing: "lr ~ N + D + C")
        #expect(throws: SweepError.lawUndetermined(source: "synthetic.csv", formula: "lr ~ N + D + C", term: "C")) {
            try SweepLawFitter(settings: settings).fit(try SyntheticSweep().sweep())
        }
    }

    @Test func nonPositiveValuesAreRejected() {
        let run = SweepRun(parameters: 1e8, tokens: 1e9, learningRate: -1e-3, batchSizeTokens: 1e5, loss: 3)
        #expect(throws: SweepError.invalidRun(source: "s.csv", index: 0, quantity: "learning rate", value: -1e-3)) {
            try Sweep(runs: [run], source: "s.csv")
        }
        #expect(throws: SweepError.emptySweep(source: "s.csv")) { try Sweep(runs: [], source: "s.csv") }
    }
}
