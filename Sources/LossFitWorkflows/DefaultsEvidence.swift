import Foundation
import ScalingLaws

/// The evidence behind the default fit: each family's protocol fitted once with the default
/// committee, its held-out logs predicted by the committee's median, by each member alone and by
/// fixed equal averages of two members (issue #15; README, "Evidence behind the defaults").
///
/// ```
/// score(setting, family) = mean over held-out curves of PredE, Spearman ρ of the final losses,
///                          max over held-out curves of |L̂_T − L_T| / L_T
/// mean PredE(setting)    = mean over the deciding families of its PredE
/// worst ratio(setting)   = max over the deciding families of PredE / PredE of the best member alone
/// ```
/// The members alone and the averages are read from the same committee fit: each member is the fit
/// `fit` gives with that member's settings alone.
public struct DefaultsEvidence: Sendable, Encodable {
    public var settings: [EvidenceSetting]
    /// Every family asked for, in order, run or skipped.
    public var families: [FamilyEvidence]
    /// Per setting, in the order of `settings`: its mean and worst ratio over the deciding families.
    public var summaries: [SettingSummary]

    /// The settings scored: the default, each member of `CommitteeFitter.standard` alone, and the
    /// two fixed averages of issue #15.
    public static let settings: [EvidenceSetting] = {
        let members = CommitteeFitter.standard(annealing: AnnealingFitOptions(), multiPower: MultiPowerFitOptions()).candidates
        let shortNames = ["annealing": "annealing", "annealing-lambda-0.999": "λ 0.999", "multi-power": "multi-power",
                          "multi-power-joint": "multi-power joint"]
        return [EvidenceSetting(key: "committee", name: "default: committee median", shortName: "default", members: [])]
            + members.map { EvidenceSetting(key: $0.key, name: $0.label, shortName: shortNames[$0.key] ?? $0.key, members: [$0.key]) }
            + [EvidenceSetting(key: "annealing+annealing-lambda-0.999", name: "mean of annealing λ fitted and λ = 0.999",
                               shortName: "annealing + λ 0.999", members: ["annealing", "annealing-lambda-0.999"]),
               EvidenceSetting(key: "annealing-lambda-0.999+multi-power", name: "mean of annealing λ = 0.999 and multi-power",
                               shortName: "λ 0.999 + multi-power", members: ["annealing-lambda-0.999", "multi-power"])]
    }()

    /// Runs every family in `families` that has its logs; a family whose directory or a log is
    /// missing is skipped with the path.
    /// - Parameters:
    ///   - report: Told what loading each log did (see `CurveLoading.load`).
    ///   - starting: Told each family before it is fitted.
    /// - Throws: the readers' errors for a log that cannot be read; the fitters' `FitError` when no
    ///   member of a family's committee can be fitted.
    public init(families: [EvidenceFamily], report: (CurveLoadingEvent) -> Void = { _ in },
                starting: (EvidenceFamily) -> Void = { _ in }) throws {
        settings = Self.settings
        var outcomes: [FamilyEvidence] = []
        for family in families {
            let heldOut: [String]
            switch family.heldOutNames() {
            case .success(let names): heldOut = names
            case .failure(let missing):
                outcomes.append(FamilyEvidence(skipping: family, missing: missing.path))
                continue
            }
            if let missing = (family.fitted + heldOut).map(family.path).first(where: { !FileManager.default.fileExists(atPath: $0) }) {
                outcomes.append(FamilyEvidence(skipping: family, missing: missing))
                continue
            }
            starting(family)
            outcomes.append(try FamilyEvidence(running: family, heldOut: heldOut, settings: settings, report: report))
        }
        self.families = outcomes
        let deciding = outcomes.filter { $0.decides && $0.skipped == nil }
        summaries = settings.map { SettingSummary(setting: $0, families: deciding) }
    }
}

/// A way to predict from a committee fit: its median (no members named), one member alone, or the
/// equal average of the members named.
public struct EvidenceSetting: Sendable, Equatable, Encodable {
    /// `committee`, a member's key, or the averaged members' keys joined by `+`.
    public var key: String
    /// What it is, in words, and in a few words for narrow tables.
    public var name: String
    public var shortName: String
    /// The committee members' keys it averages; empty for the committee's median.
    public var members: [String]

    public init(key: String, name: String, shortName: String, members: [String]) {
        self.key = key
        self.name = name
        self.shortName = shortName
        self.members = members
    }

    /// Whether the setting is one member alone.
    public var isSingleMember: Bool { members.count == 1 }

    /// The setting's law from a committee fit, nil when a member it needs was left out of the fit.
    func law(from fit: FitResult) -> (any LossLaw)? {
        if members.isEmpty { return fit.predictor }
        let fits = members.compactMap { key in fit.committee?.members.first(where: { $0.key == key })?.fit.law }
        guard fits.count == members.count else { return nil }
        // The median of two predictions is their mean: a committee of the two is their equal average.
        return fits.count == 1 ? fits[0].lossLaw : CommitteeLaw(members: fits)
    }
}

