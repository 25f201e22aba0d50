import Foundation

/// What a recommendation is asked for.
public struct RecommendationRequest: Sendable, Equatable {
    /// N, non-embedding parameters, > 0.
    public var parameters: Double
    /// D, training tokens, > 0.
    public var tokens: Double
    /// Tokens per sequence for counting the batch in sequences (≥ 1); nil: the sweep's, or the
    /// preset paper's.
    public var sequenceLength: Int?
    /// The batch size (tokens) the run must use: the power scheduler needs it; a fitted law then
    /// gives the best learning rate at that batch instead of its own B*.
    public var batchSizeTokens: Double?
    /// Values of covariates that a fitted law's formula uses.
    public var covariates: [String: Double]

    /// A request.
    public init(parameters: Double, tokens: Double, sequenceLength: Int? = nil, batchSizeTokens: Double? = nil,
                covariates: [String: Double] = [:]) {
        self.parameters = parameters
        self.tokens = tokens
        self.sequenceLength = sequenceLength
        self.batchSizeTokens = batchSizeTokens
        self.covariates = covariates
    }

    func validate() throws(SweepError) {
        for (name, value) in [("the model size", parameters), ("the token count", tokens)] where !(value > 0 && value.isFinite) {
            throw .invalidQuery("\(name) must be finite and positive, got \(value)")
        }
        if let sequenceLength, sequenceLength < 1 { throw .invalidQuery("the sequence length must be at least 1, got \(sequenceLength)") }
        if let batchSizeTokens, !(batchSizeTokens > 0 && batchSizeTokens.isFinite) {
            throw .invalidQuery("the batch size must be finite and positive, got \(batchSizeTokens)")
        }
    }
}

/// How far a query lies outside the model sizes or token counts a law was fitted on.
public struct SweepExtrapolation: Sendable, Equatable, Codable {
    /// "N" or "D".
    public var quantity: String
    /// The value asked for.
    public var value: Double
    /// The sweep's nearest value: its largest when `value` is above, its smallest when below.
    public var sweepLimit: Double
    /// How many times beyond the limit (≥ 1): value / limit above, limit / value below.
    public var factor: Double
    /// True when `value` lies above the sweep, false below.
    public var isAbove: Bool
}

/// A recommended peak learning rate and batch size for one (N, D), with intervals and the range
/// predicted to stay near the optimum.
public struct Recommendation: Sendable, Equatable, Codable {
    /// N, non-embedding parameters.
    public var parameters: Double
    /// D, training tokens.
    public var tokens: Double
    /// Tokens per sequence used to count sequences.
    public var sequenceLength: Int
    /// The peak learning rate η*.
    public var learningRate: Double
    /// Bootstrap percentile interval of η*; nil for a published preset.
    public var learningRateInterval: ConfidenceInterval?
    /// The batch size B* in tokens.
    public var batchSizeTokens: Double
    /// Bootstrap percentile interval of B* in tokens; nil for a preset.
    public var batchSizeTokensInterval: ConfidenceInterval?
    /// The batch size in sequences: B* / sequence length rounded to the nearest whole sequence
    /// (at least 1), as `wholeSequences` rounds.
    /// A whole number, held as a Double so that a batch of any size fits (a query far outside the
    /// sweep can ask for more sequences than an Int holds).
    public var batchSizeSequences: Double
    /// The interval in sequences, each end rounded the same way.
    public var batchSizeSequencesInterval: ConfidenceInterval?
    /// True when the batch size was given (`RecommendationRequest.batchSizeTokens`) rather than
    /// recommended: the learning rate is then the best at that batch.
    public var batchSizeIsGiven: Bool
    /// Where N or D lies outside the sweep the law was fitted on (empty for a preset, or inside).
    public var outsideSweep: [SweepExtrapolation]
    /// Coverage of the intervals (e.g. 0.95); nil for a preset.
    public var confidence: Double?
    /// Learning rates predicted to keep the loss within `tolerance` of the optimum at B*; nil
    /// without a landscape (presets).
    public var learningRateRange: NearOptimumRange?
    /// Batch sizes (tokens) predicted to stay within `tolerance` at η*.
    public var batchSizeTokensRange: NearOptimumRange?
    /// The same range in sequences, each end rounded to a whole sequence.
    public var batchSizeSequencesRange: NearOptimumRange?
    /// The relative excess loss the ranges allow (0.0025 = 0.25 %).
    public var tolerance: Double
    /// Where the laws come from.
    public var law: String
    /// The laws as equations.
    public var formulas: [String]
    /// What the user should know: extrapolation, conventions, missing parts.
    public var notes: [String]

