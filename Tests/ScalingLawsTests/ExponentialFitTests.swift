import Foundation
import NonlinearLeastSquares
import Testing
import TestSupport
@testable import ScalingLaws

/// The AutoLRS forecast L = a·e^(b·s/s_max) + c (`ExponentialLaw`, `ExponentialFitter`).
@Suite struct ExponentialFitTests {
    /// Curves on a constant schedule whose losses are `loss(step)` (times 1 + noise·N(0, 1)) at
    /// steps 100, 200, … up to each length.
    static func curves(lengths: [Int], noise: Double = 0, seed: UInt64 = 1, loss: (Double) -> Double) throws -> [TrainingCurve] {
        var generator = SeededGenerator(seed: seed)
        return try lengths.enumerated().map { index, length in
            let steps = Array(stride(from: 100, through: length, by: 100))
            let losses = steps.map { loss(Double($0)) * (1 + noise * generator.nextGaussian()) }
            return try TrainingCurve(name: "curve\(index)", steps: steps, losses: losses,
                                     schedule: Schedule(spec: "constant:peak=3e-4,total=\(length)"))
        }
    }

    /// Truth a = 0.8, b = −2.5, c = 2.9 with x = step/20000 (the last step of both curves'
    /// windows), fitted on every point.
    static func truth(_ step: Double) -> Double { 0.8 * exp(-2.5 * step / 20000) + 2.9 }

    @Test func recoversAKnownLawFromNoiselessCurves() throws {
        let curves = try Self.curves(lengths: [20000, 12000], loss: Self.truth)
        let result = try ExponentialFitter(options: .init(recentFraction: 1)).fit(curves)
        let law = try #require(result.exponential)
        #expect(result.law.kind == .exponential)
        #expect(isClose(law.stepScale, 20000, relativeTolerance: 1e-15))
        // Stated tolerance: 1e-6 relative (the golden sections stop at 1e-10 in ln(−b); the
        // profile's flat bottom limits b to about √ε of the objective).
        #expect(isClose(law.a, 0.8, relativeTolerance: 1e-6), "a \(law.a)")
        #expect(isClose(law.b, -2.5, relativeTolerance: 1e-6), "b \(law.b)")
        #expect(isClose(law.c, 2.9, relativeTolerance: 1e-6), "c \(law.c)")
        #expect(result.statistics.converged)
        #expect(result.notes.allSatisfy { !$0.contains("bound") }, "\(result.notes)")
    }

    /// 0.2 % multiplicative noise on 300 points: a, b, c within stated tolerances (a 3 %, b 5 %,
    /// c 0.3 %), and the truth within four reported standard errors of each estimate.
    @Test func recoversAKnownLawFromNoisyCurves() throws {
        let curves = try Self.curves(lengths: [20000, 10000], noise: 2e-3, seed: 11, loss: Self.truth)
        let result = try ExponentialFitter(options: .init(recentFraction: 1)).fit(curves)
        let law = try #require(result.exponential)
        #expect(isClose(law.a, 0.8, relativeTolerance: 0.03), "a \(law.a)")
        #expect(isClose(law.b, -2.5, relativeTolerance: 0.05), "b \(law.b)")
        #expect(isClose(law.c, 2.9, relativeTolerance: 0.003), "c \(law.c)")
        for (parameter, truth) in zip(result.parameters, [0.8, -2.5, 2.9]) {
            let error = try #require(parameter.standardError, "\(parameter.name) has no standard error")
            #expect(error > 0 && abs(parameter.value - truth) <= 4 * error, "\(parameter.name) \(parameter.value) ± \(error), truth \(truth)")
        }
        let covariance = try #require(result.covariance)
        #expect(covariance.parameters == ["a", "b", "c"])
        #expect(isClose(covariance.matrix[0][1], covariance.matrix[1][0], relativeTolerance: 1e-12))
    }

    /// The window is the last ⌈f·n⌉ points of each curve, and x is scaled by its last step.
    @Test func fitsTheRecentWindowOfEachCurve() throws {
        let curves = try Self.curves(lengths: [20000, 9900], loss: Self.truth)  // 200 and 99 points
        let result = try ExponentialFitter(options: .init(recentFraction: 0.25)).fit(curves)
        // ⌈0.25·200⌉ = 50 points from step 15100; ⌈0.25·99⌉ = 25 points from step 7500.
        #expect(result.curves.map(\.points) == [50, 25])
        #expect(result.curves.map(\.firstStep) == [15100, 7500])
        #expect(result.curves.map(\.lastStep) == [20000, 9900])
        let law = try #require(result.exponential)
        #expect(isClose(law.b, -2.5, relativeTolerance: 1e-5), "b \(law.b)")
    }

