import Foundation

/// One fitted parameter with its uncertainty and whether the data determine it.
public struct FittedParameter: Sendable, Equatable, Codable {
    /// How the value was obtained.
    public enum Status: String, Sendable, Equatable, Codable {
        /// Estimated from the data.
        case fitted
        /// Held at a value the user (or a default) chose.
        case fixed
        /// The data cannot determine it; the value shown is a placeholder that does not affect
        /// predictions for the fitted curves.
        case undetermined
    }

    public var name: String
    public var value: Double
    /// Standard error from the Jacobian at the optimum (nil when fixed or undetermined).
    public var standardError: Double?
    public var status: Status
    /// Why a parameter is fixed or undetermined, in words.
    public var note: String?

    public init(name: String, value: Double, standardError: Double? = nil, status: Status, note: String? = nil) {
        self.name = name
        self.value = value
        self.standardError = standardError
        self.status = status
        self.note = note
    }
}

/// How the annealing law's λ is chosen.
public enum LambdaChoice: Sendable, Equatable, Codable, CustomStringConvertible {
    /// λ held at this value in (0, 1).
    case fixed(Double)
    /// λ estimated with the other parameters.
    case fit

    public var description: String {
        switch self {
        case .fixed(let value): return "fixed \(value)"
        case .fit: return "fit"
        }
    }
}

/// What the fit minimises over all points of all curves.
public enum FitObjective: Sendable, Equatable, Codable, CustomStringConvertible {
    /// `Σ Huber_δ(log L̂ − log L)`, summed over points (the annealing-law paper's objective).
    case huber(delta: Double)
    /// `Σ (log L̂ − log L)²`.
    case leastSquares
    /// `Σ (L̂/L − 1)²`, the first-order form of `leastSquares` that keeps a law's linear
    /// parameters linear (the exponential forecast's objective; the annealing and multi-power
    /// fitters treat it as `leastSquares`).
    case relativeLeastSquares

    public var description: String {
        switch self {
        case .huber(let delta): return "Huber(δ=\(delta)) on log loss, summed"
        case .leastSquares: return "least squares on log loss"
        case .relativeLeastSquares: return "least squares on relative error"
        }
    }
}

/// The settings a fit ran with.
public struct FitSettings: Sendable, Equatable, Codable {
    /// How λ was chosen (annealing law only).
    public var lambda: LambdaChoice?
    public var warmup: WarmupConvention
    public var objective: FitObjective
    /// Number of starting points tried.
    public var starts: Int
    /// The prior on a fitted λ, if any.
    public var lambdaPrior: LambdaPrior?
    /// How a multi-power fit ran (drop amplitude, held parameters, bounds).
    public var multiPower: MultiPowerFitOptions?
    /// How an exponential (AutoLRS forecast) fit ran: its recent window and b's range.
    public var exponential: ExponentialFitOptions?

    public init(lambda: LambdaChoice?, warmup: WarmupConvention, objective: FitObjective, starts: Int, lambdaPrior: LambdaPrior? = nil) {
        self.lambda = lambda
        self.warmup = warmup
        self.objective = objective
        self.starts = starts
        self.lambdaPrior = lambdaPrior
    }
}

/// How the fit went.
public struct FitStatistics: Sendable, Equatable, Codable {
    /// Goodness of fit on the fitted points (mean over curves).
    public var metrics: PredictionMetrics
    /// The minimised objective.
    public var objective: Double
    /// Solver iterations over all stages and starts.
    public var iterations: Int
    /// Whether the best start's solver met its convergence test.
    public var converged: Bool
    /// Points excluded before fitting and why (e.g. no learning-rate area yet at step 0).
    public var excludedPoints: Int

    public init(metrics: PredictionMetrics, objective: Double, iterations: Int, converged: Bool, excludedPoints: Int) {
        self.metrics = metrics
        self.objective = objective
        self.iterations = iterations
        self.converged = converged
        self.excludedPoints = excludedPoints
    }
}

/// A curve that entered a fit.
public struct FittedCurve: Sendable, Equatable, Codable {
    public var name: String
    public var points: Int
    public var firstStep: Int
    public var lastStep: Int
    public var learningRateSource: LearningRateSource
    public var metrics: PredictionMetrics
    /// The lowest and highest learning rate over the fitted steps (nil in fits from older versions).
    public var learningRateRange: ClosedRange<Double>?
    /// The longest cooldown over the fitted steps: steps since the LR was last at 90 % or more of its
    /// peak so far (`Extrapolation`; nil in fits from older versions and for schedule-blind laws).
    public var longestDecaySteps: Int?
    /// The LR area S1 = Σ η_t at the last fitted step (nil in fits from older versions).
    public var learningRateArea: Double?

