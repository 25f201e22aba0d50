import Foundation

/// How far a prediction at one step reaches beyond the data a fit saw (issue #18: every prediction
/// names its extrapolation).
///
/// ```
/// steps     = s / longest fitted step
/// cooldown  = D(s) / longest D of the fitted curves,   D(s) = s − last step ≤ s with η ≥ 0.9·max η so far
/// LR        = lowest fitted LR / lowest LR of the schedule so far (after the first fitted step),
///             each LR below 5 % of the highest fitted LR counted as 5 % (the last steps of a decay to
///             0 are not an extrapolation when the fitted runs decayed as far)
/// area      = S1(s) / largest S1 of the fitted curves,  S1(s) = Σ_{t ≤ s} η_t
/// ```
/// A factor above 1.05 extrapolates. The band does not grow with these factors: on held-out real runs
/// such terms did not improve coverage (`LawErrorModel`), so they are reported beside it.
public struct Extrapolation: Sendable, Equatable {
    public var step: Int
    public var longestFittedStep: Int
    /// Steps since the LR was last at 90 % or more of its peak so far: the cooldown so far.
    public var decaySteps: Int
    /// The longest such cooldown in the fitted curves (nil for fits that did not record it).
    public var longestFittedDecaySteps: Int?
    /// The lowest LR of the schedule up to `step`, from the fitted curves' first step on.
    public var lowestLearningRate: Double
    /// The lowest LR over the fitted steps (nil for fits that did not record it).
    public var lowestFittedLearningRate: Double?
    /// The highest LR over the fitted steps (nil for fits that did not record it).
    public var highestFittedLearningRate: Double?
    /// S1 up to `step`, in LR × steps.
    public var area: Double
    /// The largest S1 of a fitted curve at its last fitted step (nil for fits that did not record it).
    public var largestFittedArea: Double?

    /// One way a prediction leaves the fitted data, with its factor (> 1).
    private enum Departure {
        /// Past the longest fitted run.
        case steps(factor: Double)
        /// A cooldown longer than the longest fitted one (`longest` steps).
        case cooldown(factor: Double, longest: Int)
        /// A cooldown where the fitted runs had none.
        case newCooldown
        /// Below the lowest fitted LR (`lowestFitted`), both floored at 5 % of the highest fitted LR.
        case lowerLearningRate(factor: Double, lowestFitted: Double)
        /// More LR area S1 than any fitted run.
        case area(factor: Double)
    }

    /// Each way the prediction leaves the fitted data, in the order the reasons and summary list them.
    private var departures: [Departure] {
        var departures: [Departure] = []
        if longestFittedStep > 0, Double(step) > Double(longestFittedStep) * (1 + Self.tolerance) {
            departures.append(.steps(factor: Double(step) / Double(longestFittedStep)))
        }
        if let longest = longestFittedDecaySteps, decaySteps > 0 {
            if longest == 0 {
                departures.append(.newCooldown)
            } else if Double(decaySteps) > Double(longest) * (1 + Self.tolerance) {
                departures.append(.cooldown(factor: Double(decaySteps) / Double(longest), longest: longest))
            }
        }
        if let lowestFitted = lowestFittedLearningRate, let (lowest, fitted) = learningRateFloors, lowest < fitted * (1 - Self.tolerance) {
            departures.append(.lowerLearningRate(factor: fitted / lowest, lowestFitted: lowestFitted))
        }
        if let largest = largestFittedArea, largest > 0, area > largest * (1 + Self.tolerance) {
            departures.append(.area(factor: area / largest))
        }
        return departures
    }

    /// Each way the prediction leaves the fitted data, with its factor (> 1), in words.
    public var reasons: [String] {
        departures.map { departure in
            switch departure {
            case .steps(let factor): "\(Self.factor(factor)) the longest fitted run (\(longestFittedStep) steps)"
            case .cooldown(let factor, let longest): "a cooldown \(Self.factor(factor)) the longest fitted (\(decaySteps) vs \(longest) steps)"
            case .newCooldown: "a \(decaySteps)-step cooldown where the fitted runs had none"
            case .lowerLearningRate(_, let lowestFitted): "LR down to \(Self.rate(lowestLearningRate)), below the lowest fitted (\(Self.rate(lowestFitted)))"
            case .area(let factor): "LR area S1 \(Self.factor(factor)) the largest fitted"
            }
        }
    }

