/// A logged learning rate that disagrees with the schedule given for its run.
public struct LearningRateMismatch: Sendable, Equatable {
    /// The logged step.
    public var step: Int
    /// The learning rate the log records at `step`.
    public var logged: Double
    /// The schedule's learning rate at `step`.
    public var scheduled: Double
    /// `|logged − scheduled| / max(scheduled, 0.01·peak)` at `step` (see `Schedule.firstMismatch`).
    public var relativeDifference: Double
}

extension Schedule {
    /// The first logged learning rate that this schedule does not reproduce within `tolerance`.
    ///
    /// A logged rate matches when it is within `tolerance` of the schedule at its step or at an
    /// adjacent one, because trainers differ in whether they log the rate just used or the next:
    /// ```
    /// min over s' ∈ {s−1, s, s+1} of |logged(s) − η(s')| / max(η(s'), 0.01·peak) ≤ tolerance
    /// ```
    /// The floor of 1 % of the peak keeps rates near zero (the end of a decay to 0) from failing on
    /// rounding in the log. Warmup steps are not checked: trainers differ in where the ramp ends
    /// (Hugging Face's linear warmup reaches the peak at step W, this catalog at step W − 1, as
    /// numpy's `linspace`), which changes every warmup rate by up to 1/W.
    /// - Parameters:
    ///   - steps: Logged steps; those past `totalSteps` are not checked (the curve reports them).
    ///   - rates: The logged learning rate at each step.
    ///   - tolerance: Largest relative difference accepted, e.g. 0.01 for 1 %.
    public func firstMismatch(loggedSteps steps: [Int], rates: [Double], tolerance: Double = 0.01) -> LearningRateMismatch? {
        let floor = 0.01 * max(peak, warmupStart)
        for (step, logged) in zip(steps, rates) where step >= warmupSteps && step <= totalSteps && logged.isFinite {
            func difference(at neighbour: Int) -> Double {
                let scheduled = learningRate(atStep: neighbour)
                return abs(logged - scheduled) / max(scheduled, floor)
            }
            let neighbours = [step - 1, step, step + 1].filter { $0 >= 0 && $0 <= totalSteps }
            if neighbours.allSatisfy({ difference(at: $0) > tolerance }) {
                return LearningRateMismatch(step: step, logged: logged, scheduled: learningRate(atStep: step),
                                            relativeDifference: difference(at: step))
            }
        }
        return nil
    }
}
