/// Why a sweep cannot give a hyperparameter law, or a law cannot give a recommendation. Each
/// message is one line that names the sweep (and the group) and says what to do.
public enum SweepError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The sweep has no runs.
    case emptySweep(source: String)
    /// Run `index` (0-based, in input order) has a value that is not finite and positive.
    case invalidRun(source: String, index: Int, quantity: String, value: Double)
    /// Fewer (N, D) groups than the laws have coefficients.
    case tooFewGroups(source: String, groups: Int, needed: Int)
    /// A group's runs use fewer than three distinct learning rates.
    case tooFewLearningRates(source: String, group: String, count: Int)
    /// A group's runs use fewer than three distinct batch sizes.
    case tooFewBatchSizes(source: String, group: String, count: Int)
    /// The groups do not vary enough to determine every coefficient of a law.
    case lawUndetermined(source: String, formula: String, term: String)
    /// A law formula could not be read.
    case invalidFormula(formula: String, reason: String)
    /// A law formula names a variable the sweep does not have.
    case unknownVariable(formula: String, name: String, available: [String])
    /// A covariate used in a formula takes several values inside one group.
    case covariateVaries(source: String, name: String, group: String)
    /// A setting is out of range.
    case invalidSetting(String)
    /// A recommendation was asked for at a model size or token count that is not finite and positive.
    case invalidQuery(String)
    /// A law holds a different number of coefficients than its formula has terms (an edited file).
    case coefficientCount(formula: String, count: Int, needed: Int)
    /// A law's formula names a covariate the request gives no value for.
    case missingCovariate(formula: String, name: String)
    /// A request gives a covariate that no formula of the law uses (`valid`: those it uses).
    case unusedCovariate(name: String, valid: [String])
    /// The sweep counted batches in tokens and the request gives no sequence length.
    case sequenceLengthNeeded
    /// The law holds no bootstrap draws to give intervals from.
    case noBootstrapDraws
    /// The power scheduler has no batch-size law and the request gives no batch size.
    case batchSizeNeeded

    public var description: String {
        switch self {
        case .emptySweep(let source):
            return "\(source): the sweep has no runs; it needs runs at several learning rates and batch sizes for several (N, D) pairs"
        case .invalidRun(let source, let index, let quantity, let value):
            return "\(source): run \(index + 1) has \(quantity) \(value); every value must be finite and positive: fix or remove that run"
        case .tooFewGroups(let source, let groups, let needed):
            return "\(source): \(groups) (N, D) group\(groups == 1 ? "" : "s") cannot determine a law with \(needed) coefficients; add runs at \(needed - groups) more (model size, token count) pair\(needed - groups == 1 ? "" : "s"), or drop terms from the formula"
        case .tooFewLearningRates(let source, let group, let count):
            return "\(source): group \(group) has runs at \(count) learning rate\(count == 1 ? "" : "s"); locating its optimum needs at least 3: add runs at other learning rates or remove the group"
        case .tooFewBatchSizes(let source, let group, let count):
            return "\(source): group \(group) has runs at \(count) batch size\(count == 1 ? "" : "s"); locating its optimum needs at least 3: add runs at other batch sizes or remove the group"
        case .lawUndetermined(let source, let formula, let term):
            let term = InputExcerpt.quoted(term)
            return "\(source): the groups do not vary enough to determine the \(term) term of \(InputExcerpt.quoted(formula)); remove \(term) from the formula or add groups that differ in it"
        case .invalidFormula(let formula, let reason):
            return "invalid law formula \"\(InputExcerpt.quoted(formula))\": \(reason); write it as e.g. \"lr ~ N + D\" or \"bs ~ D\""
        case .unknownVariable(let formula, let name, let available):
            return "law formula \"\(InputExcerpt.quoted(formula))\": no variable \"\(InputExcerpt.quoted(name))\"; available: \(available.map { InputExcerpt.quoted($0) }.joined(separator: ", "))"
        case .covariateVaries(let source, let name, let group):
            return "\(source): column \"\(InputExcerpt.quoted(name))\" takes several values in group \(group); a law's predictors must be constant within each (N, D) group"
        case .invalidSetting(let message):
            return "invalid setting: \(message)"
        case .invalidQuery(let message):
            return "invalid recommendation request: \(message)"
        case .unusedCovariate(let name, let valid):
            return "the law's formulas use no covariate \"\(InputExcerpt.quoted(name))\"; " + (valid.isEmpty ? "they use none, so give no covariate values" : "they use \(valid.map { InputExcerpt.quoted($0) }.joined(separator: ", "))")
        case .coefficientCount(let formula, let count, let needed):
            return "invalid recommendation request: the law \(InputExcerpt.quoted(formula)) holds \(count) coefficients instead of \(needed); fit it again from its sweep"
        case .missingCovariate(let formula, let name):
            return "invalid recommendation request: the law \(InputExcerpt.quoted(formula)) needs a value for \(InputExcerpt.quoted(name)); give one"
        case .sequenceLengthNeeded:
            return "invalid recommendation request: the sweep's batch sizes were in tokens, so give the sequence length to count the batch in sequences"
        case .noBootstrapDraws:
            return "invalid recommendation request: the law holds no bootstrap draws; fit it again from its sweep with bootstrap resamples"
        case .batchSizeNeeded:
            return "invalid recommendation request: the power scheduler gives no batch-size law; give the batch size you will use"
        }
    }
}
