import NonlinearLeastSquares

/// A fitter of one law to one or more training curves jointly: `AnnealingFitter`,
/// `MultiPowerFitter` and `ExponentialFitter`.
public protocol LossLawFitter: Sendable {
    /// Fits the law to `curves` jointly.
    /// - Throws: `FitError` when the curves cannot determine the law or the solver fails.
    func fit(_ curves: [TrainingCurve]) throws(FitError) -> FitResult
}

extension AnnealingFitter: LossLawFitter {}
extension MultiPowerFitter: LossLawFitter {}
extension ExponentialFitter: LossLawFitter {}
