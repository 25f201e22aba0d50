import ScalingLaws

/// What a schedule search asks for.
public struct ScheduleOptimizationRequest: Sendable {
    /// The family to search, or nil to optimise every step's LR freely (non-increasing after warmup).
    public var family: ScheduleSearch.Family?
    public var totalSteps: Int
    public var peak: Double
    public var warmupSteps: Int
    /// The lowest LR a free schedule may use.
    public var minimumLearningRate: Double
    /// How many of the best candidates to keep.
    public var top: Int
    /// The WSD decay lengths searched, as fractions of `totalSteps` (also the free search's start).
    public var decayFractions: ClosedRange<Double>

    public init(family: ScheduleSearch.Family?, totalSteps: Int, peak: Double, warmupSteps: Int, minimumLearningRate: Double = 0, top: Int = 10,
                decayFractions: ClosedRange<Double> = ScheduleSearch.defaultDecayFractions) {
        self.family = family
        self.decayFractions = decayFractions
        self.totalSteps = totalSteps
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.minimumLearningRate = minimumLearningRate
        self.top = top
    }
}

extension ScheduleOptimizationRequest {
    /// The search of the requested steps, peak, warmup and decay fractions under `law`.
    func search(under law: any LossLaw) -> ScheduleSearch {
        ScheduleSearch(law: law, totalSteps: totalSteps, peak: peak, warmupSteps: warmupSteps, decayFractions: decayFractions)
    }
}

/// The schedule with the lowest predicted final loss under a fit, its gain over cosine decay to 0,
/// and where the ranking check ranks each candidate.
public struct ScheduleOptimization: Sendable, Encodable {
    public var best: ScheduleSearch.Candidate
    /// The best `top` candidates, best first.
    public var candidates: [ScheduleSearch.Candidate]
    /// The cosine decay to 0 of the same peak, warmup and length the best is compared with.
    public var baseline: String
    public var gainOverBaseline: PredictedDifference
    /// The best candidate of the family under the fit's ranking check (nil for a free search or without a check).
    public var rankingCheckBest: ScheduleSearch.Candidate?
    /// The best candidate of the family under each committee member alone (nil for a free search
    /// or the fit of one law).
    public var memberBests: [MemberBest<ScheduleSearch.Candidate>]?
    public var warnings: [String]
    /// The best schedule's LR at every step 0…T.
    public var learningRates: [Double]
    /// Each candidate's rank (from 1) under the ranking check, by spec; nil without a check.
    public var checkRanks: [String: Int]?
    /// Each listed candidate's predicted final loss with its band and extrapolation, in the order of `candidates`.
    public var finalLosses: [PredictedLoss]
    /// Every listed pair's verdict, the contenders for first place and the branch run that would settle them.
    public var verdicts: RankingVerdicts

    private enum CodingKeys: String, CodingKey {
        case best, candidates, baseline, gainOverBaseline, rankingCheckBest, memberBests, warnings, finalLosses, verdicts
    }

    /// Searches under `fit`.
    /// - Throws: `ScheduleOptimizationError.freeSearchNeedsGradient` for a free search of a law
    ///   without the annealing law's gradient; `ScheduleError` for bad settings.
    public init(_ fit: FitResult, request: ScheduleOptimizationRequest) throws {
        let search = request.search(under: fit.predictor)
        var outcome: ScheduleSearch.Outcome
        // Rates of candidates that have no spec to rebuild them from (a free schedule).
        var knownRates: [String: [Double]] = [:]
        if let family = request.family {
            outcome = try search.searchFamily(family)
        } else if fit.committee != nil, case .annealing(let law) = fit.law {
            // The free search follows the annealing law's gradient: it runs under the committee's annealing
            // member, and the committee scores what it found against the best WSD schedule.
            let free = try request.search(under: law)
                .searchFree(minimum: request.minimumLearningRate)
            let family = try search.searchFamily(.wsd)
            let freeCandidate = ScheduleSearch.Candidate(spec: free.best.spec, finalLoss: search.finalLoss(free.learningRates))
            knownRates[freeCandidate.spec] = free.learningRates
            var warnings = free.warnings + ["the free search followed the gradient of the committee's first member (annealing law, λ fitted); losses are the committee's"]
            if family.best.finalLoss < freeCandidate.finalLoss {
                warnings.append("under the committee the best WSD schedule beats the free schedule, so the WSD schedule is the result")
                outcome = ScheduleSearch.Outcome(candidates: [family.best, freeCandidate], learningRates: family.learningRates, warnings: warnings)
            } else {
                outcome = ScheduleSearch.Outcome(candidates: [freeCandidate, family.best], learningRates: free.learningRates, warnings: warnings)
            }
        } else {
            guard search.supportsFreeSearch else { throw ScheduleOptimizationError.freeSearchNeedsGradient(law: fit.law.kind) }
            outcome = try search.searchFree(minimum: request.minimumLearningRate)
        }
        outcome.warnings += fit.extrapolationWarnings(learningRates: outcome.learningRates)
        baseline = "cosine:peak=\(request.peak),warmup=\(request.warmupSteps),total=\(request.totalSteps),end=0"
        gainOverBaseline = fit.difference(outcome.learningRates, at: request.totalSteps,
                                          minus: try Schedule(spec: baseline).learningRates(), at: request.totalSteps)
        let checkOutcome = try request.family.flatMap { family in
            try fit.rankingCheck.map { check in
                try request.search(under: check.law).searchFamily(family)
            }
        }
        memberBests = try request.family.flatMap { family in
            try MemberBest.each(of: fit) { law in
                try request.search(under: law).searchFamily(family).best
            }
        }
        best = outcome.best
        let listed = Array(outcome.candidates.prefix(request.top))
        candidates = listed
        knownRates[outcome.best.spec] = outcome.learningRates
        let rates = try listed.map { candidate in try knownRates[candidate.spec] ?? Schedule(spec: candidate.spec).learningRates() }
        finalLosses = rates.map { fit.predict(learningRates: $0, at: [request.totalSteps])[0] }
        verdicts = RankingVerdicts(fit, rates: rates, finalSteps: rates.map { _ in request.totalSteps }, finals: finalLosses)
        rankingCheckBest = checkOutcome?.best
        warnings = outcome.warnings
        learningRates = outcome.learningRates
        checkRanks = checkOutcome.map { check in
            Dictionary(check.candidates.enumerated().map { ($0.element.spec, $0.offset + 1) }, uniquingKeysWith: min)
        }
    }
}

/// Why a schedule search cannot run.
public enum ScheduleOptimizationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A free search needs the annealing law's gradient.
    case freeSearchNeedsGradient(law: FittedLaw.Kind)

    public var description: String {
        switch self {
        case .freeSearchNeedsGradient(let law):
            return "a free search needs the annealing law's gradient and this is a \(law.rawValue) fit; refit the annealing law, or search a family"
        }
    }
}
