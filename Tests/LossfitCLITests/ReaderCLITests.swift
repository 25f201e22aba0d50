import Foundation
import Testing

/// Every command reads logs of every format: the same curve as CSV, JSON lines, trainer_state.json
/// and a TensorBoard run gives the same results; damage and bad lines are reported, not hidden.
@Suite struct ReaderCLITests {
    /// The reader fixtures (Tests/TrainingLogsTests/Fixtures).
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("TrainingLogsTests/Fixtures")

    private func fixture(_ relativePath: String) -> String {
        Self.fixtures.appendingPathComponent(relativePath).path
    }

    @Test func theSameCurveInEveryFormatEvaluatesIdentically() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fit = directory.appendingPathComponent("fit.json").path
        let fitting = try CLIRunner.run(["fit", "-o", fit, fixture("same_curve/csv/curve.csv")])
        try #require(fitting.status == 0, "\(fitting.stderr)")
        let outputs = try ["same_curve/csv/curve.csv", "same_curve/jsonl/curve.jsonl", "same_curve/hf/curve/trainer_state.json", "same_curve/tb/curve"]
            .map { try CLIRunner.run(["evaluate", "--fit", fit, "--json", fixture($0)]) }
        for output in outputs {
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout == outputs[0].stdout)
        }
        #expect(outputs[0].stdout.contains("\"name\" : \"curve\""))
        #expect(outputs[2].stderr.contains("ignored 1 final summary entry of log_history"))
    }

    @Test func aFitReadsEveryFormatTogether() throws {
        let output = try CLIRunner.run(["fit", fixture("same_curve/jsonl/curve.jsonl"), fixture("tensorboard/sweep"),
                                        fixture("text/megatron.log"), fixture("wandb/history.csv")])
        #expect(output.status == 0, "\(output.stderr)")
        for name in ["curve", "lr_1e-3", "lr_3e-4", "megatron", "history"] {
            #expect(output.stdout.contains("\n\(name) "), "\(name) missing from \(output.stdout)")
        }
    }

    @Test func malformedJSONNamesTheLineAndSkippingCountsIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("run.jsonl").path
        let lines = (1...20).map { "{\"step\": \($0 * 10), \"loss\": \(4 - Double($0) / 10), \"lr\": 0.001}" }
        try (lines[..<5].joined(separator: "\n") + "\n{\"step\": 60, \"loss\": }\n" + lines[6...].joined(separator: "\n")).write(toFile: path, atomically: true, encoding: .utf8)
        let failing = try CLIRunner.run(["fit", path])
        #expect(failing.status != 0)
        #expect(failing.stderr.contains("\(path):6:22: malformed JSON: expected a value, found '}'; fix that line, or skip such lines with --skip-bad-lines"),
                "\(failing.stderr)")
        let skipping = try CLIRunner.run(["fit", "--skip-bad-lines", path])
        #expect(skipping.status == 0, "\(skipping.stderr)")
        #expect(skipping.stderr.contains("warning: \(path): skipped 1 bad line (first at line 6:"), "\(skipping.stderr)")
    }

    @Test func aTruncatedEventFileIsReadWithAWarning() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = "events.out.tfevents.1700000000.fixture"
        let original = try Data(contentsOf: URL(fileURLWithPath: fixture("same_curve/tb/curve/" + name)))
        let run = directory.appendingPathComponent("curve")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try original.prefix(original.count - 30).write(to: run.appendingPathComponent(name))
        let output = try CLIRunner.run(["fit", run.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("warning: \(name): the file ends inside the record at byte "), "\(output.stderr)")
    }

    @Test func smoothingAndEvaluationLossAreReported() throws {
        let output = try CLIRunner.run(["fit", "--smooth", "0.6", "--schedule", "cosine:peak=3e-4,warmup=100,total=2000",
                                        fixture("same_curve/hf/curve/trainer_state.json")])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("loss smoothed with an exponential moving average, weight 0.6"), "\(output.stderr)")
        let bad = try CLIRunner.run(["fit", "--smooth", "1.5", fixture("same_curve/csv/curve.csv")])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--smooth 1.5: \"1.5\" is neither a weight nor a whole number of points: give a weight at least 0 and below 1"), "\(bad.stderr)")
        let evaluation = try CLIRunner.run(["fit", "--eval", fixture("same_curve/csv/curve.csv")])
        #expect(evaluation.status != 0)
        #expect(evaluation.stderr.contains("no evaluation loss in"), "\(evaluation.stderr)")
    }

    @Test func inspectListsSeriesAndTheChosenCurve() throws {
        let output = try CLIRunner.run(["inspect", fixture("jsonl/metrics.jsonl")])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("metrics.jsonl: JSON lines"))
        #expect(output.stdout.contains("curve metrics: loss \"train/loss\", 30 points, steps 20–600; learning rate \"train/lr\", 31 points; steps from \"trainer/global_step\""),
                "\(output.stdout)")
        #expect(output.stdout.contains("  skipped: 1 row with NaN loss (first at line 34)"))

        let json = try CLIRunner.run(["inspect", "--json", fixture("tensorboard/sweep"), fixture("wandb/panel.csv")])
        #expect(json.status == 0, "\(json.stderr)")
        let reports = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(reports?.map { $0["format"] as? String } == ["tensorboard", "wandb-panel"])
        let curves = reports?.map { ($0["curves"] as? [[String: Any]])?.map { $0["name"] as? String } }
        #expect(curves == [["lr_1e-3", "lr_3e-4"], ["gpt2-small - cosine", "gpt2-small - wsd"]])
    }
}
