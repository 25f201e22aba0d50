import Foundation
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

    @Test func missingFitFile() throws {
        let output = try CLIRunner.run(["predict", "--fit", "/nonexistent/fit.json", "--schedule", "constant:peak=1e-3,total=100"])
        expectOneLineError(output, contains: ["/nonexistent/fit.json: cannot read the fit file"])
    }
}
