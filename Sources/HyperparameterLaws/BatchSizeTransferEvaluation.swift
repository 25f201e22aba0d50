import Foundation

/// One rule's transfers, summarised over every held-out batch size of every group.
public struct TransferRuleScore: Sendable, Equatable, Codable {
    /// The rule's name (`BatchSizeTransferRule.rawValue`).
    public var name: String
    /// Mean over held-out batch sizes of 100 × (loss at the predicted learning rate / that batch
    /// size's best run − 1), in percent.
    public var meanExcessPercent: Double
    /// Mean of |log₂(predicted / best learning rate)|: 1 is a factor of 2 off.
    public var meanLog2Error: Double
    /// The largest excess, in percent.
    public var maximumExcessPercent: Double
    /// How many predictions fell outside the learning rates run (scored at the nearest end).
    public var outsideGrid: Int
    /// Mean of (this rule's excess − the sqrt rule's), prediction by prediction, in percent.
    public var meanDifferenceFromSqrtPercent: Double
    /// Standard error of that mean (standard deviation / √predictions; predictions of one group
    /// are not independent, so this understates the uncertainty somewhat).
    public var differenceStandardErrorPercent: Double
}

/// One held-out batch size of one group and every rule's prediction for it.
public struct HeldOutBatchSize: Sendable, Equatable, Codable {
    /// The group's label.
    public var group: String
    /// The held-out batch size, tokens.
    public var batchSizeTokens: Double
    /// Its located best learning rate.
    public var bestLearningRate: Double
    /// The remaining batch sizes the transfer started from (one, or two equally near).
    public var anchorBatchSizesTokens: [Double]
    /// The predicted learning rate of each rule, in `BatchSizeTransferRule.allCases` order.
    public var predictedLearningRates: [Double]
    /// The excess of each prediction over the batch size's best run (fraction, not percent).
    public var excesses: [Double]
    /// Whether each prediction lay outside the learning rates run (scored at the nearest end).
    public var isOutsideGrid: [Bool]
}

/// The result of `LeaveOneBatchSizeOut`: the law fitted to every batch size, and the evidence.
public struct BatchSizeTransferEvaluation: Sendable, Equatable, Codable {
    /// Per group, the profiles and the noise-scale rules fitted to all its batch sizes, and the
    /// evidence-chosen default.
    public var law: BatchSizeTransferLaw
    /// Every held-out batch size.
    public var heldOut: [HeldOutBatchSize]
}

/// Leave-one-batch-size-out evaluation of the batch-size transfer rules.
///
/// For each group and each of its batch sizes B₂: hold B₂ out; take the anchors, the remaining
/// batch sizes nearest to B₂ in ln B (two when they are equally near, as B₂ = 64 between 32 and
/// 128); move each anchor's best learning rate to B₂ by the rule (`BatchSizeTransferRule.transfer`)
/// and take the geometric mean over the anchors. The fixed rules (sqrt, linear, constant) need
/// nothing else; mccandlish and surge take B_noise from a fit (`NoiseScaleFit`) to the remaining
/// batch sizes only. Anchoring every rule the same way compares the rules' shapes alone, and is
/// how `lossfit transfer` uses them: from a learning rate tuned at one batch size.
///
/// Scores per prediction: |log₂(predicted / best learning rate)| against B₂'s located optimum
/// (`LearningRateProfile`), and the excess of B₂'s loss at the predicted learning rate over B₂'s
/// best run, read from B₂'s runs by interpolation (`LearningRateProfile.loss(atLearningRate:)`).
/// The default rule is the one with the lowest mean excess.
public struct LeaveOneBatchSizeOut: Sendable {
    /// Batch sizes a group needs: three for a two-parameter fit with a residual, plus the held-out one.
    public static let batchSizesNeeded = 4
    /// Learning rates a batch size needs to place a best learning rate between grid points.
    public static let learningRatesNeeded = 3

    /// The band of `LearningRateProfile`'s surrogate, as `OptimumSettings.band`.
    public var band: Double

    /// An evaluation with the surrogate band of the 2-D optimum locator.
    public init(band: Double = OptimumSettings().band) {
        self.band = band
    }

