import Foundation
import TestSupport
import Testing

/// `lossfit evidence`: the table behind the defaults, tied to what `fit` and `evaluate` print.
@Suite struct EvidenceCLITests {
    /// The part of `lossfit evidence --json` the tests read.
    struct EvidenceJSON: Decodable {
        struct Setting: Decodable {
            var key: String
            var name: String
        }

        struct Score: Decodable {
            var setting: String
            var predE: Double
            var spearmanFinal: Double?
            var worstFinalE: Double
        }

        struct Family: Decodable {
            var name: String
            var heldOut: [String]
            var skipped: String?
            var scores: [Score]
        }

        var settings: [Setting]
        var families: [Family]
    }

    /// The part of `lossfit evaluate --json` that scores a committee's members alone.
    struct MembersJSON: Decodable {
        struct Member: Decodable {
            var label: String
            var predE: Double
        }

        var members: [Member]?
    }

    @Test func withoutTheSharedDataItSaysWhereToPointIt() throws {
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("shared/data").path
            let output = try CLIRunner.run(["evidence", "--shared", missing])
            #expect(output.status != 0)
            let first = try #require(errorLines(output).first)
            #expect(first.contains(missing) && first.contains("--shared DIR"), "\(output.stderr)")
            #expect(output.stdout.isEmpty)
        }
    }

    @Test func familiesWithoutTheirLogsAreListedAsSkipped() throws {
        try withTemporaryDirectory { directory in
            let output = try runSucceeding(["evidence", "--shared", directory.path, "--data", directory.appendingPathComponent("data").path])
            let skipped = output.stdout.split(separator: "\n").filter { $0.contains(": skipped, ") }.map { String($0.prefix { $0 != ":" }) }
            #expect(skipped == ["MPL 25M", "MPL 100M", "124M 2e-3", "124M 1e-4", "simulated"], "\(output.stdout)")
            #expect(!output.stdout.contains("default: committee median"), "no table without a family")
        }
    }

    @Test func jsonAndMarkdownTogetherAreRefused() throws {
        let output = try CLIRunner.run(["evidence", "--json", "--markdown"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("--json and --markdown"), "\(output.stderr)")
    }

    /// With only MPL 25M present, its default and member rows are what `fit` (default, then
    /// `--law annealing`) and `evaluate --json` print for the same runs.
    @Test(.enabled(if: SharedData.shouldRun)) func theRowsAreWhatFitAndEvaluatePrint() throws {
        let training = try MPLCurves.paths(MPLCurves.training, size: "25")
        let unseen = try MPLCurves.paths(MPLCurves.unseen, size: "25")
        try withTemporaryDirectory { directory in
            // A data directory holding only MPL 25M: a link to the shared runs, not a copy.
            let shared = directory.appendingPathComponent("shared")
            try FileManager.default.createDirectory(at: shared.appendingPathComponent("mpl"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: shared.appendingPathComponent("mpl/25"), withDestinationURL: SharedData.url("mpl/25"))
            let output = try runSucceeding(["evidence", "--json", "--shared", shared.path, "--data", directory.appendingPathComponent("none").path])
            let evidence = try decodeJSON(EvidenceJSON.self, from: output.stdout)
            let family = try #require(evidence.families.first { $0.name == "MPL 25M" })
            #expect(family.skipped == nil)
            #expect(family.heldOut == MPLCurves.unseen)
            #expect(evidence.families.filter { $0.skipped != nil }.count == 4)
            func row(_ key: String) throws -> EvidenceJSON.Score { try #require(family.scores.first { $0.setting == key }, "\(key)") }

            let committeeFit = directory.appendingPathComponent("committee.json").path
            try runSucceeding(["fit", "--no-baselines", "-o", committeeFit] + training)
            let committee = try runSucceeding(["evaluate", "--fit", committeeFit, "--json"] + unseen).stdout
            #expect(isClose(try row("committee").predE, try decodeJSON(EvaluationJSON.self, from: committee).mean.predE, relativeTolerance: 1e-9))
            let members = try #require(try decodeJSON(MembersJSON.self, from: committee).members)
            #expect(members.count == 4)
            for member in members {
                let setting = try #require(evidence.settings.first { $0.name == member.label }, "\(member.label)")
                #expect(isClose(try row(setting.key).predE, member.predE, relativeTolerance: 1e-9), "\(member.label)")
            }

            let annealingFit = directory.appendingPathComponent("annealing.json").path
            try runSucceeding(["fit", "--law", "annealing", "--no-baselines", "-o", annealingFit] + training)
            let annealing = try decodeJSON(EvaluationJSON.self, from: try runSucceeding(["evaluate", "--fit", annealingFit, "--json"] + unseen).stdout)
            #expect(isClose(try row("annealing").predE, annealing.mean.predE, relativeTolerance: 1e-9))
        }
    }
}
