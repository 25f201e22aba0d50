/// A law that predicts the loss of a training run from its per-step learning rates.
public protocol LossLaw: Sendable {
    /// The law's name as used on the command line and in results (e.g. `annealing`).
    static var name: String { get }
    /// Parameter names, in the order of `parameterValues`.
    var parameterNames: [String] { get }
    /// Parameter values.
    var parameterValues: [Double] { get }
    /// The predicted loss at `steps` (strictly increasing) of a run whose learning rate at step `s`
    /// is `learningRates[s]`.
    func predictLoss(learningRates: [Double], at steps: [Int]) -> [Double]
    /// The same law (and settings, such as the warmup convention) with other parameter values,
    /// given in the order of `parameterNames`.
    func withParameterValues(_ values: [Double]) -> Self
    /// Throws for the first parameter (or setting) outside the range where the law describes a loss
    /// curve, NaN and infinities included; a law read from a file is checked before it predicts.
    func validate() throws(LawParameterError)
}

extension LossLaw {
    /// Checks `parameterValues` against `ranges`, one per parameter in the order of `parameterNames`.
    func validateParameters(_ ranges: [ParameterRange]) throws(LawParameterError) {
        for (name, (value, range)) in zip(parameterNames, zip(parameterValues, ranges)) {
            try range.check(name, value)
        }
    }
}
