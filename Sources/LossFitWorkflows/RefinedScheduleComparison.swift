import ScalingLaws

/// A refined schedule's predicted final loss beside linear decay and cosine with the same peak and
/// length, each with the refined schedule's difference from it.
public struct RefinedScheduleComparison: Sendable {
    public struct Row: Sendable {
        /// The refined schedule's label, or the spec of the schedule it is compared with.
        public var name: String
        public var finalLoss: PredictedLoss
        /// Refined minus this schedule (nil in the refined schedule's own row).
        public var refinedMinusThis: PredictedDifference?
        public var warnings: [String]
    }

    /// The refined schedule first, then linear decay and cosine.
    public var rows: [Row]

    /// - Parameters:
    ///   - label: The refined schedule's name in the first row.
    ///   - refined: Its LR at every step 0…`totalSteps`.
    public init(_ fit: FitResult, refined: [Double], label: String, peak: Double, totalSteps: Int) throws {
        let specs = ["linear:peak=\(peak),total=\(totalSteps)", "cosine:peak=\(peak),total=\(totalSteps)"]
        let candidates = [(label, refined)] + (try specs.map { ($0, try Schedule(spec: $0).learningRates()) })
        rows = candidates.enumerated().map { index, candidate in
            let (name, rates) = candidate
            return Row(name: name, finalLoss: fit.predict(learningRates: rates, at: [totalSteps])[0],
                       refinedMinusThis: index == 0 ? nil : fit.difference(refined, at: totalSteps, minus: rates, at: totalSteps),
                       warnings: fit.extrapolationWarnings(learningRates: rates))
        }
    }
}
