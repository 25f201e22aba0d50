import Foundation
import TestSupport
import Testing

/// Fitting-window, per-file schedule and cooldown-plan mistakes: one-line errors naming the file and
/// the value, non-zero exit.
@Suite struct WindowAndPlanErrorTests {
    private func expectOneLineError(_ arguments: [String], contains fragments: [String]) throws {
        let output = try CLIRunner.run(arguments)
        #expect(output.status != 0)
        #expect(errorLines(output).count == 1, "stderr: \(output.stderr)")
        for fragment in fragments {
            #expect(output.stderr.contains(fragment), "stderr: \(output.stderr)")
        }
    }

    @Test func aWindowThatLeavesNoPointsNamesTheFileAndTheLogsRange() throws {
        let log = try BundledLogs.paths(["constant_20000"])[0]
        try expectOneLineError(["fit", "--from-step", "30000", log],
                               contains: ["constant_20000.csv: no logged loss between steps 30000 and the end", "100–20000"])
    }

    @Test func toStepBeforeFromStep() throws {
        let log = try BundledLogs.paths(["constant_20000"])[0]
        try expectOneLineError(["fit", "--from-step", "300", "--to-step", "200", log],
                               contains: ["--from-step 300 lies after --to-step 200"])
    }

    /// The window opens at the end of warmup (step 200) unless --from-step says otherwise; a
    /// --to-step before it names both options instead of trapping on a reversed range.
    @Test func toStepBeforeTheEndOfWarmup() throws {
        let log = try BundledLogs.paths(["cosine_20000"])[0]
        let fit = SharedData.packageRoot.appendingPathComponent("Tests/LossFitWorkflowsTests/Fixtures/base/fit-annealing.json").path
        try withTemporaryDirectory { directory in
            let report = directory.appendingPathComponent("report.html").path
            for arguments in [["fit", log], ["evaluate", "--fit", fit, log], ["report", "-o", report, log]] {
                try expectOneLineError(arguments + ["--to-step", "50"], contains: [
                    "cosine_20000.csv: --to-step 50 lies before step 200, the end of warmup, where the window opens without --from-step; give a later --to-step, or --from-step 0 to fit from the start\n",
                ])
            }
            #expect(!FileManager.default.fileExists(atPath: report))
        }
    }

    @Test func aSpecForAFileNotGiven() throws {
        let log = try BundledLogs.paths(["constant_20000"])[0]
        try expectOneLineError(["fit", "--schedule", "other.csv=constant:peak=0.6,warmup=200,total=20000", log],
                               contains: ["other.csv is not one of the logs given"])
    }

    @Test func aCheckpointBeyondTheBudget() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--no-baselines", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            try expectOneLineError(["plan", "--fit", fitPath, "--peak", "0.6", "--warmup", "200", "--budget", "20000", "--checkpoints", "10000,25000"],
                                   contains: ["checkpoint 25000 lies outside the run", "budget of 20000"])
        }
    }

    /// The planner says what is wrong in its own words; the tool adds the options that fix it.
    @Test func aGeometricCooldownToZeroNamesTheOptionsThatFixIt() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--no-baselines", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            try expectOneLineError(["plan", "--fit", fitPath, "--peak", "0.6", "--warmup", "200", "--budget", "20000", "--checkpoints", "10000",
                                    "--shapes", "geometric", "--end", "0"],
                                   contains: ["Error: a geometric cooldown needs an end LR above 0; give one, or leave out the geometric shape (--end, --shapes)\n"])
        }
    }
}
