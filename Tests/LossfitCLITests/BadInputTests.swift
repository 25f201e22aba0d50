import Foundation
import TestSupport
import Testing

/// Each bad input gets a clear one-line error naming the file and a non-zero exit.
@Suite struct BadInputTests {
    private func fitError(_ contents: String, name: String = "run.csv", extra: [String] = []) throws -> CLIRunner.Output {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return try CLIRunner.run(["fit"] + extra + [file.path])
    }

    private func expectOneLineError(_ output: CLIRunner.Output, contains fragments: [String]) {
        #expect(output.status != 0)
        let lines = output.stderr.split(separator: "\n").filter { !$0.hasPrefix("note:") }
        #expect(lines.count == 1, "stderr: \(output.stderr)")
        for fragment in fragments {
            #expect(output.stderr.contains(fragment), "stderr: \(output.stderr)")
        }
    }

    @Test func emptyFile() throws {
        expectOneLineError(try fitError(""), contains: ["run.csv: the file is empty"])
    }

    @Test func noLossColumnListsTheColumnsFound() throws {
        expectOneLineError(try fitError("step,lr,accuracy\n1,0.1,0.5\n"),
                           contains: ["no loss column in", "columns found: step, lr, accuracy", "--loss-key"])
    }

    @Test func nonNumericCellNamesLineAndColumn() throws {
        expectOneLineError(try fitError("step,lr,loss\n1,0.1,3.0\n2,0.1,abc\n"),
                           contains: ["run.csv:3", "\"loss\"", "abc"])
    }

    @Test func allNaNLoss() throws {
        expectOneLineError(try fitError("step,lr,loss\n1,0.1,nan\n2,0.1,NaN\n3,0.1,\n"),
                           contains: ["no usable loss values"])
    }

    @Test func singlePointCannotBeFitted() throws {
        expectOneLineError(try fitError("step,lr,loss\n100,0.1,3.0\n"),
                           contains: ["1 observation cannot determine 3 parameters"])
    }

    @Test func negativeLearningRate() throws {
        expectOneLineError(try fitError("step,lr,loss\n1,0.1,3.0\n2,-0.001,2.9\n"),
                           contains: ["run.csv:3", "\"lr\"", "negative learning rate"])
    }

    @Test func unknownScheduleShapeListsTheShapes() throws {
        expectOneLineError(try fitError("step,loss\n1,3.0\n2,2.9\n", extra: ["--schedule", "wsd:peak=1,total=10,decay=2,shape=sqrt"]),
                           contains: ["unknown decay shape \"sqrt\"", "1-sqrt"])
    }

    /// A FIT.json with λ = 2 (once a trap inside the annealing area) is refused with the key and the
    /// remedy by every command that predicts from it.
    @Test(arguments: [["predict", "--schedule", "cosine:peak=0.6,total=20000"],
                      ["compare", "cosine:peak=0.6,total=20000", "constant:peak=0.6,total=20000"]])
    func damagedFitFile(command: [String]) throws {
        try withTemporaryDirectory { directory in
            let fixture = SharedData.packageRoot.appendingPathComponent("Tests/LossFitWorkflowsTests/Fixtures/base/fit-annealing.json")
            var object = try jsonObject(contentsOf: fixture)
            var law = try #require(object["annealing"] as? [String: Any])
            law["lambda"] = 2
            object["annealing"] = law
            let damaged = directory.appendingPathComponent("fit.json")
            try JSONSerialization.data(withJSONObject: object).write(to: damaged)
            let output = try CLIRunner.run([command[0], "--fit", damaged.path] + command.dropFirst())
            expectOneLineError(output, contains: [
                "Error: \(damaged.path): annealing: lambda = 2.0 must be in (0, 1); no fit writes that, so the file was damaged or edited: refit with lossfit fit -o \(damaged.path)\n",
            ])
            #expect(output.stdout.isEmpty)
        }
    }

    /// --smooth refuses an even window (once silently widened), a window of one point and one wider
    /// than the log (200 points), naming the option.
    @Test(arguments: [("2", "--smooth 2: a centred window of 2 points has no centre point; give an odd number of points (3)"),
                      ("1", "--smooth 1: a centred window of 1 point leaves the loss as logged"),
                      ("1001", "cosine_20000.csv: a centred window of 1001 points is wider than the log's 200 loss points; give an odd window of at most 199 points (--smooth)\n")])
    func smoothingWindows(argument: String, message: String) throws {
        let output = try CLIRunner.run(["fit", "--smooth", argument, BundledLogs.url("cosine_20000").path])
        #expect(output.status != 0)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("Error: ") && output.stderr.contains(message), "stderr: \(output.stderr)")
    }

    @Test func missingFitFile() throws {
        let output = try CLIRunner.run(["predict", "--fit", "/nonexistent/fit.json", "--schedule", "constant:peak=1e-3,total=100"])
        expectOneLineError(output, contains: ["/nonexistent/fit.json: cannot read the fit file"])
    }

    @Test(arguments: [(["--to-batch", "0"], "--to-batch 0: a batch size must be a finite positive number"),
                      (["--to-batch=-512"], "--to-batch -512: a batch size must be a finite positive number"),
                      (["--batch", "0"], "--batch 0: a batch size must be a finite positive number"),
                      (["--lr", "0"], "--lr 0.0: the learning rate must be finite and positive"),
                      (["--lr=-1e-3"], "--lr -0.001: the learning rate must be finite and positive")])
    func transferRefusesNonPositiveValues(override: [String], message: String) throws {
        var arguments = ["--lr", "3e-4", "--batch", "256", "--to-batch", "1024"]
        let flag = override[0].split(separator: "=")[0]
        let position = arguments.firstIndex { $0 == flag }!
        arguments.replaceSubrange(position...position + 1, with: override)
        expectOneLineError(try CLIRunner.run(["transfer"] + arguments), contains: [message])
    }

    @Test func transferUnknownRuleListsTheRules() throws {
        let output = try CLIRunner.run(["transfer", "--lr", "3e-4", "--batch", "256", "--to-batch", "1024", "--rule", "cubic"])
        expectOneLineError(output, contains: ["unknown transfer rule \"cubic\"; valid rules: sqrt, linear, constant, mccandlish, surge"])
    }

    @Test func transferNoiseScaleRuleWithoutALawSaysWhereToGetOne() throws {
        let output = try CLIRunner.run(["transfer", "--lr", "3e-4", "--batch", "256", "--to-batch", "1024", "--rule", "surge"])
        expectOneLineError(output, contains: ["the surge rule needs a fitted noise scale", "lossfit sweep transfer SWEEP -o LAW.json"])
    }

    @Test func sweepTransferWithOneBatchSizePerGroupNamesTheGroups() throws {
        var sweep = "N,D,lr,batch_tokens,loss\n"
        for n in [1e8, 2e8] {
            for (lr, loss) in [(1e-3, 3.0), (2e-3, 2.9), (4e-3, 3.1)] { sweep += "\(n),1e10,\(lr),131072,\(loss)\n" }
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("sweep.csv")
        try sweep.write(to: file, atomically: true, encoding: .utf8)
        expectOneLineError(try CLIRunner.run(["sweep", "transfer", file.path]),
                           contains: ["\(file.path): no (N, D) group has enough batch sizes", "N=1e8, D=1e10 (1 batch size); N=2e8, D=1e10 (1 batch size)",
                                      "at least 4 batch sizes with 3 or more learning rates each"])
    }
}
