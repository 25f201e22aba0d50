/// Why a refined schedule cannot be made from the inputs given.
public enum RefinementError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Fewer usable (finite, positive) gradient norms than the method needs.
    case tooFewNorms(usable: Int, needed: Int)
    /// The run is too short to have a decay.
    case tooFewSteps(Int)
    /// The run is longer than `Schedule.maximumSteps`.
    case tooManySteps(Int)
    /// The peak learning rate is not a positive finite number.
    case invalidPeak(Double)
    /// The median window fraction is outside (0, 1].
    case invalidSmoothing(Double)

    public var description: String {
        switch self {
        case .tooFewNorms(let usable, let needed):
            return "only \(usable) usable gradient norm\(usable == 1 ? "" : "s") (finite and > 0; need at least \(needed)); log the gradient norm at more steps, or read the series that holds them"
        case .tooFewSteps(let total):
            return "total steps \(total): a refined schedule needs a run of at least 2 steps"
        case .tooManySteps(let total):
            return "total steps \(total): a refined schedule may have at most \(Schedule.maximumStepsText) steps (one learning rate per update is held in memory); count the run in coarser steps (e.g. units of 10 updates)"
        case .invalidPeak(let peak):
            return "peak learning rate \(peak): give a finite number > 0"
        case .invalidSmoothing(let fraction):
            return "median window \(fraction): give a fraction of the run in (0, 1] (the paper uses 0.1)"
        }
    }
}
