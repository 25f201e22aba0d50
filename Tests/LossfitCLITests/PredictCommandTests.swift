import Foundation
import TestSupport
import Testing

/// `lossfit predict` with a fit of the bundled logs.
@Suite struct PredictCommandTests {
    static let cosine = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"

    /// The cosine schedule of `cosine`, computed by hand: warmup rises linearly over steps
    /// 0…199 to the peak, then half a cosine from the peak at step 200 to the end at 20000.
    static func cosineRate(_ step: Int) -> Double {
        let peak = 0.6, end = 0.06, warmup = 200, total = 20000
        if step < warmup { return peak * Double(step) / Double(warmup - 1) }
        let p = Double(step - warmup) / Double(total - warmup)
        return end + 0.5 * (peak - end) * (1 + cos(Double.pi * p))
    }

    /// The `step,lr` rows `lossfit schedule` prints for the same selection.
    static func scheduleRates(_ spec: String, _ selection: [String]) throws -> [(step: Int, lr: Double)] {
        let table = try LogTable(csv: try runSucceeding(["schedule", spec, "--format", "csv"] + selection).stdout)
        return Array(zip(table.steps, table.learningRates)).map { (step: $0.0, lr: $0.1) }
    }

    @Test func csvAtListedSteps() throws {
        try withTemporaryDirectory { directory in
            let fitPath = try EvaluateCommandTests.fitBundled(in: directory)
            let output = try runSucceeding(["predict", "--fit", fitPath, "--schedule", Self.cosine, "--at", "1000,5000,20000", "--format", "csv"])
            #expect(output.stdout.hasPrefix("step,lr,loss"))
            let table = try LogTable(csv: output.stdout)
            #expect(table.steps == [1000, 5000, 20000])
            let reference = try Self.scheduleRates(Self.cosine, ["--at", "1000,5000,20000"])
            #expect(reference.map(\.step) == table.steps)
            for (k, step) in table.steps.enumerated() {
                #expect(isClose(table.learningRates[k], reference[k].lr, relativeTolerance: 1e-15), "step \(step)")
                #expect(isClose(table.learningRates[k], Self.cosineRate(step), relativeTolerance: 1e-12), "step \(step)")
            }
            #expect(zip(table.losses, table.losses.dropFirst()).allSatisfy { $0 > $1 }, "\(table.losses)")
        }
    }

