import Foundation
import Testing
import TestSupport
@testable import HyperparameterLaws

/// A sweep whose best learning rate follows a known transfer rule.
///
/// ```
/// ε*(B) = ε_max · f(B; B_noise)                    (f of `rule`)
/// L(η, B) = L_B · exp(c·(ln η − ln ε*(B))²) · e^{σ·ε},   L_B = 2.5·(1 + 0.01·ln²(B/B_noise))
/// ```
/// ln L is quadratic in ln η, which the per-batch-size surrogate represents exactly, so without
/// noise the best learning rates, and then B_noise and ε_max, come back to rounding.
struct SyntheticTransferSweep {
    var rule = BatchSizeTransferRule.surge
    var noiseScale = 1e6
    var maxLearningRate = 3e-3
    var curvature = 0.01
    var noise = 0.0
    var seed: UInt64 = 7
    /// Learning rates spaced by `2^spacing`, from 2^−15.
    var spacing = 0.5
    var batchSizesTokens: [Double] = [16, 32, 64, 128, 256, 512, 1024, 2048].map { $0 * 2048 }
    var groups: [(parameters: Double, tokens: Double)] = [(2e8, 1e10), (4e8, 2e10)]

    func bestLearningRate(_ batch: Double) -> Double {
        maxLearningRate * rule.shape(batchSize: batch, noiseScale: noiseScale)
    }

    func sweep() throws -> Sweep {
        var generator = SeededGenerator(seed: seed)
        var runs: [SweepRun] = []
        let learningRates = stride(from: -15.0, through: -5.5, by: spacing).map { pow(2, $0) }
        for group in groups {
            for batch in batchSizesTokens {
                let level = 2.5 * (1 + 0.01 * pow(log(batch / noiseScale), 2))
                for eta in learningRates {
                    let u = log(eta / bestLearningRate(batch))
                    let loss = level * exp(curvature * u * u) * exp(noise * generator.nextGaussian())
                    runs.append(SweepRun(parameters: group.parameters, tokens: group.tokens, learningRate: eta, batchSizeTokens: batch, loss: loss))
                }
            }
        }
        return try Sweep(runs: runs, source: "synthetic.csv")
    }
}

@Suite struct BatchSizeTransferTests {
    // MARK: Rules

    @Test func fixedRulesScaleByTheBatchRatio() {
        #expect(isClose(BatchSizeTransferRule.sqrt.transfer(learningRate: 3e-4, from: 256, to: 1024, noiseScale: nil), 6e-4, relativeTolerance: 1e-12))
        #expect(isClose(BatchSizeTransferRule.linear.transfer(learningRate: 3e-4, from: 256, to: 1024, noiseScale: nil), 1.2e-3, relativeTolerance: 1e-12))
        #expect(isClose(BatchSizeTransferRule.constant.transfer(learningRate: 3e-4, from: 256, to: 1024, noiseScale: nil), 3e-4, relativeTolerance: 1e-12))
        #expect(TransferOptimizer.adam.defaultRule == .sqrt)
        #expect(TransferOptimizer.sgd.defaultRule == .linear)
    }

    /// McCandlish: half the ceiling at B = B_noise, the ceiling as B → ∞, linear far below.
    /// Surge: its peak ε_max at B = B_noise, symmetric in ln B about it, √B far below.
    @Test func noiseScaleRulesHaveThePublishedShape() {
        let mccandlish = BatchSizeTransferRule.mccandlish, surge = BatchSizeTransferRule.surge
        #expect(isClose(mccandlish.shape(batchSize: 1e6, noiseScale: 1e6), 0.5, relativeTolerance: 1e-12))
        #expect(isClose(mccandlish.shape(batchSize: 1e12, noiseScale: 1e6), 1, relativeTolerance: 1e-5))
        #expect(isClose(mccandlish.transfer(learningRate: 1e-4, from: 10, to: 20, noiseScale: 1e6), 2e-4, relativeTolerance: 1e-4))
        #expect(isClose(surge.shape(batchSize: 1e6, noiseScale: 1e6), 1, relativeTolerance: 1e-12))
        #expect(surge.shape(batchSize: 2e6, noiseScale: 1e6) < 1)
        #expect(isClose(surge.shape(batchSize: 4e6, noiseScale: 1e6), surge.shape(batchSize: 2.5e5, noiseScale: 1e6), relativeTolerance: 1e-12))
        #expect(isClose(surge.transfer(learningRate: 1e-4, from: 10, to: 40, noiseScale: 1e9), 2e-4, relativeTolerance: 1e-3))
    }

