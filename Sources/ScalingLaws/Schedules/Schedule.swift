import Foundation

/// A learning-rate schedule: an optional linear warmup followed by a body, defined at every step
/// `0...totalSteps`.
///
/// ```
/// warmup (s < W):  η(s) = η_start + (η_peak − η_start) · s / (W − 1)
/// body   (s ≥ W):  η(s) = body(p),  p = (s − W) / (T − W)
/// ```
/// The warmup rises over steps `0..<W` and reaches the peak at step `W − 1` (numpy's
/// `linspace(start, peak, W)`); the body starts at step `W` with the peak.
public struct Schedule: Sendable, Equatable, Codable {
    /// The body after warmup.
    public enum Body: Sendable, Equatable, Codable {
        /// The peak LR until the end.
        case constant
        /// Half a cosine from the peak down to `end` at the last step.
        case cosine(end: Double)
        /// A straight line from the peak down to `end` at the last step.
        case linear(end: Double)
        /// Warmup–stable–decay: the peak until `totalSteps − decaySteps`, then `shape` down to `end`.
        case wsd(decaySteps: Int, shape: DecayShape, end: Double)
        /// The peak until step `switchStep − 1`, then `second` until the end.
        case twoStage(switchStep: Int, second: Double)
        /// The peak multiplied by `factor` at each milestone step: `η = peak · factor^(milestones passed)`.
        case multiStep(milestones: [Int], factor: Double)
        /// REX (Chen, Wolfe, Kyrillidis 2021, "REX: Revisiting Budgeted Training with an Improved
        /// Schedule", MLSys 2022): `η = end + (peak − end)·f(p)` with `f` of the chosen
        /// `RexVariant`, `p = (s − W)/(T − W)` at step `s`. Step `s` counts updates done, so the
        /// k-th update (k = 1 … T) runs at `p = (k − 1)/T` without warmup (see `ratesPerUpdate()`).
        case rex(end: Double, variant: RexVariant)
        /// Inverse square root: `η = peak / √(1 + (s − W)/τ)` (τ = `timescale`, fairseq's form when τ = W).
        case inverseSqrt(timescale: Int)
        /// OneCycle (Smith & Topin 2019, PyTorch's default cosine form): from `peak/divFactor` up to the
        /// peak over the first `riseFraction` of the run, then down to `peak/(divFactor·finalDivFactor)`.
        case oneCycle(riseFraction: Double, divFactor: Double, finalDivFactor: Double)
        /// The power scheduler (Shen et al. 2024, arXiv 2408.13359, eq. 7), see `PowerSchedule`.
        case power(PowerSchedule)
        /// UBA (Tang et al. 2025, arXiv 2505.24452) in the form of a third-party implementation, not
        /// checked against the paper's own equation:
        ///
        /// ```
        /// η = end + (peak − end) · 2(1 + cos πp) / (2φ + (2 − φ)(1 + cos πp)),   p = (s − W)/(T − W)
        /// ```
        /// It starts at the peak, ends at `end`, and is the cosine schedule at φ = 2; `phi` φ > 0.
        case uba(phi: Double, end: Double)
        /// Learning rates given per step (index = step); steps past the table keep its last value.
        case table(rates: [Double], source: String)
    }

    /// The most steps a schedule (or a logged curve) may have: lossfit holds a learning rate, and
    /// to predict the areas, for every step. At this limit a release build's `predict` took 0.4 s
    /// and 180 MB (annealing law), 0.6 s and 390 MB (multi-power law), 2 s with 20 bootstrap
    /// replicates. A longer run is described in coarser steps (units of 10 or 100 optimizer steps).
    public static let maximumSteps = 10_000_000

