/// The common names of a sweep's columns, best first, as public sweeps and sweep scripts write them.
///
/// Names match case-insensitively after whitespace and surrounding quotes are trimmed. When
/// several columns match a role, the alias listed EARLIER wins, whatever the column order.
public enum SweepColumnAliases {
    /// Model size: non-embedding parameters (`N` in the Step Law sweep).
    public static let parameters = [
        "N", "non_embedding_params", "nonembedding_params", "params", "n_params", "num_params",
        "parameters", "model_size",
    ]

    /// Training tokens (`D` in the Step Law sweep).
    public static let tokens = [
        "D", "tokens", "n_tokens", "num_tokens", "train_tokens", "total_tokens", "data_size",
    ]

    /// Peak learning rate.
    public static let learningRate = [
        "lr", "peak_lr", "learning_rate", "max_lr", "peak_learning_rate", "lr_max",
    ]

    /// Batch size counted in tokens.
    public static let batchSizeInTokens = [
        "batch_size_tokens", "batch_tokens", "tokens_per_batch", "batch_size_in_tokens", "global_batch_tokens",
    ]

    /// Batch size counted in sequences (`bs` in the Step Law sweep).
    public static let batchSizeInSequences = [
        "bs", "batch_size", "global_batch_size", "batch", "train_batch_size", "batch_size_sequences",
    ]

    /// Final loss: a smoothed final loss first, because the last raw loss of a run carries the
    /// noise of one batch and moves the located optimum.
    public static let loss = [
        "smooth loss", "smooth_loss", "smoothed_loss", "final_smooth_loss", "loss_smooth",
        "final_loss", "loss", "train_loss", "train/loss", "eval_loss", "val_loss", "validation_loss",
    ]

    /// Optimizer steps of the run (`ti`, iterations, in the Step Law sweep).
    public static let steps = [
        "ti", "steps", "iterations", "iters", "train_iters", "total_steps", "max_steps", "num_steps", "train_steps",
    ]

    /// Tokens per sequence.
    public static let sequenceLength = [
        "seq_len", "seq_length", "sequence_length", "context_length", "max_seq_len", "block_size", "n_ctx",
    ]

    /// The aliases of `role`, best first; for the batch size, token counts before sequence counts.
    public static func aliases(for role: SweepColumnRole) -> [String] {
        switch role {
        case .parameters: return parameters
        case .tokens: return tokens
        case .learningRate: return learningRate
        case .batchSize: return batchSizeInTokens + batchSizeInSequences
        case .loss: return loss
        case .steps: return steps
        case .sequenceLength: return sequenceLength
        }
    }

    /// The index in `columns` of the column for `role`: the one named `explicitName` when given,
    /// else the one matching the best alias; nil when none matches.
    static func index(of role: SweepColumnRole, in columns: [String], explicitName: String?) -> Int? {
        let normalizedColumns = columns.map(ColumnAliases.normalized)
        if let explicitName {
            if let exact = columns.firstIndex(of: explicitName) { return exact }
            return normalizedColumns.firstIndex(of: ColumnAliases.normalized(explicitName))
        }
        for alias in aliases(for: role) {
            if let index = normalizedColumns.firstIndex(of: ColumnAliases.normalized(alias)) { return index }
        }
        return nil
    }

    /// Whether a batch-size column of this name counts tokens.
    static func countsTokens(_ column: String) -> Bool {
        batchSizeInTokens.map(ColumnAliases.normalized).contains(ColumnAliases.normalized(column))
    }
}