    @Test func unknownNamesListTheValidOnes() {
        #expect(throws: BatchSizeTransferError.unknownRule(name: "cubic")) { try BatchSizeTransferRule(named: "cubic") }
        #expect(BatchSizeTransferError.unknownRule(name: "cubic").description.contains("sqrt, linear, constant, mccandlish, surge"))
        #expect(throws: BatchSizeTransferError.unknownOptimizer(name: "lion")) { try TransferOptimizer(named: "lion") }
    }

    // MARK: Profiles

    @Test func profileInterpolatesLnLossBetweenRunsAndFlagsTheOutside() {
        let runs = [GroupRun(learningRate: 1e-3, batchSizeTokens: 1, loss: 3), GroupRun(learningRate: 4e-3, batchSizeTokens: 1, loss: 2.7),
                    GroupRun(learningRate: 1.6e-2, batchSizeTokens: 1, loss: 3.3)]
        let profile = LearningRateProfile(batchSizeTokens: 1, runs: runs, band: 0.02)
        // Halfway in ln η between 1e-3 and 4e-3: the geometric mean of the two losses.
        let middle = profile.loss(atLearningRate: 2e-3)
        #expect(isClose(middle.loss, (3 * 2.7).squareRoot(), relativeTolerance: 1e-12))
        #expect(!middle.isOutsideGrid)
        let outside = profile.loss(atLearningRate: 0.1)
        #expect(isClose(outside.loss, 3.3, relativeTolerance: 1e-12))
        #expect(outside.isOutsideGrid)
        #expect(isClose(profile.bestLoss, 2.7, relativeTolerance: 1e-12))
    }

    @Test func profileFindsTheOptimumBetweenGridPoints() throws {
        let truth = SyntheticTransferSweep()
        let group = try truth.sweep().groups[0]
        for batch in truth.batchSizesTokens {
            let profile = LearningRateProfile(batchSizeTokens: batch, runs: group.runs.filter { $0.batchSizeTokens == batch }, band: 0.02)
            #expect(profile.isInterpolated)
            #expect(isClose(profile.bestLearningRate, truth.bestLearningRate(batch), relativeTolerance: 1e-8))
        }
    }

    // MARK: Fits

    @Test(arguments: [BatchSizeTransferRule.mccandlish, .surge])
    func fitRecoversNoiseScaleAndCeilingExactly(rule: BatchSizeTransferRule) throws {
        let truth = SyntheticTransferSweep(rule: rule)
        let law = try LeaveOneBatchSizeOut().evaluate(try truth.sweep()).law
        for group in law.groups {
            let fit = try #require(group.fit(rule))
            #expect(isClose(fit.noiseScaleTokens, truth.noiseScale, relativeTolerance: 1e-6))
            #expect(isClose(fit.maxLearningRate, truth.maxLearningRate, relativeTolerance: 1e-6))
            #expect(!fit.isAtBound)
        }
    }

    /// With 0.1 % loss noise per run (about the run-to-run noise of a real sweep) the best
    /// learning rates scatter by a few percent; B_noise, fitted over a 128× range of batch
    /// sizes, comes back within 30 % and ε_max within 10 %.
    @Test(arguments: [BatchSizeTransferRule.mccandlish, .surge])
    func fitRecoversNoiseScaleFromNoisyRuns(rule: BatchSizeTransferRule) throws {
        let truth = SyntheticTransferSweep(rule: rule, noise: 0.001)
        let law = try LeaveOneBatchSizeOut().evaluate(try truth.sweep()).law
        for group in law.groups {
            let fit = try #require(group.fit(rule))
            #expect(isClose(fit.noiseScaleTokens, truth.noiseScale, relativeTolerance: 0.3), "B_noise \(fit.noiseScaleTokens)")
            #expect(isClose(fit.maxLearningRate, truth.maxLearningRate, relativeTolerance: 0.1), "ε_max \(fit.maxLearningRate)")
        }
    }

    /// On a fine learning-rate grid (steps of 2^¼), the rule that generated the sweep predicts
    /// held-out best learning rates best and is chosen as the default.
    @Test(arguments: [BatchSizeTransferRule.mccandlish, .surge])
    func evidenceChoosesTheGeneratingRule(rule: BatchSizeTransferRule) throws {
        let truth = SyntheticTransferSweep(rule: rule, spacing: 0.25)
        let evaluation = try LeaveOneBatchSizeOut().evaluate(try truth.sweep())
        let scores = Dictionary(uniqueKeysWithValues: evaluation.law.scores.map { ($0.name, $0) })
        let generating = try #require(scores[rule.rawValue])
        #expect(generating.meanLog2Error < 1e-6)
        #expect(evaluation.law.defaultRule == rule)
        for other in BatchSizeTransferRule.allCases where !other.needsNoiseScale {
            #expect(try #require(scores[other.rawValue]).meanLog2Error > 0.05)
        }
        #expect(evaluation.heldOut.count == truth.groups.count * truth.batchSizesTokens.count)
    }

