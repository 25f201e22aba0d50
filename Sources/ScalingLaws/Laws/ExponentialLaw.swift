import Foundation

/// The AutoLRS loss forecast: an exponential decay to a floor, in steps, blind to the schedule.
///
/// ```
/// L(s) = a · e^(b·x) + c,   x = s / stepScale,   a > 0,  b < 0
/// ```
/// Jin et al. (2021), "AutoLRS: Automatic Learning-Rate Schedule by Bayesian Optimization on the
/// Fly", ICLR 2021 (code YuchenJin/autolrs): fitted to the loss of the last few hundred steps to
/// forecast it τ steps ahead. It reads the step only: two runs with different schedules get the
/// same prediction, so it cannot tell a cooldown from a constant learning rate. lossfit offers it
/// as the baseline of short-horizon curve extrapolation (`ExponentialFitter`).
///
/// `stepScale` (a setting, not a parameter: the last step the law was fitted on) makes `b` a rate
/// per fitted horizon, so that its search range does not depend on the run's length.
public struct ExponentialLaw: LossLaw, Sendable, Equatable, Codable {
    public static let name = "exponential"

    /// The amplitude a (loss units, > 0 for a decreasing loss).
    public var a: Double
    /// The decay rate b (< 0) per `stepScale` steps.
    public var b: Double
    /// The floor c the loss approaches (loss units).
    public var c: Double
    /// The steps that make one unit of x (> 0).
    public var stepScale: Double

    public init(a: Double, b: Double, c: Double, stepScale: Double) {
        precondition(stepScale > 0 && stepScale.isFinite, "ExponentialLaw: the step scale must be positive, got \(stepScale)")
        self.a = a
        self.b = b
        self.c = c
        self.stepScale = stepScale
    }

    public var parameterNames: [String] { ["a", "b", "c"] }
    public var parameterValues: [Double] { [a, b, c] }

    /// Where a, b and c must lie: a > 0 and b < 0 (a decay, as the fitter keeps them), c any
    /// finite number; the step scale must be > 0 too.
    public static let parameterRanges: [ParameterRange] = [.positive, .negative, .finite]

    public func validate() throws(LawParameterError) {
        try validateParameters(Self.parameterRanges)
        try ParameterRange.positive.check("stepScale", stepScale)
    }

    public func withParameterValues(_ values: [Double]) -> ExponentialLaw {
        precondition(values.count == 3, "an exponential law has 3 parameters, got \(values.count)")
        return ExponentialLaw(a: values[0], b: values[1], c: values[2], stepScale: stepScale)
    }

    /// The loss at `step`.
    public func loss(atStep step: Int) -> Double {
        a * exp(b * Double(step) / stepScale) + c
    }

    /// The predicted loss at `steps`; `learningRates` is ignored (the law is schedule-blind).
    public func predictLoss(learningRates: [Double], at steps: [Int]) -> [Double] {
        steps.map(loss(atStep:))
    }

    /// The predicted loss at `steps` and its gradient with respect to (a, b, c).
    ///
    /// ```
    /// ∂L/∂a = e^(b·x)   ∂L/∂b = a·x·e^(b·x)   ∂L/∂c = 1
    /// ```
    public func predictLossAndGradient(at steps: [Int]) -> [(loss: Double, gradient: [Double])] {
        steps.map { step in
            let x = Double(step) / stepScale
            let decay = exp(b * x)
            return (a * decay + c, [decay, a * x * decay, 1])
        }
    }
}
