import Foundation

/// The score of one method's recommendation for one held-out group.
public struct MethodScore: Sendable, Equatable, Codable {
    /// The recommended peak learning rate.
    public var learningRate: Double
    /// The recommended batch size in tokens.
    public var batchSizeTokens: Double
    /// The held-out group's smoothed loss there (`GridSurface`).
    public var loss: Double
    /// loss / best run's loss − 1.
    public var excess: Double
    /// The recommendation lay outside the group's grid and was scored at its edge.
    public var isOutsideGrid: Bool
    /// The run nearest to the recommendation diverged.
    public var isNearDivergence: Bool
}

/// One held-out group: its evaluation surface and every method's score (nil where a method
/// could not be fitted without it).
public struct HeldOutGroup: Sendable, Equatable, Codable {
    /// Model size N.
    public var parameters: Double
    /// Tokens D.
    public var tokens: Double
    /// Runs in the group.
    public var runs: Int
    /// The best run's loss.
    public var bestLoss: Double
    /// Runs left out of the evaluation surface as diverged.
    public var divergedRuns: Int
    /// The evaluation surface's leave-one-run-out RMS error of ln L near the best.
    public var surfaceError: Double
    /// The evaluation surface's bandwidth.
    public var surfaceBandwidth: Double
    /// One score per method, in `SweepEvaluation.methods` order.
    public var scores: [MethodScore?]

    /// For tables, e.g. `N=4.29e8, D=2.27e10`.
    public var label: String {
        "N=\(SweepGroup.compact(parameters)), D=\(SweepGroup.compact(tokens))"
    }
}

/// One method's scores summarised over the groups every method could score.
public struct MethodSummary: Sendable, Equatable, Codable {
    /// The method.
    public var method: String
    /// Mean relative excess over the groups' best runs.
    public var meanExcess: Double
    /// Median relative excess.
    public var medianExcess: Double
    /// Largest relative excess.
    public var maximumExcess: Double
    /// Mean of (this method's excess − the first method's), group by group.
    public var meanDifferenceFromFirst: Double
    /// Standard error of that mean difference (standard deviation / √groups).
    public var differenceStandardError: Double
}

/// The result of leave-one-group-out evaluation.
public struct SweepEvaluation: Sendable, Equatable, Codable {
    /// Method names, the first being lossfit's own.
    public var methods: [String]
    /// Every group.
    public var groups: [HeldOutGroup]
    /// Per method, over the groups every method scored.
    public var summaries: [MethodSummary]
    /// How many groups every method scored.
    public var pairedGroups: Int
    /// Held-out error of alternative surrogates within groups.
    public var surrogateValidation: SurrogateValidation
}

/// Leave-one-group-out evaluation of hyperparameter recommendations (DESIGN §3).
///
/// For each (N, D) group: fit the laws on the other groups, recommend (η, B) for the held-out
/// group's (N, D), and score the relative excess of the held-out group's loss there over its best
/// run. Off-grid values come from the group's `GridSurface`. Methods, scored in the same run:
/// lossfit's own (the settings given), Step Law's method (runs within 0.25 % of the best) refitted
/// on the same groups, and the published presets. The power scheduler has no batch-size law; it is
/// scored at lossfit's recommended batch size.
public struct LeaveOneGroupOut: Sendable {
    /// The settings of lossfit's own fit.
    public var settings: SweepLawSettings

    /// An evaluation with these settings.
    public init(settings: SweepLawSettings = .init()) {
        self.settings = settings
    }

    /// The method names, in score order.
    public static let methodNames = ["lossfit", "Step Law's method", "steplaw", "deepseek", "power-scheduler"]

