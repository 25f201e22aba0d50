import Foundation

/// The best schedule of a family under any fitted law, or the best free non-increasing schedule
/// under a fitted annealing law, for a fixed number of steps, peak LR and warmup.
public struct ScheduleSearch: Sendable {
    /// Families a search can range over.
    public enum Family: String, Sendable, CaseIterable, Codable {
        case wsd, cosine, linear, rex
    }

    /// One evaluated candidate.
    public struct Candidate: Sendable, Equatable, Codable {
        public var spec: String
        public var finalLoss: Double

        public init(spec: String, finalLoss: Double) {
            self.spec = spec
            self.finalLoss = finalLoss
        }
    }

    /// The outcome of a search.
    public struct Outcome: Sendable, Equatable, Codable {
        /// Every candidate tried, best first.
        public var candidates: [Candidate]
        /// The best candidate's per-step LRs (for the free search, the optimised sequence).
        public var learningRates: [Double]
        public var best: Candidate { candidates[0] }
        /// Warnings about extrapolation or known artefacts of the law.
        public var warnings: [String]

        public init(candidates: [Candidate], learningRates: [Double], warnings: [String]) {
            self.candidates = candidates
            self.learningRates = learningRates
            self.warnings = warnings
        }
    }

    public var law: any LossLaw
    public var totalSteps: Int
    public var peak: Double
    public var warmupSteps: Int
    /// The decay lengths a WSD search tries, as fractions of `totalSteps` (0 < lower ≤ upper ≤ 1).
    public var decayFractions: ClosedRange<Double>

    /// The whole range a WSD decay can take: from 5 % of the run to every step after warmup.
    public static let defaultDecayFractions: ClosedRange<Double> = 0.05...1

    /// Whether `searchFree` can run: it needs the annealing law's analytic gradient.
    public var supportsFreeSearch: Bool { law is AnnealingLaw }

    /// - Parameter decayFractions: the WSD decay lengths to try, as fractions of `totalSteps`.
    public init(law: any LossLaw, totalSteps: Int, peak: Double, warmupSteps: Int,
                decayFractions: ClosedRange<Double> = ScheduleSearch.defaultDecayFractions) {
        self.law = law
        self.totalSteps = totalSteps
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.decayFractions = decayFractions
    }

    /// The grid of decay fractions a WSD search tries in `range`: every 0.05 from its lower end,
    /// finer for a range narrower than 0.2 (at least five points), and the upper end.
    ///
    /// ```
    /// h = min(0.05, (upper − lower)/4),   fractions = lower, lower + h, …, upper
    /// ```
    public static func decayFractionGrid(_ range: ClosedRange<Double>) -> [Double] {
        let width = range.upperBound - range.lowerBound
        guard width > 0 else { return [range.lowerBound] }
        let spacing = min(0.05, width / 4)
        let intervals = Int((width / spacing - 1e-9).rounded(.up))
        // Rounded to 1e-9 so that specs read 0.15, not 0.15000000000000002.
        let grid = (0..<intervals).map { ((range.lowerBound + Double($0) * spacing) * 1e9).rounded() / 1e9 }
        return grid + [range.upperBound]
    }

    /// Checks that `range` holds fractions of a run: 0 < lower ≤ upper ≤ 1.
    /// - Throws: `ScheduleError.inconsistent` otherwise.
    public static func checkDecayFractions(_ range: ClosedRange<Double>) throws(ScheduleError) {
        guard range.lowerBound > 0 && range.upperBound <= 1 && range.lowerBound.isFinite else {
            throw .inconsistent("decay fractions \(compact(range.lowerBound))…\(compact(range.upperBound)) are not fractions of the run: they must satisfy 0 < lowest ≤ highest ≤ 1")
        }
    }

