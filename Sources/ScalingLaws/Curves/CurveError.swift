import Foundation

/// Why a loss curve cannot be used as given.
public enum CurveError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No loss points at all.
    case empty(curve: String)
    /// Steps and losses differ in count.
    case lengthMismatch(curve: String, steps: Int, losses: Int)
    /// A learning rate below zero or not finite.
    case invalidLearningRate(curve: String, step: Int, value: Double)
    /// A loss that is not finite or not positive.
    case invalidLoss(curve: String, step: Int, value: Double)
    /// Steps are not strictly increasing or negative.
    case unorderedSteps(curve: String, step: Int)
    /// The curve has no learning rates and no schedule was given.
    case noLearningRate(curve: String)
    /// Every learning rate up to the last logged step is 0: no learning-rate area, nothing to fit.
    case zeroLearningRate(curve: String)
    /// Logged steps reach past the end of the given schedule.
    case beyondSchedule(curve: String, step: Int, totalSteps: Int)
    /// A logged step beyond `Schedule.maximumSteps`, the most steps whose learning rates are held.
    case tooManySteps(curve: String, step: Int)
    /// The log's own learning rates disagree with the schedule given for it.
    case scheduleMismatch(curve: String, spec: String, mismatch: LearningRateMismatch)

    public var description: String {
        switch self {
        case .empty(let curve):
            return "\(curve): no loss points; check the loss column and the step range"
        case .lengthMismatch(let curve, let steps, let losses):
            return "\(curve): \(steps) steps but \(losses) losses; give one loss per step"
        case .invalidLearningRate(let curve, let step, let value):
            return "\(curve): learning rate \(value) at step \(step) is \(value < 0 ? "negative" : "not finite"); learning rates must be finite and ≥ 0"
        case .invalidLoss(let curve, let step, let value):
            return "\(curve): loss \(value) at step \(step) is not a positive finite number; the laws model positive losses"
        case .unorderedSteps(let curve, let step):
            return "\(curve): step \(step) is negative or not after the previous one; sort the steps and remove repeats"
        case .noLearningRate(let curve):
            return "\(curve): the log has no learning-rate column; name the column that holds the learning rate, or give the run's schedule"
        case .zeroLearningRate(let curve):
            return "\(curve): the learning rate is 0 at every step up to the last logged one, so training never moved and no law can describe the loss; check that the learning-rate series is the right one (not a column of zeros or a rate logged in other units), or give the run's schedule"
        case .beyondSchedule(let curve, let step, let total):
            return "\(curve): step \(step) lies past the schedule's last step \(total); give the schedule of the whole run (total=…)"
        case .tooManySteps(let curve, let step):
            return "\(curve): step \(step): a curve may reach at most step \(Schedule.maximumStepsText) (the learning rate of every step is held in memory); if the steps count tokens or samples, read the column of optimizer steps, else count them in coarser units (e.g. divide them by 10)"
        case .scheduleMismatch(let curve, let spec, let mismatch):
            let percent = String(format: "%.3g", mismatch.relativeDifference * 100)
            return "\(curve): the logged learning rate \(String(format: "%.4g", mismatch.logged)) at step \(mismatch.step) differs by \(percent) % (more than 1 %) from \(String(format: "%.4g", mismatch.scheduled)) in the schedule \(spec); correct the schedule, or drop it (and any .schedule sidecar) to use the logged rates"
        }
    }
}