    /// `maximumSteps` with thousands separators, for messages: `10,000,000`.
    public static var maximumStepsText: String {
        let digits = Array(String(maximumSteps))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// Throws `ScheduleError.tooManySteps` when `steps`, given as `key`, exceed `maximumSteps`.
    public static func checkStepCount(_ steps: Int, key: String) throws(ScheduleError) {
        guard steps <= maximumSteps else { throw .tooManySteps(key: key, value: "\(steps)") }
    }

    /// The highest learning rate (after warmup), ≥ 0.
    public var peak: Double
    /// The last step; the schedule is defined on `0...totalSteps`.
    public var totalSteps: Int
    /// Number of warmup steps `W` (0 for none).
    public var warmupSteps: Int
    /// The learning rate at step 0 of the warmup.
    public var warmupStart: Double
    /// What follows the warmup.
    public var body: Body

    /// Makes a schedule, checking that its lengths and rates are consistent and that it has at most
    /// `maximumSteps` steps.
    public init(peak: Double, totalSteps: Int, warmupSteps: Int = 0, warmupStart: Double = 0, body: Body) throws(ScheduleError) {
        self.peak = peak
        self.totalSteps = totalSteps
        self.warmupSteps = warmupSteps
        self.warmupStart = warmupStart
        self.body = body
        try validate()
    }

    private func validate() throws(ScheduleError) {
        guard peak.isFinite else { throw .inconsistent("peak=\(peak) is not a finite learning rate") }
        if peak < 0 { throw .negativeLearningRate(key: "peak", value: peak) }
        if warmupStart < 0 { throw .negativeLearningRate(key: "start", value: warmupStart) }
        guard totalSteps >= 1 else { throw .inconsistent("total=\(totalSteps) must be at least 1 step") }
        try Self.checkStepCount(totalSteps, key: "total")
        guard warmupSteps >= 0 else { throw .inconsistent("warmup=\(warmupSteps) must be ≥ 0 steps") }
        guard warmupSteps < totalSteps else {
            throw .inconsistent("warmup=\(warmupSteps) reaches past the end of training (total=\(totalSteps)); shorten the warmup or lengthen the run")
        }
        switch body {
        case .constant:
            break
        case .cosine(let end), .linear(let end):
            if end < 0 { throw .negativeLearningRate(key: "end", value: end) }
        case .wsd(let decaySteps, let shape, let end):
            if end < 0 { throw .negativeLearningRate(key: "end", value: end) }
            guard decaySteps >= 1 else { throw .inconsistent("decay=\(decaySteps) must be at least 1 step") }
            guard decaySteps <= totalSteps - warmupSteps else {
                throw .inconsistent("decay=\(decaySteps) steps is longer than the \(totalSteps - warmupSteps) steps after warmup; use a shorter decay")
            }
            if shape == .geometric && (end <= 0 || peak <= 0) {
                throw .inconsistent("a geometric decay needs end > 0 and peak > 0 (it interpolates log η); set end=… or use shape=linear")
            }
        case .twoStage(let switchStep, let second):
            if second < 0 { throw .negativeLearningRate(key: "second", value: second) }
            guard switchStep > warmupSteps && switchStep <= totalSteps else {
                throw .inconsistent("switch=\(switchStep) must lie after the warmup (\(warmupSteps)) and at or before total=\(totalSteps)")
            }
        case .multiStep(let milestones, let factor):
            guard factor >= 0 && factor.isFinite else { throw .negativeLearningRate(key: "factor", value: factor) }
            guard !milestones.isEmpty, zip(milestones, milestones.dropFirst()).allSatisfy({ $0 < $1 }),
                  let first = milestones.first, let last = milestones.last, first > warmupSteps, last <= totalSteps else {
                throw .inconsistent("milestones=\(milestones.map(String.init).joined(separator: "/")) must be increasing steps after the warmup (\(warmupSteps)) and at or before total=\(totalSteps), separated by /")
            }
        case .rex(let end, _):
            if end < 0 { throw .negativeLearningRate(key: "end", value: end) }
        case .uba(let phi, let end):
            if end < 0 { throw .negativeLearningRate(key: "end", value: end) }
            guard phi > 0 && phi.isFinite else {
                throw .inconsistent("uba: phi=\(phi) must be a finite number > 0 (phi=2 gives the cosine schedule)")
            }
        case .inverseSqrt(let timescale):
            guard timescale >= 1 else { throw .inconsistent("timescale=\(timescale) must be at least 1 step (give timescale=… when there is no warmup)") }
        case .oneCycle(let rise, let div, let finalDiv):
            guard warmupSteps == 0 else { throw .inconsistent("onecycle has its own rise; drop warmup=\(warmupSteps) and set rise=… (fraction of the run)") }
            guard rise > 0 && rise < 1 else { throw .inconsistent("rise=\(rise) must be a fraction of the run in (0, 1)") }
            guard div >= 1 && finalDiv >= 1 else { throw .inconsistent("div=\(div) and final-div=\(finalDiv) must be ≥ 1") }
        case .power(let power):
            try power.validate()
        case .table(let rates, let source):
            guard rates.count == totalSteps + 1 else { throw .inconsistent("\(source): the table has \(rates.count) steps, the schedule \(totalSteps + 1)") }
            if let (step, rate) = rates.enumerated().first(where: { !($0.element >= 0 && $0.element.isFinite) }).map({ ($0.offset, $0.element) }) {
                throw .inconsistent("\(source): step \(step) has learning rate \(rate); learning rates must be finite and ≥ 0")
            }
        }
    }

    /// Where the warmup ends: exactly the peak for bodies that start there (their formulas at the
    /// end of warmup can round to a neighbouring double, which would change simulated runs made
    /// before the catalog grew), else the body's own first rate.
    private var warmupTarget: Double {
        switch body {
        case .constant, .cosine, .linear, .wsd, .twoStage, .multiStep, .rex, .inverseSqrt, .uba: return peak
        default: return bodyRate(atStep: warmupSteps)
        }
    }

    /// The learning rate applied at `step` (clamped to `0...totalSteps`).
    public func learningRate(atStep step: Int) -> Double {
        let s = min(max(step, 0), totalSteps)
        if s < warmupSteps {
            // The warmup rises to where the body starts: the peak, or the power scheduler's η(W).
            let target = warmupTarget
            guard warmupSteps > 1 else { return target }
            return warmupStart + (target - warmupStart) * Double(s) / Double(warmupSteps - 1)
        }
        return bodyRate(atStep: s)
    }

    private func bodyRate(atStep s: Int) -> Double {
        let bodyLength = Double(totalSteps - warmupSteps)
        switch body {
        case .constant:
            return peak
        case .cosine(let end):
            let p = Double(s - warmupSteps) / bodyLength
            return end + 0.5 * (peak - end) * (1 + cos(Double.pi * p))
        case .linear(let end):
            let p = Double(s - warmupSteps) / bodyLength
            return end + (peak - end) * (1 - p)
        case .wsd(let decaySteps, let shape, let end):
            let decayStart = totalSteps - decaySteps
            if s < decayStart { return peak }
            let p = Double(s - decayStart) / Double(decaySteps)
            return shape.learningRate(progress: p, from: peak, to: end)
        case .twoStage(let switchStep, let second):
            return s < switchStep ? peak : second
        case .multiStep(let milestones, let factor):
            let passed = milestones.reduce(0) { $0 + (s >= $1 ? 1 : 0) }
            return peak * pow(factor, Double(passed))
        case .rex(let end, let variant):
            let p = Double(s - warmupSteps) / bodyLength
            return end + (peak - end) * variant.factor(progress: p)
        case .inverseSqrt(let timescale):
            return peak / (1 + Double(s - warmupSteps) / Double(timescale)).squareRoot()
        case .oneCycle(let rise, let div, let finalDiv):
            let initial = peak / div, minimum = initial / finalDiv
            let riseEnd = rise * Double(totalSteps)
            if Double(s) <= riseEnd {
                return peak + (initial - peak) * 0.5 * (1 + cos(Double.pi * Double(s) / riseEnd))
            }
            let p = (Double(s) - riseEnd) / (Double(totalSteps) - riseEnd)
            return minimum + (peak - minimum) * 0.5 * (1 + cos(Double.pi * p))
        case .power(let power):
            return power.learningRate(atStep: s, warmupSteps: warmupSteps, totalSteps: totalSteps, cap: peak)
        case .uba(let phi, let end):
            let c = 1 + cos(Double.pi * Double(s - warmupSteps) / bodyLength)
            return end + (peak - end) * 2 * c / (2 * phi + (2 - phi) * c)
        case .table(let rates, _):
            return rates[s]
        }
    }

    /// The learning rate at every step `0...totalSteps` (index = step).
    public func learningRates() -> [Double] {
        (0...totalSteps).map(learningRate(atStep:))
    }
}

/// The two published forms of REX; `p` is the progress through the body, 0…1.
///
/// ```
/// paper  (β = 1):    f(p) = (1 − p)/(½ + ½(1 − p)) = 2(1 − p)/(2 − p)
/// common (β = 0.9):  f(p) = (1 − p)/(0.1 + 0.9(1 − p))
/// ```
/// At p = 0, ¼, ½, ¾ the paper's form is 1, 6/7, 2/3, 2/5.
public enum RexVariant: String, Sendable, Equatable, Codable, CaseIterable {
    /// Chen et al. (2021), β = 1: `(1 − p) / (1 − p/2)`, i.e. `(1 − p)/(½ + ½(1 − p))`.
    case paper
    /// The form common in code, β = 0.9: `(1 − p) / (0.1 + 0.9(1 − p))`.
    case common

