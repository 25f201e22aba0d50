/// Where a law's parameter must lie for its formula to describe a loss curve.
///
/// ```
/// finite            −∞ < x < ∞
/// positive          x > 0
/// negative          x < 0
/// openUnitInterval  0 < x < 1
/// ```
/// NaN and infinities lie in none of them.
public enum ParameterRange: Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case finite
    case positive
    case negative
    case openUnitInterval

    /// Whether `value` lies in the range.
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        switch self {
        case .finite: return true
        case .positive: return value > 0
        case .negative: return value < 0
        case .openUnitInterval: return value > 0 && value < 1
        }
    }

    /// The range in words, as it follows a value: "a finite number", "> 0", "in (0, 1)".
    public var description: String {
        switch self {
        case .finite: return "a finite number"
        case .positive: return "a finite number > 0"
        case .negative: return "a finite number < 0"
        case .openUnitInterval: return "in (0, 1)"
        }
    }

    /// Throws when `value` of the parameter `name` lies outside the range.
    func check(_ name: String, _ value: Double) throws(LawParameterError) {
        guard contains(value) else { throw LawParameterError(parameter: name, value: value, range: self) }
    }
}
