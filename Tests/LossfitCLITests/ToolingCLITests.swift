import Foundation
import TestSupport
import Testing

/// What the README promises about running the tool: progress in logs, the demo from any
/// directory, shell completion and the exit codes.
@Suite struct ToolingCLITests {
    /// With stderr a pipe, the bootstrap prints one line per tenth of its replicates (no carriage
    /// returns); LOSSFIT_PROGRESS_DELAY=0 shows progress from the start, however fast the build.
    @Test func bootstrapProgressIsPrintedAsLinesWhenStderrIsAPipe() throws {
        let output = try CLIRunner.run(["fit", "--law", "annealing", "--no-baselines", "--no-ranking-check", "--bootstrap", "20"]
                                  + BundledLogs.paths(BundledLogs.training), environment: ["LOSSFIT_PROGRESS_DELAY": "0"])
        try #require(output.status == 0, "\(output.stderr)")
        #expect(!output.stderr.contains("\r"))
        let lines = output.stderr.split(separator: "\n").filter { $0.hasPrefix("bootstrap: ") }
        // `bootstrap: P % (DONE/20)`, P = DONE's share in percent: one line per tenth reached.
        let percents = try lines.map { line -> Int in
            let parts = line.dropFirst("bootstrap: ".count).split(separator: " ")
            try #require(parts.count == 3 && parts[1] == "%", "\(line)")
            let percent = try #require(Int(parts[0])), done = try #require(Int(parts[2].dropFirst().split(separator: "/")[0]))
            #expect(percent == 100 * done / 20, "\(line)")
            return percent / 10
        }
        // Replicates finish on several threads: each tenth is printed at most once, in order, and
        // a tenth is skipped only when a later count was told first.
        let tenths = percents
        #expect(zip(tenths, tenths.dropFirst()).allSatisfy { $0 < $1 }, "\(tenths)")
        #expect(tenths.count >= 5, "\(output.stderr)")
        #expect(lines.last.map(String.init) == "bootstrap: 100 % (20/20)")
    }

    /// The default delay keeps a fast run's log free of progress lines.
    @Test func aLongDelayPrintsNoProgress() throws {
        let output = try CLIRunner.run(["fit", "--law", "annealing", "--no-baselines", "--no-ranking-check", "--bootstrap", "4"]
                                  + BundledLogs.paths(BundledLogs.training), environment: ["LOSSFIT_PROGRESS_DELAY": "3600"])
        try #require(output.status == 0, "\(output.stderr)")
        #expect(!output.stderr.split(separator: "\n").contains { $0.hasPrefix("bootstrap: ") }, "\(output.stderr)")
    }

    /// `lossfit demo` from a directory without data/ reads the runs installed beside the tool and
    /// writes its outputs there.
    @Test func demoRunsFromAnyDirectory() throws {
        try withTemporaryDirectory { directory in
            let output = try CLIRunner.run(["demo"], in: directory)
            try #require(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains("1. Fit the committee of laws"))
            for file in ["demo-fit.json", "demo-sweep-law.json", "demo-report.html"] {
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), "no \(file)")
            }
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path))
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"]) func completionScriptNamesTheCommands(shell: String) throws {
        let output = try runSucceeding(["--generate-completion-script", shell])
        for command in ["fit", "predict", "demo", "evaluate"] {
            #expect(output.stdout.contains(command), "\(shell): no \(command)")
        }
        #expect(output.stdout.contains("no-baselines"), "\(shell): fit's flags are completed too")
    }

    /// The exit codes the README lists: 0 done, 64 a command line that does not parse or
    /// validate, 1 any error while running (a missing or bad file, a fit that fails).
    @Test func exitCodes() throws {
        let training = try BundledLogs.paths(BundledLogs.training)
        #expect(try CLIRunner.run(["--version"]).status == 0)
        #expect(try CLIRunner.run(["fit", "--help"]).status == 0)
        let unknownFlag = try CLIRunner.run(["fit", "--no-such-flag"] + training)
        #expect(unknownFlag.status == 64, "\(unknownFlag.stderr)")
        let invalid = try CLIRunner.run(["fit", "--bootstrap=-3"] + training)
        #expect(invalid.status == 64, "\(invalid.stderr)")
        #expect(invalid.stderr.contains("--bootstrap -3"))
        let missing = try CLIRunner.run(["fit", "no-such-log.csv"])
        #expect(missing.status == 1, "\(missing.stderr)")
        #expect(missing.stderr.contains("no-such-log.csv"))
        let badSchedule = try CLIRunner.run(["schedule", "cosine:peak=1e-3"])
        #expect(badSchedule.status == 1, "\(badSchedule.stderr)")
        #expect(badSchedule.stderr.contains("total"))
    }
}
