import Foundation
import Testing
import TestSupport

/// `lossfit sweep fit`, `sweep evaluate` and `recommend`, end to end.
@Suite struct RecommendCLITests {
    /// A sweep over a landscape the surrogate represents exactly (ln L quadratic in ln lr, ln B)
    /// with η* = 0.05·N^(−0.5)·D^(0.3) and B* = 4·D^(0.5) tokens, batch in sequences of 1024.
    /// With a `learningRateShift` s the best LR at a batch B is η*·(B/B*)^s.
    static func exactSweep(parameterValues: [Double] = [1e8, 3e8, 1e9], tokenValues: [Double] = [1e10, 4e10], learningRateShift: Double = 0) -> String {
        var text = "N,D,lr,bs,seq_len,loss\n"
        for n in parameterValues {
            for d in tokenValues {
                let bestLearningRate = 0.05 * pow(n, -0.5) * pow(d, 0.3), bestBatch = 4 * pow(d, 0.5)
                for k in -5...5 {
                    for j in -4...4 {
                        let eta = bestLearningRate * pow(2, Double(k) / 2 + 0.1), sequences = (bestBatch / 1024 * pow(2, Double(j) / 2 - 0.2)).rounded()
                        let v = log(sequences * 1024 / bestBatch), u = log(eta / bestLearningRate) - learningRateShift * v
                        text += "\(n),\(d),\(eta),\(sequences),1024,\(2.5 * exp(0.007 * u * u + 0.006 * v * v))\n"
                    }
                }
            }
        }
        return text
    }

    private func write(_ contents: String, name: String = "sweep.csv") throws -> (directory: URL, file: URL) {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return (directory, file)
    }

    private func jsonObject(_ output: CLIRunner.Output) throws -> [String: Any] {
        try #require(output.status == 0, "stderr: \(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    @Test func powerSchedulerPresetGivesThePublishedLearningRate() throws {
        let object = try jsonObject(try CLIRunner.run(["recommend", "--preset", "power-scheduler", "--params", "7B", "--tokens", "10T", "--batch-tokens", "4194304", "--json"]))
        let eta = try #require(object["learningRate"] as? Double)
        #expect(abs(eta - 0.0011) < 0.00005)
        #expect(object["batchSizeSequences"] as? Double == 1024)
    }

    @Test func stepLawPresetPrintsEveryKeyOfTheJSON() throws {
        let object = try jsonObject(try CLIRunner.run(["recommend", "--preset", "steplaw", "--params", "7e9", "--tokens", "1.4e12", "--json"]))
        let eta = try #require(object["learningRate"] as? Double)
        let tokens = try #require(object["batchSizeTokens"] as? Double)
        #expect(isClose(eta, 1.79 * pow(7e9, -0.713) * pow(1.4e12, 0.307), relativeTolerance: 1e-12))
        // Whole sequences: the nearest to B / 2048.
        #expect(abs(Double(try #require(object["batchSizeSequences"] as? Int)) - tokens / 2048) <= 0.5)
        for key in ["learningRateInterval", "batchSizeTokensInterval", "batchSizeSequencesInterval"] {
            #expect(object[key] is NSNull, "\(key)")
        }
    }

    @Test func fitsASweepAndRecommendsFromTheLawFile() throws {
        let (directory, file) = try write(Self.exactSweep())
        defer { try? FileManager.default.removeItem(at: directory) }
        let law = directory.appendingPathComponent("law.json").path
        let fit = try CLIRunner.run(["sweep", "fit", file.path, "-o", law, "--bootstrap", "100"])
        #expect(fit.status == 0, "stderr: \(fit.stderr)")
        #expect(fit.stdout.contains("Read 594 runs in 6 (N, D) groups"))
        #expect(fit.stdout.contains("wrote \(law)"))
        let object = try jsonObject(try CLIRunner.run(["recommend", "--law", law, "--params", "2e8", "--tokens", "2e10", "--json"]))
        // The surrogate represents this landscape exactly, so the laws come back exactly.
        #expect(isClose(try #require(object["learningRate"] as? Double), 0.05 * pow(2e8, -0.5) * pow(2e10, 0.3), relativeTolerance: 1e-6))
        #expect(isClose(try #require(object["batchSizeTokens"] as? Double), 4 * pow(2e10, 0.5), relativeTolerance: 1e-6))
        #expect(object["sequenceLength"] as? Int == 1024)
        let interval = try #require(object["learningRateInterval"] as? [String: Double])
        #expect(try #require(interval["lower"]) <= (object["learningRate"] as? Double)!)
        let text = try CLIRunner.run(["recommend", "--law", law, "--params", "2e8", "--tokens", "2e10"])
        #expect(text.stdout.contains("peak learning rate"))
        #expect(text.stdout.contains("batch size (whole sequences of 1024)"))
    }

