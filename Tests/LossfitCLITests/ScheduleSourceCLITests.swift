import Foundation
import TestSupport
import Testing

/// Where each curve's learning rates come from: `--schedule`, a `LOG.schedule` sidecar, or the log,
/// with the log checked against any spec given.
@Suite struct ScheduleSourceCLITests {
    static let cosineSpec = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"

    /// Copies the bundled cosine run into `directory` and returns the copy's path.
    private func copyOfCosineRun(in directory: URL) throws -> String {
        let copy = directory.appendingPathComponent("cosine_20000.csv")
        try FileManager.default.copyItem(at: BundledLogs.url("cosine_20000"), to: copy)
        return copy.path
    }

    /// Whether two specs name the same family and items, in any order (FIT.json keeps a canonical order).
    private func sameSpec(_ recorded: String?, _ given: String) -> Bool {
        func items(_ spec: String) -> Set<Substring> { Set(spec.split(whereSeparator: { $0 == ":" || $0 == "," })) }
        return recorded.map { items($0) == items(given) } ?? false
    }

    private func learningRateSources(inFit path: String) throws -> [String: [String: Any]] {
        let fit = try jsonObject(contentsOf: URL(fileURLWithPath: path))
        let curves = try #require(fit["curves"] as? [[String: Any]])
        var sources: [String: [String: Any]] = [:]
        for curve in curves {
            sources[try #require(curve["name"] as? String)] = try #require(curve["learningRateSource"] as? [String: Any])
        }
        return sources
    }

    @Test func aSidecarGivesTheCurveItsExactSchedule() throws {
        try withTemporaryDirectory { directory in
            let log = try copyOfCosineRun(in: directory)
            try "# the bundled run's schedule (data/README.md)\n\(Self.cosineSpec)\n".write(toFile: log + ".schedule", atomically: true, encoding: .utf8)
            let constant = try BundledLogs.paths(["constant_20000"])[0]
            let fitPath = directory.appendingPathComponent("fit.json").path
            let output = try runSucceeding(["fit", "-o", fitPath, log, constant])
            // The note names the sidecar; which curve gets which schedule is tested in-process (CurveLoadingTests).
            #expect(output.stderr.contains("\(log): schedule cosine:") && output.stderr.contains("from \(log).schedule"), "\(output.stderr)")
            let exact = try #require(try learningRateSources(inFit: fitPath)["cosine_20000"]?["schedule"] as? [String: Any])
            #expect(sameSpec(exact["spec"] as? String, Self.cosineSpec))
        }
    }

    @Test func theCommandLineSpecWinsOverTheSidecar() throws {
        try withTemporaryDirectory { directory in
            let log = try copyOfCosineRun(in: directory)
            try "linear:peak=0.6,end=0,warmup=200,total=20000\n".write(toFile: log + ".schedule", atomically: true, encoding: .utf8)
            let fitPath = directory.appendingPathComponent("fit.json").path
            let output = try runSucceeding(["fit", "-o", fitPath, "--schedule", Self.cosineSpec, log])
            #expect(output.stderr.contains("\(log): --schedule cosine:") && output.stderr.contains("the sidecar \(log).schedule is not used"), "\(output.stderr)")
        }
    }

    @Test func aSidecarThatDoesNotParseIsAnErrorNamingFileAndLine() throws {
        try withTemporaryDirectory { directory in
            let log = try copyOfCosineRun(in: directory)
            try "# typo below\ncosine:peak=0.6,ends=0.06,total=20000\n".write(toFile: log + ".schedule", atomically: true, encoding: .utf8)
            let output = try CLIRunner.run(["fit", log])
            #expect(output.status != 0)
            let errors = errorLines(output)
            #expect(errors.count == 1, "stderr: \(output.stderr)")
            #expect(output.stderr.contains("cosine_20000.csv.schedule:2: cosine schedules take no \"ends\""), "stderr: \(output.stderr)")
        }
    }

    @Test func aSpecTheLoggedRatesContradictIsAnErrorNamingTheStep() throws {
        // The run decays by cosine; a linear spec with the same ends differs most mid-decay.
        try withTemporaryDirectory { directory in
            let log = try copyOfCosineRun(in: directory)
            let output = try CLIRunner.run(["fit", "--schedule", "linear:peak=0.6,end=0.06,warmup=200,total=20000", log])
            #expect(output.status != 0)
            #expect(errorLines(output).count == 1, "stderr: \(output.stderr)")
            #expect(output.stderr.contains("the logged learning rate"), "stderr: \(output.stderr)")
            #expect(output.stderr.contains("at step 500 "), "stderr: \(output.stderr)")
        }
    }
}