    @Test func jsonMatchesCSV() throws {
        try withTemporaryDirectory { directory in
            let fitPath = try EvaluateCommandTests.fitBundled(in: directory)
            let arguments = ["predict", "--fit", fitPath, "--schedule", Self.cosine, "--at", "1000,5000,20000"]
            let object = try jsonObject(try runSucceeding(arguments + ["--format", "json"]).stdout)
            #expect(Set(["schedule", "law", "points"]).isSubset(of: object.keys), "\(object.keys)")
            let rawPoints = try #require(object["points"] as? [[String: Any]])
            for point in rawPoints { #expect(Set(["step", "learningRate", "loss"]).isSubset(of: point.keys), "\(point.keys)") }

            let json = try decodeJSON(PredictionJSON.self, from: try runSucceeding(arguments + ["--format", "json"]).stdout)
            let csv = try LogTable(csv: try runSucceeding(arguments + ["--format", "csv"]).stdout)
            #expect(json.law == "committee")
            #expect(json.schedule.hasPrefix("cosine:"))
            #expect(json.points.map(\.step) == [1000, 5000, 20000])
            #expect(json.points.map(\.step) == csv.steps)
            for (k, point) in json.points.enumerated() {
                #expect(isClose(point.learningRate, Self.cosineRate(point.step), relativeTolerance: 1e-12))
                #expect(isClose(point.loss, csv.losses[k], relativeTolerance: 1e-15), "step \(point.step)")
                #expect(point.loss > 0)
            }
        }
    }

    @Test func tableListsTheSteps() throws {
        try withTemporaryDirectory { directory in
            let fitPath = try EvaluateCommandTests.fitBundled(in: directory)
            let arguments = ["predict", "--fit", fitPath, "--schedule", Self.cosine, "--at", "1000,5000,20000"]
            let table = try runSucceeding(arguments + ["--format", "table"]).stdout
            let json = try decodeJSON(PredictionJSON.self, from: try runSucceeding(arguments + ["--format", "json"]).stdout)
            #expect(table.hasPrefix("Predicted loss under the fitted committee (median of 4 laws) for cosine:"))
            let rows = tableRows(table)
            for point in json.points {
                let row = try #require(rows.first { $0.first == "\(point.step)" && $0.count >= 3 }, "no row for step \(point.step)")
                let lr = try #require(Double(row[1])), loss = try #require(Double(row[2]))
                #expect(isClose(lr, point.learningRate, relativeTolerance: 1e-3), "step \(point.step)")
                #expect(abs(loss - point.loss) <= 5.1e-5, "step \(point.step)")
            }
        }
    }

    @Test func everyNthStepAndTheLast() throws {
        try withTemporaryDirectory { directory in
            let fitPath = try EvaluateCommandTests.fitBundled(in: directory)
            let base = ["predict", "--fit", fitPath, "--schedule", Self.cosine, "--format", "csv"]
            #expect(try LogTable(csv: try runSucceeding(base + ["--every", "5000"]).stdout).steps == [5000, 10000, 15000, 20000])
            #expect(try LogTable(csv: try runSucceeding(base + ["--every", "7000"]).stdout).steps == [7000, 14000, 20000])
            // Unordered, repeated --at steps come out sorted once each.
            #expect(try LogTable(csv: try runSucceeding(base + ["--at", "20000,1000,5000,1000"]).stdout).steps == [1000, 5000, 20000])
            // By default about 20 steps spread over the run.
            let defaults = try LogTable(csv: try runSucceeding(base).stdout)
            #expect(defaults.steps == Array(stride(from: 1000, through: 20000, by: 1000)))

            // Over a cosine decay the predicted loss falls at every reported step, and the LRs are the schedule's.
            let dense = try LogTable(csv: try runSucceeding(base + ["--every", "500"]).stdout)
            #expect(dense.steps.count == 40)
            #expect(zip(dense.losses, dense.losses.dropFirst()).allSatisfy { $0 > $1 }, "\(dense.losses)")
            let reference = try Self.scheduleRates(Self.cosine, ["--every", "500"])
            #expect(reference.map(\.step) == dense.steps)
            for (k, step) in dense.steps.enumerated() {
                #expect(isClose(dense.learningRates[k], reference[k].lr, relativeTolerance: 1e-15), "step \(step)")
            }
        }
    }

    @Test(arguments: ["1000,30000", "abc"])
    func badAtStepIsAnError(_ steps: String) throws {
        try withTemporaryDirectory { directory in
            let fitPath = try EvaluateCommandTests.fitBundled(in: directory)
            let output = try CLIRunner.run(["predict", "--fit", fitPath, "--schedule", Self.cosine, "--at", steps])
            #expect(output.status != 0)
            #expect(output.stdout.isEmpty, "\(output.stdout)")
            let first = try #require(errorLines(output).first)
            #expect(first.contains("--at"), "\(output.stderr)")
            #expect(first.contains(steps == "abc" ? "abc" : "30000"), "\(output.stderr)")
        }
    }

    @Test func everyZeroIsAnError() throws {
        try withTemporaryDirectory { directory in
            let fitPath = try EvaluateCommandTests.fitBundled(in: directory)
            let output = try CLIRunner.run(["predict", "--fit", fitPath, "--schedule", Self.cosine, "--every", "0"])
            #expect(output.status != 0)
            #expect(output.stderr.contains("--every"), "\(output.stderr)")
        }
    }

    /// Step 0 (no LR area yet, the law cannot predict it) is within `--at`'s range: every format
    /// leaves it out with a note naming it and predicts the other steps, exit 0.
    @Test(arguments: ["csv", "json", "table"])
    func stepZeroIsLeftOutWithANote(_ format: String) throws {
        try withTemporaryDirectory { directory in
            let fitPath = try EvaluateCommandTests.fitBundled(in: directory)
            let output = try runSucceeding(["predict", "--fit", fitPath, "--schedule", Self.cosine, "--at", "0,1000", "--format", format])
            #expect(output.stderr == "note: no prediction at step 0: no learning-rate area yet (S1 = 0)\n", "\(output.stderr.prefix(300))")
            let steps: [Int]
            switch format {
            case "csv":
                steps = try LogTable(csv: output.stdout).steps
            case "json":
                let points = try #require(try jsonObject(output.stdout)["points"] as? [[String: Any]])
                steps = points.compactMap { $0["step"] as? Int }
            default:
                steps = output.stdout.split(separator: "\n").compactMap { line in line.split(separator: " ").first.flatMap { Int($0) } }
            }
            #expect(steps == [1000], "\(format): \(output.stdout.prefix(300))")
        }
    }

    /// The error for an out-of-range `--at` is one line (as for every bad input), without a usage
    /// text for the wrong command.
    @Test func outOfRangeAtIsAOneLineError() throws {
        try withTemporaryDirectory { directory in
            let fitPath = try EvaluateCommandTests.fitBundled(in: directory)
            let output = try CLIRunner.run(["predict", "--fit", fitPath, "--schedule", Self.cosine, "--at", "30000"])
            #expect(output.status != 0)
            #expect(errorLines(output).count == 1, "stderr:\n\(output.stderr)")
        }
    }
}