    /// The WSD decays to try, as spec values: a fraction where it is below 1 and fits after
    /// warmup; beyond that the longest decay the family allows (every step after warmup), once.
    func decayValues() throws(ScheduleError) -> [String] {
        try Self.checkDecayFractions(decayFractions)
        let longest = totalSteps - warmupSteps
        var values: [String] = [], seenSteps: Set<Int> = []
        for fraction in Self.decayFractionGrid(decayFractions) {
            let steps = Int((fraction * Double(totalSteps)).rounded())
            let value = fraction < 1 && steps <= longest ? Self.compact(fraction) : "\(longest)"
            let decaySteps = min(steps, longest)
            guard decaySteps >= 1, seenSteps.insert(decaySteps).inserted else { continue }
            values.append(value)
        }
        return values
    }

    /// The predicted loss at the last step of per-step `rates`.
    public func finalLoss(_ rates: [Double]) -> Double {
        law.predictLoss(learningRates: rates, at: [rates.count - 1])[0]
    }

    /// Tries every member of `family` on a grid of its parameters (WSD: decay fraction in
    /// `decayFractions` × shape × end LR; cosine, linear: end LR; REX: variant × end LR) and ranks
    /// them by final loss.
    /// - Throws: `ScheduleError.inconsistent` for decay fractions outside 0 < f ≤ 1.
    public func searchFamily(_ family: Family) throws(ScheduleError) -> Outcome {
        let base = "peak=\(Self.compact(peak)),warmup=\(warmupSteps),total=\(totalSteps)"
        let ends = [0, 0.001, 0.01, 0.03, 0.1, 0.3].map { Self.compact($0 * peak) }
        var specs: [String] = []
        switch family {
        case .wsd:
            for decay in try decayValues() {
                for shape in DecayShape.allCases {
                    for end in ends where !(shape == .geometric && end == "0") {
                        specs.append("wsd:\(base),decay=\(decay),shape=\(shape.rawValue),end=\(end)")
                    }
                }
            }
        case .cosine, .linear:
            specs = ends.map { "\(family.rawValue):\(base),end=\($0)" }
        case .rex:
            specs = RexVariant.allCases.flatMap { variant in ends.map { "rex:\(base),end=\($0),variant=\(variant.rawValue)" } }
        }
        var candidates: [Candidate] = []
        var bestRates: [Double] = []
        var bestLoss = Double.infinity
        for spec in specs {
            let rates = try Schedule(spec: spec).learningRates()
            let loss = finalLoss(rates)
            candidates.append(Candidate(spec: spec, finalLoss: loss))
            if loss < bestLoss { bestLoss = loss; bestRates = rates }
        }
        candidates.sort { $0.finalLoss < $1.finalLoss }
        return Outcome(candidates: candidates, learningRates: bestRates, warnings: collapseWarning(bestRates))
    }

    /// The best non-increasing schedule after warmup with every LR in `minimum...peak`, by projected
    /// gradient descent on the final loss.
    ///
    /// ```
    /// ∂L(T)/∂η_k = −α·A·S1(T)^(−α−1) + C·λ^(T−k)        (1 ≤ k ≤ T)
    /// η ← Π(η − t·∇L)     Π: projection onto non-increasing sequences in [minimum, peak]
    ///                        (pool-adjacent-violators, then clipping)
    /// ```
    /// Starts from the best WSD member; the step size `t` backtracks until the loss decreases.
    /// Needs an annealing law (`supportsFreeSearch`).
    public func searchFree(minimum: Double = 0, iterations: Int = 300) throws(ScheduleError) -> Outcome {
        precondition(supportsFreeSearch, "free-form search needs the annealing law's gradient")
        let start = try searchFamily(.wsd)
        var rates = start.learningRates
        let first = warmupSteps
        let count = totalSteps - first + 1
        // The family's best may sit below `minimum`; start from its projection onto the feasible set.
        let feasible = Self.projectNonIncreasing(Array(rates[first...]), lower: minimum, upper: peak)
        rates.replaceSubrange(first..., with: feasible)
        var loss = finalLoss(rates)
        var step = peak * peak * 1e3
        var gradient = [Double](repeating: 0, count: count)
        for _ in 0..<iterations {
            let full = finalLossGradient(rates)
            for j in 0..<count { gradient[j] = full[first + j] }
            var improved = false
            while step > 1e-30 {
                var trial = rates
                var body = (0..<count).map { rates[first + $0] - step * gradient[$0] }
                body = Self.projectNonIncreasing(body, lower: minimum, upper: peak)
                for j in 0..<count { trial[first + j] = body[j] }
                let trialLoss = finalLoss(trial)
                if trialLoss < loss - 1e-15 {
                    rates = trial
                    loss = trialLoss
                    step *= 2
                    improved = true
                    break
                }
                step /= 4
            }
            if !improved { break }
        }
        var candidates = [Candidate(spec: "free (non-increasing per-step table)", finalLoss: loss)]
        candidates += start.candidates.prefix(1)
        return Outcome(candidates: candidates, learningRates: rates, warnings: collapseWarning(rates))
    }

