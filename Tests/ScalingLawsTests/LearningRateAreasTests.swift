import Testing
import TestSupport
@testable import ScalingLaws

/// The annealing area by its defining recurrence, one step at a time (DESIGN §2.1).
private func annealingAreaByRecurrence(_ rates: [Double], lambda: Double) -> [Double] {
    var momentum = 0.0, area = 0.0
    var result = [0.0]
    for i in 1..<rates.count {
        momentum = lambda * momentum + (rates[i - 1] - rates[i])
        area += momentum
        result.append(area)
    }
    return result
}

@Suite struct LearningRateAreasTests {
    @Test func matchesTheRecurrenceOnEverySchedule() throws {
        let specs = [
            "cosine:peak=3e-4,end=3e-5,warmup=200,total=5000",
            "wsd:peak=1e-3,end=0,warmup=100,total=4000,decay=800,shape=1-sqrt",
            "two-stage:peak=3e-4,warmup=50,switch=1500,second=3e-5,total=3000",
            "constant:peak=2e-4,warmup=300,total=3000",
        ]
        for spec in specs {
            let rates = try Schedule(spec: spec).learningRates()
            let steps = Array(stride(from: 0, through: rates.count - 1, by: 37))
            let areas = LearningRateAreas(rates: rates, at: steps)
            for lambda in [0.99, 0.999, 0.9999] {
                let expected = annealingAreaByRecurrence(rates, lambda: lambda)
                let computed = areas.annealingArea(lambda: lambda)
                for (index, step) in steps.enumerated() {
                    let scale = max(abs(expected[step]), 1e-3 * (rates.max() ?? 1))
                    #expect(abs(computed[index] - expected[step]) <= 1e-10 * scale, "\(spec) λ=\(lambda) step \(step)")
                }
            }
            var running = 0.0
            var forward = [0.0]
            for i in 1..<rates.count { running += rates[i]; forward.append(running) }
            for (index, step) in steps.enumerated() {
                #expect(isClose(areas.forwardArea[index], forward[step], relativeTolerance: 1e-12))
            }
        }
    }

    @Test func closedFormOfALinearDecay() {
        // A drop of d per step from step 1 to n: S2(n) = d Σ_k (1 − λ^(n−k+1))/(1 − λ).
        let n = 500, d = 1e-6, lambda = 0.995
        let rates = (0...n).map { 1e-3 - d * Double($0) }
        let areas = LearningRateAreas(rates: rates, at: [n])
        var expected = 0.0
        for k in 1...n { expected += d * (1 - pow(lambda, Double(n - k + 1))) / (1 - lambda) }
        #expect(isClose(areas.annealingArea(lambda: lambda)[0], expected, relativeTolerance: 1e-12))
    }

    @Test func peakConventionFlattensTheWarmup() throws {
        let rates = try Schedule(spec: "cosine:peak=1e-3,end=0,warmup=100,total=1000").learningRates()
        let adjusted = WarmupConvention.peak.effectiveRates(rates)
        #expect(adjusted[0..<100].allSatisfy { isClose($0, 1e-3, relativeTolerance: 1e-12) })
        #expect(Array(adjusted[100...]) == Array(rates[100...]))
    }
}

import Foundation

@Suite struct AnnealingAreaDerivativeTests {
    @Test func derivativeMatchesCentralDifferences() throws {
        let rates = try Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=300,total=6000,decay=0.3,shape=cosine").learningRates()
        let steps = Array(stride(from: 100, through: 6000, by: 97))
        let areas = LearningRateAreas(rates: rates, at: steps)
        for lambda in [0.99, 0.998, 0.9995] {
            let (_, derivative) = areas.annealingAreaAndDerivative(lambda: lambda)
            let h = (1 - lambda) * 1e-4
            let up = areas.annealingArea(lambda: lambda + h), down = areas.annealingArea(lambda: lambda - h)
            for i in steps.indices {
                let numeric = (up[i] - down[i]) / (2 * h)
                #expect(abs(derivative[i] - numeric) <= 1e-6 * max(abs(numeric), 1e-3), "λ=\(lambda) step \(steps[i])")
            }
        }
    }
}

@Suite struct EveryStepAreaTests {
    @Test func everyStepAgreesWithChosenSteps() throws {
        let rates = try Schedule(spec: "wsd:peak=1e-3,end=1e-5,warmup=100,total=3000,decay=0.3,shape=geometric").learningRates()
        let whole = LearningRateAreas.everyStep(rates: rates, lambda: 0.997)
        let steps = Array(0..<rates.count)
        let chosen = LearningRateAreas(rates: rates, at: steps)
        let s2 = chosen.annealingArea(lambda: 0.997)
        for s in steps {
            #expect(abs(whole.forwardArea[s] - chosen.forwardArea[s]) <= 1e-12 * max(whole.forwardArea[s], 1e-12))
            #expect(abs(whole.annealingArea[s] - s2[s]) <= 1e-10 * max(abs(s2[s]), 1e-6))
        }
    }
}
