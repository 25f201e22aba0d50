import Foundation
import TestSupport
import Testing

/// Input that was accepted but should not be, and messages that pointed the wrong way (issue #17):
/// each case exits non-zero with a message naming what is wrong, or says what it did.
@Suite struct AcceptedInputCLITests {
    private static let cosine = BundledLogs.url("cosine_20000").path

    /// Writes `contents` to `name` in `directory` and returns its path.
    private static func write(_ contents: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Runs `arguments`, requires a failure with one `Error:` line, and returns standard error.
    private static func failure(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let output = try CLIRunner.run(arguments)
        #expect(output.status != 0, "lossfit \(arguments.joined(separator: " ")) succeeded", sourceLocation: sourceLocation)
        let lines = output.stderr.split(separator: "\n").filter { !$0.hasPrefix("note:") && !$0.hasPrefix("Usage:") && !$0.contains("--help' for more") }
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: "), "stderr: \(output.stderr)", sourceLocation: sourceLocation)
        return output.stderr
    }

    @Test func theSameCurveTwiceIsAnError() throws {
        let twice = try Self.failure(["fit", Self.cosine, Self.cosine])
        #expect(twice.contains("\(Self.cosine) is given twice") && twice.contains("give each run once"), "\(twice)")
        try withTemporaryDirectory { directory in
            let copy = directory.appendingPathComponent("copy.csv")
            try FileManager.default.copyItem(atPath: Self.cosine, toPath: copy.path)
            let copied = try Self.failure(["fit", Self.cosine, copy.path])
            #expect(copied.contains("\(copy.path) holds the same curve as \(Self.cosine)"), "\(copied)")
        }
    }

    /// R² divides by the loss's variance: for a constant loss it is undefined, "n/a" in tables and
    /// null in JSON (it read 0.957 for a perfect fit).
    @Test func aConstantLossHasNoRSquared() throws {
        try withTemporaryDirectory { directory in
            let rows = (0...20).map { "\($0 * 100),3e-4,2.7" }
            let log = try Self.write((["step,lr,loss"] + rows).joined(separator: "\n") + "\n", "flat.csv", in: directory)
            let fit = directory.appendingPathComponent("fit.json").path
            let output = try runSucceeding(["fit", "--law", "annealing", "--no-baselines", "-o", fit, log])
            let meanRow = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("mean ") })
            #expect(meanRow.contains("n/a"), "\(meanRow)")
            let evaluation = try jsonObject(runSucceeding(["evaluate", "--fit", fit, "--json", log]).stdout)
            let mean = try #require(evaluation["mean"] as? [String: Any])
            #expect(mean["r2"] is NSNull, "\(mean)")
            #expect(mean["predE"] is NSNumber)
        }
    }

    @Test func aRepeatedScheduleKeyIsAnError() throws {
        let repeated = try Self.failure(["schedule", "cosine:peak=1,peak=2,total=100"])
        #expect(repeated.contains("cosine schedule: peak is given twice; give each key once"), "\(repeated)")
        let alias = try Self.failure(["schedule", "cosine:peak=1,lr=2,total=100"])
        #expect(alias.contains("peak is given twice"), "\(alias)")
    }

    @Test func covariatesTheLawDoesNotUseAreErrors() throws {
        let preset = try Self.failure(["recommend", "--preset", "steplaw", "--params", "1B", "--tokens", "100B", "--with", "h=4096"])
        #expect(preset.contains("no covariate \"h\"") && preset.contains("they use none"), "\(preset)")
        let twice = try Self.failure(["recommend", "--preset", "steplaw", "--params", "1B", "--tokens", "100B", "--with", "h=1", "--with", "h=2"])
        #expect(twice.contains("--with h is given twice"), "\(twice)")
    }

    /// Step Law's released runs span N = 2.15e8–5.37e8, D = 4e9–8e10: a query far outside says by
    /// how much; one inside says nothing of extrapolation.
    @Test func theStepLawPresetSaysHowFarOutsideItsRangeAQueryIs() throws {
        let far = try runSucceeding(["recommend", "--preset", "steplaw", "--params", "1e308", "--tokens", "1e308"]).stdout
        #expect(far.contains("N = 1e308 is 1.86e299× above the largest N the preset was fitted on (2.15e8–5.37e8): the law is extrapolated"), "\(far)")
        #expect(far.contains("D = 1e308 is 1.25e297× above the largest D the preset was fitted on (4e9–8e10)"), "\(far)")
        let small = try runSucceeding(["recommend", "--preset", "steplaw", "--params", "100M", "--tokens", "10B"]).stdout
        #expect(small.contains("N = 1e8 is 2.15× below the smallest N"), "\(small)")
        #expect(!small.contains("D = 1e10 is"), "D = 1e10 lies inside: \(small)")
        let inside = try runSucceeding(["recommend", "--preset", "steplaw", "--params", "300M", "--tokens", "20B"]).stdout
        #expect(!inside.contains("extrapolated"), "\(inside)")
    }

    @Test func aHuberThresholdOfZeroNamesTheOption() throws {
        let message = try Self.failure(["fit", "--huber-delta", "0", Self.cosine])
        #expect(message.contains("--huber-delta 0.0: give a finite δ > 0"), "\(message)")
        #expect(!message.contains("decrease"))
    }

    @Test func anAllZeroLearningRateSaysSo() throws {
        try withTemporaryDirectory { directory in
            let rows = (0...20).map { "\($0 * 100),0,\(3 - Double($0) * 0.01)" }
            let log = try Self.write((["step,lr,loss"] + rows).joined(separator: "\n") + "\n", "zero.csv", in: directory)
            let message = try Self.failure(["fit", log])
            #expect(message.contains("the learning rate is 0 at every step up to the last logged one"), "\(message)")
            #expect(message.contains("--lr-key COLUMN or --schedule SPEC"))
            #expect(!message.contains("observations"))
        }
    }

    @Test(arguments: [
        ("wsd:peak=1,total=100,decay=1.5", "decay=1.5 is neither a fraction of the run in (0, 1) nor a whole number of steps"),
        ("cosine:peak=1,warmup=2.5,total=100", "schedule value warmup=2.5 is not a whole number of steps"),
        ("cosine:peak=1,warmup=1e20,total=100", "warmup=1e20: a schedule may have at most 10,000,000 steps"),
        ("multistep:peak=1,total=100,milestones=1e20", "milestones=1e20: a schedule may have at most 10,000,000 steps"),
        ("multistep:peak=1,total=100,milestones=10/20.5", "milestones=20.5 is not a whole number of steps"),
    ])
    func stepValuesSayWhatIsWrongWithThem(spec: String, message: String) throws {
        let stderr = try Self.failure(["schedule", spec])
        #expect(stderr.contains(message), "\(stderr)")
        #expect(!stderr.contains("not a valid number"))
    }

    @Test func aLoggedStepOf1e20IsBeyondTheLimitNotFractional() throws {
        try withTemporaryDirectory { directory in
            let log = try Self.write("step,lr,loss\n1,0.1,3\n1e20,0.1,2\n", "big.csv", in: directory)
            for command in ["fit", "inspect"] {
                let message = try Self.failure([command, log])
                #expect(message.contains("step 1e20 is beyond step"), "\(command): \(message)")
                #expect(!message.contains("whole number"), "\(command): \(message)")
            }
        }
    }

    /// What a message quotes from input is short and escaped: a binary table, a 1 MB table row,
    /// a 100,000-character spec value.
    @Test func messagesQuoteShortEscapedExcerpts() throws {
        let binary = try Self.failure(["schedule", "table:/bin/ls"])
        #expect(binary.contains("table:/bin/ls: not a text file"), "\(binary.prefix(300))")
        #expect(binary.utf8.count < 300, "\(binary.utf8.count) bytes")
        try withTemporaryDirectory { directory in
            let long = String(repeating: "x\u{7}", count: 500_000)
            let table = try Self.write("step,lr\n0,1\n\(long)\n100,1\n", "table.csv", in: directory)
            let row = try Self.failure(["schedule", "table:\(table)"])
            #expect(row.contains(":3: \"x\\u{7}x\\u{7}") && row.contains("(1000000 characters)"), "\(row.prefix(400))")
            #expect(row.utf8.count < 600, "\(row.utf8.count) bytes")
        }
        let value = try Self.failure(["schedule", "cosine:peak=\(String(repeating: "9x", count: 50_000)),total=100"])
        #expect(value.contains("(100000 characters)") && value.utf8.count < 400, "\(value.utf8.count) bytes: \(value.prefix(300))")
    }
}
