import Foundation
import TestSupport
import Testing

/// python/lossfit_fit.py evaluates FIT.json as `lossfit predict` does, to 1e-9 (relative) on every
/// schedule: every law kind, the committee's median, both warmup conventions, and the multi-power
/// drop by lossfit's own quadrature; with `exact=True` it sums the definition, within the
/// quadrature's error bound of lossfit.
@Suite struct PythonModuleTests {
    /// Schedules whose rate changes only at a few steps (no warmup): lossfit sums the multi-power
    /// drop exactly there.
    static let piecewiseConstant = [
        "two-stage:peak=0.6,total=20000,switch=12000,second=0.1",
        "multi-step:peak=0.6,total=24000,milestones=8000/14000/20000,factor=0.3",
        "constant:peak=0.45,total=15000",
    ]
    /// Smooth schedules, most with warmup: lossfit sums their multi-power drop by quadrature.
    static let smooth = [
        "cosine:peak=0.6,end=0.06,warmup=200,total=20000",
        "wsd:peak=0.6,end=0,warmup=200,total=24000,decay=0.2,shape=linear",
        "wsd:peak=0.6,end=0,warmup=200,total=30000,decay=0.2,shape=1-sqrt",
        "onecycle:peak=0.6,total=20000,rise=0.3",
        "constant:peak=0.45,warmup=500,total=15000",
        "linear:peak=0.6,end=0.006,warmup=300,total=16000",
    ]
    static let steps = [1, 150, 300, 5000, 12000, 14001, 15000, 20000, 24000, 27000, 30000]

