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

    /// Makes a schedule, checking that its lengths and rates are consistent.
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
        }
    }

    /// The learning rate applied at `step` (clamped to `0...totalSteps`).
    public func learningRate(atStep step: Int) -> Double {
        let s = min(max(step, 0), totalSteps)
        if s < warmupSteps {
            guard warmupSteps > 1 else { return peak }
            return warmupStart + (peak - warmupStart) * Double(s) / Double(warmupSteps - 1)
        }
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
        }
    }

    /// The learning rate at every step `0...totalSteps` (index = step).
    public func learningRates() -> [Double] {
        (0...totalSteps).map(learningRate(atStep:))
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
