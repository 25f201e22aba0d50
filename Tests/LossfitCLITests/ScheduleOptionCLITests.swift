import Foundation
import TestSupport
import Testing

/// Schedules to predict are given one way in every command (#18): `--schedule`, repeatable, in
/// predict and compare, and `--predict` as its other name there as in report and export-notebook.
@Suite struct ScheduleOptionCLITests {
    static let fit = FitSourceCLITests.fixtureFit
    /// A cosine and a WSD cooling down to 0, below the lowest fitted LR (0.06): the second extrapolates.
    static let specs = ["cosine:peak=0.6,end=0.06,warmup=200,total=20000", "wsd:peak=0.6,warmup=200,total=20000,decay=4000,shape=1-sqrt"]
    static let selection = ["--every", "4000"]

    static func predict(_ schedules: [String], option: String = "--schedule", format: String) throws -> CLIRunner.Output {
        try runSucceeding(["predict", "--fit", fit] + schedules.flatMap { [option, $0] } + selection + ["--format", format])
    }

    /// The spec a single prediction names its schedule by (the tool's normal form of it).
    static func normalSpec(_ spec: String) throws -> String {
        try #require(try jsonObject(try predict([spec], format: "json").stdout)["schedule"] as? String)
    }

    /// JSON text with its keys sorted, so that two documents compare as text.
    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The table of several schedules is each one's table, in the order given, a blank line between.
    @Test func severalSchedulesTableIsEachOnesTable() throws {
        let singles = try Self.specs.map { try Self.predict([$0], format: "table") }
        let several = try Self.predict(Self.specs, format: "table")
        #expect(several.stdout == singles.map(\.stdout).joined(separator: "\n"), "\(several.stdout)")
        #expect(several.stdout.components(separatedBy: "Predicted loss under the fitted").count == 3)
    }

    /// With --plot, the sections come first, then one chart with a line for each schedule.
    @Test func severalSchedulesShareOneChart() throws {
        let tables = try Self.predict(Self.specs, format: "table").stdout
        let arguments = ["predict", "--fit", Self.fit] + Self.specs.flatMap { ["--schedule", $0] } + Self.selection + ["--plot"]
        let plotted = try runSucceeding(arguments).stdout
        #expect(plotted.hasPrefix(tables + "\n"), "\(plotted)")
        let chart = plotted.dropFirst(tables.count)
        #expect(chart.components(separatedBy: "predicted loss").count == 2, "one chart: \(chart)")
        for spec in try Self.specs.map(Self.normalSpec) {
            #expect(chart.split(separator: "\n").contains { $0.hasSuffix(" " + spec) }, "no legend line for \(spec): \(chart)")
        }
    }

    /// CSV: a leading schedule column (the spec, quoted: it holds commas), then exactly the rows of
    /// the separate calls.
    @Test func severalSchedulesCSVGainsAScheduleColumn() throws {
        let singles = try Self.specs.map { try Self.predict([$0], format: "csv").stdout.split(separator: "\n").map(String.init) }
        let lines = try Self.predict(Self.specs, format: "csv").stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "schedule," + singles[0][0], "\(lines.first ?? "")")
        var expected: [String] = []
        for (spec, single) in zip(Self.specs, singles) {
            #expect(single.count == 6, "5 steps and a header: \(single)")
            let quoted = "\"" + (try Self.normalSpec(spec)) + "\","
            expected += single.dropFirst().map { quoted + $0 }
        }
        #expect(Array(lines.dropFirst()) == expected)
    }

    /// JSON: an array of the objects the separate calls print, in the order given.
    @Test func severalSchedulesJSONIsAnArrayOfEachOnesObject() throws {
        let singles = try Self.specs.map { try jsonObject(try Self.predict([$0], format: "json").stdout) }
        let array = try #require(try JSONSerialization.jsonObject(with: Data(try Self.predict(Self.specs, format: "json").stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        for (element, single) in zip(array, singles) {
            #expect(try Self.canonical(element) == Self.canonical(single))
            #expect(Set(["schedule", "law", "points", "fitIdentification"]).isSubset(of: element.keys), "\(element.keys)")
        }
    }

    /// With several schedules each note names the schedule it is about; with one it reads as before.
    @Test func notesNameTheirSchedule() throws {
        let wsd = try Self.normalSpec(Self.specs[1])
        let single = try Self.predict([Self.specs[1]], format: "csv")
        #expect(single.stderr.hasPrefix("note: the prediction extrapolates: LR down to 0"), "\(single.stderr)")
        let several = try Self.predict(Self.specs, format: "csv")
        #expect(several.stderr == single.stderr.replacingOccurrences(of: "note: ", with: "note: \(wsd): "), "\(several.stderr)")
    }

    /// `--predict` is `--schedule` in predict, in every format.
    @Test(arguments: ["table", "csv", "json"])
    func predictTakesPredict(_ format: String) throws {
        let schedule = try Self.predict(Self.specs, format: format)
        let predict = try Self.predict(Self.specs, option: "--predict", format: format)
        #expect(predict.stdout == schedule.stdout && !schedule.stdout.isEmpty)
        #expect(predict.stderr == schedule.stderr)
    }

    /// `--predict` is `--schedule` in compare, and mixes with it and the positional SPECs.
    @Test func compareTakesPredict() throws {
        let base = ["compare", "--fit", Self.fit]
        for output in [[], ["--json"]] {
            let schedule = try runSucceeding(base + output + Self.specs.flatMap { ["--schedule", $0] })
            let predict = try runSucceeding(base + output + Self.specs.flatMap { ["--predict", $0] })
            let mixed = try runSucceeding(base + output + ["--predict", Self.specs[0], Self.specs[1]])
            #expect(predict.stdout == schedule.stdout && mixed.stdout == schedule.stdout && schedule.stdout.contains("cosine"))
        }
    }

    /// predict without a schedule says how to give one.
    @Test func predictWithoutAScheduleIsAnError() throws {
        let output = try CLIRunner.run(["predict", "--fit", Self.fit])
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains("--schedule SPEC"), "\(output.stderr)")
    }
}