    /// Step Law's definition of "near the optimum": within 0.25 % of the best loss.
    public static let nearOptimumTolerance = 0.0025

    /// A batch of `tokens` in whole sequences of `length` tokens: rounded to the nearest, at least 1.
    public static func wholeSequences(_ tokens: Double, length: Int) -> Double {
        max(1, (tokens / Double(length)).rounded())
    }

    private enum CodingKeys: String, CodingKey {
        case parameters, tokens, sequenceLength, learningRate, learningRateInterval, batchSizeTokens
        case batchSizeTokensInterval, batchSizeSequences, batchSizeSequencesInterval, batchSizeIsGiven, outsideSweep, confidence, learningRateRange
        case batchSizeTokensRange, batchSizeSequencesRange, tolerance, law, formulas, notes
    }

    /// Encodes every key, a missing interval or range as null, so that scripts find the same keys
    /// for a preset as for a fitted law.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(sequenceLength, forKey: .sequenceLength)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(learningRateInterval, forKey: .learningRateInterval)
        try container.encode(batchSizeTokens, forKey: .batchSizeTokens)
        try container.encode(batchSizeTokensInterval, forKey: .batchSizeTokensInterval)
        try container.encode(batchSizeSequences, forKey: .batchSizeSequences)
        try container.encode(batchSizeSequencesInterval, forKey: .batchSizeSequencesInterval)
        try container.encode(batchSizeIsGiven, forKey: .batchSizeIsGiven)
        try container.encode(outsideSweep, forKey: .outsideSweep)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(learningRateRange, forKey: .learningRateRange)
        try container.encode(batchSizeTokensRange, forKey: .batchSizeTokensRange)
        try container.encode(batchSizeSequencesRange, forKey: .batchSizeSequencesRange)
        try container.encode(tolerance, forKey: .tolerance)
        try container.encode(law, forKey: .law)
        try container.encode(formulas, forKey: .formulas)
        try container.encode(notes, forKey: .notes)
    }
}

