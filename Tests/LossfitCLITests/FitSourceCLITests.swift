import Foundation
import TestSupport
import Testing

/// What a practitioner hit (#18): which loss was fitted, the window's notes, schedules for the runs
/// of a W&B panel, suffixes in schedule specs, one --schedule for compare and plan, and `-o -`.
@Suite struct FitSourceCLITests {
    /// A fast fit: one law, no baselines, no ranking check.
    static let quickFit = ["fit", "--law", "annealing", "--no-baselines", "--no-ranking-check"]
    static let fixtureFit = SharedData.packageRoot.appendingPathComponent("Tests/LossFitWorkflowsTests/Fixtures/base/fit-annealing.json").path

    /// The bundled run's step, lr and loss, parsed by the test.
    static func bundledRows(_ name: String) throws -> [(step: Int, lr: Double, loss: Double)] {
        let table = try LogTable(path: BundledLogs.paths([name])[0])
        return (0..<table.steps.count).map { (table.steps[$0], table.learningRates[$0], table.losses[$0]) }
    }

    /// A trainer_state.json of the bundled cosine run with `loss` at every step and `eval_loss` at every 10th.
    static func trainerState(in directory: URL) throws -> String {
        var history: [[String: Any]] = []
        for (index, row) in try bundledRows("cosine_20000").enumerated() {
            history.append(["step": row.step, "learning_rate": row.lr, "loss": row.loss])
            if index % 10 == 9 { history.append(["step": row.step, "eval_loss": row.loss * 1.05]) }
        }
        let path = directory.appendingPathComponent("trainer_state.json").path
        try JSONSerialization.data(withJSONObject: ["log_history": history]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A W&B panel export of two runs without learning rates (the cosine and the constant run's losses).
    static func panel(in directory: URL) throws -> String {
        let cosine = try bundledRows("cosine_20000"), constant = try bundledRows("constant_20000")
        var lines = ["Step,run-a - train/loss,run-b - train/loss"]
        for (a, b) in zip(cosine, constant) where a.step == b.step { lines.append("\(a.step),\(a.loss),\(b.loss)") }
        let path = directory.appendingPathComponent("panel.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func fitSaysWhichLossItFittedAndHowToFitTheOther() throws {
        try withTemporaryDirectory { directory in
            let log = try Self.trainerState(in: directory)
            let training = try runSucceeding(Self.quickFit + [log])
            #expect(training.stderr.contains("note: fitted: loss (training) from \(log); also present: eval_loss (validation) (--eval fits the validation loss)"),
                    "\(training.stderr)")
            let validation = try runSucceeding(Self.quickFit + ["--eval", log])
            #expect(validation.stderr.contains("note: fitted: eval_loss (validation) from \(log); also present: loss (training) (without --eval the training loss is fitted)"),
                    "\(validation.stderr)")
        }
    }

    /// evaluate says which loss it scores, and that a fit of training losses scoring a validation
    /// loss meets the gap between the two; a fit from before FIT.json recorded sources says nothing of it.
    @Test func evaluateSaysWhichLossItScored() throws {
        try withTemporaryDirectory { directory in
            let log = try Self.trainerState(in: directory)
            let fit = directory.appendingPathComponent("fit.json").path
            try runSucceeding(Self.quickFit + ["-o", fit] + BundledLogs.paths(["cosine_20000", "constant_20000"]))
            let output = try runSucceeding(["evaluate", "--fit", fit, "--eval", log])
            #expect(output.stderr.contains("note: fitted: eval_loss (validation) from \(log)"), "\(output.stderr)")
            #expect(output.stderr.contains("note: \(log): scores its validation loss (eval_loss) with a fit of training losses"), "\(output.stderr)")
            let training = try runSucceeding(["evaluate", "--fit", fit, log])
            #expect(!training.stderr.contains("with a fit of"), "\(training.stderr)")
            let old = try runSucceeding(["evaluate", "--fit", Self.fixtureFit, "--eval", log])
            #expect(!old.stderr.contains("with a fit of"), "\(old.stderr)")
        }
    }

    /// `-o -` puts FIT.json, and only it, on standard output: the summary goes to standard error, no
    /// file named `-` appears, and the JSON records the curve's source.
    @Test func fitToStandardOutputRecordsTheSource() throws {
        try withTemporaryDirectory { directory in
            let log = try Self.trainerState(in: directory)
            let output = try runSucceeding(Self.quickFit + ["--eval", "--to-step", "15000", "-o", "-", log], in: directory)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("-").path))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stdout.prefix(200))")
            #expect(object["formatVersion"] as? Int == 3)
            let curves = try #require(object["curves"] as? [[String: Any]])
            let source = try #require(curves.first?["source"] as? [String: Any])
            #expect(source["path"] as? String == log && source["lossKey"] as? String == "eval_loss" && source["lossKind"] as? String == "evaluation")
            // eval_loss is logged at steps 1000, 2000, …, 20000: 15 up to step 15000, 5 after it.
            #expect(source["toStep"] as? Int == 15000 && source["pointsUsed"] as? Int == 15 && source["pointsAfter"] as? Int == 5)
            #expect(output.stderr.contains("L0") && output.stderr.contains("wrote standard output"))
        }
    }

    /// The window note names both cuts: the bundled runs are logged every 100 steps from 100 to
    /// 20000, so the end of warmup (200) leaves 1 point out and --to-step 15000 leaves 50.
    @Test func theWindowNoteSaysWhatWasCut() throws {
        let log = try BundledLogs.paths(["cosine_20000"])[0]
        let output = try runSucceeding(Self.quickFit + ["--to-step", "15000", log])
        #expect(output.stderr.contains("note: \(log): fitting and scoring from step 200, the end of warmup; 1 earlier point left out (--from-step 0 keeps them); 50 later points, after --to-step 15000, left out (a later --to-step, or none, keeps them)"),
                "\(output.stderr)")
        let late = try runSucceeding(Self.quickFit + ["--from-step", "0", "--to-step", "15000", log])
        #expect(late.stderr.contains("note: \(log): fitting and scoring up to --to-step 15000; 50 later points left out"), "\(late.stderr)")
        #expect(!late.stderr.contains("earlier"))
    }

    @Test func eachRunOfAPanelTakesItsOwnSchedule() throws {
        try withTemporaryDirectory { directory in
            let panel = try Self.panel(in: directory)
            let cosine = "cosine:peak=0.6,end=0.06,warmup=200,total=20k", constant = "constant:peak=0.6,warmup=200,total=20k"
            _ = try runSucceeding(Self.quickFit + ["--schedule", "run-a=" + cosine, "--schedule", "run-b=" + constant, "-o", "fit.json", panel], in: directory)
            let fit = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("fit.json"))) as? [String: Any])
            let curves = try #require(fit["curves"] as? [[String: Any]])
            #expect(curves.compactMap { ($0["source"] as? [String: Any])?["run"] as? String } == ["run-a", "run-b"])
            let unknown = try CLIRunner.run(Self.quickFit + ["--schedule", "run-c=" + cosine, panel])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("--schedule run-c=…: run-c is neither one of the logs given nor one of their runs; give FILE=SPEC or RUN=SPEC with RUN one of: run-a, run-b"),
                    "\(unknown.stderr)")
        }
    }

    /// A spec with suffixes predicts what the spec written out predicts; a suffix on the peak LR is an error.
    @Test func specsTakeSuffixesForSteps() throws {
        let plain = try runSucceeding(["predict", "--fit", Self.fixtureFit, "--schedule", "wsd:peak=0.6,warmup=200,total=20000,decay=4000", "--format", "csv"])
        let scaled = try runSucceeding(["predict", "--fit", Self.fixtureFit, "--schedule", "wsd:peak=0.6,warmup=200,total=20k,decay=4k", "--format", "csv"])
        #expect(scaled.stdout == plain.stdout && !plain.stdout.isEmpty)
        let bad = try CLIRunner.run(["predict", "--fit", Self.fixtureFit, "--schedule", "constant:peak=6k,total=20k"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("peak=6k") && bad.stderr.contains("plain number"), "\(bad.stderr)")
    }

    /// compare takes --schedule, repeatable, and ranks as with the positional SPECs kept for scripts.
    @Test func compareTakesSchedule() throws {
        let specs = ["cosine:peak=0.6,end=0.06,warmup=200,total=20000", "constant:peak=0.6,warmup=200,total=20000"]
        let positional = try runSucceeding(["compare", "--fit", Self.fixtureFit, "--json"] + specs)
        let options = try runSucceeding(["compare", "--fit", Self.fixtureFit, "--json"] + specs.flatMap { ["--schedule", $0] })
        #expect(options.stdout == positional.stdout && positional.stdout.contains("cosine"))
        let none = try CLIRunner.run(["compare", "--fit", Self.fixtureFit])
        #expect(none.status != 0 && none.stderr.contains("--schedule SPEC"), "\(none.stderr)")
    }

    /// plan takes the run's schedule so far as --schedule, as it did as --run.
    @Test func planTakesScheduleForTheRunSoFar() throws {
        let arguments = ["plan", "--fit", Self.fixtureFit, "--budget", "20000", "--checkpoints", "12000"]
        let run = try runSucceeding(arguments + ["--run", "constant:peak=0.6,warmup=200,total=20000"])
        let schedule = try runSucceeding(arguments + ["--schedule", "constant:peak=0.6,warmup=200,total=20k"])
        #expect(schedule.stdout == run.stdout && !run.stdout.isEmpty)
    }

    /// `-o -` on a full standard output fails with a message instead of losing the file silently.
    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full"), "needs /dev/full (Linux)"))
    func aFullStandardOutputFailsTheWrite() throws {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = Self.quickFit + ["-o", "-"] + (try BundledLogs.paths(["cosine_20000"]))
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("standard output"), "\(stderr)")
    }

    /// optimize -o - prints the CSV it would write to a file, and only it, on standard output;
    /// simulate -o - prints what it prints without -o.
    @Test func optimizeAndSimulateWriteStandardOutput() throws {
        try withTemporaryDirectory { directory in
            let optimize = ["optimize", "--fit", Self.fixtureFit, "--total", "6000", "--peak", "0.6", "--warmup", "200", "--family", "wsd"]
            _ = try runSucceeding(optimize + ["-o", "best.csv"], in: directory)
            let file = try String(contentsOf: directory.appendingPathComponent("best.csv"), encoding: .utf8)
            let piped = try runSucceeding(optimize + ["-o", "-"], in: directory)
            #expect(piped.stdout == file && file.hasPrefix("step,lr\n"))
            #expect(piped.stderr.contains("final loss"), "\(piped.stderr)")
        }
        let simulate = ["simulate", "--constant", "0.5", "--steps", "300", "--dimension", "100", "--seed", "3", "--log-every", "50"]
        let plain = try runSucceeding(simulate), dashed = try runSucceeding(simulate + ["-o", "-"])
        #expect(dashed.stdout == plain.stdout && plain.stdout.hasPrefix("step"))
    }

    @Test func exportNotebookRefusesStandardOutput() throws {
        let output = try CLIRunner.run(["export-notebook", "--fit", Self.fixtureFit, "-o", "-"])
        #expect(output.status != 0 && output.stderr.contains("needs a file name"), "\(output.stderr)")
    }
}
