import Foundation
import Testing
import TestSupport

/// `lossfit plan` end to end on the bundled runs: every option is listed once, the best first, the
/// loss-versus-compute table is the frontier of the options, and the best option's final loss is
/// what `predict` gives for its schedule.
@Suite struct PlanCLITests {
    struct Option: Decodable {
        var checkpoint: Int
        var length: Int
        var shape: String
        var finalStep: Int
        var finalLoss: Double
    }
    struct Row: Decodable {
        struct Difference: Decodable { var difference: Double; var standardError: Double? }
        var option: Option
        var spec: String
        var differenceFromBest: Difference?
    }
    struct Report: Decodable {
        var best: [Row]
        var lossVersusCompute: [Option]
        var optionsConsidered: Int
        var rankingCheckBest: Option?
        var memberBests: [MemberBest]?
    }
    struct MemberBest: Decodable { var member: String; var best: Option }

    @Test func optionsFrontierAndPredictionAgree() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--no-baselines", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            let arguments = ["plan", "--fit", fitPath, "--peak", "0.6", "--warmup", "200", "--budget", "20000",
                             "--checkpoints", "10000,14000,16000", "--lengths", "2000,4000,8000", "--shapes", "linear,cosine,geometric", "--end", "0.06"]
            let report = try decodeJSON(Report.self, from: runSucceeding(arguments + ["--json", "--top", "100"]).stdout)

            // 10000 + {2000, 4000, 8000}, 14000 + {2000, 4000}, 16000 + {2000, 4000}: 7 (checkpoint, length) pairs × 3 shapes.
            #expect(report.optionsConsidered == 21)
            // The default fit is the committee: each member's own best option is listed, none from a ranking check.
            #expect(report.rankingCheckBest == nil)
            #expect(report.memberBests?.count == 4)
            #expect(report.best.count == 21)
            let options = report.best.map(\.option)
            #expect(Set(options.map { "\($0.checkpoint)+\($0.length) \($0.shape)" }).count == 21)
            #expect(zip(options, options.dropFirst()).allSatisfy { $0.finalLoss <= $1.finalLoss })
            #expect(report.best[0].differenceFromBest == nil)
            for row in report.best.dropFirst() {
                let difference = try #require(row.differenceFromBest)
                #expect(abs(difference.difference - (row.option.finalLoss - options[0].finalLoss)) <= 1e-9 * options[0].finalLoss)
            }

            // The frontier: later options only where they end lower, and every option is matched or beaten by one that ends no later.
            let frontier = report.lossVersusCompute
            #expect(!frontier.isEmpty)
            #expect(zip(frontier, frontier.dropFirst()).allSatisfy { $0.finalStep < $1.finalStep && $0.finalLoss > $1.finalLoss })
            for option in options {
                #expect(frontier.contains { $0.finalStep <= option.finalStep && $0.finalLoss <= option.finalLoss }, "\(option)")
            }
            let last = try #require(frontier.last)
            #expect(last.finalStep == options[0].finalStep && isClose(last.finalLoss, options[0].finalLoss, relativeTolerance: 1e-12))

            // The planner's final loss is the general prediction of the option's schedule.
            let prediction = try decodeJSON(PredictionJSON.self, from: runSucceeding(
                ["predict", "--fit", fitPath, "--schedule", report.best[0].spec, "--at", "\(options[0].finalStep)", "--format", "json"]).stdout)
            #expect(isClose(prediction.points[0].loss, options[0].finalLoss, relativeTolerance: 1e-9))

            let table = try runSucceeding(arguments).stdout
            #expect(table.contains("21 cooldown options within 20000 steps; the best 10:"))
            #expect(table.contains("Loss versus compute: each option that ends lower than every option ending earlier"))
            #expect(table.contains("95 % band = parameter noise (delta method)"))
            #expect(table.contains("  vs best  settled?   extrapolates\n"))
        }
    }

    /// The end LR defaults to 0, as in wsd: specs, and is printed; at 0 the default geometric shape
    /// (which cannot reach 0) is left out with a note instead of failing, and an explicit end is used.
    @Test func theEndLearningRateIsShownAndGeometricIsLeftOutAtZero() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--no-baselines", "--law", "annealing", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            let arguments = ["plan", "--fit", fitPath, "--peak", "0.6", "--warmup", "200", "--budget", "20000",
                             "--checkpoints", "12000,16000", "--lengths", "2000,4000"]
            struct Plan: Decodable {
                var best: [Row]
                var optionsConsidered: Int
                var endLearningRate: Double
                var shapesLeftOut: [String]
                struct Row: Decodable { var option: Option; var spec: String }
                struct Option: Decodable { var shape: String; var endLearningRate: Double }
            }
            let byDefault = try CLIRunner.run(arguments + ["--json", "--top", "100"])
            #expect(byDefault.status == 0, "\(byDefault.stderr)")
            let plan = try decodeJSON(Plan.self, from: byDefault.stdout)
            #expect(plan.endLearningRate == 0)
            #expect(plan.shapesLeftOut == ["geometric"])
            // 2 checkpoints × 2 lengths × the three shapes that can reach 0.
            #expect(plan.optionsConsidered == 12 && plan.best.count == 12)
            #expect(Set(plan.best.map(\.option.shape)) == ["linear", "1-sqrt", "cosine"])
            #expect(plan.best.allSatisfy { $0.option.endLearningRate == 0 && $0.spec.hasSuffix(",end=0.0") })
            #expect(byDefault.stderr.contains("note: the geometric shape is left out: it decays the log of the LR, so it cannot reach an end LR of 0; give --end above 0 to plan it\n"))

            let table = try runSucceeding(arguments + ["--shapes", "linear,geometric", "--end", "0"])
            #expect(table.stdout.contains("4 cooldown options within 20000 steps; the best 4:\nEvery option decays to LR 0 (--end).\n"))
            #expect(table.stderr.contains("note: the geometric shape is left out") && !table.stdout.contains("geometric"))

            let defaultTable = try runSucceeding(arguments).stdout
            #expect(defaultTable.contains("Every option decays to LR 0 (the default, as in wsd: specs; --end to change).\n"))
            let explicit = try runSucceeding(arguments + ["--end", "0.06", "--json"])
            let withEnd = try decodeJSON(Plan.self, from: explicit.stdout)
            #expect(withEnd.shapesLeftOut.isEmpty && withEnd.optionsConsidered == 16)
            #expect(isClose(withEnd.endLearningRate, 0.06, relativeTolerance: 1e-15))
            #expect(withEnd.best.allSatisfy { isClose($0.option.endLearningRate, 0.06, relativeTolerance: 1e-15) })
            #expect(!explicit.stderr.contains("left out"))
            #expect(try runSucceeding(arguments + ["--end", "0.06"]).stdout.contains("Every option decays to LR 0.06 (--end).\n"))
        }
    }
}
