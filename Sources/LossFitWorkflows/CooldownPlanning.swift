import Foundation
import ScalingLaws

/// What a cooldown plan asks for: the run so far and the options to consider.
public struct CooldownPlanRequest: Sendable {
    /// The run's schedule so far.
    public var run: Schedule
    /// Total steps the run may use.
    public var budget: Int
    /// Steps of the saved checkpoints.
    public var checkpoints: [Int]
    /// Cooldown lengths in steps.
    public var lengths: [Int]
    /// Decay shapes to consider; a geometric shape is left out when `endLearningRate` is 0 and
    /// others remain (`CooldownPlan.shapesLeftOut`).
    public var shapes: [DecayShape]
    /// LR at the end of the cooldown (≥ 0; `defaultEndLearningRate` unless given).
    public var endLearningRate: Double
    /// How many of the best options to keep.
    public var top: Int

    public init(run: Schedule, budget: Int, checkpoints: [Int], lengths: [Int], shapes: [DecayShape], endLearningRate: Double, top: Int) {
        self.run = run
        self.budget = budget
        self.checkpoints = checkpoints
        self.lengths = lengths
        self.shapes = shapes
        self.endLearningRate = endLearningRate
        self.top = top
    }

    /// The shapes `lossfit plan` considers unless told otherwise.
    public static let defaultShapes: [DecayShape] = [.linear, .oneMinusSqrt, .cosine, .geometric]

    /// The default end LR, 0: the same as a `wsd:` spec's `end`.
    public static let defaultEndLearningRate = 0.0

    /// The shapes actually planned, and those left out: a geometric decay interpolates log η, so it
    /// cannot reach an end LR of 0; it is left out when other shapes remain.
    /// - Throws: `ScheduleError.geometricCooldownNeedsEnd` when geometric is the only shape and the end LR is 0.
    public func plannedShapes() throws(ScheduleError) -> (planned: [DecayShape], leftOut: [DecayShape]) {
        guard endLearningRate <= 0 && shapes.contains(.geometric) else { return (shapes, []) }
        let planned = shapes.filter { $0 != .geometric }
        guard !planned.isEmpty else { throw .geometricCooldownNeedsEnd }
        return (planned, [.geometric])
    }

    /// The default lengths: 5, 10, 15, 20 and 30 % of `budget`.
    public static func defaultLengths(budget: Int) -> [Int] {
        [0.05, 0.1, 0.15, 0.2, 0.3].map { Int((Double(budget) * $0).rounded()) }
    }
}

/// One option of a plan with its difference from the best.
public struct PlannedCooldown: Sendable, Encodable {
    public var option: CooldownPlanner.Option
    public var spec: String
    /// The predicted final loss with its band and extrapolation.
    public var finalLoss: PredictedLoss
    public var differenceFromBest: PredictedDifference?
    /// Whether its order against the best is settled (`RankingVerdicts`); for the best, whether it
    /// is settled ahead of every other listed option.
    public var settled: Bool
    public var warnings: [String]
}

/// The cooldown options of a run in progress under a fit, best first.
public struct CooldownPlan: Sendable, Encodable {
    public var best: [PlannedCooldown]
    /// Every listed pair's verdict, the contenders for first place and the branch that would settle them.
    public var verdicts: RankingVerdicts
    /// `CooldownPlanner.lossVersusCompute`: the options that end lower than every option ending earlier.
    public var lossVersusCompute: [CooldownPlanner.Option]
    public var optionsConsidered: Int
    /// The best option under the fit's ranking check, when it has one (its final loss is the check's).
    public var rankingCheckBest: CooldownPlanner.Option?
    /// The best option under each committee member alone, when the fit is a committee's.
    public var memberBests: [MemberBest<CooldownPlanner.Option>]?
    /// Total steps the run may use.
    public var budget: Int
    /// The LR every option decays to.
    public var endLearningRate: Double
    /// Shapes asked for but not planned: geometric when the end LR is 0 (`CooldownPlanRequest.plannedShapes`).
    public var shapesLeftOut: [DecayShape]