/// How one family's held-out logs were predicted, or why the family was skipped.
public struct FamilyEvidence: Sendable, Encodable {
    public var name: String
    public var decides: Bool
    public var directory: String
    /// The logs fitted and the held-out logs predicted (names without `.csv`).
    public var fitted: [String]
    public var heldOut: [String]
    public var fitFromStep: Int?
    public var fitToStep: Int?
    public var scoreFromStep: Int?
    /// The path missing when the family was skipped; nil when it ran.
    public var skipped: String?
    /// One score per setting that could be scored, in the order of the settings.
    public var scores: [EvidenceScore]
    /// How the default fit's predictive band and verdicts hold on the held-out logs (nil when skipped).
    public var band: BandEvidence?

    init(skipping family: EvidenceFamily, missing: String) {
        var listed: [String] = []
        if case .listed(let names) = family.heldOut { listed = names }
        self.init(family: family, heldOut: listed, skipped: missing, scores: [])
    }

    init(running family: EvidenceFamily, heldOut: [String], settings: [EvidenceSetting],
         report: (CurveLoadingEvent) -> Void) throws {
        let fitted = try CurveLoading.load(family.fitted.map(family.path),
                                           options: CurveLoadingOptions(fromStep: family.fitFromStep, toStep: family.fitToStep), report: report)
        var options = FullFitOptions()
        options.fitsBaselines = false
        options.fitsRankingCheck = false
        let fit = try FullFit.run(fitted.map(\.curve), options: options).result
        let curves = try CurveLoading.load(heldOut.map(family.path), options: CurveLoadingOptions(fromStep: family.scoreFromStep),
                                           report: report).map(\.curve)
        let scores = settings.compactMap { setting -> EvidenceScore? in
            guard let law = setting.law(from: fit), let evaluation = LawEvaluation(label: setting.name, law: law, curves: curves) else {
                return nil
            }
            return EvidenceScore(setting: setting.key, predE: evaluation.predE, spearmanFinal: evaluation.spearmanFinal,
                                 worstFinalE: evaluation.worstFinalE)
        }
        self.init(family: family, heldOut: curves.map(\.name), skipped: nil, scores: scores, band: BandEvidence(fit: fit, curves: curves))
    }

    private init(family: EvidenceFamily, heldOut: [String], skipped: String?, scores: [EvidenceScore], band: BandEvidence? = nil) {
        name = family.name
        decides = family.decides
        directory = family.directory
        fitted = family.fitted
        self.heldOut = heldOut
        fitFromStep = family.fitFromStep
        fitToStep = family.fitToStep
        scoreFromStep = family.scoreFromStep
        self.skipped = skipped
        self.scores = scores
        self.band = band
    }

    /// The score of the setting with `key`, nil when the family was skipped or the setting could not be scored.
    public func score(_ key: String) -> EvidenceScore? {
        scores.first { $0.setting == key }
    }

    /// The lowest mean PredE of a member alone among `settings`.
    public func bestMemberPredE(_ settings: [EvidenceSetting]) -> Double? {
        settings.filter(\.isSingleMember).compactMap { score($0.key)?.predE }.min()
    }
}

/// One setting's scores on the held-out logs of one family.
public struct EvidenceScore: Sendable, Equatable, Encodable {
    /// The setting's key.
    public var setting: String
    /// The mean over held-out curves of each curve's PredE.
    public var predE: Double
    /// Spearman's ρ between predicted and measured final losses (nil with fewer than three curves).
    public var spearmanFinal: Double?
    /// The largest relative error of a predicted final loss.
    public var worstFinalE: Double
}

/// One setting over the deciding families that ran.
public struct SettingSummary: Sendable, Equatable, Encodable {
    /// The setting's key.
    public var setting: String
    /// How many deciding families it was scored on.
    public var families: Int
    /// The mean of its PredE over those families (nil when a family could not score it).
    public var meanPredE: Double?
    /// The largest ratio of its PredE to the best member's on a family, and that family.
    public var worstRatioToBestMember: Double?
    public var worstFamily: String?

    init(setting: EvidenceSetting, families: [FamilyEvidence]) {
        self.setting = setting.key
        self.families = families.count
        let scores = families.compactMap { $0.score(setting.key)?.predE }
        meanPredE = !scores.isEmpty && scores.count == families.count ? scores.reduce(0, +) / Double(scores.count) : nil
        let ratios = families.compactMap { family -> (String, Double)? in
            guard let predE = family.score(setting.key)?.predE, let best = family.bestMemberPredE(DefaultsEvidence.settings) else { return nil }
            return (family.name, predE / best)
        }
        let worst = ratios.count == families.count ? ratios.max { $0.1 < $1.1 } : nil
        worstRatioToBestMember = worst?.1
        worstFamily = worst?.0
    }
}
