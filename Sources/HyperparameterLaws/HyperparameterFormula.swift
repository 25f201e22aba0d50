/// Which hyperparameter a law predicts and from which variables, written like `lr ~ N + D`.
///
/// ```
/// "y ~ x₁ + x₂ + …"   means   ln y* = c₀ + Σⱼ cⱼ · ln xⱼ
/// ```
/// Targets: `lr` (also `eta`, `learning_rate`) and `bs` (also `B`, `batch`, `batch_size`; in
/// tokens). Variables: `N` (non-embedding parameters), `D` (tokens), `C` (= 6·N·D, FLOPs), and
/// any other numeric column of the sweep that is constant within each (N, D) group. `y ~ 1`
/// is a constant.
public struct HyperparameterFormula: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The predicted hyperparameter.
    public enum Target: String, Sendable, Equatable, Codable {
        /// The peak learning rate.
        case learningRate = "lr"
        /// The batch size in tokens.
        case batchSize = "bs"
    }

    /// What the law predicts.
    public var target: Target
    /// The variables whose logarithms enter, in order.
    public var terms: [String]

    /// Step Law's learning-rate form, `lr ~ N + D`.
    public static let stepLawLearningRate = HyperparameterFormula(target: .learningRate, terms: ["N", "D"])
    /// Step Law's batch-size form, `bs ~ D`.
    public static let stepLawBatchSize = HyperparameterFormula(target: .batchSize, terms: ["D"])

    /// A formula from its parts.
    public init(target: Target, terms: [String]) {
        self.target = target
        self.terms = terms
    }

    /// Reads `text`, e.g. `"lr ~ N + D"`.
    /// - Throws: `SweepError.invalidFormula` naming what is wrong.
    public init(parsing text: String) throws(SweepError) {
        let sides = text.split(separator: "~", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count == 2 else { throw .invalidFormula(formula: text, reason: "it needs exactly one ~ between the target and the variables") }
        switch sides[0].lowercased() {
        case "lr", "eta", "learning_rate": target = .learningRate
        case "bs", "b", "batch", "batch_size": target = .batchSize
        default: throw .invalidFormula(formula: text, reason: "the target \"\(InputExcerpt.quoted(sides[0]))\" is neither lr nor bs")
        }
        let names = sides[1].split(separator: "+", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if names.contains(where: \.isEmpty) { throw .invalidFormula(formula: text, reason: "a + has no variable on one side") }
        terms = names == ["1"] ? [] : names
        if terms.contains("1") { throw .invalidFormula(formula: text, reason: "the intercept is always included; write 1 only alone, as in lr ~ 1") }
        if Set(terms).count != terms.count { throw .invalidFormula(formula: text, reason: "a variable appears twice") }
    }

    /// `lr ~ N + D`.
    public var description: String {
        "\(target.rawValue) ~ \(terms.isEmpty ? "1" : terms.joined(separator: " + "))"
    }

    /// The value of variable `name` for a group: N, D, C = 6·N·D, or a covariate constant in it.
    static func value(of name: String, parameters: Double, tokens: Double, covariates: [String: Double]) -> Double? {
        switch name {
        case "N": return parameters
        case "D": return tokens
        case "C": return 6 * parameters * tokens
        default: return covariates[name]
        }
    }

    /// The variables every sweep has.
    static let builtInVariables = ["N", "D", "C"]

    /// Checks that every variable exists, with one value per group, in every group of `sweep`.
    func validate(against sweep: Sweep) throws(SweepError) {
        for name in terms where !Self.builtInVariables.contains(name) {
            guard sweep.covariateNames.contains(name) else {
                throw .unknownVariable(formula: description, name: name, available: Self.builtInVariables + sweep.covariateNames)
            }
            if let group = sweep.groups.first(where: { $0.covariates[name] == nil }) {
                throw .covariateVaries(source: sweep.source, name: name, group: group.label)
            }
        }
    }
}
