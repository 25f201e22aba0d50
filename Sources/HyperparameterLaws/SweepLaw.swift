/// Settings of a sweep fit: the laws' forms, how each group's optimum is located, the bootstrap.
public struct SweepLawSettings: Sendable, Equatable, Codable {
    /// The learning-rate law (Step Law's `lr ~ N + D` by default).
    public var learningRateFormula = HyperparameterFormula.stepLawLearningRate
    /// The batch-size law (Step Law's `bs ~ D` by default).
    public var batchSizeFormula = HyperparameterFormula.stepLawBatchSize
    /// How each group's optimum is located.
    public var optimum = OptimumSettings()
    /// The bootstrap over groups behind the intervals.
    public var bootstrap = BootstrapSettings()

    /// The default settings.
    public init() {}
}

/// One fitted law with its uncertainty.
public struct FittedHyperparameterLaw: Sendable, Equatable, Codable {
    /// The law fitted to every group.
    public var law: HyperparameterLaw
    /// Percentile intervals of (ln c₀, a₁, …) over the bootstrap resamples.
    public var coefficientIntervals: [ConfidenceInterval]
    /// RMS of the ln-target residuals of the regression points (≈ relative scatter of the
    /// groups' optima around the law).
    public var residualError: Double
    /// The coefficients (ln c₀, a₁, …) fitted to each bootstrap resample, in draw order.
    public var bootstrapCoefficients: [[Double]]
}

/// One group of the sweep as the fit saw it: its runs, its located optimum, and the law's value.
public struct GroupFit: Sendable, Equatable, Codable {
    /// The group and its runs (the landscape).
    public var group: SweepGroup
    /// Its located optimum.
    public var optimum: GroupOptimum
    /// The learning-rate law's η* at the group's (N, D).
    public var lawLearningRate: Double
    /// The batch-size law's B* (tokens) at the group's (N, D).
    public var lawBatchSizeTokens: Double
}

/// The range of model sizes and token counts a law was fitted on.
public struct SweepDomain: Sendable, Equatable, Codable {
    /// Smallest and largest N.
    public var parameters: ConfidenceInterval
    /// Smallest and largest D.
    public var tokens: ConfidenceInterval
}

/// Hyperparameter laws fitted to a sweep, with everything behind them: LAW.json.
///
/// Holds the two laws with bootstrap intervals, every group's runs and located optimum (the data
/// of landscape plots), the law's value at each group (the data of law plots), the average
/// landscape shape (for the range near the optimum at a new size) and the settings.
public struct SweepLaw: Sendable, Equatable, Codable {
    /// Identifies the file kind and version.
    public var format = "lossfit sweep law 1"
    /// The sweep the law was fitted to.
    public var source: String
    /// Tokens per sequence of the sweep's batches, when known; recommendations count sequences
    /// in it unless told otherwise.
    public var sequenceLength: Int?
    /// The settings of the fit.
    public var settings: SweepLawSettings
    /// The learning-rate law.
    public var learningRate: FittedHyperparameterLaw
    /// The batch-size law (B in tokens).
    public var batchSize: FittedHyperparameterLaw
    /// Bootstrap draws replaced because the drawn groups could not determine the laws.
    public var bootstrapRedrawn: Int
    /// Every group.
    public var groups: [GroupFit]
    /// The average landscape shape around the optimum; nil when no group had a surrogate.
    public var landscape: LandscapeShape?
    /// The model sizes and token counts the law was fitted on.
    public var domain: SweepDomain
}
