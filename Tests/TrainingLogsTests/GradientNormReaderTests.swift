import Foundation
import Testing
import TestSupport
import TrainingLogs

/// Gradient norms read from logs of several formats, by their common names or a given key.
@Suite struct GradientNormReaderTests {
    @discardableResult
    private func withFile<T>(_ contents: String, name: String, _ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gradnorm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return try body(path)
    }

    @Test func huggingFaceTrainerStateGradNorm() throws {
        let path = Fixtures.path("huggingface/run/checkpoint-200/trainer_state.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let history = try #require(object?["log_history"] as? [[String: Any]])
        let expected = history.compactMap { entry -> (Int, Double)? in
            guard let norm = entry["grad_norm"] as? Double, let step = entry["step"] as? Int else { return nil }
            return (step, norm)
        }
        let log = try GradientNormReader.read(path)
        #expect(log.column == "grad_norm")
        #expect(log.norms.steps == expected.map(\.0))
        #expect(isClose(log.norms.values, expected.map(\.1), relativeTolerance: 1e-15))
    }

    @Test func megatronTextLogGradNorm() throws {
        let path = Fixtures.path("text/megatron.log")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { $0.contains("| grad norm: ") }
        let log = try GradientNormReader.read(path)
        #expect(log.column == "grad norm")
        #expect(log.norms.count == lines.count)
        #expect(log.norms.values.allSatisfy { isClose($0, 1.234, relativeTolerance: 1e-15) })
    }

    @Test func nestedJSONLinesKeyAndSkippedValues() throws {
        let text = """
            {"step": 1, "train": {"loss": 3.0, "grad_norm": 2.5}}
            {"step": 2, "train": {"loss": 2.9, "grad_norm": NaN}}
            {"step": 3, "train": {"loss": 2.8, "grad_norm": 1.5}}
            {"step": 4, "train": {"loss": 2.7, "grad_norm": null}}

            """
        let log = try withFile(text, name: "run.jsonl") { try GradientNormReader.read($0) }
        #expect(log.column == "train/grad_norm")
        #expect(log.norms.steps == [1, 3])
        #expect(isClose(log.norms.values, [2.5, 1.5], relativeTolerance: 0))
        #expect(Set(log.skipped.map(\.description)) == ["1 row with NaN gradient norm (first at line 2)", "1 row with empty gradient norm (first at line 4)"])
    }

    @Test func explicitKeyInCSV() throws {
        let log = try withFile("step,loss,gnorm_l1\n1,3.0,40\n2,2.9,38\n", name: "run.csv") { try GradientNormReader.read($0, key: "gnorm_l1") }
        #expect(log.column == "gnorm_l1")
        #expect(isClose(log.norms.values, [40, 38], relativeTolerance: 0))
    }

    @Test func logWithoutGradientNormsListsTheColumns() throws {
        try withFile("step,lr,loss\n1,0.1,3.0\n2,0.1,2.9\n", name: "run.csv") { path in
            let error = LogReadError.noGradientNorm(file: path, found: ["step", "lr", "loss"], noun: "column")
            #expect(throws: error) { try GradientNormReader.read(path) }
            #expect(error.description == "no gradient-norm column in \(path); columns found: step, lr, loss; log the gradient norm (grad_norm) or name its column")
        }
    }

    @Test func missingExplicitKey() throws {
        try withFile("step,loss,grad_norm\n1,3.0,1\n", name: "run.csv") { path in
            #expect(throws: LogReadError.gradientNormNotFound(file: path, name: "gn", found: ["step", "loss", "grad_norm"], noun: "column")) {
                try GradientNormReader.read(path, key: "gn")
            }
        }
    }
}
