import ScalingLaws

/// One schedule of a comparison, with its predictions.
public struct ComparedSchedule: Sendable, Encodable {
    public var schedule: String
    public var finalStep: Int
    public var finalLoss: PredictedLoss
    public var checkpoints: [PredictedLoss]
    public var differenceFromBest: PredictedDifference?
    /// Whether its order against the best is settled (`RankingVerdicts`); for the best, whether it
    /// is settled ahead of every other.
    public var settled: Bool
    /// The final loss under the fit's ranking check, when it has one.
    public var checkFinalLoss: Double?
    public var warnings: [String]
}

/// Schedules ranked by predicted final loss under a fit.
public struct ScheduleComparison: Sendable, Encodable {
    /// The fitted law's name, or `committee`.
    public var law: String
    /// Best first.
    public var schedules: [ComparedSchedule]
    /// Every pair's verdict, the contenders for first place and the branch run that would settle them.
    public var verdicts: RankingVerdicts

    /// Ranks `specs` by final loss under `fit`, each with its loss at `checkpoints` (steps past its
    /// end are left out), its difference from the best with that difference's uncertainty, its
    /// final loss under the ranking check and its extrapolation warnings.
    /// - Throws: `ScheduleError` for a bad spec.
    public init(_ fit: FitResult, specs: [String], checkpoints: [Int] = []) throws {
        let schedules = try specs.map { spec throws(ScheduleError) in try Schedule(spec: spec) }
        var rows: [(ComparedSchedule, [Double])] = schedules.map { schedule in
            let rates = schedule.learningRates()
            let row = ComparedSchedule(
                schedule: schedule.spec, finalStep: schedule.totalSteps,
                finalLoss: fit.predict(learningRates: rates, at: [schedule.totalSteps])[0],
                checkpoints: fit.predict(learningRates: rates, at: checkpoints.filter { $0 <= schedule.totalSteps }), differenceFromBest: nil, settled: false,
                checkFinalLoss: fit.rankingCheck?.law.predictLoss(learningRates: rates, at: [schedule.totalSteps])[0],
                warnings: fit.extrapolationWarnings(learningRates: rates))
            return (row, rates)
        }
        rows = rows.indices.sorted { rows[$0].0.finalLoss.loss < rows[$1].0.finalLoss.loss }.map { rows[$0] }
        verdicts = RankingVerdicts(fit, rates: rows.map(\.1), finalSteps: rows.map(\.0.finalStep), finals: rows.map(\.0.finalLoss))
        for index in rows.indices {
            rows[index].0.differenceFromBest = verdicts.differenceFromBest(index)
            rows[index].0.settled = verdicts.isSettledAgainstBest(index)
        }
        law = fit.committee == nil ? fit.law.name : CommitteeLaw.name
        self.schedules = rows.map(\.0)
    }

    /// For each committee member that puts another schedule first: its label and that schedule's
    /// rank (0-based). Empty for the fit of one law.
    public func memberFirsts(_ fit: FitResult) -> [(member: String, rank: Int)] {
        guard let members = fit.committee?.members else { return [] }
        return members.indices.compactMap { member in
            let first = schedules.indices.min { (schedules[$0].finalLoss.memberLosses?[member] ?? .infinity) < (schedules[$1].finalLoss.memberLosses?[member] ?? .infinity) }
            guard let first, first != 0 else { return nil }
            return (members[member].label, first)
        }
    }

    /// The rank (0-based) the ranking check puts first, when it is not the fit's first.
    public var checkFirst: Int? {
        guard let first = schedules.indices.min(by: { (schedules[$0].checkFinalLoss ?? .infinity) < (schedules[$1].checkFinalLoss ?? .infinity) }),
              first != 0 else { return nil }
        return first
    }
}
