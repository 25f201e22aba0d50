import Foundation
import Testing
import TestSupport

/// `lossfit optimize` end to end on the bundled runs: candidates come best first, each one's final
/// loss is what `predict` gives for its spec, the free schedule is at least as good as the best
/// family member it starts from, and the ranking check's ranks are listed when the fit has one.
@Suite struct OptimizeCLITests {
    struct Candidate: Decodable { var spec: String; var finalLoss: Double }
    struct Report: Decodable {
        var best: Candidate
        var candidates: [Candidate]
        var rankingCheckBest: Candidate?
        var memberBests: [MemberBest]?
    }
    struct MemberBest: Decodable { var member: String; var best: Candidate }

    @Test func familyAndFreeSearch() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--no-baselines", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            let common = ["optimize", "--fit", fitPath, "--total", "6000", "--peak", "0.6", "--warmup", "200"]
            let family = try decodeJSON(Report.self, from: runSucceeding(common + ["--family", "wsd", "--json", "--top", "500"]).stdout)
            #expect(family.candidates.count > 50)
            #expect(zip(family.candidates, family.candidates.dropFirst()).allSatisfy { $0.finalLoss <= $1.finalLoss })
            #expect(family.best.spec == family.candidates[0].spec)
            // Under the committee (the default fit) each member's own best is listed; a member's loss is its own.
            #expect(family.rankingCheckBest == nil)
            let members = try #require(family.memberBests)
            #expect(members.count == 4)
            #expect(members.allSatisfy { member in family.candidates.contains { $0.spec == member.best.spec } })
            for candidate in [family.candidates[0], family.candidates[family.candidates.count / 2]] {
                let prediction = try decodeJSON(PredictionJSON.self, from: runSucceeding(
                    ["predict", "--fit", fitPath, "--schedule", candidate.spec, "--at", "6000", "--format", "json"]).stdout)
                #expect(isClose(prediction.points[0].loss, candidate.finalLoss, relativeTolerance: 1e-9), "\(candidate.spec)")
            }

            let free = try decodeJSON(Report.self, from: runSucceeding(common + ["--free", "--json"]).stdout)
            #expect(free.best.finalLoss <= family.best.finalLoss * (1 + 1e-12))
            #expect(free.rankingCheckBest == nil && free.memberBests == nil)

            let annealingPath = directory.appendingPathComponent("annealing.json").path
            try runSucceeding(["fit", "--law", "annealing", "--no-baselines", "-o", annealingPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            let table = try runSucceeding(["optimize", "--fit", annealingPath, "--total", "6000", "--peak", "0.6", "--warmup", "200", "--family", "wsd"]).stdout
            let header = try #require(table.split(separator: "\n").first)
            #expect(header.hasPrefix("rank") && header.contains("settled?") && header.hasSuffix("extrapolates  check's rank"))
            #expect(table.contains("check's rank = the candidate's rank under the ranking check (annealing law, λ = 0.999"))
        }
    }
}
