/// A law's parameter (or setting) outside the range where the law describes a loss curve: a fit
/// never produces one, so it comes from a damaged or hand-edited file.
public struct LawParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The parameter's name as in `LossLaw.parameterNames` (`lambda`, `alpha`), or a setting's (`stepScale`).
    public var parameter: String
    public var value: Double
    /// Where the value must lie.
    public var range: ParameterRange

    public init(parameter: String, value: Double, range: ParameterRange) {
        self.parameter = parameter
        self.value = value
        self.range = range
    }

    /// For example `lambda = 2.0 must be in (0, 1)`.
    public var description: String {
        "\(parameter) = \(value) must be \(range)"
    }
}