    func factor(progress p: Double) -> Double {
        switch self {
        case .paper: return (1 - p) / (1 - p / 2)
        case .common: return (1 - p) / (0.1 + 0.9 * (1 - p))
        }
    }
}

/// The power scheduler of Shen et al. (2024), "Power Scheduler: A Batch Size and Token Number
/// Agnostic Learning Rate Scheduler", arXiv 2408.13359, eq. 7.
///
/// ```
/// η(n) = min(η_max, β·a·n^b)     n = tokens seen = s · batch · sequenceLength,  β = batch·sequenceLength/4096
/// ```
/// The schedule's warmup rises linearly to η at the end of warmup; the last `decayFraction` of the steps decay
/// exponentially (geometrically in steps) to `endFactor` × the LR where the decay starts — the paper
/// gives no formula for its decay, so this one is lossfit's choice.
public struct PowerSchedule: Sendable, Equatable, Codable {
    /// Batch size in sequences.
    public var batch: Int
    /// Tokens per sequence (the paper's β counts sequences of 4096 tokens).
    public var sequenceLength: Int
    public var a: Double
    public var b: Double
    public var decayFraction: Double
    public var endFactor: Double

    public init(batch: Int, sequenceLength: Int = 4096, a: Double = 4, b: Double = -0.51, decayFraction: Double = 0.1, endFactor: Double = 1e-3) {
        self.batch = batch
        self.sequenceLength = sequenceLength
        self.a = a
        self.b = b
        self.decayFraction = decayFraction
        self.endFactor = endFactor
    }

