/// Per-step learning rates from rates listed at some steps: the one interpolation behind logged
/// learning rates (`TrainingCurve`) and `step,lr` tables (`Schedule(tableFile:)`).
///
/// ```
/// η(s) = η(s_j) + (η(s_{j+1}) − η(s_j)) · (s − s_j)/(s_{j+1} − s_j)   between listed steps
/// η(s) = η(s_0) · s / s_0   or   η(s_0)                               before the first one
/// η(s) = η(s_last)                                                    after the last one
/// ```
public enum LearningRateInterpolation {
    /// What the rate is before the first listed step.
    public enum BeforeFirst: Sendable {
        /// A linear ramp from 0 at step 0: a log that starts after step 0 was warming up.
        case rampFromZero
        /// The first listed rate: a table that starts after step 0 means its first rate.
        case holdFirst
    }

    /// The rate at every step `0...last`.
    /// - Parameters:
    ///   - steps: Listed steps, strictly increasing, ≥ 0, at least one.
    ///   - values: The rate at each listed step.
    ///   - last: The last step to give a rate for, ≥ 0.
    public static func perStep(steps: [Int], values: [Double], through last: Int, beforeFirst: BeforeFirst) -> [Double] {
        precondition(steps.count == values.count && !steps.isEmpty, "perStep needs matching, non-empty steps and values")
        var rates = [Double](repeating: 0, count: last + 1)
        let firstStep = steps[0], firstValue = values[0]
        for s in 0...min(firstStep, last) {
            switch beforeFirst {
            case .rampFromZero: rates[s] = firstStep == 0 ? firstValue : firstValue * Double(s) / Double(firstStep)
            case .holdFirst: rates[s] = firstValue
            }
        }
        for j in 0..<(steps.count - 1) {
            let s0 = steps[j], s1 = steps[j + 1]
            guard s0 < last else { break }
            let v0 = values[j], v1 = values[j + 1]
            let width = Double(s1 - s0)
            for s in (s0 + 1)...min(s1, last) {
                rates[s] = v0 + (v1 - v0) * Double(s - s0) / width
            }
        }
        if let lastListed = steps.last, lastListed < last {
            for s in (lastListed + 1)...last { rates[s] = values[values.count - 1] }
        }
        return rates
    }
}