    @Test func sweepWithOneBatchSizePerGroupIsRefusedNamingTheGroups() throws {
        var truth = SyntheticTransferSweep()
        truth.batchSizesTokens = [65536]
        let error = BatchSizeTransferError.tooFewBatchSizes(source: "synthetic.csv", groups: ["N=2e8, D=1e10", "N=4e8, D=2e10"],
                                                            batchSizes: [1, 1], needed: 4, learningRatesNeeded: 3)
        #expect(throws: error) { try LeaveOneBatchSizeOut().evaluate(try truth.sweep()) }
        #expect(error.description.contains("N=2e8, D=1e10 (1 batch size); N=4e8, D=2e10 (1 batch size)"))
        #expect(error.description.contains("at least 4 batch sizes"))
    }

    // MARK: Transfer requests

    @Test func requestUsesTheOptimizerDefaultWithoutALaw() throws {
        let result = try BatchSizeTransferRequest(learningRate: 1e-3, batchSizeTokens: 1e5, targetBatchSizeTokens: 4e5, optimizer: .sgd).transfer(law: nil)
        #expect(result.rule == .linear)
        #expect(isClose(result.targetLearningRate, 4e-3, relativeTolerance: 1e-12))
        #expect(result.noiseScaleTokens == nil)
    }

    @Test func requestRefusesBadValuesAndNoiseScaleRulesWithoutALaw() {
        #expect(throws: BatchSizeTransferError.invalidValue(name: "the target batch size", value: 0)) {
            try BatchSizeTransferRequest(learningRate: 1e-3, batchSizeTokens: 1e5, targetBatchSizeTokens: 0).transfer(law: nil)
        }
        #expect(throws: BatchSizeTransferError.noiseScaleNeeded(rule: "surge")) {
            try BatchSizeTransferRequest(learningRate: 1e-3, batchSizeTokens: 1e5, targetBatchSizeTokens: 2e5, rule: .surge).transfer(law: nil)
        }
    }

    /// Two groups with B_noise 1e5 and 1e7 tokens: a model nearest to the second gets its noise
    /// scale. (The second's ε_max is higher so that its optimum at the smallest batch stays on the grid.)
    @Test func lawTakesTheNoiseScaleOfTheNearestGroup() throws {
        var small = SyntheticTransferSweep(rule: .mccandlish, noiseScale: 1e5)
        small.groups = [(1e8, 1e10)]
        var large = SyntheticTransferSweep(rule: .mccandlish, noiseScale: 1e7, maxLearningRate: 3e-2)
        large.groups = [(1e9, 1e11)]
        let sweep = Sweep(groups: try small.sweep().groups + large.sweep().groups, source: "two.csv")
        let law = try LeaveOneBatchSizeOut().evaluate(sweep).law
        let request = BatchSizeTransferRequest(learningRate: 1e-3, batchSizeTokens: 1e6, targetBatchSizeTokens: 4e6, rule: .mccandlish,
                                               parameters: 7e8, tokens: 5e10)
        let result = try request.transfer(law: law)
        #expect(isClose(try #require(result.noiseScaleTokens), 1e7, relativeTolerance: 1e-6))
        let expected = 1e-3 * (1 + 1e7 / 1e6) / (1 + 1e7 / 4e6)
        #expect(isClose(result.targetLearningRate, expected, relativeTolerance: 1e-6))
    }

    // MARK: Shared sweep

    /// Measured on the shared Step Law sweep (140 held-out batch sizes in 14 groups): mean excess
    /// sqrt 0.106 %, linear 0.208 %, constant 0.100 %, mccandlish 0.081 %, surge 0.086 %.
    @Test(.enabled(if: SharedData.shouldRun))
    func fittedDefaultBeatsTheSquareRootRuleOnTheSharedSweep() throws {
        let evaluation = try LeaveOneBatchSizeOut().evaluate(try sharedStepLawSweep())
        #expect(evaluation.law.groups.count == 14)
        #expect(evaluation.law.skippedGroups.isEmpty)
        let scores = Dictionary(uniqueKeysWithValues: evaluation.law.scores.map { ($0.name, $0) })
        let sqrt = try #require(scores["sqrt"]), linear = try #require(scores["linear"])
        let chosen = try #require(scores[evaluation.law.defaultRule.rawValue])
        #expect(evaluation.law.defaultRule.needsNoiseScale)
        #expect(chosen.meanExcessPercent < sqrt.meanExcessPercent)
        #expect(chosen.meanLog2Error < sqrt.meanLog2Error)
        #expect(sqrt.meanExcessPercent > 0.05 && sqrt.meanExcessPercent < 0.15)
        #expect(linear.meanExcessPercent > sqrt.meanExcessPercent)
    }
}
