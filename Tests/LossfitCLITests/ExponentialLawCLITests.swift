import Foundation
import TestSupport
import Testing

/// `--law exponential` (the AutoLRS forecast) through the CLI on the shared multi-power-law runs:
/// fit the three training curves, evaluate the six unseen schedules beside the default fit (the committee of laws).
@Suite(.enabled(if: SharedData.shouldRun)) struct ExponentialLawCLITests {
    /// The baseline columns of `evaluate --json`.
    struct Baselines: Decodable {
        struct Curve: Decodable {
            var name: String
            var exponentialPredE: Double?
        }

        var baselines: [Curve]
    }

    @Test(arguments: ["25", "100"])
    func theDefaultFitBeatsTheExponentialForecastOnUnseenSchedules(size: String) throws {
        let training = try MPLCurves.paths(MPLCurves.training, size: size)
        let unseen = try MPLCurves.paths(MPLCurves.unseen, size: size)
        try withTemporaryDirectory { directory in
            let annealingPath = directory.appendingPathComponent("annealing.json").path
            let exponentialPath = directory.appendingPathComponent("exponential.json").path
            try runSucceeding(["fit", "-o", annealingPath] + training)
            let fit = try runSucceeding(["fit", "--law", "exponential", "--no-baselines", "-o", exponentialPath] + training)
            #expect(fit.stdout.contains("Fitted the exponential law"), "\(fit.stdout)")

            let annealingOutput = try runSucceeding(["evaluate", "--fit", annealingPath, "--json"] + unseen).stdout
            let annealing = try decodeJSON(EvaluationJSON.self, from: annealingOutput)
            let exponential = try decodeJSON(EvaluationJSON.self, from: try runSucceeding(["evaluate", "--fit", exponentialPath, "--json"] + unseen).stdout)
            #expect(exponential.curves.map(\.name) == MPLCurves.unseen)
            #expect(annealing.mean.predE < exponential.mean.predE,
                    "mpl/\(size): default fit \(annealing.mean.predE), exponential \(exponential.mean.predE)")

            // The default fit's baseline column is the same forecast, fitted with the same window.
            let baselines = try decodeJSON(Baselines.self, from: annealingOutput).baselines
            #expect(baselines.map(\.name) == MPLCurves.unseen)
            for (baseline, curve) in zip(baselines, exponential.curves) {
                let predE = try #require(baseline.exponentialPredE, "\(baseline.name): no exponential baseline")
                #expect(isClose(predE, curve.predE, relativeTolerance: 1e-9), "\(baseline.name): \(predE) vs \(curve.predE)")
            }
            let table = try runSucceeding(["evaluate", "--fit", annealingPath] + unseen).stdout
            #expect(table.contains("exponential (AutoLRS)"), "\(table)")
        }
    }

    /// plan cannot rank cooldowns with a schedule-blind law: it says so and exits non-zero.
    @Test func planRefusesTheScheduleBlindLaw() throws {
        let training = try MPLCurves.paths(MPLCurves.training, size: "100")
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("exponential.json").path
            try runSucceeding(["fit", "--law", "exponential", "--no-baselines", "-o", path] + training)
            let output = try CLIRunner.run(["plan", "--fit", path, "--peak", "3e-4", "--warmup", "2160", "--budget", "24000",
                                            "--checkpoints", "16000,20000"])
            #expect(output.status != 0)
            #expect(output.stderr.contains("cannot rank"), "\(output.stderr)")
            #expect(output.stderr.contains("--law annealing"), "\(output.stderr)")
        }
    }
}
