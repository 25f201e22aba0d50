/// Which loss a log should give: the training loss (the default) or the evaluation loss.
public enum LossKind: String, Sendable, Equatable, CaseIterable {
    /// The training loss; when a log has none, its evaluation loss.
    case training
    /// The evaluation (validation) loss only.
    case evaluation
}

/// How to read a log: its format, which series to use, and how strict to be.
public struct LogReadOptions: Sendable, Equatable {
    /// Columns (keys, tags) to use instead of the ones found by their common names.
    public var columns: ColumnChoice
    /// The format to read, or nil to recognise it by content (the file name is only a hint).
    public var format: LogFormat?
    /// Training or evaluation loss, when `columns.loss` does not name one.
    public var loss: LossKind
    /// Skip lines or rows that cannot be read (malformed JSON, a CSV row with the wrong number of
    /// fields or a cell that is not a number), counting them in a `LogNote`, instead of failing.
    public var skipsBadLines: Bool
    /// The largest step accepted in the loss and learning-rate series, or nil for any: a larger one
    /// is an error naming its line (`LogReadError.stepBeyondLimit`), for callers that hold a value
    /// for every step up to the last. Even with nil, a step beyond what the format holds exactly
    /// (an Int; 2^53 in JSON, whose numbers are doubles) is that error, naming that bound.
    public var maximumStep: Int?

    /// Options; the defaults read any format with the common names, any step, and fail on the first bad line.
    public init(columns: ColumnChoice = .init(), format: LogFormat? = nil, loss: LossKind = .training, skipsBadLines: Bool = false,
                maximumStep: Int? = nil) {
        self.columns = columns
        self.format = format
        self.loss = loss
        self.skipsBadLines = skipsBadLines
        self.maximumStep = maximumStep
    }
}
