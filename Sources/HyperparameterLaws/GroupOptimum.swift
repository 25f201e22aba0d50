/// The located optimum of one (N, D) group, with what located it and how well.
public struct GroupOptimum: Sendable, Equatable, Codable {
    /// The optimal peak learning rate η*.
    public var learningRate: Double
    /// The optimal batch size B* in tokens.
    public var batchSizeTokens: Double
    /// The loss at the optimum: the surrogate's value there, or the best run's loss.
    public var loss: Double
    /// What located the optimum.
    public var method: OptimumMethod
    /// Why a simpler method had to be used, when one was.
    public var note: String?
    /// Indices into the group's runs of the runs the surrogate (or the near-best rule) used.
    public var usedRuns: [Int]
    /// The surrogate of ln L over (ln η, ln B), when one was accepted.
    public var surrogate: BivariatePolynomial?
    /// RMS of the surrogate's ln-loss residuals over the runs it used (≈ relative error).
    public var fitError: Double?
    /// RMS of the leave-one-run-out prediction errors of ln L over the runs it used.
    public var heldOutError: Double?
    /// The (ln η, ln B) points the group contributes to the laws' regression: the optimum, or
    /// every near-best run.
    public var regressionPoints: [[Double]]

    /// An optimum from its parts.
    public init(learningRate: Double, batchSizeTokens: Double, loss: Double, method: OptimumMethod, note: String? = nil,
                usedRuns: [Int], surrogate: BivariatePolynomial? = nil, fitError: Double? = nil,
                heldOutError: Double? = nil, regressionPoints: [[Double]]) {
        self.learningRate = learningRate
        self.batchSizeTokens = batchSizeTokens
        self.loss = loss
        self.method = method
        self.note = note
        self.usedRuns = usedRuns
        self.surrogate = surrogate
        self.fitError = fitError
        self.heldOutError = heldOutError
        self.regressionPoints = regressionPoints
    }
}