    /// --batch-tokens with a fitted law gives the best LR at that batch (here η*·4^0.3 at 4·B*)
    /// and says the batch was fixed; batch sizes in sequences are whole numbers.
    @Test func aGivenBatchGetsTheBestLearningRateThere() throws {
        let (directory, file) = try write(Self.exactSweep(learningRateShift: 0.3))
        defer { try? FileManager.default.removeItem(at: directory) }
        let law = directory.appendingPathComponent("law.json").path
        try runSucceeding(["sweep", "fit", file.path, "-o", law, "--bootstrap", "100"])
        let query = ["recommend", "--law", law, "--params", "2e8", "--tokens", "2e10"]
        let free = try jsonObject(try CLIRunner.run(query + ["--json"]))
        let bestBatch = 4 * pow(2e10, 0.5), best = 0.05 * pow(2e8, -0.5) * pow(2e10, 0.3)
        #expect(isClose(try #require(free["learningRate"] as? Double), best, relativeTolerance: 1e-6))
        // 565,685 tokens = 552.4 sequences of 1024: a whole 552.
        #expect(free["batchSizeSequences"] as? Int == 552)
        #expect(free["batchSizeIsGiven"] as? Bool == false)

        let given = 4 * bestBatch
        let fixed = try jsonObject(try CLIRunner.run(query + ["--batch-tokens", "\(given)", "--json"]))
        #expect(isClose(try #require(fixed["learningRate"] as? Double), best * pow(4, 0.3), relativeTolerance: 1e-4))
        #expect(isClose(try #require(fixed["batchSizeTokens"] as? Double), given, relativeTolerance: 1e-12))
        #expect(fixed["batchSizeIsGiven"] as? Bool == true)
        #expect(fixed["batchSizeTokensInterval"] is NSNull)
        #expect(fixed["batchSizeSequences"] as? Int == 2210)
        let text = try runSucceeding(query + ["--batch-tokens", "\(given)"]).stdout
        #expect(text.contains("Batch size fixed by you (--batch-tokens): the learning rate is the best at that batch.\n"))
        #expect(text.contains("batch size (whole sequences of 1024, fixed by you)"))
        #expect(!text.contains("only read by the power-scheduler"))
    }

