import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

/// Prediction bands where the truth is known: curves drawn from an annealing law with correlated
/// noise, fitted, and an unseen schedule's loss checked against the 95 % bands.
@Suite struct BootstrapCoverageTests {
    /// Roughly the law fitted on the shared 100M runs.
    static let truth = AnnealingLaw(l0: 2.67, a: 0.575, alpha: 0.48, c: 0.92, lambda: 0.998, warmup: .literal)
    static let training = [
        "cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000",
        "constant:peak=3e-4,warmup=2160,total=24000",
        "two-stage:peak=3e-4,warmup=2160,switch=8000,second=9e-5,total=16000",
    ]
    static let unseen = "wsd:peak=3e-4,end=3e-5,warmup=2160,total=24000,decay=4000,shape=linear"
    static let checkedSteps = [12_000, 20_000, 22_000, 24_000]

    /// A curve of the true law logged every `interval` steps from the end of warmup, with AR(1)
    /// noise of marginal standard deviation `sigma` and lag-1 correlation `rho` on the log loss.
    static func noisyCurve(_ spec: String, interval: Int, sigma: Double, rho: Double,
                           using generator: inout SeededGenerator) throws -> TrainingCurve {
        let schedule = try Schedule(spec: spec)
        let steps = Array(stride(from: 2160, through: schedule.totalSteps, by: interval))
        let rates = schedule.learningRates()
        var noise = sigma * generator.nextGaussian()
        var losses: [Double] = []
        for loss in truth.predictLoss(learningRates: rates, at: steps) {
            losses.append(loss * exp(noise))
            noise = rho * noise + sigma * (1 - rho * rho).squareRoot() * generator.nextGaussian()
        }
        return try TrainingCurve(name: spec, steps: steps, losses: losses, schedule: schedule)
    }

    @Test func ninetyFivePercentBandsCoverTheTruthAtLeastNinetyPercentOfTheTimeAndAreNotFarTooWide() throws {
        var options = AnnealingFitOptions()
        options.refinedStarts = 1
        let fitter = AnnealingFitter(options: options)
        let unseenRates = try Schedule(spec: Self.unseen).learningRates()
        let expected = Self.truth.predictLoss(learningRates: unseenRates, at: Self.checkedSteps)
        var generator = SeededGenerator(seed: 2026)
        var bootstrapCovered = 0, deltaCovered = 0, checks = 0
        var halfWidths: [Double] = [], errors: [Double] = []
        let datasets = 20
        for dataset in 0..<datasets {
            let curves = try Self.training.map {
                try Self.noisyCurve($0, interval: 512, sigma: 0.004, rho: 0.7, using: &generator)
            }
            var fit = try fitter.fit(curves)
            fit.bootstrap = BlockBootstrap(resamples: 80, seed: UInt64(dataset + 1))
                .run(fit: fit, curves: curves, refit: { try fitter.fit($0) })
            #expect(fit.bootstrap?.replicates.count ?? 0 >= 72)
            for (point, truth) in zip(fit.predict(learningRates: unseenRates, at: Self.checkedSteps), expected) {
                checks += 1
                if point.bootstrapBand95?.contains(truth) == true { bootstrapCovered += 1 }
                if let band = point.bootstrapBand95 { halfWidths.append((band.upperBound - band.lowerBound) / 2) }
                errors.append(abs(point.loss - truth))
                if point.deltaBand95?.contains(truth) == true { deltaCovered += 1 }
            }
        }
        let coverage = Double(bootstrapCovered) / Double(checks)
        let medianHalfWidth = halfWidths.sorted()[halfWidths.count / 2], medianError = errors.sorted()[errors.count / 2]
        print("coverage of nominal 95 % bands over \(checks) checks: bootstrap \(coverage), delta method \(Double(deltaCovered) / Double(checks)); median half-width \(medianHalfWidth), median error \(medianError)")
        // Measured: 73 of 80 (0.9125). Bands too wide would cover everything: at most 79 of 80, and
        // a median half-width at most 6× the median error (calibrated Gaussian bands give
        // 1.96/0.674 = 2.9×; measured 0.0157 against 0.00375, 4.2×).
        #expect(coverage >= 0.9 && coverage <= 0.99)
        #expect(medianHalfWidth <= 6 * medianError, "half-width \(medianHalfWidth) vs error \(medianError)")
    }

    @Test func automaticBlocksGrowWithTheResidualsCorrelation() {
        var generator = SeededGenerator(seed: 5)
        func ar1(_ rho: Double) -> [Double] {
            var value = 0.0
            return (0..<400).map { _ in
                value = rho * value + generator.nextGaussian()
                return value
            }
        }
        let independent = BlockBootstrap.automaticBlockLength([ar1(0)])
        let correlated = BlockBootstrap.automaticBlockLength([ar1(0.9)])
        // (3·400/2)^(1/3) · (2ρ/(1 − ρ²))^(2/3) ≈ 8.4 · 4.5 ≈ 38 at ρ = 0.9; about 1 at ρ = 0.
        #expect(independent <= 2)
        #expect(correlated >= 25 && correlated <= 55)
    }

    @Test func quantilesInterpolateBetweenOrderStatistics() throws {
        let quantiles = try #require(BootstrapSample.quantiles95((0...100).map(Double.init).reversed()))
        #expect(isClose(quantiles.lowerBound, 2.5, relativeTolerance: 1e-12))
        #expect(isClose(quantiles.upperBound, 97.5, relativeTolerance: 1e-12))
        #expect(BootstrapSample.quantiles95([1]) == nil)
        // Replicates lying above the estimate (a fit biased low) move the basic interval down.
        let band = try #require(BootstrapSample.band95(estimate: 40, replicates: (0...100).map(Double.init)))
        #expect(isClose(band.lowerBound, 80 - 97.5, relativeTolerance: 1e-12))
        #expect(isClose(band.upperBound, 80 - 2.5, relativeTolerance: 1e-12))
    }
}
