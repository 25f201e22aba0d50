/// Why a sweep cannot give a batch-size transfer rule, or a transfer cannot be made. Each message
/// is one line that says what to do.
public enum BatchSizeTransferError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No group has enough batch sizes (each with enough learning rates); `groups` pairs each
    /// group's label with its usable batch sizes.
    case tooFewBatchSizes(source: String, groups: [String], batchSizes: [Int], needed: Int, learningRatesNeeded: Int)
    /// A learning rate or batch size of a transfer is not finite and positive.
    case invalidValue(name: String, value: Double)
    /// A noise-scale rule was asked for without a fitted law to take B_noise from.
    case noiseScaleNeeded(rule: String)
    /// The least-squares fit of a noise-scale rule failed.
    case fitFailed(group: String, rule: String, reason: String)
    /// A rule name that is not one of `BatchSizeTransferRule.allCases`.
    case unknownRule(name: String)
    /// An optimizer name that is not one of `TransferOptimizer.allCases`.
    case unknownOptimizer(name: String)
    /// A law has no group to take the noise scale from.
    case emptyLaw(source: String)

    public var description: String {
        switch self {
        case .tooFewBatchSizes(let source, let groups, let batchSizes, let needed, let learningRatesNeeded):
            let listed = zip(groups, batchSizes).prefix(4).map { "\($0) (\($1) batch size\($1 == 1 ? "" : "s"))" }.joined(separator: "; ")
            let more = groups.count > 4 ? "; and \(groups.count - 4) more" : ""
            return "\(source): no (N, D) group has enough batch sizes to compare transfer rules: \(listed)\(more); each group needs at least \(needed) batch sizes with \(learningRatesNeeded) or more learning rates each: add runs at other batch sizes"
        case .invalidValue(let name, let value):
            return "\(name) must be finite and positive, got \(value)"
        case .noiseScaleNeeded(let rule):
            return "the \(rule) rule needs a fitted noise scale: give a transfer law fitted to a sweep, or use sqrt, linear or constant"
        case .fitFailed(let group, let rule, let reason):
            return "group \(group): the \(rule) fit failed (\(reason)); check that group's runs or drop it from the sweep"
        case .unknownRule(let name):
            return "unknown transfer rule \"\(name)\"; valid rules: \(BatchSizeTransferRule.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownOptimizer(let name):
            return "unknown optimizer \"\(name)\"; valid optimizers: \(TransferOptimizer.allCases.map(\.rawValue).joined(separator: ", "))"
        case .emptyLaw(let source):
            return "\(source): the transfer law has no groups; fit it again from its sweep"
        }
    }
}
