extension TrainingCurve {
    /// The most logged points a curve is scored on by laws whose prediction at every logged step
    /// costs more than the fit (the multi-power law's drop sums, the committee's members).
    public static let scoringPoints = 2_000

    /// The curve itself when it has at most `scoringPoints` logged points, else every k-th of them
    /// (k = ⌈points / scoringPoints⌉) and the last: goodness-of-fit metrics of a dense log from an
    /// even sample of its points, noise included, at the cost of a normal log.
    public func scoringSample() -> TrainingCurve {
        guard steps.count > Self.scoringPoints else { return self }
        let stride = (steps.count + Self.scoringPoints - 1) / Self.scoringPoints
        var kept = Array(Swift.stride(from: 0, to: steps.count, by: stride))
        if kept.last != steps.count - 1 { kept.append(steps.count - 1) }
        return subset(kept)
    }
}