    /// The schedule's and the fitted lowest LR, each raised to 5 % of the highest fitted LR.
    private var learningRateFloors: (Double, Double)? {
        guard let lowest = lowestFittedLearningRate, let highest = highestFittedLearningRate, highest > 0 else { return nil }
        let floor = 0.05 * highest
        return (max(lowestLearningRate, floor), max(lowest, floor))
    }

    /// Whether the prediction leaves the fitted data in any way.
    public var isOutside: Bool { !departures.isEmpty }

    /// A few words for a table cell: `inside`, or the factors, e.g. `1.4× steps, 6.3× cooldown`.
    public var summary: String {
        let parts = departures.map { departure in
            switch departure {
            case .steps(let factor): "\(Self.factor(factor)) steps"
            case .cooldown(let factor, _): "\(Self.factor(factor)) cooldown"
            case .newCooldown: "new cooldown"
            case .lowerLearningRate(let factor, _): "\(Self.factor(factor)) lower LR"
            case .area(let factor): "\(Self.factor(factor)) area"
            }
        }
        return parts.isEmpty ? "inside" : parts.joined(separator: ", ")
    }

    /// Ratios within 5 % of the fitted data's edge count as inside: a cooldown a few percent longer
    /// than the longest fitted is not what the factors are there to flag.
    static let tolerance = 0.05

    private static func factor(_ ratio: Double) -> String {
        String(format: ratio < 10 ? "%.1f×" : "%.0f×", ratio)
    }

    private static func rate(_ value: Double) -> String {
        String(format: "%.3g", value)
    }
}

extension Extrapolation: Encodable {
    private enum CodingKeys: String, CodingKey {
        case step, longestFittedStep, decaySteps, longestFittedDecaySteps, lowestLearningRate, lowestFittedLearningRate, highestFittedLearningRate
        case area, largestFittedArea, outside, summary, reasons
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(step, forKey: .step)
        try container.encode(longestFittedStep, forKey: .longestFittedStep)
        try container.encode(decaySteps, forKey: .decaySteps)
        try container.encodeIfPresent(longestFittedDecaySteps, forKey: .longestFittedDecaySteps)
        try container.encode(lowestLearningRate, forKey: .lowestLearningRate)
        try container.encodeIfPresent(lowestFittedLearningRate, forKey: .lowestFittedLearningRate)
        try container.encodeIfPresent(highestFittedLearningRate, forKey: .highestFittedLearningRate)
        try container.encode(area, forKey: .area)
        try container.encodeIfPresent(largestFittedArea, forKey: .largestFittedArea)
        try container.encode(isOutside, forKey: .outside)
        try container.encode(summary, forKey: .summary)
        try container.encode(reasons, forKey: .reasons)
    }
}

/// What the LR schedule of a curve covers: its cooldown, lowest LR and area up to a step.
struct LearningRateExtent {
    /// At each of `steps` (any order, each within `learningRates`): the cooldown so far, the lowest LR
    /// from `from` on (the LR at `from` when the step comes before it) and the area S1.
    static func at(_ steps: [Int], learningRates: [Double], from: Int) -> [(decaySteps: Int, lowest: Double, area: Double)] {
        guard let last = steps.max(), last < learningRates.count, last >= 0 else { return [] }
        var extents = [(decaySteps: Int, lowest: Double, area: Double)](repeating: (0, 0, 0), count: steps.count)
        // The asked steps in increasing order, met once each by the pass over every step.
        let order = steps.indices.sorted { steps[$0] < steps[$1] }
        var next = 0
        var peak = -Double.infinity, lastAtPeak = 0, lowest = Double.infinity, area = 0.0
        for step in 0...last {
            let rate = learningRates[step]
            if rate > peak { peak = rate }
            if rate >= 0.9 * peak { lastAtPeak = step }
            if step >= 1 { area += rate }
            if step >= from { lowest = min(lowest, rate) }
            while next < order.count && steps[order[next]] <= step {
                if steps[order[next]] == step {
                    extents[order[next]] = (step - lastAtPeak, lowest.isFinite ? lowest : learningRates[min(from, learningRates.count - 1)], area)
                }
                next += 1
            }
        }
        return extents
    }