extension SweepLaw {
    /// The recommendation of the fitted laws for `request`.
    ///
    /// Intervals are percentiles of the laws' predictions over the bootstrap resamples; the ranges
    /// near the optimum come from the sweep's average landscape shape (`LandscapeShape`). With a
    /// given batch size B the learning rate is the best at B rather than at B*: the landscape's
    /// minimum along ln η with y = ln B − ln B* held, for the law and for each resample.
    /// ```
    /// η(B) = η*·exp(x*(ln B − ln B*))        (x* from LandscapeShape.bestLearningRateOffset)
    /// ```
    /// - Throws: `SweepError.invalidQuery` for a bad request, `.missingCovariate`, `.coefficientCount`,
    ///   `.noBootstrapDraws`, or `.sequenceLengthNeeded` for a sweep in tokens with no sequence length given.
    public func recommend(_ request: RecommendationRequest) throws(SweepError) -> Recommendation {
        try request.validate()
        guard let sequenceLength = request.sequenceLength ?? self.sequenceLength else {
            throw .sequenceLengthNeeded
        }
        let (n, d, covariates) = (request.parameters, request.tokens, request.covariates)
        let used = Set(learningRate.law.formula.terms + batchSize.law.formula.terms).subtracting(HyperparameterFormula.builtInVariables).sorted()
        if let unused = covariates.keys.sorted().first(where: { !used.contains($0) }) { throw .unusedCovariate(name: unused, valid: used) }
        let learningRateLaw = learningRate.law, batchSizeLaw = batchSize.law
        let lawEta = try learningRateLaw.predict(parameters: n, tokens: d, covariates: covariates)
        let lawBatch = try batchSizeLaw.predict(parameters: n, tokens: d, covariates: covariates)
        var etaDraws: [Double] = [], batchDraws: [Double] = []
        for coefficients in learningRate.bootstrapCoefficients {
            etaDraws.append(try learningRateLaw.logPrediction(coefficients: coefficients, parameters: n, tokens: d, covariates: covariates))
        }
        for coefficients in batchSize.bootstrapCoefficients {
            batchDraws.append(try batchSizeLaw.logPrediction(coefficients: coefficients, parameters: n, tokens: d, covariates: covariates))
        }
        let confidence = settings.bootstrap.confidence
        guard !etaDraws.isEmpty && !batchDraws.isEmpty && confidence > 0 && confidence < 1 else {
            throw .noBootstrapDraws
        }
        let outsideSweep = extrapolations(parameters: n, tokens: d)
        var notes = outsideSweep.map(\.note)
        let landscape = self.landscape.flatMap { $0.isWellFormed ? $0 : nil }
        let tolerance = Recommendation.nearOptimumTolerance
        let length = Double(sequenceLength)

        var eta = lawEta, batch = lawBatch
        var etaInterval = ConfidenceInterval(percentilesOf: etaDraws, confidence: confidence).mapped(exp)
        var batchInterval: ConfidenceInterval? = ConfidenceInterval(percentilesOf: batchDraws, confidence: confidence).mapped(exp)
        var etaRange: NearOptimumRange?, batchRange: NearOptimumRange?
        if let given = request.batchSizeTokens {
            batch = given
            batchInterval = nil
            let y = log(given / lawBatch)
            let fold = given >= lawBatch ? "\(SweepGroup.compact(given / lawBatch))× above" : "\(SweepGroup.compact(lawBatch / given))× below"
            if let landscape, let x = landscape.bestLearningRateOffset(atBatchOffset: y) {
                eta = lawEta * exp(x)
                // Each resample's best LR at the given batch, from its own η* and B* (the two laws share the resamples).
                let shifted = zip(etaDraws, batchDraws).compactMap { logEta, logBatch in
                    landscape.bestLearningRateOffset(atBatchOffset: log(given) - logBatch).map { logEta + $0 }
                }
                if !shifted.isEmpty { etaInterval = ConfidenceInterval(percentilesOf: shifted, confidence: confidence).mapped(exp) }
                let along = landscape.range(alongLearningRate: true, tolerance: tolerance, from: (x, y))
                etaRange = NearOptimumRange(lower: lawEta * exp(along.lower), upper: lawEta * exp(along.upper),
                                            lowerIsOpen: along.lowerIsOpen, upperIsOpen: along.upperIsOpen)
                notes.append("batch size given: \(SweepGroup.compact(given)) tokens, \(fold) the law's B* = \(SweepGroup.compact(lawBatch)); the learning rate is the best at that batch, η*·\(SweepGroup.compact(exp(x))) (η* = \(SweepGroup.compact(lawEta)) at B*), from the average landscape; its range keeps the loss within 0.25 % of the best at that batch")
                if !landscape.isWithinReach(x: x, y: y) {
                    notes.append("the given batch or its best learning rate lies beyond where the sweep's runs reached around their optima: the shift of the learning rate extrapolates the landscape")
                }
            } else {
                notes.append("batch size given: \(SweepGroup.compact(given)) tokens, \(fold) the law's B* = \(SweepGroup.compact(lawBatch)); the sweep's landscape gives no best learning rate at that batch (no group's optimum came from a surrogate, or no minimum there), so the learning rate is η* at B*")
            }
        } else if let landscape {
            let alongEta = landscape.range(alongLearningRate: true, tolerance: tolerance)
            let alongBatch = landscape.range(alongLearningRate: false, tolerance: tolerance)
            etaRange = NearOptimumRange(lower: eta * exp(alongEta.lower), upper: eta * exp(alongEta.upper),
                                        lowerIsOpen: alongEta.lowerIsOpen, upperIsOpen: alongEta.upperIsOpen)
            batchRange = NearOptimumRange(lower: batch * exp(alongBatch.lower), upper: batch * exp(alongBatch.upper),
                                          lowerIsOpen: alongBatch.lowerIsOpen, upperIsOpen: alongBatch.upperIsOpen)
        }
        if let landscape, etaRange != nil {
            notes.append("ranges within 0.25 % of the optimum from the average landscape of \(landscape.groupCount) group\(landscape.groupCount == 1 ? "" : "s"); an end marked ≥/≤ lies beyond the sweep's runs")
        } else if landscape == nil {
            notes.append("no range near the optimum: no group's optimum came from a surrogate")
        }
        if !outsideSweep.isEmpty {
            notes.append("outside the sweep the near-optimum ranges assume the landscape keeps its shape; the optimum itself is only known to within the interval")
        }
        let sequences = Recommendation.wholeSequences(batch, length: sequenceLength)
        if sequenceLength > 1 {
            notes.append("batch in sequences of \(sequenceLength) tokens: \(SweepGroup.compact(batch)) / \(sequenceLength) = \(String(format: "%.1f", batch / length)), rounded to the nearest whole sequence (at least 1), as are its interval and range")
        }
        return Recommendation(
            parameters: n, tokens: d, sequenceLength: sequenceLength,
            learningRate: eta, learningRateInterval: etaInterval,
            batchSizeTokens: batch, batchSizeTokensInterval: batchInterval,
            batchSizeSequences: sequences, batchSizeSequencesInterval: batchInterval.map { interval in
                ConfidenceInterval(lower: Recommendation.wholeSequences(interval.lower, length: sequenceLength),
                                   upper: Recommendation.wholeSequences(interval.upper, length: sequenceLength))
            },
            batchSizeIsGiven: request.batchSizeTokens != nil, outsideSweep: outsideSweep,
            confidence: confidence, learningRateRange: etaRange, batchSizeTokensRange: batchRange,
            batchSizeSequencesRange: batchRange?.inWholeSequences(of: sequenceLength), tolerance: tolerance,
            law: "fitted to \(source) (\(groups.count) groups, \(settings.bootstrap.resamples) bootstrap resamples of groups)",
            formulas: [learningRateLaw.equation, batchSizeLaw.equation + " tokens"], notes: notes)
    }

