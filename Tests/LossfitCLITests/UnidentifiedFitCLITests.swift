import Foundation
import TestSupport
import Testing

/// A fit of a loss that falls and then rises is not identified (issue #18): `fit` says why and what
/// to do, `predict` and `compare` refuse it unless `--allow-unidentified`, `plan` warns, and JSON
/// outputs carry the verdict.
@Suite struct UnidentifiedFitCLITests {
    /// A fine-tune's evaluation loss that turns up after step 3000 (overfitting), under a linear
    /// decay from 5e-5 to 0, logged every 100 steps with a deterministic ±0.002 wobble.
    static let risingLog: String = {
        var lines = ["step,lr,loss"]
        for step in stride(from: 100, through: 5000, by: 100) {
            let overfit = step > 3000 ? 0.12 * pow(Double(step - 3000) / 2000, 2) : 0
            let loss = 1.6 + 0.9 * pow(Double(step) / 100, -0.5) + overfit + 0.002 * sin(Double(step) * 0.37)
            lines.append("\(step),\(5e-5 * (1 - Double(step) / 5000)),\(loss)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Fits the rising log with the default committee into `directory`, returning the fit's output and path.
    static func fitRising(in directory: URL) throws -> (output: CLIRunner.Output, path: String) {
        let log = directory.appendingPathComponent("finetune.csv")
        try risingLog.write(to: log, atomically: true, encoding: .utf8)
        let path = directory.appendingPathComponent("fit.json").path
        return (try runSucceeding(["fit", "--no-baselines", "-o", path, log.path]), path)
    }

    @Test func fitSaysTheFitIsNotIdentifiedWithTheCauseAndWhatToDo() throws {
        try withTemporaryDirectory { directory in
            let (output, path) = try Self.fitRising(in: directory)
            #expect(output.stdout.contains("NOT IDENTIFIED"), "\(output.stdout)")
            #expect(output.stdout.contains("overfitting, or repeated epochs"))
            #expect(output.stdout.contains("committee member"))
            #expect(output.stdout.range(of: #"--to-step \d+"#, options: .regularExpression) != nil)
            let fit = try jsonObject(String(contentsOfFile: path, encoding: .utf8))
            let identification = try #require(fit["identification"] as? [String: Any])
            #expect(identification["identified"] as? Bool == false)
            #expect(identification["cause"] as? String == "risingLoss")
        }
    }

    @Test func predictAndCompareRefuseItUnlessAllowed() throws {
        try withTemporaryDirectory { directory in
            let (_, path) = try Self.fitRising(in: directory)
            let spec = "linear:peak=5e-5,end=0,total=6000"
            for arguments in [["predict", "--fit", path, "--schedule", spec], ["compare", "--fit", path, spec, "constant:peak=5e-5,total=6000"]] {
                let refused = try CLIRunner.run(arguments)
                #expect(refused.status == 1, "\(arguments[0]): \(refused.stderr)")
                #expect(refused.stdout.isEmpty)
                #expect(refused.stderr.contains("does not identify") && refused.stderr.contains("--allow-unidentified"), "\(refused.stderr)")
                #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused.stderr)")
                let allowed = try runSucceeding(arguments + ["--allow-unidentified"])
                #expect(allowed.stderr.contains("warning: \(path): the fit does not identify"), "\(allowed.stderr)")
            }
            let json = try jsonObject(runSucceeding(["predict", "--fit", path, "--schedule", spec, "--allow-unidentified", "--format", "json"]).stdout)
            let verdict = try #require(json["fitIdentification"] as? [String: Any])
            #expect(verdict["identified"] as? Bool == false)
            #expect(json["points"] != nil, "the prediction's own keys stay")
        }
    }

    @Test func planWarnsAndItsJSONCarriesTheVerdict() throws {
        try withTemporaryDirectory { directory in
            let (_, path) = try Self.fitRising(in: directory)
            let output = try runSucceeding(["plan", "--fit", path, "--peak", "5e-5", "--budget", "5000", "--checkpoints", "3000", "--json"])
            #expect(output.stderr.contains("warning: \(path): the fit does not identify"), "\(output.stderr)")
            let verdict = try #require(try jsonObject(output.stdout)["fitIdentification"] as? [String: Any])
            #expect(verdict["cause"] as? String == "risingLoss")
        }
    }

    /// The bundled runs fit as the laws describe: no warning, and the JSON says identified.
    @Test func aFitOfTheBundledRunsIsIdentified() throws {
        try withTemporaryDirectory { directory in
            let path = try EvaluateCommandTests.fitBundled(in: directory)
            let output = try runSucceeding(["predict", "--fit", path, "--schedule", PredictCommandTests.cosine, "--at", "20000", "--format", "json"])
            #expect(!output.stderr.contains("warning"), "\(output.stderr)")
            let verdict = try #require(try jsonObject(output.stdout)["fitIdentification"] as? [String: Any])
            #expect(verdict["identified"] as? Bool == true)
        }
    }
}
