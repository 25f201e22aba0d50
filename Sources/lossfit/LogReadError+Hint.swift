import TrainingLogs

extension LogReadError {
    /// The message with the remedy said as the option that gives it, e.g. "name one with --loss-key".
    var commandLineDescription: String {
        description(sayingRemedyAs: \.commandLineHint)
    }
}

extension ReadRemedy {
    /// What to do, in lossfit's options.
    var commandLineHint: String {
        switch self {
        case .nameColumn(let role, _):
            return "name one with \(role.optionName)"
        case .nameEvaluationLoss:
            return "name one with --loss-key, or drop --eval"
        case .nameGradientNorm(let noun):
            return "log the gradient norm (grad_norm) or name its \(noun) with --grad-key"
        case .nameFormat:
            return "name it with --format"
        case .checkFormat:
            return "check --format"
        case .skipBadLines:
            return "fix that line, or skip such lines with --skip-bad-lines"
        case .giveSequenceLength(let orBatchUnit):
            return orBatchUnit ? "give --seq-len, or --batch-unit tokens if they count tokens" : "give the sequence length with --seq-len"
        }
    }
}

extension ReadColumn {
    /// The option that names this column.
    var optionName: String {
        switch self {
        case .log(.step): return "--step-key"
        case .log(.learningRate), .sweep(.learningRate): return "--lr-key"
        case .log(.loss), .sweep(.loss): return "--loss-key"
        case .sweep(.parameters): return "--params-key"
        case .sweep(.tokens): return "--tokens-key"
        case .sweep(.batchSize): return "--batch-key"
        case .sweep(.steps): return "--steps-key"
        case .sweep(.sequenceLength): return "--seq-len"
        }
    }
}
