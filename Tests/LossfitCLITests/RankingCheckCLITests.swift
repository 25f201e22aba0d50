import Foundation
import Testing
import TestSupport

/// `fit --law annealing` (one law) stores a ranking check unless told not to; `compare` and `plan` then settle an order
/// only when the check shares it, and without it on the calibrated interval alone.
@Suite struct RankingCheckCLITests {
    private let specs = ["wsd:peak=0.6,warmup=200,total=20000,decay=4000,shape=linear,end=0.06",
                         "cosine:peak=0.6,end=0.06,warmup=200,total=20000",
                         "constant:peak=0.6,warmup=200,total=20000"]

    @Test func compareMarksSettledOrdersAndTheFitFileHoldsTheCheck() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            let fitOutput = try runSucceeding(["fit", "--law", "annealing", "--no-baselines", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            #expect(fitOutput.stdout.contains("ranking check: annealing law, λ = 0.999, fitted to the same curves"))
            let stored = try jsonObject(contentsOf: URL(fileURLWithPath: fitPath))
            let check = try #require(stored["rankingCheck"] as? [String: Any])
            let law = try #require(check["law"] as? [String: Any])
            #expect(isClose(try #require(law["lambda"] as? Double), 0.999, relativeTolerance: 1e-12))

            let table = try runSucceeding(["compare", "--fit", fitPath] + specs).stdout
            let header = try #require(table.split(separator: "\n").first)
            #expect(header.contains("vs best  settled?"))
            #expect(table.contains("settled? = it excludes 0 and the ranking check (annealing law, λ = 0.999, fitted to the same curves) orders them the same way"))
            // A constant LR against the same run with a decay: every fit puts the constant run last.
            let last = try #require(tableRows(table).first { $0.count > 1 && $0[1].hasPrefix("constant:peak=0.6") })
            #expect(last[0] == "3" && last.suffix(2) == ["yes", "inside"])

            // The JSON carries the check's final losses (their arithmetic is tested in-process, PredictionWorkflowTests).
            struct Row: Decodable { var checkFinalLoss: Double? }
            struct Report: Decodable { var schedules: [Row] }
            let report = try decodeJSON(Report.self, from: runSucceeding(["compare", "--fit", fitPath, "--json"] + specs).stdout)
            #expect(report.schedules.count == specs.count && report.schedules.allSatisfy { $0.checkFinalLoss != nil })
        }
    }

    @Test func withoutTheCheckTheIntervalAloneSettles() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            let fitOutput = try runSucceeding(["fit", "--law", "annealing", "--no-baselines", "--no-ranking-check", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            #expect(!fitOutput.stdout.contains("ranking check"))
            #expect(try jsonObject(contentsOf: URL(fileURLWithPath: fitPath))["rankingCheck"] == nil)
            let table = try runSucceeding(["compare", "--fit", fitPath] + specs).stdout
            #expect(table.contains("settled? = it excludes 0. Each pair"))
            let plan = try runSucceeding(["plan", "--fit", fitPath, "--peak", "0.6", "--warmup", "200", "--budget", "20000", "--checkpoints", "12000,16000"]).stdout
            #expect(plan.contains("settled? = it excludes 0. Each pair"))
        }
    }

    /// `evaluate` scores the stored check on the given runs; it is the same law as a separate fit
    /// with `--lambda 0.999`, so its figures equal that fit's.
    @Test func evaluateScoresTheCheckLikeASeparateFitAtThePapersLambda() throws {
        struct Scores: Decodable { var predE: Double; var spearmanFinal: Double?; var worstFinalE: Double }
        struct Report: Decodable { var mean: Scores; var rankingCheck: Scores? }
        try withTemporaryDirectory { directory in
            let main = directory.appendingPathComponent("main.json").path, paper = directory.appendingPathComponent("paper.json").path
            let training = try BundledLogs.paths(["constant_20000", "wsd_linear_20000"])
            let unseen = try BundledLogs.paths(["cosine_20000", "linear_20000", "twostage_0.06", "wsd_1-sqrt_20000"])
            try runSucceeding(["fit", "--law", "annealing", "--no-baselines", "-o", main] + training)
            try runSucceeding(["fit", "--no-baselines", "--no-ranking-check", "--lambda", "0.999", "-o", paper] + training)
            let checked = try decodeJSON(Report.self, from: runSucceeding(["evaluate", "--fit", main, "--json"] + unseen).stdout)
            let separate = try decodeJSON(Report.self, from: runSucceeding(["evaluate", "--fit", paper, "--json"] + unseen).stdout)
            let check = try #require(checked.rankingCheck)
            #expect(separate.rankingCheck == nil)
            #expect(isClose(check.predE, separate.mean.predE, relativeTolerance: 1e-9))
            #expect(isClose(check.worstFinalE, separate.mean.worstFinalE, relativeTolerance: 1e-9))
            #expect(check.spearmanFinal != nil && check.spearmanFinal.map { abs($0 - (separate.mean.spearmanFinal ?? .nan)) < 1e-12 } == true)
            let table = try runSucceeding(["evaluate", "--fit", main] + unseen).stdout
            #expect(table.contains("ranking check (annealing law, λ = 0.999): mean PredE "))
        }
    }
}
