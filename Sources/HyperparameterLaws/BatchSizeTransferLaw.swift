import Foundation

/// One (N, D) group of a transfer law: its best learning rate per batch size and the noise-scale
/// rules fitted to all of them.
public struct TransferGroup: Sendable, Equatable, Codable {
    /// Model size N (non-embedding parameters).
    public var parameters: Double
    /// Training tokens D.
    public var tokens: Double
    /// One profile per batch size, ascending.
    public var profiles: [LearningRateProfile]
    /// `NoiseScaleFit` of mccandlish and of surge, in that order.
    public var fits: [NoiseScaleFit]

    /// For messages and tables, e.g. `N=4.29e8, D=2.27e10`.
    public var label: String {
        "N=\(SweepGroup.compact(parameters)), D=\(SweepGroup.compact(tokens))"
    }

    /// The fit of a noise-scale rule, nil for the fixed rules.
    public func fit(_ rule: BatchSizeTransferRule) -> NoiseScaleFit? {
        fits.first { $0.rule == rule }
    }

    /// Fits mccandlish and surge to every profile of `group`.
    init(group: SweepGroup, profiles: [LearningRateProfile]) throws(BatchSizeTransferError) {
        parameters = group.parameters
        tokens = group.tokens
        self.profiles = profiles
        var fits: [NoiseScaleFit] = []
        for rule in BatchSizeTransferRule.allCases where rule.needsNoiseScale {
            fits.append(try NoiseScaleFit.fit(rule: rule, batchSizesTokens: profiles.map(\.batchSizeTokens),
                                               learningRates: profiles.map(\.bestLearningRate), group: group.label))
        }
        self.fits = fits
    }
}

/// What `lossfit sweep transfer -o LAW.json` writes: per group the noise scale of each fitted
/// rule, the leave-one-batch-size-out scores of every rule and the default they chose.
public struct BatchSizeTransferLaw: Sendable, Equatable, Codable {
    /// The sweep it was fitted to.
    public var source: String
    /// The rule with the lowest mean held-out excess loss.
    public var defaultRule: BatchSizeTransferRule
    /// Every rule's leave-one-batch-size-out score, in `BatchSizeTransferRule.allCases` order.
    public var scores: [TransferRuleScore]
    /// The groups with enough batch sizes.
    public var groups: [TransferGroup]
    /// The groups left out, with their usable batch sizes.
    public var skippedGroups: [String]

    /// The group whose noise scale a model of N parameters trained on D tokens gets.
    ///
    /// B_noise grows as the loss falls (McCandlish et al. 2018), so it differs between groups and
    /// no single value fits every model. Kept simple: the group nearest in (ln N, ln D), over
    /// whichever of N and D are given; with neither, the group whose B_noise for `rule` is the
    /// (lower) median over groups, and the caller should say that the model size was not used.
    public func group(parameters: Double?, tokens: Double?, rule: BatchSizeTransferRule) -> TransferGroup {
        if parameters != nil || tokens != nil {
            func distance(_ group: TransferGroup) -> Double {
                let dn = parameters.map { log(group.parameters / $0) } ?? 0
                let dd = tokens.map { log(group.tokens / $0) } ?? 0
                return dn * dn + dd * dd
            }
            return groups.min { distance($0) < distance($1) }!
        }
        let ordered = groups.sorted { ($0.fit(rule)?.noiseScaleTokens ?? 0) < ($1.fit(rule)?.noiseScaleTokens ?? 0) }
        return ordered[(ordered.count - 1) / 2]
    }
}

/// A learning rate tuned at one batch size, to be moved to another.
public struct BatchSizeTransferRequest: Sendable, Equatable {
    /// The tuned peak learning rate ε(B₁) > 0.
    public var learningRate: Double
    /// B₁ > 0, tokens (any unit when no law is used: the fixed rules need only the ratio).
    public var batchSizeTokens: Double
    /// B₂ > 0, in the unit of B₁.
    public var targetBatchSizeTokens: Double
    /// Picks the fixed rule when neither a rule nor a law is given.
    public var optimizer: TransferOptimizer
    /// The rule to use; nil for the law's default, or the optimizer's without a law.
    public var rule: BatchSizeTransferRule?
    /// The user's model size N, to pick the law's nearest group.
    public var parameters: Double?
    /// The user's training tokens D, to pick the law's nearest group.
    public var tokens: Double?