    /// Plans the cooldown under `fit`.
    /// - Throws: `CooldownPlanError.scheduleBlind` for a law that does not read the schedule,
    ///   `.noOptionWithinBudget`; `ScheduleError` for bad options (`.geometricCooldownNeedsEnd`
    ///   for only a geometric shape with an end LR of 0).
    public init(_ fit: FitResult, request: CooldownPlanRequest) throws {
        if case .exponential(let forecast) = fit.law {
            // Schedule-blind: every cooldown ending at the same step would tie, and longer ones win only by length.
            throw CooldownPlanError.scheduleBlind(lossAtBudget: forecast.loss(atStep: request.budget), budget: request.budget)
        }
        let (shapes, shapesLeftOut) = try request.plannedShapes()
        endLearningRate = request.endLearningRate
        budget = request.budget
        self.shapesLeftOut = shapesLeftOut
        let planner = CooldownPlanner(law: fit.predictor, runRates: request.run.learningRates())
        let options = try planner.options(checkpoints: request.checkpoints, lengths: request.lengths, shapes: shapes,
                                          endLearningRate: request.endLearningRate, budget: request.budget)
        guard !options.isEmpty else { throw CooldownPlanError.noOptionWithinBudget(budget: request.budget) }
        let listed = Array(options.prefix(request.top))
        let rates = listed.map { planner.learningRates(of: $0) }
        var rows = zip(listed, rates).map { option, rates in
            PlannedCooldown(
                option: option, spec: option.spec(peak: request.run.peak, warmupSteps: request.run.warmupSteps),
                finalLoss: fit.predict(learningRates: rates, at: [option.finalStep])[0],
                differenceFromBest: nil,
                settled: false, warnings: fit.extrapolationWarnings(learningRates: rates))
        }
        verdicts = RankingVerdicts(fit, rates: rates, finalSteps: listed.map(\.finalStep), finals: rows.map(\.finalLoss), reference: planner.runRates)
        for index in rows.indices {
            rows[index].differenceFromBest = verdicts.differenceFromBest(index)
            rows[index].settled = verdicts.isSettledAgainstBest(index)
        }
        self.best = rows
        lossVersusCompute = CooldownPlanner.lossVersusCompute(options)
        optionsConsidered = options.count
        memberBests = try MemberBest.each(of: fit) { law in
            try CooldownPlanner(law: law, runRates: planner.runRates)
                .options(checkpoints: request.checkpoints, lengths: request.lengths, shapes: shapes,
                         endLearningRate: request.endLearningRate, budget: request.budget).first
        }
        rankingCheckBest = try fit.rankingCheck.flatMap { check in
            try CooldownPlanner(law: check.law, runRates: planner.runRates)
                .options(checkpoints: request.checkpoints, lengths: request.lengths, shapes: shapes,
                         endLearningRate: request.endLearningRate, budget: request.budget).first
        }
    }

    /// The committee members whose best option differs from the committee's, with that option.
    public var memberDisagreements: [MemberBest<CooldownPlanner.Option>] {
        guard let best = best.first?.option else { return [] }
        return (memberBests ?? []).filter { !$0.best.isSameCooldown(as: best) }
    }

    /// The ranking check's best option when it differs from the fit's.
    public var checkDisagreement: CooldownPlanner.Option? {
        guard let checkBest = rankingCheckBest, let best = best.first?.option else { return nil }
        return checkBest.isSameCooldown(as: best) ? nil : checkBest
    }
}

extension CooldownPlanner.Option {
    /// The same checkpoint, length and shape (losses aside, which differ between laws).
    func isSameCooldown(as other: CooldownPlanner.Option) -> Bool {
        checkpoint == other.checkpoint && length == other.length && shape == other.shape
    }
}

/// Why a cooldown cannot be planned.
public enum CooldownPlanError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The law reads only the step, so every cooldown ending at the budget gets the same loss.
    case scheduleBlind(lossAtBudget: Double, budget: Int)
    /// Every checkpoint plus length exceeds the budget.
    case noOptionWithinBudget(budget: Int)

    public var description: String {
        switch self {
        case .scheduleBlind(let loss, let budget):
            return "the exponential law (the AutoLRS forecast) reads only the step, not the schedule: it predicts \(String(format: "%.5f", loss)) at step \(budget) for every cooldown, so it cannot rank them; plan with an annealing-law fit"
        case .noOptionWithinBudget(let budget):
            return "no cooldown fits the budget: every checkpoint + length exceeds \(budget) steps; use shorter cooldowns"
        }
    }
}
