import Foundation
import TestSupport
import Testing

/// `lossfit refine` and the per-update CSV of `lossfit schedule`, end to end.
@Suite struct RefineCommandTests {
    /// `schedule rex --format csv` lists updates 1…1000 at p = (k − 1)/1000: 2(1 − p)/(2 − p), with the
    /// known values 1, 6/7, 2/3, 2/5 at p = 0, ¼, ½, ¾.
    @Test func rexCSVListsEveryUpdate() throws {
        let output = try runSucceeding(["schedule", "rex:peak=1,total=1000", "--format", "csv"])
        #expect(output.stdout.hasPrefix("step,lr\n"))
        let table = try LogTable(csv: output.stdout)
        #expect(table.steps == Array(1...1000))
        for (step, rate) in zip(table.steps, table.learningRates) {
            let p = Double(step - 1) / 1000
            #expect(isClose(rate, 2 * (1 - p) / (2 - p), relativeTolerance: 1e-12), "step \(step): \(rate)")
        }
        for (step, known) in [(1, 1.0), (251, 6.0 / 7.0), (501, 2.0 / 3.0), (751, 0.4)] {
            #expect(isClose(table.learningRates[step - 1], known, relativeTolerance: 1e-12), "step \(step)")
        }
        let common = try LogTable(csv: runSucceeding(["schedule", "rex:peak=1,total=1000,variant=common", "--format", "csv"]).stdout)
        #expect(isClose(common.learningRates[500], 0.5 / 0.55, relativeTolerance: 1e-12))
    }

    private func writeLog(_ text: String, in directory: URL, name: String = "run.csv") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Constant norms give linear decay to 0; the CSV reads back as table:FILE in predict.
    @Test func constantNormsGiveLinearDecayAndTableReadsIt() throws {
        try withTemporaryDirectory { directory in
            let rows = (1...200).map { "\($0),\(3.0 - Double($0) * 1e-3),0.75" }
            let log = try writeLog((["step,loss,grad_norm"] + rows).joined(separator: "\n") + "\n", in: directory)
            let csv = directory.appendingPathComponent("refined.csv").path
            let output = try runSucceeding(["refine", log, "--total", "200", "--peak", "3e-4", "--optimizer", "sgd", "-o", csv])
            #expect(output.stdout.contains("wrote \(csv)"))
            let table = try LogTable(path: csv)
            #expect(table.steps == Array(1...200))
            for (step, rate) in zip(table.steps, table.learningRates).dropLast() {
                #expect(isClose(rate, 3e-4 * Double(200 - step) / 199, relativeTolerance: 1e-9), "step \(step)")
            }
            #expect(abs(table.learningRates.last!) <= 1e-300)
            try runSucceeding(["schedule", "table:\(csv)", "--at", "0,1,200"])
        }
    }

    @Test func shortLogIsStretchedWithANote() throws {
        try withTemporaryDirectory { directory in
            let rows = (1...50).map { "{\"step\": \($0), \"grad_norm\": \($0 == 7 ? "NaN" : "2.0")}" }
            let log = try writeLog(rows.joined(separator: "\n") + "\n", in: directory, name: "run.jsonl")
            let output = try runSucceeding(["refine", log, "--total", "100", "--peak", "1"])
            #expect(output.stderr.contains("note: \(log): the norms cover steps 1–50, fewer than --total 100; stretched over the run by progress"))
            #expect(output.stderr.contains("skipped 1 row with NaN gradient norm (first at line 7)"))
            let table = try LogTable(csv: output.stdout)
            #expect(table.steps == Array(1...100))
        }
    }

    @Test func logWithoutGradientNormsIsAnError() throws {
        try withTemporaryDirectory { directory in
            let log = try writeLog("step,lr,loss\n1,0.1,3.0\n2,0.1,2.9\n", in: directory)
            let output = try CLIRunner.run(["refine", log, "--total", "100", "--peak", "1"])
            #expect(output.status != 0)
            #expect(output.stderr == "Error: no gradient-norm column in \(log); columns found: step, lr, loss; log the gradient norm (grad_norm) or name its column with --grad-key\n")
        }
    }

    @Test func tooFewNormsIsAnError() throws {
        try withTemporaryDirectory { directory in
            let rows = (1...12).map { "\($0),\($0 <= 3 ? "0" : "1.5")" }
            let log = try writeLog((["step,grad_norm"] + rows).joined(separator: "\n") + "\n", in: directory)
            let output = try CLIRunner.run(["refine", log, "--total", "100", "--peak", "1"])
            #expect(output.status != 0)
            let errorLines = output.stderr.split(separator: "\n").filter { !$0.hasPrefix("note:") }
            #expect(errorLines == ["Error: \(log), column \"grad_norm\": only 9 usable gradient norms (finite and > 0; need at least 10); log the gradient norm at more steps, or read the series that holds them (--grad-key)"])
        }
    }

    /// With --fit, the refined schedule's final loss is predicted beside linear decay and cosine.
    @Test func predictsBesideLinearAndCosine() throws {
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "-o", fitPath, "--from-step", "500"] + BundledLogs.paths(BundledLogs.training))
            let rows = (1...20000).map { "\($0),\(1 + 1 / (1 + Double($0) / 2000))" }
            let log = try writeLog((["step,grad_norm"] + rows).joined(separator: "\n") + "\n", in: directory)
            let output = try runSucceeding(["refine", log, "--total", "20000", "--peak", "6e-4", "--fit", fitPath,
                                            "-o", directory.appendingPathComponent("refined.csv").path])
            for name in ["refined (adam)", "linear:peak=0.0006,total=20000", "cosine:peak=0.0006,total=20000"] {
                #expect(output.stdout.contains(name), "\(output.stdout)")
            }
        }
    }
}