    /// A rising loss cannot be fitted with a > 0 and b < 0: the fit refuses it.
    @Test func aRisingCurveIsRefused() throws {
        let curves = try Self.curves(lengths: [20000]) { 3 - 0.5 * exp(-2 * $0 / 20000) }
        let error = #expect(throws: FitError.self) { try ExponentialFitter().fit(curves) }
        guard case .notDecreasing(let detail) = error else {
            Issue.record("expected notDecreasing, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("rises"))
        #expect(error?.description.contains("fit a window where the loss decreases (start later, end earlier, or take a larger recent fraction)") == true)
    }

    /// A straight decreasing line has no curvature to measure: b stops at the slow end of its
    /// range (−10⁻³), the result says so, and b gets no standard error.
    @Test func aStraightLinePutsBAtItsBound() throws {
        let curves = try Self.curves(lengths: [20000]) { 4 - 0.5 * $0 / 20000 }
        let result = try ExponentialFitter(options: .init(recentFraction: 1)).fit(curves)
        let law = try #require(result.exponential)
        #expect(isClose(law.b, -1e-3, relativeTolerance: 1e-6), "b \(law.b)")
        #expect(law.a > 0)
        #expect(result.parameters[1].standardError == nil)
        #expect(result.parameters[1].note?.contains("bound") == true)
        #expect(result.notes.contains { $0.contains("linearly") }, "\(result.notes)")
        #expect(result.covariance?.parameters == ["a", "c"])
        // The line is still forecast: slope a·b/20000 per step and value a + c at step 0.
        #expect(isClose(law.a * law.b, -0.5, relativeTolerance: 1e-3), "slope \(law.a * law.b)")
    }

    @Test func tooFewPointsAndBadWindowsAreErrors() throws {
        let curves = try Self.curves(lengths: [300], loss: Self.truth)
        #expect(throws: FitError.tooFewObservations(observations: 3, parameters: 3)) {
            try ExponentialFitter(options: .init(recentFraction: 1)).fit(curves)
        }
        #expect(throws: FitError.self) { try ExponentialFitter(options: .init(recentFraction: 0)).fit(curves) }
        #expect(throws: FitError.self) { try ExponentialFitter(options: .init(recentFraction: 1.5)).fit(curves) }
    }

    /// The analytic gradient against central differences, and the law ignores the schedule.
    @Test func gradientMatchesFiniteDifferences() {
        let law = ExponentialLaw(a: 0.7, b: -3.1, c: 2.8, stepScale: 24000)
        let steps = [0, 2000, 12000, 30000]
        let rows = law.predictLossAndGradient(at: steps)
        let values = law.parameterValues
        for k in 0..<3 {
            let h = 1e-6 * max(abs(values[k]), 1)
            var up = values, down = values
            up[k] += h
            down[k] -= h
            let plus = law.withParameterValues(up).predictLoss(learningRates: [], at: steps)
            let minus = law.withParameterValues(down).predictLoss(learningRates: [], at: steps)
            for i in steps.indices {
                let numeric = (plus[i] - minus[i]) / (2 * h)
                #expect(abs(rows[i].gradient[k] - numeric) <= 1e-7 * max(abs(numeric), 1), "∂L/∂\(law.parameterNames[k]) at \(steps[i])")
            }
        }
        let cosine = (0...30000).map { 3e-4 * (0.55 + 0.45 * cos(Double.pi * Double($0) / 30000)) }
        let constant = [Double](repeating: 3e-4, count: 30001)
        #expect(isClose(law.predictLoss(learningRates: cosine, at: steps), law.predictLoss(learningRates: constant, at: steps), relativeTolerance: 1e-15))
        #expect(isClose(rows[1].loss, 0.7 * exp(-3.1 * 2000 / 24000) + 2.8, relativeTolerance: 1e-14))
    }

    /// FIT.json round trip; predictions carry delta-method standard errors; replicates rebuild the law.
    @Test func roundTripsThroughJSONAndPredictsWithErrors() throws {
        let curves = try Self.curves(lengths: [20000, 10000], noise: 2e-3, seed: 3, loss: Self.truth)
        let result = try ExponentialFitter().fit(curves)
        let decoded = try JSONDecoder().decode(FitResult.self, from: JSONEncoder().encode(result))
        #expect(decoded == result)
        #expect(decoded.settings.exponential?.recentFraction == ExponentialFitOptions.defaultRecentFraction)
        let law = try #require(decoded.exponential)
        #expect(law == result.exponential)
        let predicted = decoded.predict(learningRates: [Double](repeating: 3e-4, count: 40001), at: [20000, 40000])
        for point in predicted {
            let error = try #require(point.standardError)
            #expect(error > 0 && error < 0.05 * point.loss, "\(point)")
        }
        // Further out, the forecast is less sure.
        #expect(predicted[1].standardError! > predicted[0].standardError!)
        let rebuilt = law.withParameterValues([1, -2, 3])
        #expect(isClose(rebuilt.parameterValues, [1, -2, 3], relativeTolerance: 1e-15))
        #expect(isClose(rebuilt.stepScale, law.stepScale, relativeTolerance: 1e-15))
    }
}
