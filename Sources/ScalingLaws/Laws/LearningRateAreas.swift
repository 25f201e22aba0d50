import Foundation

/// The learning-rate areas of the annealing law at chosen steps of one schedule.
///
/// ```
/// S1(s) = Σ_{i=1..s} η_i
/// S2(s) = Σ_{i=1..s} m_i,   m_i = λ·m_{i−1} + (η_{i−1} − η_i),   m_0 = 0
///       = Σ_{k=1..s} (η_{k−1} − η_k) · (1 − λ^(s−k+1)) / (1 − λ)
///       = (η_0 − η_s − λ·M(s)) / (1 − λ),   M(s) = Σ_{k≤s} (η_{k−1} − η_k)·λ^(s−k)
/// ```
/// S1 does not depend on λ and is computed once. For any λ, S2 needs only the discounted sum M,
/// updated at the steps where the LR changes and carried across constant stretches in closed form:
/// O(LR changes + chosen steps) per λ. Tissue, Wang, Wang (2024), "Scaling Law with Learning Rate
/// Annealing", arXiv 2408.11029, Eq. 1 and 3.
public struct LearningRateAreas: Sendable {
    /// The steps the areas are reported at, strictly increasing.
    public let steps: [Int]
    /// S1 at `steps`.
    public let forwardArea: [Double]
    /// `η_0 − η_s` at `steps`: the total LR drop so far.
    private let totalDrop: [Double]
    /// Steps where the LR changes and by how much (`η_{k−1} − η_k`), in step order.
    private let changeSteps: [Int]
    private let changes: [Double]

    /// Prepares the areas of per-step rates `rates` (index = step) at `steps` (each ≤ `rates.count − 1`).
    public init(rates: [Double], at steps: [Int]) {
        precondition(steps.allSatisfy { $0 >= 0 && $0 < rates.count }, "LearningRateAreas: a step lies outside the rates")
        self.steps = steps
        let last = steps.last ?? 0
        var forward = [Double](repeating: 0, count: steps.count)
        var changeSteps: [Int] = []
        var changes: [Double] = []
        changeSteps.reserveCapacity(last)
        changes.reserveCapacity(last)
        rates.withUnsafeBufferPointer { rate in
            var running = 0.0
            var index = 0
            while index < steps.count && steps[index] == 0 { index += 1 }
            if last >= 1 {
                for s in 1...last {
                    running += rate[s]
                    let delta = rate[s - 1] - rate[s]
                    if delta != 0 {
                        changeSteps.append(s)
                        changes.append(delta)
                    }
                    while index < steps.count && steps[index] == s {
                        forward[index] = running
                        index += 1
                    }
                }
            }
        }
        self.forwardArea = forward
        self.totalDrop = steps.map { rates[0] - rates[$0] }
        self.changeSteps = changeSteps
        self.changes = changes
    }

    /// S2 at `steps` for momentum `lambda` in (0, 1).
    public func annealingArea(lambda: Double) -> [Double] {
        var area = [Double](repeating: 0, count: steps.count)
        var unused: [Double] = []
        computeAnnealingArea(lambda: lambda, area: &area, derivative: &unused, wantsDerivative: false)
        return area
    }

    /// S2 at `steps` and its derivative `∂S2/∂λ`, in one pass.
    public func annealingAreaAndDerivative(lambda: Double) -> (area: [Double], derivative: [Double]) {
        var area = [Double](repeating: 0, count: steps.count)
        var derivative = [Double](repeating: 0, count: steps.count)
        computeAnnealingArea(lambda: lambda, area: &area, derivative: &derivative, wantsDerivative: true)
        return (area, derivative)
    }

    /// Writes S2 (and ∂S2/∂λ when `wantsDerivative`) at every step into the buffers of `steps.count` values.
    ///
    /// ```
    /// M ← M·λ^g + Δ_k            M' ← M'·λ^g + M·g·λ^(g−1)      (g steps since the last update)
    /// S2 = (D − λM)/(1 − λ)      S2' = (S2 − M − λM')/(1 − λ)
    /// ```
    private func computeAnnealingArea(lambda: Double, area: inout [Double], derivative: inout [Double], wantsDerivative: Bool) {
        precondition(lambda > 0 && lambda < 1, "annealingArea: lambda must lie in (0, 1)")
        let logLambda = log(lambda)
        let oneMinusLambda = -expm1(logLambda)
        var m = 0.0, dm = 0.0
        var current = 0
        var change = 0
        let changeCount = changeSteps.count
        changeSteps.withUnsafeBufferPointer { changeStep in
            changes.withUnsafeBufferPointer { delta in
                for out in 0..<steps.count {
                    let target = steps[out]
                    if wantsDerivative {
                        while change < changeCount && changeStep[change] <= target {
                            let gap = changeStep[change] - current
                            if gap == 1 {
                                dm = dm * lambda + m
                                m = m * lambda + delta[change]
                            } else {
                                let decay = exp(Double(gap) * logLambda)
                                dm = dm * decay + m * Double(gap) * decay / lambda
                                m = m * decay + delta[change]
                            }
                            current = changeStep[change]
                            change += 1
                        }
                    } else {
                        while change < changeCount && changeStep[change] <= target {
                            let gap = changeStep[change] - current
                            m = (gap == 1 ? m * lambda : m * exp(Double(gap) * logLambda)) + delta[change]
                            current = changeStep[change]
                            change += 1
                        }
                    }
                    // Carry M (and M') from the last change to the target step.
                    let gap = target - current
                    var mt = m, dmt = dm
                    if gap > 0 {
                        let decay = exp(Double(gap) * logLambda)
                        mt = m * decay
                        if wantsDerivative { dmt = dm * decay + m * Double(gap) * decay / lambda }
                    }
                    let s2 = (totalDrop[out] - lambda * mt) / oneMinusLambda
                    area[out] = s2
                    if wantsDerivative { derivative[out] = (s2 - mt - lambda * dmt) / oneMinusLambda }
                }
            }
        }
    }
}
