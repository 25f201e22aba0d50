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

/// Where in a log something was found, for messages.
public enum LogLocation: Sendable, Equatable, CustomStringConvertible {
    /// A 1-based physical line of a text file (CSV, JSONL, trainer_state.json, text logs).
    case line(Int)
    /// The byte offset of a record in a binary file (TensorBoard event files), with the file's name.
    case byte(Int, file: String)

    /// For example `line 12` or `byte 4096 of events.out.tfevents.1700000000.host`.
    public var description: String {
        switch self {
        case .line(let line): return "line \(line)"
        case .byte(let offset, let file): return "byte \(offset) of \(file)"
        }
    }

    /// What one entry at such a location is called: a row of text or a binary record.
    func entryNoun(count: Int) -> String {
        switch self {
        case .line: return count == 1 ? "row" : "rows"
        case .byte: return count == 1 ? "record" : "records"
        }
    }
}

/// Rows that were left out of a series for one reason, so that nothing is dropped silently.
///
/// A reason that names the loss (`"empty loss"`, `"NaN loss"`, `"infinite loss"`) left the row out
/// of the loss series only: its learning rate, when finite, is still in the learning-rate series.
/// A reason that names the learning rate (`"empty learning rate"`, `"NaN learning rate"`,
/// `"infinite learning rate"`) left the row out of the learning-rate series only. `"no step"`
/// (a JSON line without the step key) and `"negative step"` (a TensorBoard event) left the whole
/// row out.
public struct SkippedRows: Sendable, Equatable, CustomStringConvertible {
    /// Why the rows were left out, e.g. `"NaN loss"`.
    public var reason: String
    /// How many rows (or records) of the file had this reason.
    public var count: Int
    /// Where the first such row is.
    public var firstLocation: LogLocation

    /// A group of skipped rows.
    public init(reason: String, count: Int, firstLocation: LogLocation) {
        self.reason = reason
        self.count = count
        self.firstLocation = firstLocation
    }

    /// For example `3 rows with NaN loss (first at line 12)`.
    public var description: String {
        "\(count) \(firstLocation.entryNoun(count: count)) with \(reason) (first at \(firstLocation))"
    }
}

/// A place where a log's steps go backwards in file order: a run resumed from an earlier
/// checkpoint, or several runs written into one file.
public struct StepRestart: Sendable, Equatable, CustomStringConvertible {
    /// The last step logged before the restart.
    public var fromStep: Int
    /// The first step logged after it (at most `fromStep`).
    public var toStep: Int
    /// Where the first row after the restart is.
    public var location: LogLocation

    /// A restart.
    public init(fromStep: Int, toStep: Int, location: LogLocation) {
        self.fromStep = fromStep
        self.toStep = toStep
        self.location = location
    }

    /// For example `step 4000 → 2000 at line 41`.
    public var description: String { "step \(fromStep) → \(toStep) at \(location)" }
}

/// One training run's log as read from a file: the loss and (when logged) the learning rate per step.
///
/// Every reader of a log format produces this type, so the rest of the program does not care where
/// a log came from.
public struct TrainingLog: Sendable, Equatable {
    /// A name for tables and results: the file name without its extension by default, the run's
    /// name when a file holds several runs.
    public var name: String
    /// The path (or other source label) as given.
    public var source: String
    /// The format the log was read as.
    public var format: LogFormat
    /// Every column (key, tag) found in the log, in file order.
    public var columns: [String]
    /// The column the steps came from (for TensorBoard, `step`: the event's step field).
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
    /// Where the loss's steps go backwards in file order.
    public var restarts: [StepRestart]
    /// What the reader noticed and worked around (a damaged record, skipped bad lines, ignored
    /// summary entries, smoothing), in the order it happened.
    public var notes: [LogNote]

    /// A log from its parts; readers build these, callers normally get them from `TrainingLogReader`.
    public init(name: String, source: String, format: LogFormat, columns: [String], stepColumn: String,
                lossColumn: String, learningRateColumn: String?, loss: LogSeries, learningRate: LogSeries?,
                skipped: [SkippedRows], replacedSteps: Int, restarts: [StepRestart] = [], notes: [LogNote] = []) {
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
        self.restarts = restarts
        self.notes = notes
    }

    /// The name a log gets by default: the last path component of `source` without its extension.
    public static func defaultName(forSource source: String) -> String {
        let lastComponent = source.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? source
        guard let dot = lastComponent.lastIndex(of: "."), dot != lastComponent.startIndex else { return lastComponent }
        return String(lastComponent[..<dot])
    }
}
