import Foundation
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport

/// The evidence behind the default fit on the four real families (issue #15, "Done when"): the
/// committee's median against each member alone and two fixed averages, held-out runs only.
@Suite(.enabled(if: SharedData.shouldRun)) struct EvidenceTests {
    /// The harness on the shared data, run once for the whole suite.
    static let evidence = Result { try DefaultsEvidence(families: EvidenceFamily.real(sharedData: SharedData.dataDirectory.path)) }

    /// The families, each required to have run.
    static func families() throws -> [FamilyEvidence] {
        let evidence = try Self.evidence.get()
        for family in evidence.families {
            try #require(family.skipped == nil, "\(family.name): \(family.skipped ?? "") is missing")
        }
        return evidence.families
    }

    static func family(_ name: String) throws -> FamilyEvidence {
        try #require(try families().first { $0.name == name }, "no family \(name)")
    }

    static func summary(_ key: String) throws -> SettingSummary {
        try #require(try Self.evidence.get().summaries.first { $0.setting == key }, "no setting \(key)")
    }

    /// The protocols of ../shared/README.md: six MPL runs held out per size; at 124M every run but
    /// the re-runs and the fitted cooldown, the constant run whole among them (33 at 2e-3, 19 at 1e-4).
    @Test func eachFamilyPredictsTheRunsOfItsProtocol() throws {
        let counts = try Self.families().map { ($0.name, $0.heldOut.count) }
        #expect(counts.map(\.0) == ["MPL 25M", "MPL 100M", "124M 2e-3", "124M 1e-4"])
        #expect(counts.map(\.1) == [6, 6, 33, 19])
        for peak in ["2e-3", "1e-4"] {
            let heldOut = try Self.family("124M \(peak)").heldOut
            #expect(heldOut.contains("lr\(peak)_constant_50000"))
            #expect(!heldOut.contains("lr\(peak)_wsd_linear_0.2_25000"))
            #expect(heldOut.allSatisfy { $0.hasPrefix("lr\(peak)_") && !$0.hasSuffix("_rerun") })
        }
        for family in try Self.families() {
            #expect(family.scores.map(\.setting) == DefaultsEvidence.settings.map(\.key), "\(family.name): every setting scored")
        }
    }

    @Test func theDefaultHasTheLowestMeanPredEOverTheRealFamilies() throws {
        _ = try Self.families()
        let summaries = try Self.evidence.get().summaries
        let committee = try #require(try Self.summary("committee").meanPredE)
        for summary in summaries where summary.setting != "committee" {
            let mean = try #require(summary.meanPredE, "\(summary.setting)")
            #expect(committee < mean, "default \(committee) against \(summary.setting) \(mean)")
        }
    }

    @Test func theDefaultIsOnNoFamilyWorseThanOneAndAHalfTimesItsBestMember() throws {
        for family in try Self.families() {
            let committee = try #require(family.score("committee")?.predE)
            let best = try #require(family.bestMemberPredE(DefaultsEvidence.settings))
            #expect(committee <= 1.5 * best, "\(family.name): default \(committee), best member \(best)")
        }
        #expect(try #require(try Self.summary("committee").worstRatioToBestMember) <= 1.5)
    }

    @Test(arguments: [("MPL 25M", 0.0012), ("MPL 100M", 0.0011), ("124M 2e-3", 0.0021), ("124M 1e-4", 0.0012)])
    func theDefaultMeetsEachFamilysLimit(family name: String, maximumPredE: Double) throws {
        let predE = try #require(try Self.family(name).score("committee")?.predE)
        #expect(predE <= maximumPredE, "\(name): default mean held-out PredE \(predE)")
    }

    @Test(arguments: ["124M 2e-3", "124M 1e-4"])
    func theDefaultRanksTheFinalLossesOfEach124MPeak(family name: String) throws {
        let rho = try #require(try Self.family(name).score("committee")?.spearmanFinal)
        #expect(rho >= 0.95, "\(name): Spearman ρ of the final losses \(rho)")
    }

    /// The default fit's 95 % predictive band on the held-out runs (issue #18). Measured: 100, 99, 98
    /// and 100 % of all held-out points inside; finals 6/6, 4/6, 32/33, 19/19.
    @Test func theBandHoldsNearlyEveryHeldOutPointOfEveryFamily() throws {
        for family in try Self.families() {
            let band = try #require(family.band, "\(family.name)")
            #expect(band.points > 0 && band.pointCoverage >= 0.95, "\(family.name): \(band.pointsInside)/\(band.points) points inside")
            #expect(band.finalCoverage >= 0.6, "\(family.name): \(band.finalsInside)/\(band.finals) finals inside")
        }
    }

    /// At 124M 2e-3, the family with the most held-out runs, the band meets both criteria of issue
    /// #18: 80–99 % of the finals inside and a median half-width no wider than twice the median
    /// error there (measured 32/33 and 1.9×).
    @Test func theBandIsCalibratedOnTheLargestFamily() throws {
        let band = try #require(try Self.family("124M 2e-3").band)
        #expect((0.8...0.99).contains(band.finalCoverage), "\(band.finalsInside)/\(band.finals)")
        #expect(band.widthRatio <= 2, "median half-width \(band.medianRelativeHalfWidth), median error \(band.medianRelativeFinalError)")
    }

    /// No order of two held-out runs of the same length that the difference's interval calls settled
    /// is wrong, and the interval holds at least 95 % of the measured differences (measured 25 and 55
    /// settled of 125 and 83 pairs at 124M, 99 and 100 % inside).
    @Test func noSettledOrderOfTwoHeldOutRunsIsWrong() throws {
        for family in try Self.families() {
            let band = try #require(family.band)
            #expect(band.wrongSettledPairs == 0, "\(family.name): \(band.wrongSettledPairs) of \(band.settledPairs) settled orders wrong")
            if band.pairs > 0 { #expect(Double(band.pairsInside) / Double(band.pairs) >= 0.95, "\(family.name)") }
        }
        #expect(try Self.family("124M 2e-3").band?.settledPairs ?? 0 >= 10, "the interval still settles clear orders")
        #expect(try Self.family("124M 1e-4").band?.settledPairs ?? 0 >= 10)
    }

    /// A member's row is what `fit` with that member's settings alone, then `evaluate`, give: the same
    /// workflows the two commands run (`--law annealing`, `--lambda 0.999`,
    /// `--law multi-power --amplitude joint`).
    @Test(arguments: [("MPL 25M", "annealing"), ("124M 2e-3", "annealing-lambda-0.999"), ("124M 1e-4", "multi-power-joint")])
    func eachMemberRowIsTheSingleLawFit(family name: String, member: String) throws {
        let family = try Self.family(name)
        let row = try #require(family.score(member))
        var options = FullFitOptions()
        options.fitsBaselines = false
        options.fitsRankingCheck = false
        switch member {
        case "annealing": options.law = .annealing
        case "annealing-lambda-0.999":
            options.law = .annealing
            options.annealing.lambda = .fixed(AnnealingFitOptions.paperLambda)
        default:
            options.law = .multiPower
            options.multiPowerAmplitude = .joint
        }
        let fitted = try CurveLoading.load(family.fitted.map { "\(family.directory)/\($0).csv" },
                                           options: CurveLoadingOptions(fromStep: family.fitFromStep, toStep: family.fitToStep))
        let fit = try FullFit.run(fitted.map(\.curve), options: options).result
        #expect(fit.committee == nil)
        let heldOut = try CurveLoading.load(family.heldOut.map { "\(family.directory)/\($0).csv" },
                                            options: CurveLoadingOptions(fromStep: family.scoreFromStep))
        let report = try Evaluation.evaluate(fit, on: heldOut).report
        #expect(isClose(row.predE, report.mean.predE, relativeTolerance: 1e-9), "\(name) \(member): \(row.predE) against \(report.mean.predE)")
        #expect(isClose(row.worstFinalE, report.worstFinalE, relativeTolerance: 1e-9))
        #expect(isClose(try #require(row.spearmanFinal), try #require(report.spearmanFinal), relativeTolerance: 1e-12))
    }

    /// An average row is the mean of the two members' predictions at each step, PredE per curve then
    /// the mean over curves, computed here from a fresh default fit of MPL 100M.
    @Test func anAverageRowIsTheMeanOfTwoMembersPredictions() throws {
        let family = try Self.family("MPL 100M")
        let fitted = try CurveLoading.load(family.fitted.map { "\(family.directory)/\($0).csv" }, options: CurveLoadingOptions())
        var options = FullFitOptions()
        options.fitsBaselines = false
        let committee = try #require(try FullFit.run(fitted.map(\.curve), options: options).result.committee)
        let laws = try ["annealing-lambda-0.999", "multi-power"].map { key in
            try #require(committee.members.first { $0.key == key }).fit.law
        }
        let curves = try CurveLoading.load(family.heldOut.map { "\(family.directory)/\($0).csv" }, options: CurveLoadingOptions()).map(\.curve)
        var predEs: [Double] = []
        for curve in curves {
            let first = laws[0].predictLoss(learningRates: curve.learningRates, at: curve.steps)
            let second = laws[1].predictLoss(learningRates: curve.learningRates, at: curve.steps)
            let errors = curve.losses.indices.map { abs((first[$0] + second[$0]) / 2 - curve.losses[$0]) / curve.losses[$0] }
            predEs.append(errors.reduce(0, +) / Double(errors.count))
        }
        let expected = predEs.reduce(0, +) / Double(predEs.count)
        let row = try #require(family.score("annealing-lambda-0.999+multi-power"))
        #expect(isClose(row.predE, expected, relativeTolerance: 1e-9), "\(row.predE) against \(expected)")
    }
}

/// Families whose logs are missing are reported, not run.
@Suite struct EvidenceSkippingTests {
    @Test func familiesWithoutTheirLogsAreSkippedWithThePathMissing() throws {
        let directory = try WorkflowFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let evidence = try DefaultsEvidence(families: EvidenceFamily.real(sharedData: directory.path))
        #expect(evidence.families.map(\.name) == ["MPL 25M", "MPL 100M", "124M 2e-3", "124M 1e-4"])
        #expect(evidence.families.map(\.skipped) == [
            "\(directory.path)/mpl/25/cosine_24000.csv", "\(directory.path)/mpl/100/cosine_24000.csv",
            "\(directory.path)/epfl124m", "\(directory.path)/epfl124m",
        ])
        #expect(evidence.families.allSatisfy { $0.scores.isEmpty })
        #expect(evidence.summaries.allSatisfy { $0.families == 0 && $0.meanPredE == nil && $0.worstRatioToBestMember == nil })
    }
}
