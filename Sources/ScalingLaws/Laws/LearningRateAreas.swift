import Foundation

/// The learning-rate areas of the annealing law at chosen steps of one schedule.
///
/// ```
/// S1(s) = Σ_{i=1..s} η_i
/// S2(s) = Σ_{i=1..s} m_i,   m_i = λ·m_{i−1} + (η_{i−1} − η_i),   m_0 = 0
///       = Σ_{k=1..s} (η_{k−1} − η_k) · (1 − λ^(s−k+1)) / (1 − λ)
/// ```
/// S1 does not depend on λ and is computed once; S2 is evaluated for any λ in O(number of steps
/// where the LR changes + number of chosen steps): stretches of constant LR are skipped in closed
/// form. Tissue, Wang, Wang (2024), "Scaling Law with Learning Rate Annealing", arXiv 2408.11029.
public struct LearningRateAreas: Sendable {
    /// The steps the areas are reported at, strictly increasing.
    public let steps: [Int]
    /// S1 at `steps`.
    public let forwardArea: [Double]
    /// Steps where the LR changes and by how much (`η_{k−1} − η_k`), in step order.
    private let changeSteps: [Int]
    private let changes: [Double]

    /// Prepares the areas of per-step rates `rates` (index = step) at `steps` (each ≤ `rates.count − 1`).
    public init(rates: [Double], at steps: [Int]) {
        precondition(steps.allSatisfy { $0 >= 0 && $0 < rates.count }, "LearningRateAreas: a step lies outside the rates")
        self.steps = steps
        var forward = [Double](repeating: 0, count: steps.count)
        var running = 0.0
        var index = 0
        let last = steps.last ?? 0
        var changeSteps: [Int] = []
        var changes: [Double] = []
        if !steps.isEmpty {
            while index < steps.count && steps[index] == 0 { index += 1 }
        }
        if last >= 1 {
            for s in 1...last {
                running += rates[s]
                let delta = rates[s - 1] - rates[s]
                if delta != 0 { changeSteps.append(s); changes.append(delta) }
                while index < steps.count && steps[index] == s { forward[index] = running; index += 1 }
            }
        }
        self.forwardArea = forward
        self.changeSteps = changeSteps
        self.changes = changes
    }

    /// S2 at `steps` for momentum `lambda` in (0, 1).
    public func annealingArea(lambda: Double) -> [Double] {
        precondition(lambda > 0 && lambda < 1, "annealingArea: lambda must lie in (0, 1)")
        var result = [Double](repeating: 0, count: steps.count)
        let logLambda = log(lambda)
        let oneMinusLambda = -expm1(logLambda)
        var momentum = 0.0, area = 0.0, current = 0
        var change = 0, out = 0
        // Advances `gap` steps without an LR change: momentum decays geometrically, the area gains
        // its geometric sum.
        @inline(__always) func advance(_ gap: Int) {
            if gap <= 0 || momentum == 0 { return }
            if gap == 1 {
                momentum *= lambda
                area += momentum
            } else {
                let decay = exp(Double(gap) * logLambda)
                area += momentum * lambda * (1 - decay) / oneMinusLambda
                momentum *= decay
            }
        }
        while out < steps.count {
            let target = steps[out]
            if change < changeSteps.count && changeSteps[change] <= target {
                let k = changeSteps[change]
                advance(k - 1 - current)
                momentum = lambda * momentum + changes[change]
                area += momentum
                current = k
                change += 1
            } else {
                advance(target - current)
                current = target
                result[out] = area
                out += 1
            }
        }
        return result
    }
}