    /// The log, loss series and window the points came from (nil in fits from older versions, and
    /// for curves that were not read from a log).
    public var source: CurveSource?

    public init(name: String, points: Int, firstStep: Int, lastStep: Int, learningRateSource: LearningRateSource, metrics: PredictionMetrics,
                learningRateRange: ClosedRange<Double>? = nil, longestDecaySteps: Int? = nil, learningRateArea: Double? = nil,
                source: CurveSource? = nil) {
        self.name = name
        self.points = points
        self.firstStep = firstStep
        self.lastStep = lastStep
        self.learningRateSource = learningRateSource
        self.metrics = metrics
        self.learningRateRange = learningRateRange
        self.longestDecaySteps = longestDecaySteps
        self.learningRateArea = learningRateArea
        self.source = source
    }
}

/// The covariance matrix of a fit's free parameters, for uncertainty bands by the delta method.
public struct ParameterCovariance: Sendable, Equatable, Codable {
    /// Parameter names, in the order of the matrix's rows and columns.
    public var parameters: [String]
    /// Symmetric, in the parameters' units squared; rows and columns of undetermined parameters are 0.
    public var matrix: [[Double]]

    public init(parameters: [String], matrix: [[Double]]) {
        self.parameters = parameters
        self.matrix = matrix
    }
}

/// Everything a fit produced: the law, its parameters with uncertainties, the settings, the
/// statistics and the curves it was fitted on. Written to and read from FIT.json.
///
/// The law and what describes it (parameters, covariance, statistics, notes) form one fit of one
/// law; the checks around it (law selection, baselines, bootstrap, ranking check) refer to it. A
/// committee of laws can hold several such fits with weights: `FittedLaw` codes itself (kind and
/// parameters) into whatever holds it, and FIT.json's format number marks the files that add them.
public struct FitResult: Sendable, Equatable {
    /// The fitted law with its parameter values.
    public var law: FittedLaw
    /// With `--law auto`: every candidate's leave-one-curve-out error and the choice.
    public var lawSelection: LawSelection.Outcome?
    public var parameters: [FittedParameter]
    public var settings: FitSettings
    public var statistics: FitStatistics
    public var curves: [FittedCurve]
    /// Plain-language warnings: undetermined parameters, excluded points, poor convergence.
    public var notes: [String]
    /// The covariance of the fitted parameters (nil when it could not be computed).
    public var covariance: ParameterCovariance?
    /// Baselines fitted on the same curves, for comparison in `evaluate`.
    public var baselines: FitBaselines?
    /// Replicate fits of a block bootstrap, for prediction bands.
    public var bootstrap: BootstrapSample?
    /// A second fit of the same curves against which rankings of schedules are checked (fits of
    /// one law; a committee checks orders by its members instead).
    public var rankingCheck: RankingCheck?
    /// The fits whose combined prediction is this fit's prediction, when it is a committee's; `law`
    /// and `parameters` are then the first member's.
    public var committee: Committee?
    /// Whether the parameters describe the curves (nil in fits from older versions and of the
    /// exponential forecast, which refuses a loss that does not fall).
    public var identification: FitIdentification?

    public init(law: FittedLaw, parameters: [FittedParameter], settings: FitSettings,
                statistics: FitStatistics, curves: [FittedCurve], notes: [String], covariance: ParameterCovariance? = nil) {
        self.law = law
        self.parameters = parameters
        self.settings = settings
        self.statistics = statistics
        self.curves = curves
        self.notes = notes
        self.covariance = covariance
    }

    /// What predicts: the committee's combined law when the fit is a committee's, else the law.
    public var predictor: any LossLaw { committee?.law ?? law.lossLaw }

    /// What the fit is, in words: `committee (median of 4 laws)` or the law's name.
    public var lawDescription: String {
        guard let committee else { return law.name }
        return "committee (\(committee.combination.rawValue) of \(committee.members.count) laws)"
    }

    /// The fitted annealing law, when the fit is one.
    public var annealing: AnnealingLaw? { law.annealing }
    /// The fitted multi-power law, when the fit is one.
    public var multiPower: MultiPowerLaw? { law.multiPower }
    /// The fitted exponential forecast, when the fit is one.
    public var exponential: ExponentialLaw? { law.exponential }

    /// The fitted law with each bootstrap replicate's parameters (empty without a bootstrap).
    public var replicateLaws: [FittedLaw] {
        guard let bootstrap, bootstrap.parameterNames == law.parameterNames else { return [] }
        return bootstrap.replicates.map { law.withParameterValues($0) }
    }
}
