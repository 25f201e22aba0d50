/// What a log holds under one name (column, key or tag): how many values of each kind, over which
/// steps. `TrainingLogReader.inspect` lists one per series found.
public struct SeriesSummary: Sendable, Equatable {
    /// The series' name as written in the file.
    public var name: String
    /// The run it belongs to, when the log holds several (a TensorBoard directory of runs).
    public var run: String?
    /// How many finite numbers it holds.
    public var count: Int
    /// How many NaN or infinite values it holds.
    public var nonFiniteCount: Int
    /// How many values are not numbers at all (text, booleans, lists, images, histograms).
    public var nonNumericCount: Int
    /// The smallest step with a finite value, nil when there is none (or no step column).
    public var firstStep: Int?
    /// The largest step with a finite value.
    public var lastStep: Int?

    /// A summary from its parts.
    public init(name: String, run: String? = nil, count: Int = 0, nonFiniteCount: Int = 0, nonNumericCount: Int = 0, firstStep: Int? = nil, lastStep: Int? = nil) {
        self.name = name
        self.run = run
        self.count = count
        self.nonFiniteCount = nonFiniteCount
        self.nonNumericCount = nonNumericCount
        self.firstStep = firstStep
        self.lastStep = lastStep
    }

    /// Counts one value found at `step`.
    mutating func add(_ value: Double, step: Int?) {
        guard value.isFinite else {
            nonFiniteCount += 1
            return
        }
        count += 1
        if let step {
            firstStep = min(firstStep ?? step, step)
            lastStep = max(lastStep ?? step, step)
        }
    }
}
