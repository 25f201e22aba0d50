import Foundation
import NonlinearLeastSquares

/// A second fit of the same curves, used to check every ranking the main fit makes between
/// schedules. It is the annealing law at the paper's λ = 0.999 or, when the main fit already is
/// that, the annealing law with λ fitted under the default prior.
///
/// λ is weakly determined by two or three curves. A fitted λ and the paper's λ then often fit
/// equally well, but they disagree about how much a fast cooldown gains over a slow one. Where the
/// two fits order two schedules the same way, the order held on 97 % of the pairs of shared runs
/// ending at the same step. Where they disagreed (17 of 122 pairs), the λ-fitted order was wrong
/// 16 times (README, "Checking a ranking"). Unlike the bootstrap bands, which come from the fit's
/// noise, this check exposes the law's uncertain form.
public struct RankingCheck: Sendable, Equatable, Codable {
    /// What the check fit is, e.g. `annealing law, λ = 0.999`.
    public var label: String
    public var law: AnnealingLaw

    public init(label: String, law: AnnealingLaw) {
        self.label = label
        self.law = law
    }

    /// Fits the check for `main`, a fit of `curves`. The check uses `options` for everything
    /// except λ.
    /// - Returns: nil for an exponential fit, which cannot rank schedules, and when no curve anneals.
    ///   In that case λ is undetermined and both fits would give the same ranking.
    /// - Throws: the annealing fitter's `FitError`.
    public static func fit(_ curves: [TrainingCurve], main: FitResult, options: AnnealingFitOptions) throws(FitError) -> RankingCheck? {
        guard main.law.readsSchedule else { return nil }
        if let lambda = main.parameters.first(where: { $0.name == "lambda" }), lambda.status == .undetermined { return nil }
        var checkOptions = options
        let mainIsPaperLambda = main.law.kind == .annealing && main.settings.lambda == .fixed(AnnealingFitOptions.paperLambda)
        checkOptions.lambda = mainIsPaperLambda ? .fit : .fixed(AnnealingFitOptions.paperLambda)
        if mainIsPaperLambda { checkOptions.lambdaPrior = .paperRange }
        let result = try AnnealingFitter(options: checkOptions).fit(curves)
        guard let law = result.annealing, result.parameters.first(where: { $0.name == "C" })?.status != .undetermined else { return nil }
        let label = mainIsPaperLambda ? "annealing law, λ fitted (\(String(format: "%.4f", law.lambda)))" : "annealing law, λ = \(AnnealingFitOptions.paperLambda)"
        return RankingCheck(label: label, law: law)
    }
}
