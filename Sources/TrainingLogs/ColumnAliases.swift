/// The common names of the step, learning-rate and loss columns in logs written by popular
/// training frameworks, and how a header's columns are matched against them.
///
/// Names match case-insensitively after whitespace and surrounding quotes are trimmed. When several
/// columns of one log match a role, the alias listed EARLIER below wins, whatever the column order
/// in the file.
public enum ColumnAliases {
    /// Step column names, best first. An explicit optimizer step (`step`, `global_step`,
    /// `trainer/global_step`, `train/global_step`) comes before W&B's `_step`, which counts logging
    /// calls rather than optimizer steps and so disagrees with the training step in W&B exports
    /// that carry both.
    public static let step = [
        "step", "global_step", "trainer/global_step", "train/global_step",
        "iter", "iteration", "steps", "_step",
    ]

    /// Learning-rate column names, best first (`lr-AdamW` and friends come from PyTorch Lightning's
    /// LearningRateMonitor).
    public static let learningRate = [
        "lr", "learning_rate", "train/lr", "learning-rate", "train/learning_rate",
        "lr-AdamW", "lr-Adam", "lr-SGD", "optimizer/lr", "learning rate",
    ]

    /// Training-loss names, best first. `loss_metrics/global_avg_loss` is torchtitan's, `lm loss`
    /// Megatron-LM's, `train/loss` the Hugging Face Trainer's TensorBoard and W&B name.
    public static let trainingLoss = [
        "loss", "train/loss", "train_loss", "lm loss", "lm_loss", "training_loss",
        "loss_metrics/global_avg_loss", "train/lm loss", "loss/train",
    ]

    /// Evaluation-loss names, best first (`val loss` is nanoGPT's, `validation/lm loss` and
    /// `lm loss validation` Megatron-LM's in its text log and TensorBoard).
    public static let evaluationLoss = [
        "eval_loss", "eval/loss", "val_loss", "val/loss", "validation_loss", "val loss",
        "validation/lm loss", "lm loss validation", "loss/val",
    ]

    /// Loss column names, best first: training losses before evaluation losses, because the laws
    /// are fitted to the training loss when a log has both.
    public static let loss = trainingLoss + evaluationLoss

    /// Gradient-norm names, best first: the Hugging Face Trainer's `grad_norm` (and `train/grad_norm`
    /// in its TensorBoard and W&B logs), Megatron-LM's `grad norm`, and common spellings. Which norm
    /// (ℓ2, ℓ1) a log holds cannot be told from its name.
    public static let gradientNorm = [
        "grad_norm", "train/grad_norm", "grad norm", "gradient_norm", "train/gradient_norm", "grad-norm",
        "gradient-norm", "gradient norm", "gradnorm", "grad_norm/total", "optim/grad_norm",
    ]

    /// The aliases of `role`, best first; for the loss, those of `lossKind`.
    public static func aliases(for role: ColumnRole, lossKind: LossKind = .training) -> [String] {
        switch role {
        case .step: return step
        case .learningRate: return learningRate
        case .loss: return lossKind == .training ? loss : evaluationLoss
        }
    }

    /// A column name as matched: whitespace and surrounding quotes trimmed, lowercased.
    public static func normalized(_ name: String) -> String {
        trimmedColumnName(name).lowercased()
    }

    /// A column name as reported: whitespace and surrounding quotes trimmed, case kept.
    public static func trimmedColumnName(_ name: String) -> String {
        let stripped: Set<Character> = [" ", "\t", "\"", "'", "\r", "\n"]
        var text = Substring(name)
        while let first = text.first, stripped.contains(first) { text = text.dropFirst() }
        while let last = text.last, stripped.contains(last) { text = text.dropLast() }
        return String(text)
    }

    /// The index in `columns` of the column for `role`: the one named `explicitName` when given,
    /// else the one matching the best alias; nil when none matches.
    static func index(of role: ColumnRole, in columns: [String], explicitName: String?, lossKind: LossKind = .training) -> Int? {
        let normalizedColumns = columns.map(normalized)
        if let explicitName {
            if let exact = columns.firstIndex(of: explicitName) { return exact }
            return normalizedColumns.firstIndex(of: normalized(explicitName))
        }
        for alias in aliases(for: role, lossKind: lossKind) {
            if let index = normalizedColumns.firstIndex(of: normalized(alias)) { return index }
        }
        return nil
    }

    /// A key of a nested or tagged format as matched: like `normalized`, with `.` read as `/`, so
    /// that a JSON path `{"train": {"loss": …}}` answers to `train/loss` and `train.loss` alike.
    static func normalizedKey(_ name: String) -> String {
        String(normalized(name).map { $0 == "." ? "/" : $0 })
    }

    /// The index in `keys` of the key for `role` (compared with `normalizedKey`): the one named
    /// `explicitName` when given, else the best alias; nil when none matches.
    static func keyIndex(of role: ColumnRole, in keys: [String], explicitName: String?, lossKind: LossKind) -> Int? {
        if let explicitName {
            if let exact = keys.firstIndex(of: explicitName) { return exact }
            let wanted = normalizedKey(explicitName)
            return keys.firstIndex { normalizedKey($0) == wanted }
        }
        let normalizedKeys = keys.map(normalizedKey)
        for alias in aliases(for: role, lossKind: lossKind) {
            if let index = normalizedKeys.firstIndex(of: normalizedKey(alias)) { return index }
        }
        return nil
    }
}