    /// Evaluates every usable group of `sweep`.
    /// - Throws: `BatchSizeTransferError.tooFewBatchSizes` when no group has at least 4 batch sizes
    ///   with 3 learning rates each; `.fitFailed` when a noise-scale fit fails.
    public func evaluate(_ sweep: Sweep) throws(BatchSizeTransferError) -> BatchSizeTransferEvaluation {
        var groups: [TransferGroup] = []
        var skipped: [(label: String, batchSizes: Int)] = []
        for group in sweep.groups {
            let profiles = Self.profiles(group, band: band)
            guard profiles.count >= Self.batchSizesNeeded else {
                skipped.append((group.label, profiles.count))
                continue
            }
            groups.append(try TransferGroup(group: group, profiles: profiles))
        }
        guard !groups.isEmpty else {
            throw .tooFewBatchSizes(source: sweep.source, groups: skipped.map(\.label), batchSizes: skipped.map(\.batchSizes),
                                    needed: Self.batchSizesNeeded, learningRatesNeeded: Self.learningRatesNeeded)
        }
        var heldOut: [HeldOutBatchSize] = []
        for group in groups {
            for target in group.profiles.indices {
                heldOut.append(try Self.predict(group, heldOut: target))
            }
        }
        let rules = BatchSizeTransferRule.allCases
        let sqrtExcesses = heldOut.map { $0.excesses[rules.firstIndex(of: .sqrt)!] }
        let scores = rules.indices.map { index in
            let excesses = heldOut.map { $0.excesses[index] }
            let paired = LeaveOneGroupOut.summary(method: rules[index].rawValue, excesses: excesses, reference: sqrtExcesses)
            let log2Errors = heldOut.map { abs(log2($0.predictedLearningRates[index] / $0.bestLearningRate)) }
            let outside = heldOut.filter { $0.isOutsideGrid[index] }.count
            return TransferRuleScore(name: rules[index].rawValue, meanExcessPercent: 100 * excesses.reduce(0, +) / Double(excesses.count),
                                     meanLog2Error: log2Errors.reduce(0, +) / Double(log2Errors.count),
                                     maximumExcessPercent: 100 * excesses.max()!, outsideGrid: outside,
                                     meanDifferenceFromSqrtPercent: 100 * paired.meanDifferenceFromFirst,
                                     differenceStandardErrorPercent: 100 * paired.differenceStandardError)
        }
        let best = scores.indices.min { scores[$0].meanExcessPercent < scores[$1].meanExcessPercent }!
        let law = BatchSizeTransferLaw(source: sweep.source, defaultRule: rules[best], scores: scores, groups: groups,
                                       skippedGroups: skipped.map { "\($0.label) (\($0.batchSizes) usable batch size\($0.batchSizes == 1 ? "" : "s"))" })
        return BatchSizeTransferEvaluation(law: law, heldOut: heldOut)
    }

    /// The profile of every batch size of `group` with enough learning rates, by ascending batch size.
    static func profiles(_ group: SweepGroup, band: Double) -> [LearningRateProfile] {
        Dictionary(grouping: group.runs, by: \.batchSizeTokens)
            .filter { Set($0.value.map(\.learningRate)).count >= learningRatesNeeded }
            .sorted { $0.key < $1.key }
            .map { LearningRateProfile(batchSizeTokens: $0.key, runs: $0.value, band: band) }
    }

    /// Every rule's prediction for batch size `target` of `group` from its other batch sizes.
    static func predict(_ group: TransferGroup, heldOut target: Int) throws(BatchSizeTransferError) -> HeldOutBatchSize {
        let profile = group.profiles[target]
        let remaining = group.profiles.indices.filter { $0 != target }.map { group.profiles[$0] }
        let distances = remaining.map { abs(log($0.batchSizeTokens / profile.batchSizeTokens)) }
        let nearest = distances.min()!
        let anchors = remaining.indices.filter { distances[$0] <= nearest * (1 + 1e-9) }.map { remaining[$0] }
        var predictions: [Double] = []
        for rule in BatchSizeTransferRule.allCases {
            var noiseScale: Double?
            if rule.needsNoiseScale {
                noiseScale = try NoiseScaleFit.fit(rule: rule, batchSizesTokens: remaining.map(\.batchSizeTokens),
                                                   learningRates: remaining.map(\.bestLearningRate), group: group.label).noiseScaleTokens
            }
            let logMean = anchors.map { anchor in
                log(rule.transfer(learningRate: anchor.bestLearningRate, from: anchor.batchSizeTokens, to: profile.batchSizeTokens,
                                  noiseScale: noiseScale))
            }.reduce(0, +) / Double(anchors.count)
            predictions.append(exp(logMean))
        }
        return HeldOutBatchSize(group: group.label, batchSizeTokens: profile.batchSizeTokens, bestLearningRate: profile.bestLearningRate,
                                anchorBatchSizesTokens: anchors.map(\.batchSizeTokens), predictedLearningRates: predictions,
                                excesses: predictions.map { profile.loss(atLearningRate: $0).loss / profile.bestLoss - 1 },
                                isOutsideGrid: predictions.map { profile.loss(atLearningRate: $0).isOutsideGrid })
    }
}
