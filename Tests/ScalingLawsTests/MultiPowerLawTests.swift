import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

/// D(t) = Σ_{k=1..t} (η_{k−1} − η_k)·G(η_k^(−γ)·S_k(t)) term by term, O(T²): the definition.
private func naiveLossDrop(rates: [Double], at steps: [Int], c: Double, beta: Double, gamma: Double) -> [Double] {
    var area = [Double](repeating: 0, count: rates.count)
    for s in rates.indices.dropFirst() { area[s] = area[s - 1] + rates[s] }
    return steps.map { t in
        var sum = 0.0
        for k in stride(from: 1, through: t, by: 1) where rates[k - 1] != rates[k] {
            let s = area[t] - area[k - 1]
            let g: Double
            if rates[k] == 0 {
                g = s > 0 ? 1 : 0
            } else {
                g = 1 - pow(c * pow(rates[k], -gamma) * s + 1, -beta)
            }
            sum += (rates[k - 1] - rates[k]) * g
        }
        return sum
    }
}

/// `value` rounded to three significant digits, as a log printing `%.3g` holds it.
private func roundedToThreeDigits(_ value: Double) -> Double {
    Double(String(format: "%.3g", value)) ?? value
}

/// The published fits of Luo et al. (2025), from the authors' repository: L0, A, α, B, C, β, γ,
/// and the mean PredE they report on the six held-out curves.
let publishedMultiPowerFits: [(size: String, law: MultiPowerLaw, predE: Double)] = [
    ("25", MultiPowerLaw(l0: 3.04045406, a: 0.52468604, alpha: 0.50786857, b: 363.78751622, c: 2.06560812,
                         beta: 0.58279013, gamma: 0.64142257), 0.00110),
    ("100", MultiPowerLaw(l0: 2.6514477, a: 0.60115152, alpha: 0.45295811, b: 437.9464276, c: 2.13245612,
                          beta: 0.59785199, gamma: 0.65523644), 0.00142),
]

@Suite struct MultiPowerLawTests {
    /// The check of the conventions: the published parameters, evaluated on the exact schedules of
    /// the six held-out curves, give the published mean PredE to three digits.
    @Test(.enabled(if: SharedData.shouldRun), arguments: publishedMultiPowerFits.indices)
    func reproducesThePublishedPredictionError(index: Int) throws {
        let published = publishedMultiPowerFits[index]
        let evaluations = try mplTestCurves.map { name in
            try #require(CurveEvaluation(law: published.law, curve: try mplCurve(published.size, name, exactSchedule: true)))
        }
        let predE = EvaluationReport(curves: evaluations).mean.predE
        print("published multi-power law, \(published.size)M: mean PredE \(predE) (paper \(published.predE))")
        #expect(abs(predE - published.predE) < 5e-6)
    }

    static let schedules = [
        "cosine:peak=3e-4,end=3e-5,warmup=300,total=3000",
        "wsd:peak=3e-4,end=3e-5,warmup=300,total=3000,decay=600,shape=geometric",
        "wsd:peak=1e-3,end=0,warmup=100,total=3000,decay=0.3,shape=1-sqrt",
        "linear:peak=0.6,end=0,warmup=200,total=2500",
        "two-stage:peak=3e-4,warmup=300,switch=1500,second=3e-5,total=3000",
        "onecycle:peak=1e-3,total=3000,rise=0.3,div=25,final-div=1e4",
    ]

    /// The block sums agree with the definition within the stated bound 2e-5·Σ|η_{k−1} − η_k|, on
    /// schedules with warmup, smooth and abrupt decays, a decay to 0 and a rise (one-cycle), for
    /// shape parameters across their usual range.
    @Test(arguments: schedules)
    func blockSumsMatchTheDefinition(spec: String) throws {
        let rates = try Schedule(spec: spec).learningRates()
        let steps = Array(stride(from: 1, to: rates.count, by: 11))
        let totalVariation = zip(rates, rates.dropFirst()).reduce(0) { $0 + abs($1.0 - $1.1) }
        let peak = rates.max()!
        for (scaledC, beta, gamma) in [(0.1, 0.6, 0.6), (0.01, 0.15, 1.0), (1.0, 2.0, 0.0), (0.03, 0.5, 1.5)] {
            let c = scaledC * pow(peak, gamma - 1)
            let fast = MultiPowerLossDrop(rates: rates, at: steps).sums(c: c, beta: beta, gamma: gamma)
            let streamed = MultiPowerLossDrop.sums(rates: rates, at: steps, c: c, beta: beta, gamma: gamma)
            let exact = naiveLossDrop(rates: rates, at: steps, c: c, beta: beta, gamma: gamma)
            let worst = zip(fast, exact).map { abs($0 - $1) }.max()!
            #expect(worst <= 2e-5 * totalVariation, "\(spec), C̃ \(scaledC), β \(beta), γ \(gamma): error \(worst / totalVariation) of Σ|Δη|")
            #expect(zip(fast, streamed).allSatisfy { abs($0 - $1) <= 1e-14 * totalVariation })
        }
    }

