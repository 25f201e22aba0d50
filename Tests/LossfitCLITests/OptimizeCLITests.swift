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

    /// The WSD search reaches decays over the whole run by default; --decay-range narrows it, is
    /// printed, and is refused outside 0 < LOW ≤ HIGH ≤ 1 or for a family without a decay phase.
    @Test func decayRange() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--law", "annealing", "--no-baselines", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            let common = ["optimize", "--fit", fitPath, "--total", "6000", "--peak", "0.6", "--warmup", "200", "--family", "wsd"]
            func decays(_ report: Report) -> Set<String> {
                Set(report.candidates.map { $0.spec.split(separator: ",").first { $0.hasPrefix("decay=") }.map(String.init) ?? "" })
            }
            let whole = try decodeJSON(Report.self, from: runSucceeding(common + ["--json", "--top", "1000"]).stdout)
            // Every 0.05 of the 6000 steps up to 0.95; a decay over all 6000 does not fit after warmup, so the last is the 5800 steps after it.
            #expect(decays(whole) == Set((1...19).map { "decay=\(String(format: "%g", Double($0) / 20))" } + ["decay=5800"]))

            let long = try runSucceeding(common + ["--decay-range", "0.6...0.8", "--json", "--top", "1000"])
            #expect(decays(try decodeJSON(Report.self, from: long.stdout)) == ["decay=0.6", "decay=0.65", "decay=0.7", "decay=0.75", "decay=0.8"])
            let table = try runSucceeding(common + ["--decay-range", "0.6..0.8", "--top", "3"]).stdout
            #expect(table.contains("WSD decays searched: 5 lengths from 0.6 to 0.8 of the 6000 steps (--decay-range 0.6...0.8).\n"))
            #expect(try runSucceeding(common + ["--top", "3"]).stdout.contains("WSD decays searched: 20 lengths from 0.05 to 1 of the 6000 steps (--decay-range 0.05...1).\n"))

            for bad in ["0.8...0.2", "0...0.5", "0.5...1.5", "0.5"] {
                let output = try CLIRunner.run(common + ["--decay-range", bad])
                #expect(output.status != 0 && output.stderr.contains("--decay-range"), "\(bad): \(output.stderr)")
            }
            let cosine = try CLIRunner.run(["optimize", "--fit", fitPath, "--total", "6000", "--peak", "0.6", "--family", "cosine", "--decay-range", "0.6...0.8"])
            #expect(cosine.status != 0 && cosine.stderr.contains("--decay-range applies to --family wsd"), "\(cosine.stderr)")
            #expect(try runSucceeding(["optimize", "--help"]).stdout.contains("--decay-range <LOW...HIGH>"))
        }
    }
}
