/// Which columns of a log to use, when the caller names them instead of relying on the common
/// names in `ColumnAliases`. A nil entry means "find it by its common names".
public struct ColumnChoice: Sendable, Equatable {
    /// The step column's name.
    public var step: String?
    /// The learning-rate column's name.
    public var learningRate: String?
    /// The loss column's name.
    public var loss: String?

    /// A choice of columns; names match case-insensitively, like the common names.
    public init(step: String? = nil, learningRate: String? = nil, loss: String? = nil) {
        self.step = step
        self.learningRate = learningRate
        self.loss = loss
    }
}

/// The role a column plays in a training log.
public enum ColumnRole: String, Sendable, Equatable, CaseIterable {
    /// The optimizer step of each row.
    case step
    /// The learning rate applied at that step.
    case learningRate
    /// The training (or evaluation) loss at that step.
    case loss

    /// How the role reads in messages.
    public var displayName: String {
        switch self {
        case .step: return "step"
        case .learningRate: return "learning-rate"
        case .loss: return "loss"
        }
    }
}
