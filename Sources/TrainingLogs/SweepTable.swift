/// The role a column plays in a hyperparameter sweep: one row per finished training run.
public enum SweepColumnRole: String, Sendable, Equatable, CaseIterable {
    /// Model size N: non-embedding parameters.
    case parameters
    /// Training tokens D.
    case tokens
    /// The peak learning rate of the run.
    case learningRate
    /// The global batch size, in sequences or in tokens.
    case batchSize
    /// The final (preferably smoothed) training loss.
    case loss
    /// Optimizer steps of the run; with tokens and batch size it gives the sequence length.
    case steps
    /// Tokens per sequence.
    case sequenceLength

    /// How the role reads in messages.
    public var displayName: String {
        switch self {
        case .parameters: return "model-size (parameters)"
        case .tokens: return "tokens"
        case .learningRate: return "learning-rate"
        case .batchSize: return "batch-size"
        case .loss: return "loss"
        case .steps: return "steps"
        case .sequenceLength: return "sequence-length"
        }
    }
}

/// What a sweep's batch-size column counts.
public enum BatchSizeUnit: String, Sendable, Equatable, CaseIterable, Codable {
    /// Sequences per batch; tokens per batch = sequences × sequence length.
    case sequences
    /// Tokens per batch.
    case tokens
}

/// Which columns of a sweep to use and how to read the batch size, when the caller does not rely
/// on the common names in `SweepColumnAliases`. A nil entry means "find it by its common names".
public struct SweepReadOptions: Sendable, Equatable {
    /// Column names by role; names match case-insensitively.
    public var columns: [SweepColumnRole: String]
    /// What the batch-size column counts; nil means: tokens when the column's name says so
    /// (`batch_tokens`, …), sequences otherwise.
    public var batchSizeUnit: BatchSizeUnit?
    /// Tokens per sequence, ≥ 1; nil means: from a sequence-length column, else inferred from
    /// tokens / (steps × batch) when the sweep has a steps column.
    public var sequenceLength: Int?

    /// Options; by default every column is found by its common names.
    public init(columns: [SweepColumnRole: String] = [:], batchSizeUnit: BatchSizeUnit? = nil, sequenceLength: Int? = nil) {
        self.columns = columns
        self.batchSizeUnit = batchSizeUnit
        self.sequenceLength = sequenceLength
    }
}

/// Where a sweep's tokens-per-sequence came from.
public enum SequenceLengthOrigin: Sendable, Equatable {
    /// Given by the caller (`SweepReadOptions.sequenceLength`).
    case given
    /// Read from a column of the sweep.
    case column(String)
    /// Inferred as tokens / (steps × batch) from the named steps column; every row agreed.
    case inferred(stepsColumn: String)
    /// Not needed: the batch-size column counts tokens.
    case notNeeded
}

/// One finished run of a sweep, as read.
public struct SweepRow: Sendable, Equatable {
    /// The 1-based line of the file the row came from.
    public var line: Int
    /// Model size N (non-embedding parameters), > 0.
    public var parameters: Double
    /// Training tokens D, > 0.
    public var tokens: Double
    /// Peak learning rate, > 0.
    public var learningRate: Double
    /// Batch size as written in the file (sequences or tokens, see `SweepTable.batchSizeUnit`), > 0.
    public var batchSize: Double
    /// Batch size in tokens, > 0.
    public var batchSizeTokens: Double
    /// Final loss, finite.
    public var loss: Double
    /// The row's value in each of `SweepTable.covariateColumns`, in that order.
    public var covariates: [Double]

    /// A row from its values.
    public init(line: Int, parameters: Double, tokens: Double, learningRate: Double, batchSize: Double,
                batchSizeTokens: Double, loss: Double, covariates: [Double] = []) {
        self.line = line
        self.parameters = parameters
        self.tokens = tokens
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.batchSizeTokens = batchSizeTokens
        self.loss = loss
        self.covariates = covariates
    }
}

/// The kind of file a sweep was read from.
public enum SweepFormat: String, Sendable, Equatable, CaseIterable {
    /// Delimited text with commas or semicolons between fields.
    case csv
    /// Delimited text with tabs between fields.
    case tsv
    /// One JSON object per line.
    case jsonl
}

/// A hyperparameter sweep as read from a file: the runs, which column gave what, and what was
/// left out and why.
public struct SweepTable: Sendable, Equatable {
    /// The path (or other source label) as given.
    public var source: String
    /// The format the sweep was read as.
    public var format: SweepFormat
    /// Every column found, in file order.
    public var columns: [String]
    /// The column that gave each role; steps and sequence length only when used.
    public var roleColumns: [SweepColumnRole: String]
    /// What the batch-size column counts.
    public var batchSizeUnit: BatchSizeUnit
    /// Tokens per sequence when every row agrees on one (nil when the batch counts tokens or
    /// rows differ in a sequence-length column).
    public var sequenceLength: Int?
    /// Where the sequence length came from.
    public var sequenceLengthOrigin: SequenceLengthOrigin
    /// Columns other than the roles whose every cell is a finite number (model shape, step
    /// counts, …), usable as extra predictors in a law.
    public var covariateColumns: [String]
    /// The runs with a usable loss, in file order.
    public var rows: [SweepRow]
    /// Runs left out, grouped by reason, in order of first appearance.
    public var skipped: [SkippedRuns]

    /// A table from its parts; callers normally get these from `SweepReader`.
    public init(source: String, format: SweepFormat, columns: [String], roleColumns: [SweepColumnRole: String],
                batchSizeUnit: BatchSizeUnit, sequenceLength: Int?, sequenceLengthOrigin: SequenceLengthOrigin,
                covariateColumns: [String], rows: [SweepRow], skipped: [SkippedRuns]) {
        self.source = source
        self.format = format
        self.columns = columns
        self.roleColumns = roleColumns
        self.batchSizeUnit = batchSizeUnit
        self.sequenceLength = sequenceLength
        self.sequenceLengthOrigin = sequenceLengthOrigin
        self.covariateColumns = covariateColumns
        self.rows = rows
        self.skipped = skipped
    }
}

/// Runs of a sweep left out for one reason, so that nothing is dropped silently.
public struct SkippedRuns: Sendable, Equatable, CustomStringConvertible {
    /// Why the runs were left out, e.g. `"NaN loss"`.
    public var reason: String
    /// How many runs had this reason.
    public var count: Int
    /// The line (1-based) of the first such run.
    public var firstLine: Int

    /// A group of left-out runs.
    public init(reason: String, count: Int, firstLine: Int) {
        self.reason = reason
        self.count = count
        self.firstLine = firstLine
    }

    /// For example `3 runs with NaN loss (first at line 12)`.
    public var description: String {
        "\(count) \(count == 1 ? "run" : "runs") with \(reason) (first at line \(firstLine))"
    }
}