    /// Each of N and D outside the sweep's range, with how far.
    func extrapolations(parameters: Double, tokens: Double) -> [SweepExtrapolation] {
        var result: [SweepExtrapolation] = []
        for (name, value, range) in [("N", parameters, domain.parameters), ("D", tokens, domain.tokens)] {
            if value > range.upper * 1.0001 {
                result.append(SweepExtrapolation(quantity: name, value: value, sweepLimit: range.upper, factor: value / range.upper, isAbove: true))
            } else if value < range.lower / 1.0001 {
                result.append(SweepExtrapolation(quantity: name, value: value, sweepLimit: range.lower, factor: range.lower / value, isAbove: false))
            }
        }
        return result
    }
}

extension SweepExtrapolation {
    /// "N = 7e+10 is 57.5× the largest N in the sweep (1.22e+09): the law is extrapolated".
    public var note: String {
        let side = isAbove ? "the largest" : "below the smallest"
        return "\(quantity) = \(SweepGroup.compact(value)) is \(String(format: "%.3g", factor))× \(side) \(quantity) in the sweep (\(SweepGroup.compact(sweepLimit))): the law is extrapolated"
    }
}

extension HyperparameterPreset {
    /// The preset's recommendation for `request`: point values only, no intervals or ranges
    /// (the papers publish none).
    /// - Throws: `SweepError.invalidQuery` for a bad request, `.batchSizeNeeded` for the power
    ///   scheduler without a batch size.
    public func recommend(_ request: RecommendationRequest) throws(SweepError) -> Recommendation {
        try request.validate()
        if let unused = request.covariates.keys.sorted().first { throw .unusedCovariate(name: unused, valid: []) }
        let sequenceLength = request.sequenceLength ?? self.sequenceLength
        var notes = extrapolationNotes(parameters: request.parameters, tokens: request.tokens) + conventions
        if request.sequenceLength == nil {
            notes.append("sequences of \(sequenceLength) tokens, the paper's; give your sequence length for yours")
        }
        let batch: Double
        if let law = batchSizeTokens(parameters: request.parameters, tokens: request.tokens) {
            batch = law
            if request.batchSizeTokens != nil { notes.append("a given batch size is only read by the power-scheduler preset; this preset recommends its own") }
        } else if let given = request.batchSizeTokens {
            batch = given
        } else {
            throw .batchSizeNeeded
        }
        let eta = learningRate(parameters: request.parameters, tokens: request.tokens, batchSizeTokens: batch)
        if self == .powerScheduler && eta > 0.02 { notes.append("η* exceeds the power scheduler's cap η_max = 0.02") }
        notes.append("no intervals or near-optimum ranges: the paper publishes none; fit a law to your own sweep for both")
        return Recommendation(
            parameters: request.parameters, tokens: request.tokens, sequenceLength: sequenceLength,
            learningRate: eta, learningRateInterval: nil, batchSizeTokens: batch, batchSizeTokensInterval: nil,
            batchSizeSequences: Recommendation.wholeSequences(batch, length: sequenceLength), batchSizeSequencesInterval: nil,
            batchSizeIsGiven: request.batchSizeTokens != nil && batchSizeTokens(parameters: request.parameters, tokens: request.tokens) == nil,
            outsideSweep: [], confidence: nil,
            learningRateRange: nil, batchSizeTokensRange: nil, batchSizeSequencesRange: nil,
            tolerance: Recommendation.nearOptimumTolerance, law: citation, formulas: formulas, notes: notes)
    }
}