    /// Evaluates every group of `sweep`.
    /// - Throws: `SweepError.tooFewGroups` when holding one group out leaves too few for the laws,
    ///   and every error of `SweepLawFitter` on the whole sweep.
    public func evaluate(_ sweep: Sweep) throws(SweepError) -> SweepEvaluation {
        let ours = SweepLawFitter(settings: settings)
        var stepLawSettings = settings
        stepLawSettings.optimum.estimator = .nearBest
        let stepLawMethod = SweepLawFitter(settings: stepLawSettings)

        let needed = max(settings.learningRateFormula.terms.count, settings.batchSizeFormula.terms.count) + 2
        guard sweep.groups.count >= needed else { throw .tooFewGroups(source: sweep.source, groups: sweep.groups.count, needed: needed) }
        let fitted = [ours, stepLawMethod]
        var regressions: [(learningRate: PowerLawRegression, batchSize: PowerLawRegression)] = []
        for fitter in fitted {
            let optima = try fitter.locateOptima(sweep)
            regressions.append(fitter.regressions(sweep, optima: optima))
        }

        var groups: [HeldOutGroup] = []
        for (heldOut, group) in sweep.groups.enumerated() {
            let surface = GridSurface(group: group)
            let others = sweep.groups.indices.filter { $0 != heldOut }
            func score(_ learningRate: Double, _ batchSize: Double) -> MethodScore {
                let value = surface.value(learningRate: learningRate, batchSizeTokens: batchSize)
                return MethodScore(learningRate: learningRate, batchSizeTokens: batchSize, loss: value.loss,
                                   excess: value.loss / surface.bestLoss - 1, isOutsideGrid: value.isOutsideGrid,
                                   isNearDivergence: value.isNearDivergence)
            }
            var scores: [MethodScore?] = []
            var ourBatch: Double?
            for (index, fitter) in fitted.enumerated() {
                let (learningRateRegression, batchSizeRegression) = regressions[index]
                guard let coefficients = try? fitter.fittedCoefficients(regressions[index], groups: others, source: sweep.source),
                      let eta = try? learningRateRegression.law(coefficients: coefficients[0])
                        .predict(parameters: group.parameters, tokens: group.tokens, covariates: group.covariates),
                      let batch = try? batchSizeRegression.law(coefficients: coefficients[1])
                        .predict(parameters: group.parameters, tokens: group.tokens, covariates: group.covariates) else {
                    scores.append(nil)
                    continue
                }
                if index == 0 { ourBatch = batch }
                scores.append(score(eta, batch))
            }
            for preset in [HyperparameterPreset.stepLaw, .deepSeek] {
                let batch = preset.batchSizeTokens(parameters: group.parameters, tokens: group.tokens)!
                scores.append(score(preset.learningRate(parameters: group.parameters, tokens: group.tokens, batchSizeTokens: batch), batch))
            }
            scores.append(ourBatch.map { batch in
                score(HyperparameterPreset.powerScheduler.learningRate(parameters: group.parameters, tokens: group.tokens, batchSizeTokens: batch), batch)
            })
            groups.append(HeldOutGroup(parameters: group.parameters, tokens: group.tokens, runs: group.runs.count,
                                       bestLoss: surface.bestLoss, divergedRuns: surface.divergedRuns,
                                       surfaceError: surface.heldOutError, surfaceBandwidth: surface.bandwidth, scores: scores))
        }
        let paired = groups.filter { $0.scores.allSatisfy { $0 != nil } }
        let summaries = Self.methodNames.indices.map { method in
            Self.summary(method: Self.methodNames[method], excesses: paired.map { $0.scores[method]!.excess },
                         reference: paired.map { $0.scores[0]!.excess })
        }
        return SweepEvaluation(methods: Self.methodNames, groups: groups, summaries: summaries, pairedGroups: paired.count,
                               surrogateValidation: SurrogateValidation(sweep: sweep, settings: settings.optimum))
    }

    static func summary(method: String, excesses: [Double], reference: [Double]) -> MethodSummary {
        guard !excesses.isEmpty else {
            return MethodSummary(method: method, meanExcess: .nan, medianExcess: .nan, maximumExcess: .nan,
                                 meanDifferenceFromFirst: .nan, differenceStandardError: .nan)
        }
        let count = Double(excesses.count)
        let differences = zip(excesses, reference).map { $0 - $1 }
        let meanDifference = differences.reduce(0, +) / count
        let variance = excesses.count > 1
            ? differences.reduce(0) { $0 + ($1 - meanDifference) * ($1 - meanDifference) } / (count - 1) : 0
        return MethodSummary(method: method, meanExcess: excesses.reduce(0, +) / count,
                             medianExcess: ConfidenceInterval.quantile(excesses.sorted(), 0.5), maximumExcess: excesses.max()!,
                             meanDifferenceFromFirst: meanDifference, differenceStandardError: (variance / count).squareRoot())
    }
}
