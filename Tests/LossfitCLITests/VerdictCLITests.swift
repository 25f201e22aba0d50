import Foundation
import Testing
import TestSupport

/// Bands users can trust (issue #18): the 95 % band of `predict` includes the law's error, the
/// verdicts of `compare` rest on each pair's calibrated interval, and every prediction names how far
/// it extrapolates.
@Suite struct VerdictCLITests {
    private static let training = ["constant_20000", "wsd_linear_20000"]

    struct Band: Decodable {
        var loss: Double
        var standardError: Double?
        var modelSpread: Double?
        var lawError: Double?
        var band95: [Double]
        var parameterBand95: [Double]?
        var bandIncludes: [String]
        struct Extrapolation: Decodable { var outside: Bool; var summary: String }
        var extrapolation: Extrapolation?
    }

    struct Comparison: Decodable {
        struct Row: Decodable {
            var schedule: String
            var finalStep: Int
            var finalLoss: Band
            var settled: Bool
        }
        struct Verdicts: Decodable {
            struct Pair: Decodable {
                var better: Int
                var worse: Int
                struct Difference: Decodable { var difference: Double; var interval95: [Double]; var settled: Bool }
                var difference: Difference
            }
            struct Branch: Decodable { var rank: Int; var fromStep: Int; var toStep: Int }
            var pairs: [Pair]
            var contenders: [Int]
            var branch: Branch?
        }
        var schedules: [Row]
        var verdicts: Verdicts
    }

    private static func fit(in directory: URL, _ names: [String] = training) throws -> String {
        let path = directory.appendingPathComponent("fit.json").path
        try runSucceeding(["fit", "--no-baselines", "-o", path] + BundledLogs.paths(names))
        return path
    }

    /// `predict --format csv` keeps lower95,upper95 as the full predictive band: the JSON's `band95`,
    /// wider than parameter noise alone by at least the law's error 1.96 · 0.25 % of the loss.
    @Test func theCSVBandIsThePredictiveBand() throws {
        try withTemporaryDirectory { directory in
            let fit = try Self.fit(in: directory)
            let schedule = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"
            struct Prediction: Decodable { var points: [Band] }
            let json = try decodeJSON(Prediction.self, from: runSucceeding(["predict", "--fit", fit, "--schedule", schedule, "--at", "5000,20000", "--format", "json"]).stdout)
            let csv = try runSucceeding(["predict", "--fit", fit, "--schedule", schedule, "--at", "5000,20000", "--format", "csv"]).stdout
            let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(rows.count == 2)
            for (row, point) in zip(rows, json.points) {
                #expect(point.bandIncludes == ["parameters (delta method)", "committee spread", "law error"])
                #expect(isClose(try #require(Double(row[4])), point.band95[0], relativeTolerance: 1e-12))
                #expect(isClose(try #require(Double(row[5])), point.band95[1], relativeTolerance: 1e-12))
                let parameters = try #require(point.parameterBand95)
                #expect(point.band95[0] < parameters[0] && point.band95[1] > parameters[1])
                #expect(point.band95[1] - point.loss >= 1.96 * 0.0025 * point.loss * (1 - 1e-12))
                #expect(isClose(try #require(point.lawError), 0.0025 * point.loss, relativeTolerance: 1e-12))
            }
            let table = try runSucceeding(["predict", "--fit", fit, "--schedule", schedule, "--at", "20000"]).stdout
            #expect(table.contains("95 % band = parameter noise (delta method), the committee's spread and the law's error (0.25 % of the loss, calibrated on held-out real runs)"))
        }
    }

    /// A schedule twice as long as every fitted run says so in its extrapolation; one inside the
    /// fitted runs says inside.
    @Test func everyPredictionNamesItsExtrapolation() throws {
        try withTemporaryDirectory { directory in
            let fit = try Self.fit(in: directory)
            struct Prediction: Decodable { var points: [Band] }
            let inside = try decodeJSON(Prediction.self, from: runSucceeding(
                ["predict", "--fit", fit, "--schedule", "constant:peak=0.6,warmup=200,total=20000", "--at", "10000,20000", "--format", "json"]).stdout)
            #expect(inside.points.map { $0.extrapolation?.outside } == [false, false])
            #expect(inside.points.map { $0.extrapolation?.summary } == ["inside", "inside"])
            let longer = try runSucceeding(["predict", "--fit", fit, "--schedule", "constant:peak=0.6,warmup=200,total=40000", "--at", "40000", "--format", "json"])
            let point = try #require(decodeJSON(Prediction.self, from: longer.stdout).points.first)
            #expect(point.extrapolation?.outside == true)
            #expect(point.extrapolation?.summary.hasPrefix("2.0× steps") == true)
            #expect(longer.stderr.contains("the prediction extrapolates: 2.0× the longest fitted run (20000 steps)"))
        }
    }