    func validate() throws(ScheduleError) {
        guard batch >= 1, sequenceLength >= 1 else { throw .inconsistent("power: batch=\(batch) and seq=\(sequenceLength) must be ≥ 1") }
        guard a > 0, b < 0 else { throw .inconsistent("power: a=\(a) must be > 0 and b=\(b) < 0") }
        guard decayFraction >= 0 && decayFraction < 1 else { throw .inconsistent("power: decay=\(decayFraction) must be a fraction in [0, 1)") }
        guard endFactor > 0 && endFactor <= 1 else { throw .inconsistent("power: end-factor=\(endFactor) must lie in (0, 1]") }
    }

    /// `min(cap, β·a·n^b)` after `steps` steps.
    func powerRate(afterSteps steps: Int, cap: Double) -> Double {
        let tokensPerStep = Double(batch) * Double(sequenceLength)
        let beta = tokensPerStep / 4096
        return min(cap, beta * a * pow(max(Double(steps), 1) * tokensPerStep, b))
    }

    func learningRate(atStep s: Int, warmupSteps: Int, totalSteps: Int, cap: Double) -> Double {
        let decayStart = totalSteps - Int((decayFraction * Double(totalSteps)).rounded())
        if s < decayStart || decayStart >= totalSteps { return powerRate(afterSteps: s, cap: cap) }
        let start = powerRate(afterSteps: decayStart, cap: cap)
        let p = Double(s - decayStart) / Double(totalSteps - decayStart)
        return start * pow(endFactor, p)
    }
}

/// How a WSD schedule's decay phase falls from the peak to the end LR; `p` is the progress 0…1.
public enum DecayShape: String, Sendable, Equatable, Codable, CaseIterable {
    /// `η = η_end + (η_peak − η_end)(1 − p)`
    case linear
    /// `η = η_end + ½(η_peak − η_end)(1 + cos πp)`
    case cosine
    /// `η = η_peak^(1−p) · η_end^p` (exponential in steps)
    case geometric
    /// `η = η_end + (η_peak − η_end)(1 − √p)`
    case oneMinusSqrt = "1-sqrt"
    /// `η = η_end + (η_peak − η_end)(1 − p²)`
    case oneMinusSquare = "1-square"

    func learningRate(progress p: Double, from peak: Double, to end: Double) -> Double {
        switch self {
        case .linear: return end + (peak - end) * (1 - p)
        case .cosine: return end + 0.5 * (peak - end) * (1 + cos(Double.pi * p))
        case .geometric: return pow(peak, 1 - p) * pow(end, p)
        case .oneMinusSqrt: return end + (peak - end) * (1 - p.squareRoot())
        case .oneMinusSquare: return end + (peak - end) * (1 - p * p)
        }
    }
}