    /// The gradient of the final loss with respect to every step's LR (index = step; step 0 is the
    /// LR before the first update and has no effect on S1).
    ///
    /// ```
    /// ∂L(T)/∂η_k = −α·A·S1(T)^(−α−1) + C·λ^(T−k),  1 ≤ k ≤ T
    /// ```
    public func finalLossGradient(_ rates: [Double]) -> [Double] {
        guard let law = law as? AnnealingLaw else { preconditionFailure("the final-loss gradient is the annealing law's") }
        let rates = law.warmup.effectiveRates(rates)
        let total = rates.count - 1
        let s1 = rates.dropFirst().reduce(0, +)
        let forwardTerm = -law.alpha * law.a * pow(s1, -law.alpha - 1)
        let logLambda = log(law.lambda)
        var gradient = [Double](repeating: 0, count: rates.count)
        if total >= 1 {
            for k in 1...total { gradient[k] = forwardTerm + law.c * exp(Double(total - k) * logLambda) }
        }
        // η_0 enters only S2, through η_0 − η_1: ∂S2(T)/∂η_0 = (1 − λ^T)/(1 − λ).
        gradient[0] = -law.c * (1 - exp(Double(total) * logLambda)) / (1 - law.lambda)
        return gradient
    }

    /// Projects `values` onto non-increasing sequences (least squares, pool-adjacent-violators),
    /// then clips to `lower...upper` (clipping keeps the order, so the result is the projection
    /// onto the intersection).
    public static func projectNonIncreasing(_ values: [Double], lower: Double, upper: Double) -> [Double] {
        var means: [Double] = [], weights: [Int] = []
        for value in values {
            means.append(value)
            weights.append(1)
            while means.count > 1 && means[means.count - 2] < means[means.count - 1] {
                let w1 = weights.removeLast(), m1 = means.removeLast()
                let w0 = weights[weights.count - 1], m0 = means[means.count - 1]
                means[means.count - 1] = (m0 * Double(w0) + m1 * Double(w1)) / Double(w0 + w1)
                weights[weights.count - 1] = w0 + w1
            }
        }
        var result: [Double] = []
        result.reserveCapacity(values.count)
        for (mean, weight) in zip(means, weights) {
            result.append(contentsOf: repeatElement(min(upper, max(lower, mean)), count: weight))
        }
        return result
    }

    /// `value` with six significant digits and no trailing zeros, so specs read cleanly.
    static func compact(_ value: Double) -> String {
        String(format: "%.6g", value)
    }

    /// A warning when the LR falls from over half the peak to near its minimum within the last 1 %
    /// of the steps: the annealing law rewards such a collapse, real training does not.
    private func collapseWarning(_ rates: [Double]) -> [String] {
        let window = max(1, totalSteps / 100)
        guard rates.count > window + 1 else { return [] }
        let before = rates[rates.count - 1 - window]
        let last = rates[rates.count - 1]
        guard before > 0.5 * peak, last < 0.1 * before else { return [] }
        return ["the best schedule drops from \(before) to \(last) within the last \(window) steps: the annealing law is known to favour such a collapse, which real runs do not reward; prefer a decay over 10–20 % of the run"]
    }
}
