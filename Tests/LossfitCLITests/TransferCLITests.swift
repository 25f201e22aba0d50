import Foundation
import Testing
import TestSupport

/// `lossfit sweep transfer` and `lossfit transfer`, end to end.
@Suite struct TransferCLITests {
    /// A sweep (batch in tokens) whose best learning rate follows McCandlish's form with
    /// B_noise = 2e5 tokens and ε_max = 4e-3: ln L = ln 2.5 + 0.01·ln²(η/ε*(B)), two groups,
    /// six batch sizes, learning rates 2^(−15 + k/4).
    static func mccandlishSweep(batchSizes: [Double] = [32768, 65536, 131072, 262144, 524288, 1048576]) -> String {
        var text = "N,D,lr,batch_tokens,loss\n"
        for (n, d) in [(1e8, 1e10), (2e8, 2e10)] {
            for batch in batchSizes {
                let best = 4e-3 / (1 + 2e5 / batch)
                for k in 0...40 {
                    let eta = pow(2, -15 + Double(k) / 4)
                    text += "\(n),\(d),\(eta),\(batch),\(2.5 * exp(0.01 * pow(log(eta / best), 2)))\n"
                }
            }
        }
        return text
    }

    private func write(_ contents: String) throws -> (directory: URL, file: URL) {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("sweep.csv")
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return (directory, file)
    }

    @Test func sweepTransferJSONHasExactlyTheRulesAndTheDefault() throws {
        let (directory, file) = try write(Self.mccandlishSweep())
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try CLIRunner.run(["sweep", "transfer", file.path, "--json"])
        try #require(output.status == 0, "stderr: \(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["rules", "default"])
        #expect(object["default"] as? String == "mccandlish")
        let rules = try #require(object["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["name"] as? String } == ["sqrt", "linear", "constant", "mccandlish", "surge"])
        for rule in rules {
            #expect(Set(rule.keys) == ["name", "meanExcessPercent", "meanLog2Error"])
        }
        let mccandlish = try #require(rules.first { $0["name"] as? String == "mccandlish" })
        #expect(try #require(mccandlish["meanLog2Error"] as? Double) < 1e-6)
    }

    @Test func sweepTransferTableAndLawFileFeedTransfer() throws {
        let (directory, file) = try write(Self.mccandlishSweep())
        defer { try? FileManager.default.removeItem(at: directory) }
        let law = directory.appendingPathComponent("transfer.json").path
        let table = try CLIRunner.run(["sweep", "transfer", file.path, "-o", law])
        #expect(table.status == 0, "stderr: \(table.stderr)")
        for fragment in ["mccandlish (default)", "mean excess loss", "mean |log2 error|", "12 held-out batch sizes in 2 groups", "wrote \(law)"] {
            #expect(table.stdout.contains(fragment), "missing \(fragment) in \(table.stdout)")
        }
        let transfer = try CLIRunner.run(["transfer", "--lr", "1e-3", "--batch", "100k", "--to-batch", "400k", "--law", law,
                                          "--params", "1e8", "--tokens", "1e10", "--json"])
        try #require(transfer.status == 0, "stderr: \(transfer.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(transfer.stdout.utf8)) as? [String: Any])
        #expect(object["rule"] as? String == "mccandlish")
        #expect(isClose(try #require(object["noiseScaleTokens"] as? Double), 2e5, relativeTolerance: 1e-6))
        #expect(isClose(try #require(object["targetLearningRate"] as? Double), 1e-3 * (1 + 2e5 / 1e5) / (1 + 2e5 / 4e5), relativeTolerance: 1e-6))
    }

    @Test func transferWithoutALawUsesSqrtForAdamAndLinearForSGD() throws {
        let adam = try CLIRunner.run(["transfer", "--lr", "3e-4", "--batch", "256", "--to-batch", "1024"])
        #expect(adam.status == 0, "stderr: \(adam.stderr)")
        #expect(adam.stdout.contains("learning rate at batch 1024: 6.000e-04"), "\(adam.stdout)")
        #expect(adam.stdout.contains("rule: sqrt"))
        #expect(adam.stdout.contains("valid: √B (Adam) holds only below the noise scale"))
        // The library says the noise scale is unknown; the tool says which command and option give it.
        #expect(adam.stdout.contains("which is unknown here: fit a transfer law to a sweep to know it (lossfit sweep transfer SWEEP -o LAW.json, then --law LAW.json)\n"), "\(adam.stdout)")
        let sgd = try CLIRunner.run(["transfer", "--lr", "3e-4", "--batch", "256", "--to-batch", "1024", "--optimizer", "sgd"])
        #expect(sgd.stdout.contains("learning rate at batch 1024: 0.001200"), "\(sgd.stdout)")
        #expect(sgd.stdout.contains("rule: linear"))
    }
}
