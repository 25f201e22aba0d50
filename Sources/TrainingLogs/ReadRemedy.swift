/// What the caller of a reader can change to get past a `LogReadError`: name a column, a format,
/// skip bad lines. Its description says it in the library's words; a command-line tool maps each
/// case to its own options instead (`LogReadError.description(sayingRemedyAs:)`).
public enum ReadRemedy: Equatable, Sendable, CustomStringConvertible {
    /// Name the column (key, tag: `noun`) that plays `role` (`ColumnChoice`, `SweepReadOptions.columns`).
    case nameColumn(ReadColumn, noun: String)
    /// Name the evaluation-loss series, or read the training loss instead (`LogReadOptions`).
    case nameEvaluationLoss(noun: String)
    /// Name the gradient-norm series (`GradientNormReader.read(_:key:options:)`).
    case nameGradientNorm(noun: String)
    /// Name the log's format (`LogReadOptions.format`).
    case nameFormat
    /// The format was named and does not fit: check it (`LogReadOptions.format`).
    case checkFormat
    /// Fix the line, or skip such lines (`LogReadOptions.skipsBadLines`).
    case skipBadLines
    /// Give the sequence length of a sweep (`SweepReadOptions.sequenceLength`), or, when
    /// `orBatchUnit`, say that the batch sizes count tokens (`SweepReadOptions.batchSizeUnit`).
    case giveSequenceLength(orBatchUnit: Bool)

    public var description: String {
        switch self {
        case .nameColumn(let role, let noun):
            return "name the \(role.displayName) \(noun)"
        case .nameEvaluationLoss(let noun):
            return "name the evaluation-loss \(noun), or read the training loss"
        case .nameGradientNorm(let noun):
            return "log the gradient norm (grad_norm) or name its \(noun)"
        case .nameFormat:
            return "name the format"
        case .checkFormat:
            return "check the format named"
        case .skipBadLines:
            return "fix that line, or skip such lines"
        case .giveSequenceLength(let orBatchUnit):
            return orBatchUnit ? "give the sequence length, or say the batch sizes count tokens if they do" : "give the sequence length"
        }
    }
}

/// The column an error is about: a role in a training log or in a sweep.
public enum ReadColumn: Hashable, Sendable {
    case log(ColumnRole)
    case sweep(SweepColumnRole)

    /// How the role reads in messages ("loss", "learning-rate", "model-size (parameters)").
    public var displayName: String {
        switch self {
        case .log(let role): return role.displayName
        case .sweep(let role): return role.displayName
        }
    }
}

/// What a file was read as, for the messages that describe what it should hold.
public enum ReadContent: Sendable, Equatable {
    /// A training log: one row per logged step.
    case log
    /// A hyperparameter sweep: one row per finished run.
    case sweep

    var noun: String { self == .log ? "log" : "sweep" }
    var headerExample: String { self == .log ? "step,lr,loss" : "N,D,lr,bs,loss" }
    var rowMeaning: String { self == .log ? "logged step" : "finished run" }
}