    /// A request from its values.
    public init(learningRate: Double, batchSizeTokens: Double, targetBatchSizeTokens: Double, optimizer: TransferOptimizer = .adam,
                rule: BatchSizeTransferRule? = nil, parameters: Double? = nil, tokens: Double? = nil) {
        self.learningRate = learningRate
        self.batchSizeTokens = batchSizeTokens
        self.targetBatchSizeTokens = targetBatchSizeTokens
        self.optimizer = optimizer
        self.rule = rule
        self.parameters = parameters
        self.tokens = tokens
    }

    /// Moves the learning rate with the chosen rule (`BatchSizeTransferRule.transfer`).
    ///
    /// The rule: the one asked for; else the law's evidence-chosen default; else √B for Adam and
    /// linear for SGD (Granziol et al. 2020). A noise scale, when the rule needs one or the law
    /// has one to bound the rule's validity, comes from `BatchSizeTransferLaw.group`: surge's for
    /// the Adam-side rules (sqrt, constant), mccandlish's for linear.
    /// - Throws: `BatchSizeTransferError.invalidValue` for a value that is not finite and positive,
    ///   `.noiseScaleNeeded` for mccandlish or surge without a law, `.emptyLaw` for a law without groups.
    public func transfer(law: BatchSizeTransferLaw?) throws(BatchSizeTransferError) -> BatchSizeTransferResult {
        for (name, value) in [("the learning rate", learningRate), ("the batch size", batchSizeTokens), ("the target batch size", targetBatchSizeTokens)] {
            guard value > 0 && value.isFinite else { throw .invalidValue(name: name, value: value) }
        }
        if let law, law.groups.isEmpty { throw .emptyLaw(source: law.source) }
        let chosen = rule ?? law?.defaultRule ?? optimizer.defaultRule
        let reason: String
        if rule != nil {
            reason = "asked for"
        } else if let law {
            reason = "the default of \(law.source): lowest held-out excess loss over its batch sizes"
        } else {
            reason = "the default for \(optimizer.rawValue) without a fitted sweep (Granziol et al. 2020)"
        }
        if chosen.needsNoiseScale && law == nil { throw .noiseScaleNeeded(rule: chosen.rawValue) }
        var fit: NoiseScaleFit?
        var group: String?
        var notes: [String] = []
        if let law {
            let source: BatchSizeTransferRule = chosen.needsNoiseScale ? chosen : (chosen == .linear ? .mccandlish : .surge)
            let nearest = law.group(parameters: parameters, tokens: tokens, rule: source)
            fit = nearest.fit(source)
            group = nearest.label
            if parameters == nil && tokens == nil && law.groups.count > 1 {
                let scales = law.groups.compactMap { $0.fit(source)?.noiseScaleTokens }
                notes.append("B_noise of the law's groups ranges over \(SweepGroup.compact(scales.min()!))–\(SweepGroup.compact(scales.max()!)) tokens; the median group \(nearest.label) was used: give the model size and tokens to use the nearest group")
            }
            if fit?.isAtBound == true {
                notes.append("group \(nearest.label): B_noise lies beyond the batch sizes it ran (at the fit's bound), so the fitted rule is an extrapolation there")
            }
            notes.append("batch sizes are read in tokens, the unit of the law's B_noise")
        }
        let noiseScale = fit?.noiseScaleTokens
        return BatchSizeTransferResult(
            learningRate: learningRate, batchSizeTokens: batchSizeTokens, targetBatchSizeTokens: targetBatchSizeTokens,
            targetLearningRate: chosen.transfer(learningRate: learningRate, from: batchSizeTokens, to: targetBatchSizeTokens, noiseScale: noiseScale),
            rule: chosen, reason: reason, group: group, noiseScaleTokens: noiseScale, maxLearningRate: fit?.maxLearningRate,
            validity: chosen.validity(from: batchSizeTokens, to: targetBatchSizeTokens, noiseScale: noiseScale), notes: notes)
    }
}

/// The learning rate for the new batch size, with the rule that gave it and where it holds.
public struct BatchSizeTransferResult: Sendable, Equatable, Codable {
    /// ε(B₁), as given.
    public var learningRate: Double
    /// B₁, as given.
    public var batchSizeTokens: Double
    /// B₂, as given.
    public var targetBatchSizeTokens: Double
    /// ε(B₂).
    public var targetLearningRate: Double
    /// The rule used.
    public var rule: BatchSizeTransferRule
    /// Why that rule.
    public var reason: String
    /// The law's group the noise scale came from.
    public var group: String?
    /// B_noise in tokens, when a law gave one.
    public var noiseScaleTokens: Double?
    /// The group's fitted ε_max (its own model; the transfer uses only the shape).
    public var maxLearningRate: Double?
    /// Where the rule stops describing the optimum.
    public var validity: String
    /// Caveats about the law's use.
    public var notes: [String]
}