    @Test(.enabled(if: NumpyPython.shouldRun)) func everyLawKindMatchesPredict() throws {
        let python = try #require(NumpyPython.python, "LOSSFIT_REQUIRE_NBFORMAT=1 but no python3 with numpy; install it: apt-get install -y python3-numpy")
        try withTemporaryDirectory { directory in
            let training = try BundledLogs.paths(BundledLogs.training)
            let fits = [
                ("committee", ["--no-baselines"]),
                ("exponential", ["--law", "exponential", "--no-baselines"]),
                ("annealing-peak", ["--law", "annealing", "--warmup", "peak", "--no-baselines", "--no-ranking-check"]),
                ("multi-power-peak", ["--law", "multi-power", "--warmup", "peak", "--no-baselines", "--no-ranking-check"]),
            ]
            for (name, flags) in fits {
                let path = directory.appendingPathComponent("\(name).json").path
                try runSucceeding(["fit", "-o", path] + flags + training)
            }
            // Points where the definition and lossfit's quadrature differ by more than 1e-9: there the
            // 1e-9 agreement above holds only because the module sums as lossfit does.
            var quadratureMatters = 0
            // A cosine logged every step with its rates printed to 3 digits: a staircase, one
            // monotone run to lossfit.
            let staircase = directory.appendingPathComponent("staircase.csv")
            let cosine = try Self.rates(Self.smooth[0])
            try (["step,lr"] + cosine.indices.map { "\($0),\(String(format: "%.3g", cosine[$0]))" }).joined(separator: "\n")
                .write(to: staircase, atomically: true, encoding: .utf8)
            for spec in Self.piecewiseConstant + Self.smooth + ["table:" + staircase.path] {
                let total = try spec.hasPrefix("table:") ? cosine.count - 1
                    : #require(spec.split(separator: ",").first { $0.hasPrefix("total=") }.flatMap { Int($0.dropFirst(6)) })
                let steps = Self.steps.filter { $0 <= total }
                let ratesPath = directory.appendingPathComponent("rates.csv")
                let rates = try Self.rates(spec)
                try rates.map { "\($0)" }.joined(separator: "\n").write(to: ratesPath, atomically: true, encoding: .utf8)
                for (name, _) in fits {
                    let fit = directory.appendingPathComponent("\(name).json").path
                    let predicted = try decodeJSON(MemberPrediction.self, from: try runSucceeding(
                        ["predict", "--fit", fit, "--schedule", spec, "--at", steps.map(String.init).joined(separator: ","), "--format", "json"]).stdout)
                    let script = """
                        import json, sys
                        import numpy as np
                        sys.path.insert(0, sys.argv[1])
                        import lossfit_fit
                        fit = lossfit_fit.load(sys.argv[2])
                        rates = np.loadtxt(sys.argv[3])
                        steps = [int(s) for s in sys.argv[4].split(",")]
                        print(json.dumps({"loss": fit.predict(rates, steps).tolist(),
                                          "members": fit.member_predictions(rates, steps).tolist(),
                                          "exactMembers": fit.member_predictions(rates, steps, exact=True).tolist(),
                                          "kinds": [law.kind for law in fit.members],
                                          "b": [law.parameters.get("b", 0) for law in fit.members]}))
                        """
                    let output = try CLIRunner.run(python, ["-c", script, SharedData.packageRoot.appendingPathComponent("python").path, fit,
                                                            ratesPath.path, steps.map(String.init).joined(separator: ",")], in: directory)
                    try #require(output.status == 0, "python failed: \(output.stderr)")
                    let ours = try decodeJSON(PythonPrediction.self, from: output.stdout)
                    try #require(predicted.points.map(\.step) == steps)
                    for (index, point) in predicted.points.enumerated() {
                        let memberLosses = point.memberLosses ?? [point.loss]
                        try #require(memberLosses.count == ours.members.count, "\(name): members")
                        // Σ|η_{k−1} − η_k| up to this step: the scale of lossfit's quadrature error bound.
                        let variation = (1...point.step).reduce(0.0) { $0 + abs(rates[$1 - 1] - rates[$1]) }
                        for (member, theirs) in memberLosses.enumerated() {
                            let mine = ours.members[member][index]
                            #expect(abs(mine / theirs - 1) <= 1e-9, "\(name) member \(member) at \(spec) step \(point.step): \(mine) vs \(theirs)")
                            // The definition: within lossfit's quadrature bound, 2e-5·B·Σ|Δη| in loss
                            // (2e-4 for rates rounded to 3 digits; MultiPowerLossDrop), and to rounding
                            // where lossfit sums exactly.
                            let exact = ours.exactMembers[member][index]
                            if Self.piecewiseConstant.contains(spec) || ours.kinds[member] != "multi-power" {
                                #expect(abs(exact / theirs - 1) <= 1e-9, "\(name) member \(member) exact at \(spec) step \(point.step): \(exact) vs \(theirs)")
                            } else {
                                let bound = spec.hasPrefix("table:") ? 2e-4 : 2e-5
                                #expect(abs(exact - theirs) <= bound * abs(ours.b[member]) * variation,
                                        "\(name) member \(member) exact at \(spec) step \(point.step): \(exact) vs \(theirs)")
                                if abs(exact / theirs - 1) > 1e-9 { quadratureMatters += 1 }
                            }
                        }
                        #expect(abs(ours.loss[index] / point.loss - 1) <= 1e-9, "\(name) at \(spec) step \(point.step): \(ours.loss[index]) vs \(point.loss)")
                    }
                }
            }
            #expect(quadratureMatters > 0)
        }
    }

    /// The per-step learning rates of `spec`, index = step, as `lossfit schedule` prints them.
    static func rates(_ spec: String) throws -> [Double] {
        let first = try runSucceeding(["schedule", spec, "--format", "csv", "--at", "0"]).stdout
        let rest = try runSucceeding(["schedule", spec, "--format", "csv", "--every", "1"]).stdout
        let rows = (first.split(separator: "\n").dropFirst() + rest.split(separator: "\n").dropFirst()).map { $0.split(separator: ",") }
        for (index, row) in rows.enumerated() { try #require(Int(row[0]) == index, "schedule rows out of order at \(index)") }
        return try rows.map { try #require(Double($0[1])) }
    }

    struct MemberPrediction: Decodable {
        struct Point: Decodable {
            var step: Int
            var loss: Double
            var memberLosses: [Double]?
        }

        var points: [Point]
    }

    struct PythonPrediction: Decodable {
        var loss: [Double]
        var members: [[Double]]
        var exactMembers: [[Double]]
        var kinds: [String]
        var b: [Double]
    }
}

/// A python3 with numpy, when there is one (required with LOSSFIT_REQUIRE_NBFORMAT=1, like nbformat).
enum NumpyPython {
    static let python: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") } + [URL(fileURLWithPath: "/usr/bin/python3")]
        return candidates.first { candidate in
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else { return false }
            return (try? CLIRunner.run(candidate, ["-c", "import numpy"], in: nil).status) == 0
        }
    }()

    static let shouldRun = python != nil || NBFormat.isRequired
}
