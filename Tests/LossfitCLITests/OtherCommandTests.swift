import Foundation
import TestSupport
import Testing

/// `demo`, `bench`, `simulate` and the root help.
@Suite struct OtherCommandTests {
    /// `demo` in a temporary copy of the package's data/, so nothing is written into the repository.
    @Test func demoRunsEverySection() throws {
        let names = BundledLogs.demoInputs
        let sources = try BundledLogs.paths(names)
        try withTemporaryDirectory { directory in
            let data = directory.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            for (name, source) in zip(names, sources) {
                try FileManager.default.copyItem(atPath: source, toPath: data.appendingPathComponent("\(name).csv").path)
            }
            let output = try runSucceeding(["demo"], in: directory)
            let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let sections = ["1. Fit the committee of laws (the default fit) to 3 runs", "2. Predict 5 runs the fit never saw", "3. Predict schedules nobody ran",
                            "4. Fit learning-rate and batch-size laws to the simulated sweep", "5. Recommend the peak LR and batch size"]
            let positions = try sections.map { heading in
                try #require(lines.firstIndex { $0.hasPrefix(heading) }, "no section \"\(heading)\" in\n\(output.stdout)")
            }
            #expect(positions == positions.sorted(), "the sections come in order")
            #expect(output.stdout.contains("wrote demo-fit.json"))

            // The fit file lands in the working directory.
            let fitURL = directory.appendingPathComponent("demo-fit.json")
            let fit = try jsonObject(contentsOf: fitURL)
            #expect(fit["law"] as? String == "annealing", "the committee's first member")
            #expect((fit["committee"] as? [String: Any])?["members"] != nil)
            #expect((fit["curves"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == BundledLogs.training)

            // Section 2 scores every unseen run; section 3 ranks 7 schedules best first, each with its
            // band, its gap to the best and whether that order is settled.
            let rows = tableRows(output.stdout)
            for name in BundledLogs.unseen { #expect(rows.contains { $0.first == name }, "no row for \(name)") }
            let ranked = lines[positions[2]..<positions[3]].map { $0.split(separator: " ").map(String.init) }
                .filter { $0.count == 6 && $0[4] == "%" && $0[0].contains(":") }
            #expect(ranked.count == 7, "\(ranked)")
            let losses = ranked.compactMap { Double($0[1]) }
            #expect(losses.count == 7 && losses == losses.sorted(), "\(losses)")
            #expect(ranked.first?[3] == "+0.00")
            #expect(ranked.allSatisfy { ["yes", "no"].contains($0[5]) })
            #expect(ranked.last?[0].hasPrefix("constant:") == true && ranked.last?[5] == "yes", "a constant LR is settled behind the decays")

            // Section 4 fits the sweep's 12 groups and writes the laws; section 5 recommends what
            // recommend --law says for the same size.
            #expect(output.stdout.contains("in 12 (N, D) groups"))
            #expect(output.stdout.contains("wrote demo-sweep-law.json"))
            let recommended = try decodeJSON(RecommendationJSON.self, from: try runSucceeding(
                ["recommend", "--law", "demo-sweep-law.json", "--params", "4000", "--tokens", "262144", "--json"], in: directory).stdout)
            let printed = try #require(lines[positions[4]...].first { $0.hasPrefix("peak learning rate") })
            let printedRate = try #require(Double(printed.split(separator: " ").map(String.init)[3]))
            #expect(abs(printedRate / recommended.learningRate - 1) <= 5e-3, "demo printed \(printed), recommend says \(recommended.learningRate)")

            // The same fit, evaluated by the evaluate command, agrees with the printed mean.
            let evaluation = try decodeJSON(EvaluationJSON.self, from: try runSucceeding(
                ["evaluate", "--fit", fitURL.path, "--json"] + BundledLogs.unseen.map { "data/\($0).csv" },
                in: directory).stdout)
            let mean = try #require(rows.last { $0.first == "mean" && $0.count >= 3 })
            let r2 = try #require(Double(mean[2]))
            #expect(abs(r2 - evaluation.mean.r2) <= 5e-6, "demo mean R² \(r2) vs evaluate \(evaluation.mean.r2)")
        }
    }

    @Test func benchJSON() throws {
        let output = try runSucceeding(["bench", "--json", "--runs", "1", "--filter", "areas"], in: SharedData.packageRoot)
        let value = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        let results = try #require(value as? [[String: Any]], "not a list of objects: \(output.stdout)")
        #expect(!results.isEmpty)
        for result in results {
            let name = try #require(result["name"] as? String)
            #expect(name.localizedCaseInsensitiveContains("areas"), "--filter areas ran \(name)")
            let median = try #require(result["medianSeconds"] as? Double)
            #expect(median > 0 && median.isFinite)
            if let minimum = result["minSeconds"] as? Double, let maximum = result["maxSeconds"] as? Double {
                #expect(minimum <= median && median <= maximum)
            }
            #expect(result["runs"] as? Int == 1)
        }
    }

    @Test func simulateSmallRunIsDeterministic() throws {
        let arguments = ["simulate", "--constant", "0.5", "--steps", "300", "--dimension", "100", "--seed", "3", "--log-every", "50"]
        let first = try runSucceeding(arguments)
        let second = try runSucceeding(arguments)
        #expect(first.stdout == second.stdout, "the same seed gives the same log")
        let lines = first.stdout.split(separator: "\n")
        #expect(lines.first == "step,lr,loss,train_loss,grad_norm")
        #expect(lines.count == 7)
        let table = try LogTable(csv: first.stdout)
        #expect(table.steps == [50, 100, 150, 200, 250, 300])
        for rate in table.learningRates { #expect(isClose(rate, 0.5, relativeTolerance: 1e-15)) }
        #expect(table.losses.allSatisfy { $0.isFinite && $0 > 0 })
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",")
            #expect(fields.count == 5 && fields.allSatisfy { Double($0) != nil }, "\(line)")
        }

        // A different seed gives a different run; -o writes the same CSV to a file.
        let other = try runSucceeding(["simulate", "--constant", "0.5", "--steps", "300", "--dimension", "100", "--seed", "4", "--log-every", "50"])
        #expect(other.stdout != first.stdout)
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("sim.csv")
            try runSucceeding(arguments + ["-o", file.path])
            #expect(try String(contentsOf: file, encoding: .utf8) == first.stdout)
        }
    }

    /// `--lr-table` reads the same step,lr table as `--schedule table:FILE` (rows may skip steps; the
    /// LR is linear between them) and runs the same training.
    @Test func simulateLrTableIsTheScheduleTable() throws {
        try withTemporaryDirectory { directory in
            let table = directory.appendingPathComponent("rates.csv")
            try "step,lr\n0,0.2\n50,0.5\n300,0.05\n".write(to: table, atomically: true, encoding: .utf8)
            let common = ["--dimension", "100", "--seed", "3", "--log-every", "50"]
            let fromTable = try runSucceeding(["simulate", "--lr-table", table.path] + common)
            let fromSchedule = try runSucceeding(["simulate", "--schedule", "table:" + table.path] + common)
            #expect(fromTable.stdout == fromSchedule.stdout)
            let log = try LogTable(csv: fromTable.stdout)
            #expect(log.steps == [50, 100, 150, 200, 250, 300])
            // Step 200 lies 150/250 of the way from 0.5 at step 50 to 0.05 at step 300.
            #expect(isClose(log.learningRates[3], 0.5 + (0.05 - 0.5) * 150.0 / 250.0, relativeTolerance: 1e-12))

            try "step,lr\n0,0.2\n50,abc\n".write(to: table, atomically: true, encoding: .utf8)
            let bad = try CLIRunner.run(["simulate", "--lr-table", table.path] + common)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("\(table.path):3"), "\(bad.stderr)")
        }
    }

    /// `--version` prints the version FIT.json records as `writtenBy`.
    @Test func versionIsTheOneFilesRecord() throws {
        let output = try runSucceeding(["--version"])
        try withTemporaryDirectory { directory in
            let fitPath = directory.appendingPathComponent("fit.json").path
            try runSucceeding(["fit", "--law", "annealing", "--no-baselines", "--no-ranking-check", "-o", fitPath] + BundledLogs.paths(["constant_20000", "wsd_linear_20000"]))
            let written = try #require(try jsonObject(contentsOf: URL(fileURLWithPath: fitPath))["writtenBy"] as? String)
            #expect(output.stdout == written + "\n")
        }
    }

    @Test func rootHelpListsTheSubcommands() throws {
        let output = try runSucceeding(["--help"])
        let text = output.stdout + output.stderr
        let section = try #require(text.range(of: "SUBCOMMANDS:"), "no SUBCOMMANDS section in\n\(text)")
        let listed = Set(text[section.upperBound...].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), let word = line.split(separator: " ").first else { return nil }
            return String(word)
        })
        for command in ["demo", "fit", "evaluate", "predict", "schedule", "simulate", "bench", "evidence"] {
            #expect(listed.contains(command), "\(command) missing from\n\(text)")
        }
    }
}
