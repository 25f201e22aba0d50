import Foundation
import TestSupport
import Testing

/// `lossfit fit` on the bundled example logs.
@Suite struct FitCommandTests {
    static let parameterNames = ["L0", "A", "alpha", "C", "lambda"]

    /// `fit -o FIT.json --from-step 500` on the three bundled training logs.
    @Test func fitWritesTableAndFitFile() throws {
        let paths = try BundledLogs.paths(BundledLogs.training)
        try withTemporaryDirectory { directory in
            let fitURL = directory.appendingPathComponent("fit.json")
            let output = try runSucceeding(["fit", "-o", fitURL.path, "--from-step", "500"] + paths)

            // The parameter table: one row per parameter, ending in its status.
            let rows = tableRows(output.stdout)
            var printed: [String: Double] = [:]
            for name in Self.parameterNames {
                let row = try #require(rows.first { $0.first == name && $0.count >= 3 }, "no table row for \(name) in\n\(output.stdout)")
                #expect(row.last == "fitted", "\(row)")
                printed[name] = try #require(Double(row[1]), "\(row)")
            }
            #expect(output.stdout.split(separator: "\n").contains { $0.hasPrefix("converged after") }, "\(output.stdout)")
            #expect(output.stdout.contains("wrote \(fitURL.path)"))

            // FIT.json.
            let fit = try jsonObject(contentsOf: fitURL)
            #expect(fit["law"] as? String == "annealing")
            #expect(fit["settings"] is [String: Any])
            let parameters = try #require(fit["parameters"] as? [[String: Any]])
            #expect(parameters.map { $0["name"] as? String } == Self.parameterNames)
            for parameter in parameters {
                let name = try #require(parameter["name"] as? String)
                let value = try #require(parameter["value"] as? Double)
                #expect(value.isFinite && value > 0, "\(name) = \(value)")
                #expect(parameter["status"] as? String == "fitted")
                // The table prints 6 significant digits of the same value.
                let shown = try #require(printed[name])
                #expect(isClose(shown, value, relativeTolerance: 1e-5), "\(name): table \(shown) vs JSON \(value)")
            }
            // What the fit records about each curve is tested in-process (FittedCurvesTests).
            #expect((fit["curves"] as? [[String: Any]])?.map { $0["name"] as? String } == BundledLogs.training)
        }
    }

    /// `--lambda 0.999` holds λ there and records it as fixed.
    @Test func fixedLambda() throws {
        let paths = try BundledLogs.paths(BundledLogs.training)
        try withTemporaryDirectory { directory in
            let fitURL = directory.appendingPathComponent("fit.json")
            let output = try runSucceeding(["fit", "--lambda", "0.999", "-o", fitURL.path, "--from-step", "500"] + paths)
            let row = try #require(tableRows(output.stdout).first { $0.first == "lambda" && $0.count >= 3 })
            #expect(row.last == "fixed")

            let fit = try jsonObject(contentsOf: fitURL)
            let parameters = try #require(fit["parameters"] as? [[String: Any]])
            let lambda = try #require(parameters.first { $0["name"] as? String == "lambda" })
            #expect(lambda["status"] as? String == "fixed")
            #expect(isClose(try #require(lambda["value"] as? Double), 0.999, relativeTolerance: 1e-12))
            #expect(lambda["standardError"] == nil)
            let law = try #require(fit["annealing"] as? [String: Any])
            #expect(isClose(try #require(law["lambda"] as? Double), 0.999, relativeTolerance: 1e-12))
            let settings = try #require(fit["settings"] as? [String: Any])
            let choice = try #require(settings["lambda"] as? [String: Any])
            #expect(choice["fixed"] != nil, "settings.lambda: \(choice)")
            // The other four are still fitted.
            for parameter in parameters where parameter["name"] as? String != "lambda" {
                #expect(parameter["status"] as? String == "fitted", "\(parameter)")
            }
        }
    }

    /// λ must lie in (0, 1) or be `fit`; anything else is a usage error.
    @Test(arguments: ["2", "1", "0", "1.5", "abc"])
    func lambdaOutOfRangeIsRejected(_ value: String) throws {
        let paths = try BundledLogs.paths(["cosine_20000"])
        try withTemporaryDirectory { directory in
            let fitURL = directory.appendingPathComponent("fit.json")
            let output = try CLIRunner.run(["fit", "--lambda", value, "-o", fitURL.path] + paths)
            #expect(output.status != 0)
            #expect(output.stderr.contains("--lambda"), "\(output.stderr)")
            #expect(!FileManager.default.fileExists(atPath: fitURL.path), "no fit file may be written")
        }
    }

    /// `--lambda fit` is the default: λ is estimated.
    @Test func lambdaFitIsEstimated() throws {
        let paths = try BundledLogs.paths(BundledLogs.training)
        try withTemporaryDirectory { directory in
            let fitURL = directory.appendingPathComponent("fit.json")
            try runSucceeding(["fit", "--lambda", "fit", "-o", fitURL.path, "--from-step", "500"] + paths)
            let parameters = try #require(try jsonObject(contentsOf: fitURL)["parameters"] as? [[String: Any]])
            let lambda = try #require(parameters.first { $0["name"] as? String == "lambda" })
            #expect(lambda["status"] as? String == "fitted")
        }
    }
}