    /// The longest cooldown anywhere in `learningRates[0...lastStep]`.
    static func longestDecay(learningRates: [Double], through lastStep: Int) -> Int {
        var peak = -Double.infinity, lastAtPeak = 0, longest = 0
        for step in 0...min(lastStep, learningRates.count - 1) {
            let rate = learningRates[step]
            if rate > peak { peak = rate }
            if rate >= 0.9 * peak { lastAtPeak = step }
            longest = max(longest, step - lastAtPeak)
        }
        return longest
    }
}

extension FitResult {
    /// How far a prediction of a run with per-step `learningRates` reaches beyond the fitted curves
    /// at each of `steps` (each within `learningRates`).
    public func extrapolation(learningRates: [Double], at steps: [Int]) -> [Extrapolation] {
        let from = curves.map(\.firstStep).min() ?? 0
        let extents = LearningRateExtent.at(steps, learningRates: learningRates, from: from)
        let decays = curves.compactMap(\.longestDecaySteps)
        let areas = curves.compactMap(\.learningRateArea)
        let ranges = curves.compactMap(\.learningRateRange)
        let longestFittedStep = curves.map(\.lastStep).max() ?? 0
        let longestFittedDecay = decays.count == curves.count ? decays.max() : nil
        let largestFittedArea = areas.count == curves.count ? areas.max() : nil
        let lowestFitted = ranges.map(\.lowerBound).min(), highestFitted = ranges.map(\.upperBound).max()
        return zip(steps, extents).map { step, extent in
            Extrapolation(step: step, longestFittedStep: longestFittedStep, decaySteps: extent.decaySteps,
                          longestFittedDecaySteps: longestFittedDecay,
                          lowestLearningRate: extent.lowest, lowestFittedLearningRate: lowestFitted,
                          highestFittedLearningRate: highestFitted, area: extent.area,
                          largestFittedArea: largestFittedArea)
        }
    }

    /// Why predicting `learningRates` (per step) to its last step under this fit extrapolates, if it
    /// does: each way it leaves the fitted data with its factor, and LRs above the fitted range.
    public func extrapolationWarnings(learningRates: [Double]) -> [String] {
        guard !learningRates.isEmpty, !curves.isEmpty else { return [] }
        var warnings: [String] = []
        if let final = extrapolation(learningRates: learningRates, at: [learningRates.count - 1]).first, final.isOutside {
            warnings.append("the prediction extrapolates: " + final.reasons.joined(separator: "; "))
        }
        if let highest = curves.compactMap(\.learningRateRange).map(\.upperBound).max(),
           let high = learningRates.dropFirst(curves.map(\.firstStep).min() ?? 0).max(), high > highest * 1.001 {
            warnings.append("the schedule reaches LR \(String(format: "%.4g", high)), above the highest fitted LR \(String(format: "%.4g", highest))")
        }
        return warnings
    }
}

extension FittedCurve {
    /// The extent of the fitted LRs of a curve whose per-step `learningRates` were fitted over
    /// `firstStep...lastStep`: their range, the longest cooldown and the area at `lastStep`.
    static func learningRateExtent(_ learningRates: [Double], firstStep: Int, lastStep: Int)
        -> (range: ClosedRange<Double>, longestDecay: Int, area: Double) {
        let rates = learningRates[firstStep...lastStep]
        return ((rates.min() ?? 0)...(rates.max() ?? 0), LearningRateExtent.longestDecay(learningRates: learningRates, through: lastStep),
                lastStep >= 1 ? learningRates[1...lastStep].reduce(0, +) : 0)
    }
}