    /// Far outside the sweep the tool says so with the factor, and shows the near-optimum range as
    /// factors of the value beside the interval instead of as absolute values.
    @Test func farOutsideTheSweepSaysHowFarAndShowsRangesAsFactors() throws {
        let (directory, file) = try write(Self.exactSweep())
        defer { try? FileManager.default.removeItem(at: directory) }
        let law = directory.appendingPathComponent("law.json").path
        try runSucceeding(["sweep", "fit", file.path, "-o", law, "--bootstrap", "100"])
        let query = ["recommend", "--law", law, "--params", "1e12", "--tokens", "1e9"]
        let text = try runSucceeding(query).stdout
        #expect(text.contains("Outside the sweep: N is 1000× the sweep's largest, D is 10.0× below the sweep's smallest; the law is extrapolated, so trust the interval, not the value.\n"), "\(text)")
        #expect(text.contains("within 0.25 % of the optimum, as factors*"))
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("peak learning rate") || $0.hasPrefix("batch size") }
        #expect(rows.count == 3 && rows.allSatisfy { $0.contains("[×") || $0.contains("[≤×") }, "\(rows)")
        #expect(text.contains("* how far from the value the loss stays within 0.25 % of the optimum, if the sweep's landscape keeps its shape this far out"))
        let object = try jsonObject(try CLIRunner.run(query + ["--json"]))
        let outside = try #require(object["outsideSweep"] as? [[String: Any]])
        #expect(outside.map { $0["quantity"] as? String } == ["N", "D"])
        #expect(isClose(try #require(outside[0]["factor"] as? Double), 1000, relativeTolerance: 1e-12))
        #expect(outside[1]["isAbove"] as? Bool == false)
        // Inside the sweep nothing is said and the range is absolute.
        let inside = try runSucceeding(["recommend", "--law", law, "--params", "2e8", "--tokens", "2e10"]).stdout
        #expect(!inside.contains("Outside the sweep") && inside.contains("within 0.25 % of the optimum") && !inside.contains("as factors"))
    }

    @Test func aSweepCountingExamplesHasNoSequenceRow() throws {
        // data/sweep.csv's batch counts examples of one token each, so sequences would repeat tokens.
        try withTemporaryDirectory { directory in
            let law = directory.appendingPathComponent("law.json").path
            try runSucceeding(["sweep", "fit", SharedData.packageRoot.appendingPathComponent("data/sweep.csv").path, "-o", law, "--bootstrap", "50"])
            let text = try runSucceeding(["recommend", "--law", law, "--params", "4000", "--tokens", "262144"])
            #expect(text.stdout.contains("batch size (tokens)"))
            #expect(!text.stdout.contains("sequences of"), "\(text.stdout)")
        }
    }

    @Test func evaluatesLeaveOneGroupOutAgainstThePresets() throws {
        let (directory, file) = try write(Self.exactSweep(parameterValues: [1e8, 3e8], tokenValues: [1e10, 4e10]))
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try CLIRunner.run(["sweep", "evaluate", file.path])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        for fragment in ["lossfit", "Step Law's method", "steplaw", "deepseek", "power-scheduler", "mean (4 groups)", "smoother's own leave-one-run-out error", "Surrogate validation"] {
            #expect(output.stdout.contains(fragment), "missing \(fragment)")
        }
    }

    private func expectOneLineError(_ output: CLIRunner.Output, _ message: String) {
        #expect(output.status != 0)
        let lines = output.stderr.split(separator: "\n").filter { !$0.hasPrefix("note:") }
        #expect(lines.count == 1, "stderr: \(output.stderr)")
        #expect(output.stderr.contains(message), "stderr: \(output.stderr)")
    }

    @Test func aSweepOfOneGroupIsAClearError() throws {
        let (directory, file) = try write(Self.exactSweep(parameterValues: [1e8], tokenValues: [1e10]))
        defer { try? FileManager.default.removeItem(at: directory) }
        expectOneLineError(try CLIRunner.run(["sweep", "fit", file.path]),
                           "\(file.path): 1 (N, D) group cannot determine a law with 3 coefficients; add runs at 2 more (model size, token count) pairs, or drop terms from the formula")
    }

    @Test func aSweepWithoutALossColumnIsAClearError() throws {
        let (directory, file) = try write("N,D,lr,bs\n1e8,1e10,0.002,64\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        expectOneLineError(try CLIRunner.run(["sweep", "fit", file.path, "--seq-len", "2048"]),
                           "no loss column in \(file.path); columns found: N, D, lr, bs; name one with --loss-key")
    }

    @Test func aMissingLawFileIsAClearError() throws {
        expectOneLineError(try CLIRunner.run(["recommend", "--law", "/nonexistent/law.json", "--params", "1B", "--tokens", "20B"]),
                           "/nonexistent/law.json: cannot read the law file; check the path (write one with lossfit sweep fit SWEEP -o /nonexistent/law.json)")
    }

    @Test func thePowerSchedulerWithoutABatchSizeIsAClearError() throws {
        expectOneLineError(try CLIRunner.run(["recommend", "--preset", "power-scheduler", "--params", "1B", "--tokens", "20B"]),
                           "the power scheduler gives no batch-size law; give the batch size you will use (--batch-tokens)")
    }
}
