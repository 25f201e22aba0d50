import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import TrainingLogs

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what lossfit reads from logs: format, every series with counts and step ranges, the chosen loss and learning-rate series, rows skipped and why, repeated steps, restarts and gaps.",
        discussion: "Shows each log as read, before --from-step/--to-step and --smooth apply.")

    @OptionGroup var logs: LogOptions

    @Flag(help: "Print a JSON list with one object per LOG instead of tables.")
    var json = false

    @Argument(help: ArgumentHelp("Logs to inspect: files of any format, or TensorBoard run directories.", valueName: "LOG"))
    var paths: [String]

    func run() throws {
        let inspections = try paths.map { try TrainingLogReader.inspect($0, options: logs.readOptions) }
        if json {
            print(try JSONCoding.string(inspections.map(InspectionReport.init)))
        } else {
            print(inspections.map(Self.text).joined(separator: "\n\n"))
        }
    }

    private static func text(_ inspection: LogInspection) -> String {
        var lines = ["\(inspection.source): \(inspection.format.displayName)"]
        var table = TextTable(headers: ["series", "role", "points", "non-finite", "not numbers", "steps"],
                              alignments: [.left, .left, .right, .right, .right, .left])
        for series in inspection.series {
            table.append([(series.run.map { "\($0): " } ?? "") + series.name, role(of: series, in: inspection.logs) ?? "",
                          "\(series.count)", "\(series.nonFiniteCount)", "\(series.nonNumericCount)", stepRange(series.firstStep, series.lastStep)])
        }
        if !inspection.series.isEmpty { lines.append(table.render()) }
        for log in inspection.logs {
            lines.append(contentsOf: curveLines(log))
        }
        if let problem = inspection.problem {
            lines.append("no curve: \(problem)")
        }
        return lines.joined(separator: "\n")
    }

    private static func curveLines(_ log: TrainingLog) -> [String] {
        var head = "curve \(log.name): loss \"\(log.lossColumn)\", \(log.loss.count) points, steps \(stepRange(log.loss.steps.first, log.loss.steps.last))"
        if let column = log.learningRateColumn, let rates = log.learningRate {
            head += "; learning rate \"\(column)\", \(rates.count) points"
        } else {
            head += "; no learning rate (give --schedule or --lr-key)"
        }
        head += "; steps from \"\(log.stepColumn)\""
        var lines = [head]
        for skipped in log.skipped { lines.append("  skipped: \(skipped)") }
        let gaps = log.loss.gaps()
        lines.append("  repeated steps: \(log.replacedSteps == 0 ? "none" : "\(log.replacedSteps), later value kept")"
                     + "   restarts: \(list(log.restarts.map(\.description)))"
                     + "   gaps: \(list(gaps.map(\.description)))")
        for note in log.notes { lines.append("  \(note.isWarning ? "warning" : "note"): \(note)") }
        return lines
    }

    private static func list(_ items: [String]) -> String {
        if items.isEmpty { return "none" }
        let shown = items.prefix(5).joined(separator: ", ")
        return items.count > 5 ? "\(shown), … (\(items.count) in all)" : shown
    }

    static func stepRange(_ first: Int?, _ last: Int?) -> String {
        guard let first, let last else { return "" }
        return first == last ? "\(first)" : "\(first)–\(last)"
    }

    /// What a series is used as by the curve of its run: loss, learning rate or step.
    static func role(of series: SeriesSummary, in logs: [TrainingLog]) -> String? {
        for log in logs where series.run == nil || series.run == log.name {
            if series.name == log.lossColumn { return "loss" }
            if series.name == log.learningRateColumn { return "learning rate" }
            if series.name == log.stepColumn { return "step" }
        }
        return nil
    }
}

/// `inspect --json`: one object per log.
struct InspectionReport: Encodable {
    struct Series: Encodable {
        var name: String
        var run: String?
        var role: String?
        var points: Int
        var nonFinite: Int
        var notNumbers: Int
        var firstStep: Int?
        var lastStep: Int?
    }

    struct Curve: Encodable {
        var name: String
        var stepKey: String
        var lossKey: String
        var learningRateKey: String?
        var lossPoints: Int
        var firstStep: Int?
        var lastStep: Int?
        var learningRatePoints: Int?
        var skipped: [Skipped]
        var replacedSteps: Int
        var restarts: [Restart]
        var gaps: [Gap]
        var warnings: [String]
        var notes: [String]
    }

    struct Skipped: Encodable {
        var reason: String
        var count: Int
        var firstAt: String
    }

    struct Restart: Encodable {
        var fromStep: Int
        var toStep: Int
        var at: String
    }

    struct Gap: Encodable {
        var fromStep: Int
        var toStep: Int
    }

    var source: String
    var format: String
    var formatName: String
    var series: [Series]
    var curves: [Curve]
    var problem: String?

    init(_ inspection: LogInspection) {
        source = inspection.source
        format = inspection.format.rawValue
        formatName = inspection.format.displayName
        series = inspection.series.map {
            Series(name: $0.name, run: $0.run, role: Inspect.role(of: $0, in: inspection.logs), points: $0.count,
                   nonFinite: $0.nonFiniteCount, notNumbers: $0.nonNumericCount, firstStep: $0.firstStep, lastStep: $0.lastStep)
        }
        curves = inspection.logs.map { log in
            Curve(name: log.name, stepKey: log.stepColumn, lossKey: log.lossColumn, learningRateKey: log.learningRateColumn,
                  lossPoints: log.loss.count, firstStep: log.loss.steps.first, lastStep: log.loss.steps.last,
                  learningRatePoints: log.learningRate?.count,
                  skipped: log.skipped.map { Skipped(reason: $0.reason, count: $0.count, firstAt: $0.firstLocation.description) },
                  replacedSteps: log.replacedSteps,
                  restarts: log.restarts.map { Restart(fromStep: $0.fromStep, toStep: $0.toStep, at: $0.location.description) },
                  gaps: log.loss.gaps().map { Gap(fromStep: $0.fromStep, toStep: $0.toStep) },
                  warnings: log.notes.filter(\.isWarning).map(\.description),
                  notes: log.notes.filter { !$0.isWarning }.map(\.description))
        }
        problem = inspection.problem?.description
    }
}
