import Foundation
import Testing
import TestSupport

/// The default fit is a committee of four laws: FIT.json stores its members, `predict` gives the
/// median of their predictions with their spread, `compare` marks an order settled only when its interval
/// (which includes the members' disagreement) excludes 0, and each member equals the fit of that law alone.
@Suite struct CommitteeCLITests {
    private static let training = ["constant_20000", "wsd_linear_20000"]
    private static let cosine = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"

    struct Point: Decodable {
        var step: Int
        var loss: Double
        var modelSpread: Double?
        var memberLosses: [Double]?
    }
    struct Prediction: Decodable { var law: String; var points: [Point] }

    @Test func fitFileStoresTheFourMembersAndTheMedianRule() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            let output = try runSucceeding(["fit", "--no-baselines", "-o", fitPath] + BundledLogs.paths(Self.training))
            #expect(output.stdout.hasPrefix("Fitted a committee of 4 laws to 2 curves"))
            let stored = try jsonObject(contentsOf: URL(fileURLWithPath: fitPath))
            let committee = try #require(stored["committee"] as? [String: Any])
            #expect(committee["combination"] as? String == "median")
            let members = try #require(committee["members"] as? [[String: Any]])
            #expect(members.compactMap { $0["key"] as? String } == ["annealing", "annealing-lambda-0.999", "multi-power", "multi-power-joint"])
            #expect(stored["rankingCheck"] == nil)
        }
    }

    /// Each member's prediction is what the fit of that law alone predicts, and the committee's is
    /// the mean of the two middle ones.
    @Test func predictionIsTheMedianOfTheMembersEachAsFittedAlone() throws {
        try withTemporaryDirectory { directory in
            let logs = try BundledLogs.paths(Self.training)
            let committeePath = directory.appendingPathComponent("committee.json").path
            try runSucceeding(["fit", "--no-baselines", "-o", committeePath] + logs)
            let alone = [["--law", "annealing"], ["--lambda", "0.999"], ["--law", "multi-power"], ["--law", "multi-power", "--amplitude", "joint"]]
            var memberPredictions: [[Double]] = []
            for (index, flags) in alone.enumerated() {
                let path = directory.appendingPathComponent("member\(index).json").path
                try runSucceeding(["fit", "--no-baselines", "--no-ranking-check", "-o", path] + flags + logs)
                let prediction = try decodeJSON(Prediction.self, from: runSucceeding(
                    ["predict", "--fit", path, "--schedule", Self.cosine, "--at", "1000,10000,20000", "--format", "json"]).stdout)
                #expect(prediction.points.allSatisfy { $0.modelSpread == nil && $0.memberLosses == nil })
                memberPredictions.append(prediction.points.map(\.loss))
            }
            let committee = try decodeJSON(Prediction.self, from: runSucceeding(
                ["predict", "--fit", committeePath, "--schedule", Self.cosine, "--at", "1000,10000,20000", "--format", "json"]).stdout)
            #expect(committee.law == "committee")
            for (index, point) in committee.points.enumerated() {
                let members = try #require(point.memberLosses)
                for member in 0..<4 {
                    #expect(isClose(members[member], memberPredictions[member][index], relativeTolerance: 1e-12), "member \(member), step \(point.step)")
                }
                let sorted = members.sorted()
                #expect(isClose(point.loss, (sorted[1] + sorted[2]) / 2, relativeTolerance: 1e-14))
                #expect(isClose(try #require(point.modelSpread), (sorted[2] - sorted[1]) / 2, relativeTolerance: 1e-9))
            }
            let csv = try runSucceeding(["predict", "--fit", committeePath, "--schedule", Self.cosine, "--at", "20000", "--format", "csv"]).stdout
            #expect(csv.hasPrefix("step,lr,loss,standard_error,lower95,upper95,spread\n"))
        }
    }

    @Test func compareShowsTheSpreadAndSettlesOnlyWhatEveryMemberShares() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--no-baselines", "-o", fitPath] + BundledLogs.paths(Self.training))
            let specs = ["wsd:peak=0.6,warmup=200,total=20000,decay=4000,shape=linear,end=0.06", Self.cosine, "constant:peak=0.6,warmup=200,total=20000"]
            let table = try runSucceeding(["compare", "--fit", fitPath] + specs).stdout
            let header = try #require(table.split(separator: "\n").first)
            #expect(header.contains("95 % band") && header.contains("spread") && header.contains("vs best  settled?   extrapolates"))
            #expect(table.contains("settled? = it excludes 0"))
            // A constant LR against the same runs with a decay: settled last.
            let last = try #require(tableRows(table).first { $0.count > 1 && $0[1].hasPrefix("constant:peak=0.6") })
            #expect(last[0] == "3" && last.suffix(2) == ["yes", "inside"])
        }
    }

    /// `evaluate` scores each member alone; the λ = 0.999 member equals a separate `--lambda 0.999` fit.
    @Test func evaluateScoresEachMemberLikeASeparateFit() throws {
        struct Scores: Decodable { var label: String?; var predE: Double; var worstFinalE: Double }
        struct Report: Decodable { var mean: Scores; var members: [Scores]? }
        try withTemporaryDirectory { directory in
            let committeePath = directory.appendingPathComponent("committee.json").path, paper = directory.appendingPathComponent("paper.json").path
            let training = try BundledLogs.paths(Self.training)
            let unseen = try BundledLogs.paths(["cosine_20000", "linear_20000", "twostage_0.06", "wsd_1-sqrt_20000"])
            try runSucceeding(["fit", "--no-baselines", "-o", committeePath] + training)
            try runSucceeding(["fit", "--no-baselines", "--no-ranking-check", "--lambda", "0.999", "-o", paper] + training)
            let committee = try decodeJSON(Report.self, from: runSucceeding(["evaluate", "--fit", committeePath, "--json"] + unseen).stdout)
            let separate = try decodeJSON(Report.self, from: runSucceeding(["evaluate", "--fit", paper, "--json"] + unseen).stdout)
            let members = try #require(committee.members)
            #expect(members.compactMap(\.label) == ["annealing law, λ fitted", "annealing law, λ = 0.999",
                                                    "multi-power law, B from the settled loss", "multi-power law, B fitted jointly"])
            #expect(separate.members == nil)
            #expect(isClose(members[1].predE, separate.mean.predE, relativeTolerance: 1e-9))
            #expect(isClose(members[1].worstFinalE, separate.mean.worstFinalE, relativeTolerance: 1e-9))
            #expect(try runSucceeding(["evaluate", "--fit", committeePath] + unseen).stdout.contains("committee member alone"))
        }
    }

    /// A FIT.json whose committee is damaged gets a one-line error naming the file and the problem.
    @Test func damagedCommitteesAreClearErrors() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--no-baselines", "-o", fitPath] + BundledLogs.paths(Self.training))
            let original = try jsonObject(contentsOf: URL(fileURLWithPath: fitPath))
            let committee = try #require(original["committee"] as? [String: Any])
            var cases: [(String, [String: Any], String)] = [
                ("empty", ["combination": "median", "members": [Any]()], "a committee needs at least one member"),
                ("combination", ["combination": "vote", "members": committee["members"] as Any], "unknown combination \"vote\""),
                ("nomembers", ["combination": "median"], "members"),
                ("repeated", ["combination": "median", "members": [(committee["members"] as? [Any])?[0] as Any, (committee["members"] as? [Any])?[0] as Any]],
                 "member \"annealing\" appears twice"),
            ]
            var members = try #require(committee["members"] as? [[String: Any]])
            var memberFit = try #require(members[1]["fit"] as? [String: Any])
            var law = try #require(memberFit["annealing"] as? [String: Any])
            law["lambda"] = 2.0
            memberFit["annealing"] = law
            members[1]["fit"] = memberFit
            cases.append(("memberlambda", ["combination": "median", "members": members], "committee.members[1].fit.annealing"))
            for (name, damaged, expected) in cases {
                var object = original
                object["committee"] = damaged
                let path = directory.appendingPathComponent("\(name).json").path
                try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
                let output = try CLIRunner.run(["predict", "--fit", path, "--schedule", Self.cosine, "--at", "20000"])
                #expect(output.status != 0, "\(name)")
                let lines = errorLines(output)
                #expect(lines.count == 1 && lines[0].contains(path) && lines[0].contains(expected), "\(name): \(output.stderr)")
            }
        }
    }
}