    /// Rates logged to a few significant digits form a staircase: changes of 0 and of one rounding
    /// unit in turn. Rounded to 3 digits (η jumps by up to 0.3 % at a stair), the sums stay within
    /// the documented 2e-4·Σ|Δη| of the definition: below 4e-5 in loss for the published fits.
    @Test(arguments: schedules)
    func roundedRatesMeetTheSameBound(spec: String) throws {
        let rates = try Schedule(spec: spec).learningRates().map { roundedToThreeDigits($0) }
        let steps = Array(stride(from: 1, to: rates.count, by: 11))
        let totalVariation = zip(rates, rates.dropFirst()).reduce(0) { $0 + abs($1.0 - $1.1) }
        let peak = rates.max()!
        for (scaledC, beta, gamma) in [(0.1, 0.6, 0.6), (0.03, 0.5, 1.5)] {
            let c = scaledC * pow(peak, gamma - 1)
            let fast = MultiPowerLossDrop(rates: rates, at: steps).sums(c: c, beta: beta, gamma: gamma)
            let exact = naiveLossDrop(rates: rates, at: steps, c: c, beta: beta, gamma: gamma)
            let worst = zip(fast, exact).map { abs($0 - $1) }.max()!
            #expect(worst <= 2e-4 * totalVariation, "\(spec) rounded, C̃ \(scaledC), β \(beta), γ \(gamma): error \(worst / totalVariation) of Σ|Δη|")
        }
    }

    /// A long staircase costs as few terms per step as the smooth schedule, not one per stair: a
    /// 200,000-step cosine rounded to 3 digits has about 1,800 stairs.
    @Test func roundedRatesCostLogarithmicallyManyTerms() throws {
        let smooth = try Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=2000,total=200000").learningRates()
        let rounded = smooth.map { roundedToThreeDigits($0) }
        let stairs = zip(rounded, rounded.dropFirst()).filter { $0 != $1 }.count
        let steps = Array(stride(from: 1000, to: rounded.count, by: 1000))
        let perStep = Double(MultiPowerLossDrop(rates: rounded, at: steps).termCount) / Double(steps.count)
        let smoothPerStep = Double(MultiPowerLossDrop(rates: smooth, at: steps).termCount) / Double(steps.count)
        #expect(stairs > 1500)
        #expect(perStep <= 2 * smoothPerStep, "\(perStep) terms per step against \(smoothPerStep) for the smooth schedule")
    }

    /// Where the rate changes only at a few steps there are no blocks, and the sum is exact.
    @Test func piecewiseConstantSchedulesAreSummedExactly() throws {
        let rates = try Schedule(spec: "multistep:peak=1e-3,total=4000,milestones=1000/2000/3000,factor=0.3").learningRates()
        let steps = Array(stride(from: 1, through: 4000, by: 13))
        let fast = MultiPowerLossDrop(rates: rates, at: steps).sums(c: 5, beta: 0.6, gamma: 0.6)
        let exact = naiveLossDrop(rates: rates, at: steps, c: 5, beta: 0.6, gamma: 0.6)
        #expect(zip(fast, exact).allSatisfy { abs($0 - $1) <= 1e-15 + 1e-12 * abs($1) })
    }

    /// The analytic gradient of (L0, A, α, B, C, β, γ) against central differences.
    @Test func gradientMatchesCentralDifferences() throws {
        let rates = try Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=300,total=6000,decay=0.25,shape=cosine").learningRates()
        let steps = [400, 2000, 4600, 5000, 5600, 6000]
        let law = MultiPowerLaw(l0: 2.5, a: 0.6, alpha: 0.45, b: 400, c: 2, beta: 0.6, gamma: 0.65)
        let analytic = law.predictLossAndGradient(learningRates: rates, at: steps)
        let losses = law.predictLoss(learningRates: rates, at: steps)
        for (i, row) in analytic.enumerated() { #expect(isClose(row.loss, losses[i], relativeTolerance: 1e-13)) }
        for parameter in MultiPowerLaw.Parameter.allCases {
            let j = MultiPowerLaw.Parameter.allCases.firstIndex(of: parameter)!
            let h = 1e-5 * max(abs(law[parameter]), 1e-3)
            var up = law, down = law
            up[parameter] += h
            down[parameter] -= h
            let plus = up.predictLoss(learningRates: rates, at: steps), minus = down.predictLoss(learningRates: rates, at: steps)
            for i in steps.indices {
                let numeric = (plus[i] - minus[i]) / (2 * h)
                let scale = max(abs(numeric), abs(analytic[i].gradient[j]), 1e-8)
                #expect(abs(numeric - analytic[i].gradient[j]) / scale < 1e-6, "∂L/∂\(parameter.rawValue) at step \(steps[i])")
            }
        }
    }

    /// The peak convention has no warmup terms, and counts the warmup's area at the peak rate.
    @Test func peakWarmupCountsTheWarmupAtThePeak() throws {
        let rates = try Schedule(spec: "constant:peak=1e-3,warmup=100,total=1000").learningRates()
        let law = MultiPowerLaw(l0: 2, a: 1, alpha: 0.5, b: 500, c: 1, beta: 0.5, gamma: 0.5, warmup: .peak)
        let predicted = law.predictLoss(learningRates: rates, at: [500, 1000])
        for (step, loss) in zip([500, 1000], predicted) {
            #expect(isClose(loss, 2 + pow(Double(step) * 1e-3, -0.5), relativeTolerance: 1e-12))
        }
    }

    @Test func roundTripsThroughJSON() throws {
        let law = publishedMultiPowerFits[0].law
        let decoded = try JSONDecoder().decode(MultiPowerLaw.self, from: JSONEncoder().encode(law))
        #expect(decoded == law)
    }
}
