import Foundation
import TestSupport
import Testing

/// `lossfit evaluate` of a fit on the bundled logs it never saw.
@Suite struct EvaluateCommandTests {
    /// Fits the bundled training logs into `directory/fit.json` and returns its path.
    static func fitBundled(in directory: URL) throws -> String {
        let fitPath = directory.appendingPathComponent("fit.json").path
        try runSucceeding(["fit", "-o", fitPath, "--from-step", "500"] + BundledLogs.paths(BundledLogs.training))
        return fitPath
    }

    @Test func jsonReportMatchesTheLogs() throws {
        let paths = try BundledLogs.paths(BundledLogs.unseen)
        try withTemporaryDirectory { directory in
            let fitPath = try Self.fitBundled(in: directory)
            let output = try runSucceeding(["evaluate", "--fit", fitPath, "--json", "--from-step", "500"] + paths)

            // Exactly the keys promised, checked on the raw object.
            let object = try jsonObject(output.stdout)
            #expect(Set(["curves", "mean"]).isSubset(of: object.keys), "\(object.keys)")
            let rawCurves = try #require(object["curves"] as? [[String: Any]])
            let curveKeys: Set = ["name", "points", "r2", "mae", "rmse", "predE", "worstE", "finalStep", "finalLoss", "predictedFinalLoss"]
            for curve in rawCurves {
                #expect(curveKeys.isSubset(of: Set(curve.keys)), "missing \(curveKeys.subtracting(curve.keys))")
            }
            let rawMean = try #require(object["mean"] as? [String: Any])
            #expect(Set(["r2", "mae", "rmse", "predE", "worstE"]).isSubset(of: Set(rawMean.keys)))

            let report = try decodeJSON(EvaluationJSON.self, from: output.stdout)
            #expect(report.curves.map(\.name) == BundledLogs.unseen)
            try #require(report.curves.count == paths.count)
            for (curve, path) in zip(report.curves, paths) {
                let log = try LogTable(path: path)
                let scored = log.steps.filter { $0 >= 500 }.count
                #expect(curve.points == scored, "\(curve.name)")
                #expect(curve.finalStep == log.steps.last, "\(curve.name)")
                #expect(isClose(curve.finalLoss, log.losses.last!, relativeTolerance: 1e-15), "\(curve.name)")
                // Measured (committee, fit from step 500): final losses within 0.0017–0.0060, R² 0.9910–0.9951.
                #expect(isClose(curve.predictedFinalLoss, curve.finalLoss, relativeTolerance: 0.008), "\(curve.name)")
                #expect(curve.r2 > 0.99 && curve.r2 <= 1, "\(curve.name): r2 \(curve.r2)")
                #expect(curve.mae > 0 && curve.mae <= curve.rmse, "\(curve.name): MAE \(curve.mae) > RMSE \(curve.rmse)")
                #expect(curve.predE > 0 && curve.predE <= curve.worstE, "\(curve.name)")
            }

            // The mean row is the plain mean over curves.
            let n = Double(report.curves.count)
            let means: [(String, Double, Double)] = [
                ("predE", report.mean.predE, report.curves.map(\.predE).reduce(0, +) / n),
                ("r2", report.mean.r2, report.curves.map(\.r2).reduce(0, +) / n),
                ("mae", report.mean.mae, report.curves.map(\.mae).reduce(0, +) / n),
                ("rmse", report.mean.rmse, report.curves.map(\.rmse).reduce(0, +) / n),
                ("worstE", report.mean.worstE, report.curves.map(\.worstE).reduce(0, +) / n),
            ]
            for (name, reported, expected) in means {
                #expect(isClose(reported, expected, relativeTolerance: 1e-12), "mean \(name): \(reported) vs \(expected)")
            }
            // The simulated runs follow the law closely: measured mean PredE 0.00410.
            #expect(report.mean.predE < 0.005, "mean PredE \(report.mean.predE)")
        }
    }

    @Test func tablePrintsEveryCurveAndAMeanRow() throws {
        let paths = try BundledLogs.paths(BundledLogs.unseen)
        try withTemporaryDirectory { directory in
            let fitPath = try Self.fitBundled(in: directory)
            let table = try runSucceeding(["evaluate", "--fit", fitPath, "--from-step", "500"] + paths)
            let json = try decodeJSON(EvaluationJSON.self, from: try runSucceeding(["evaluate", "--fit", fitPath, "--json", "--from-step", "500"] + paths).stdout)
            let rows = tableRows(table.stdout)
            for curve in json.curves {
                let row = try #require(rows.first { $0.first == curve.name }, "no row for \(curve.name)")
                #expect(row.count >= 2 && row[1] == "\(curve.points)")
            }
            let mean = try #require(rows.first { $0.first == "mean" }, "no mean row in\n\(table.stdout)")
            #expect(mean.count >= 2 && mean[1] == "\(json.curves.map(\.points).reduce(0, +))")
            let r2 = try #require(mean.count >= 3 ? Double(mean[2]) : nil)
            #expect(abs(r2 - json.mean.r2) <= 5e-6, "table mean R² \(r2) vs JSON \(json.mean.r2)")
        }
    }

    /// An exact schedule makes `evaluate`'s last prediction agree with `predict` at the same step.
    @Test func exactScheduleAgreesWithPredict() throws {
        let spec = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"
        let paths = try BundledLogs.paths(["cosine_20000"])
        try withTemporaryDirectory { directory in
            let fitPath = try Self.fitBundled(in: directory)
            let evaluation = try decodeJSON(EvaluationJSON.self, from: try runSucceeding(
                ["evaluate", "--fit", fitPath, "--json", "--from-step", "500", "--schedule", spec] + paths).stdout)
            let prediction = try decodeJSON(PredictionJSON.self, from: try runSucceeding(
                ["predict", "--fit", fitPath, "--schedule", spec, "--at", "20000", "--format", "json"]).stdout)
            let final = try #require(evaluation.curves.first)
            let point = try #require(prediction.points.first)
            #expect(final.finalStep == 20000 && point.step == 20000)
            #expect(isClose(final.predictedFinalLoss, point.loss, relativeTolerance: 1e-9),
                    "evaluate \(final.predictedFinalLoss) vs predict \(point.loss)")
        }
    }
}
