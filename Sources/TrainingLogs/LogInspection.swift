/// What `TrainingLogReader.inspect` found in a log: its format, every series with counts and step
/// ranges, and the curves as they would be read (chosen loss and learning-rate series, skipped
/// rows, repeated steps, restarts, notes), or why no curve can be read.
public struct LogInspection: Sendable, Equatable {
    /// The path as given.
    public var source: String
    /// The format the log was read as.
    public var format: LogFormat
    /// Every series found, in file order.
    public var series: [SeriesSummary]
    /// The curves read; empty when `problem` says why there are none.
    public var logs: [TrainingLog]
    /// Why no curve could be read (no loss series, no usable value, …), or nil.
    public var problem: LogReadError?

    /// An inspection from its parts.
    public init(source: String, format: LogFormat, series: [SeriesSummary], logs: [TrainingLog], problem: LogReadError?) {
        self.source = source
        self.format = format
        self.series = series
        self.logs = logs
        self.problem = problem
    }
}

/// A stretch between two consecutive logged steps that is much longer than usual: a crash and
/// resume from an older checkpoint, lost log lines, or a change of logging interval.
public struct StepGap: Sendable, Equatable, CustomStringConvertible {
    /// The last step before the gap.
    public var fromStep: Int
    /// The first step after it.
    public var toStep: Int

    /// A gap.
    public init(fromStep: Int, toStep: Int) {
        self.fromStep = fromStep
        self.toStep = toStep
    }

    /// For example `5000 → 9000`.
    public var description: String { "\(fromStep) → \(toStep)" }
}

extension LogSeries {
    /// The intervals between consecutive steps longer than `factor` times the median interval.
    public func gaps(factor: Int = 3) -> [StepGap] {
        guard steps.count >= 3 else { return [] }
        var intervals: [Int] = []
        intervals.reserveCapacity(steps.count - 1)
        for index in 1..<steps.count { intervals.append(steps[index] - steps[index - 1]) }
        let (threshold, overflow) = intervals.sorted()[intervals.count / 2].multipliedReportingOverflow(by: factor)
        guard !overflow else { return [] }
        var gaps: [StepGap] = []
        for index in 1..<steps.count where steps[index] - steps[index - 1] > threshold {
            gaps.append(StepGap(fromStep: steps[index - 1], toStep: steps[index]))
        }
        return gaps
    }
}