    /// `compare --json`: schedules best first, each with `finalLoss.loss` and `settled`; every pair
    /// judged on its own interval; a constant LR is settled behind the decays it was fitted beside.
    @Test func compareJSONKeepsItsContract() throws {
        try withTemporaryDirectory { directory in
            let fit = try Self.fit(in: directory)
            let specs = ["constant:peak=0.6,warmup=200,total=20000", "wsd:peak=0.6,warmup=200,total=20000,decay=4000,shape=linear,end=0.06",
                         "wsd:peak=0.6,warmup=200,total=20000,decay=4200,shape=linear,end=0.06"]
            let comparison = try decodeJSON(Comparison.self, from: runSucceeding(["compare", "--fit", fit, "--json"] + specs).stdout)
            let losses = comparison.schedules.map(\.finalLoss.loss)
            #expect(losses == losses.sorted())
            #expect(comparison.schedules.last?.schedule.hasPrefix("constant:") == true)
            #expect(comparison.schedules.last?.settled == true)
            #expect(comparison.verdicts.pairs.map { [$0.better, $0.worse] } == [[0, 1], [0, 2], [1, 2]])
            for pair in comparison.verdicts.pairs {
                let interval = pair.difference.interval95
                #expect(pair.difference.settled == !(interval[0] <= 0 && 0 <= interval[1]))
            }
            // Two cooldowns 200 steps apart are not told apart: both contend for first place, and the
            // suggested branch leaves the other schedule where its cooldown starts.
            #expect(comparison.verdicts.contenders == [0, 1])
            #expect(comparison.schedules[0].settled == false && comparison.schedules[1].settled == false)
            let branch = try #require(comparison.verdicts.branch)
            #expect([0, 1].contains(branch.rank) && branch.toStep == 20000)
            #expect(branch.fromStep == 15800, "the 4200-step cooldown leaves the peak after step 15800, the last step the two share")
            let table = try runSucceeding(["compare", "--fit", fit] + specs).stdout
            #expect(table.contains("not settled: ranks 1, 2 could each be best"))
            #expect(table.contains("from the checkpoint at step 15800 to step 20000"))
        }
    }

    /// The practitioner's case of issue #18: fit the 124M constant run cut at 25k plus its 20 %
    /// cooldown (peak 2e-3), then rank six linear cooldowns of a 35k-step run. The real runs rank them
    /// 60 % < 80 % < 90 % < 40 % < 20 % < 10 %. The real best must come first, or the first options be
    /// marked not settled with a branch suggestion among the real top three; no settled order may be wrong.
    @Test(.enabled(if: SharedData.shouldRun)) func theThirtyFiveThousandStepCooldownsAreNotSettledWrongly() throws {
        try withTemporaryDirectory { directory in
            let base = SharedData.url("epfl124m").path
            let fit = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--no-baselines", "--from-step", "2000", "--to-step", "25000", "-o", fit,
                               "\(base)/lr2e-3_constant_50000.csv", "\(base)/lr2e-3_wsd_linear_0.2_25000.csv"])
            let fractions = ["0.1", "0.2", "0.4", "0.6", "0.8", "0.9"]
            var measured: [Int: Double] = [:]
            for fraction in fractions {
                let text = try String(contentsOfFile: "\(base)/lr2e-3_wsd_linear_\(fraction)_35000.csv", encoding: .utf8)
                let last = try #require(text.split(separator: "\n").last?.split(separator: ","))
                measured[Int((Double(fraction)! * 35000).rounded())] = try #require(Double(last[2]))
            }
            let specs = fractions.map { "wsd:peak=2e-3,warmup=300,start=2e-5,total=35000,decay=\($0)" }
            let comparison = try decodeJSON(Comparison.self, from: runSucceeding(["compare", "--fit", fit, "--json"] + specs).stdout)
            let decays = try comparison.schedules.map { row -> Int in
                let field = try #require(row.schedule.split(separator: ",").first { $0.hasPrefix("decay=") })
                return try #require(Int(field.dropFirst("decay=".count)))
            }
            let realOrder = measured.keys.sorted { measured[$0]! < measured[$1]! }
            if decays[0] != realOrder[0] {
                #expect(comparison.schedules[0].settled == false)
                let branch = try #require(comparison.verdicts.branch)
                #expect(realOrder.prefix(3).contains(decays[branch.rank]), "suggested decay \(decays[branch.rank]) steps")
            }
            for pair in comparison.verdicts.pairs where pair.difference.settled {
                let better = decays[pair.better], worse = decays[pair.worse]
                #expect(measured[better]! < measured[worse]!, "settled \(better) before \(worse), measured the other way")
            }
        }
    }
}
