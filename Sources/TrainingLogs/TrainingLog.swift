/// A series of values at logged steps: steps strictly increasing, one value per step.
public struct LogSeries: Sendable, Equatable {
    /// Logged steps, strictly increasing.
    public var steps: [Int]
    /// One value per entry of `steps`.
    public var values: [Double]

    /// A series from parallel arrays; the caller keeps them sorted, unique and equally long.
    public init(steps: [Int], values: [Double]) {
        self.steps = steps
        self.values = values
    }

    /// The number of points.
    public var count: Int { steps.count }

    /// True when the series holds no points.
    public var isEmpty: Bool { steps.isEmpty }
}

/// Rows that were left out of a series for one reason, so that nothing is dropped silently.
///
/// A reason that names the loss (`"empty loss"`, `"NaN loss"`, `"infinite loss"`) left the row out
/// of the loss series only: its learning rate, when finite, is still in the learning-rate series.
/// A reason that names the learning rate (`"empty learning rate"`, `"NaN learning rate"`,
/// `"infinite learning rate"`) left the row out of the learning-rate series only.
public struct SkippedRows: Sendable, Equatable, CustomStringConvertible {
    /// Why the rows were left out, e.g. `"NaN loss"`.
    public var reason: String
    /// How many rows of the file had this reason.
    public var count: Int
    /// The line (1-based, physical lines of the file) of the first such row.
    public var firstLine: Int

    /// A group of skipped rows.
    public init(reason: String, count: Int, firstLine: Int) {
        self.reason = reason
        self.count = count
        self.firstLine = firstLine
    }

    /// For example `3 rows with NaN loss (first at line 12)`.
    public var description: String {
        "\(count) \(count == 1 ? "row" : "rows") with \(reason) (first at line \(firstLine))"
    }
}

/// The kind of file a log was read from.
public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    /// Delimited text with commas or semicolons between fields.
    case csv
    /// Delimited text with tabs between fields.
    case tsv
}

/// One training run's log as read from a file: the loss and (when logged) the learning rate per step.
///
/// Every reader of a log format produces this type, so the rest of the program does not care where
/// a log came from.
public struct TrainingLog: Sendable, Equatable {
    /// A name for tables and results: the file name without its extension by default.
    public var name: String
    /// The path (or other source label) as given.
    public var source: String
    /// The format the log was read as.
    public var format: LogFormat
    /// Every column found in the log, in file order.
    public var columns: [String]
    /// The column the steps came from.
    public var stepColumn: String
    /// The column the losses came from.
    public var lossColumn: String
    /// The column the learning rates came from, or nil when the log has none.
    public var learningRateColumn: String?
    /// The usable (finite) losses, sorted by step, one per step.
    public var loss: LogSeries
    /// The finite learning rates, sorted by step, one per step, including rows whose loss was
    /// skipped; nil when the log has no learning-rate column.
    public var learningRate: LogSeries?
    /// Rows left out of a series, grouped by reason, in order of first appearance.
    public var skipped: [SkippedRows]
    /// How many rows repeated an earlier step and replaced it (a resumed run logs some steps twice;
    /// the later row in the file wins).
    public var replacedSteps: Int

    /// A log from its parts; readers build these, callers normally get them from `TrainingLogReader`.
    public init(name: String, source: String, format: LogFormat, columns: [String], stepColumn: String,
                lossColumn: String, learningRateColumn: String?, loss: LogSeries, learningRate: LogSeries?,
                skipped: [SkippedRows], replacedSteps: Int) {
        self.name = name
        self.source = source
        self.format = format
        self.columns = columns
        self.stepColumn = stepColumn
        self.lossColumn = lossColumn
        self.learningRateColumn = learningRateColumn
        self.loss = loss
        self.learningRate = learningRate
        self.skipped = skipped
        self.replacedSteps = replacedSteps
    }

    /// The name a log gets by default: the last path component of `source` without its extension.
    public static func defaultName(forSource source: String) -> String {
        let lastComponent = source.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? source
        guard let dot = lastComponent.lastIndex(of: "."), dot != lastComponent.startIndex else { return lastComponent }
        return String(lastComponent[..<dot])
    }
}
