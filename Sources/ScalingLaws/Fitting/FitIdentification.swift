/// Whether a fit's parameters describe the curves it was fitted to, or only reproduce them with
/// values no run of the law's kind has: the verdict stored with a fit (FIT.json `identification`).
///
/// A fit is *not identified* when a parameter
/// ```
/// sits at a bound of its search range          (the data would take it further: α = 0.001)
/// has the wrong sign for the law               (annealing: L0, A or C < 0; multi-power: L0, A or B < 0)
///   (only α's bound and λ's are judged: the multi-power γ and β bounds end families of shapes)
/// has a standard error larger than its value   (L0 = −85 ± 16359)
/// ```
/// Such a fit can match the fitted points closely (R² 0.998) while its predictions, and the bands
/// around them, mean nothing. The verdict names the likely cause from the curves themselves (a
/// loss that rises again, too few points, a loss not yet falling) and what to do. A committee is
/// not identified when most of its members are not (its median leaves out a minority that is off).
public struct FitIdentification: Sendable, Equatable, Codable {
    /// Why the parameters are not determined, judged from the fitted curves.
    public enum Cause: String, Sendable, Equatable, Codable, CaseIterable {
        /// A curve's loss rises again after its lowest point: overfitting, or repeated epochs.
        case risingLoss
        /// A curve's loss does not fall over the fitted window (yet).
        case notDecreasing
        /// Too few fitted points for the law's parameters.
        case tooFewPoints
        /// The curves fall, but do not separate the law's parameters (one short curve, one schedule).
        case curvesTooSimilar
    }

    /// False when the fit's parameters do not describe the runs (see the type's rules).
    public var identified: Bool
    /// Each parameter's findings in words, e.g. `L0 = -85.2: below 0, standard error 1.6e+04 larger
    /// than the value`, `alpha = 0.001: at the bound of its range 0.001…5`; for a committee, each
    /// unidentified member's label and findings.
    public var problems: [String]
    /// The likely cause (nil when identified).
    public var cause: Cause?
    /// The cause with its evidence from the curves, e.g. `the loss of ft.csv rises from 1.92 at step
    /// 3000 to 2.05 at step 5000: overfitting, or repeated epochs`.
    public var explanation: String?
    /// What to do, in the library's words (no command-line flags).
    public var advice: String?
    /// The step of the lowest loss before a rise (with `risingLoss`): where a fitting window should end.
    public var lowestLossStep: Int?
    /// For a committee: the members that are not identified, by label.
    public var members: [String]?

    public init(identified: Bool, problems: [String], cause: Cause? = nil, explanation: String? = nil, advice: String? = nil,
                lowestLossStep: Int? = nil, members: [String]? = nil) {
        self.identified = identified
        self.problems = problems
        self.cause = cause
        self.explanation = explanation
        self.advice = advice
        self.lowestLossStep = lowestLossStep
        self.members = members
    }

    /// A fit whose parameters raised no doubt.
    public static let identified = FitIdentification(identified: true, problems: [])

    /// One line for warnings: what is wrong, the likely cause and what to do.
    public var summary: String {
        guard !identified else { return "the fit's parameters are identified" }
        let shown = problems.prefix(2).joined(separator: "; ") + (problems.count > 2 ? "; and \(problems.count - 2) more" : "")
        let what = members.map { "\($0.count) committee member\($0.count == 1 ? "" : "s") do\($0.count == 1 ? "es" : "") not: " } ?? ""
        var parts = ["the fit does not identify the law's parameters (\(what)\(shown))"]
        if let explanation { parts.append("likely cause: \(explanation)") }
        if let advice { parts.append(advice) }
        return parts.joined(separator: ". ")
    }
}
