import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank candidate schedules by predicted final loss, with the uncertainty of each difference.")

    @OptionGroup var fit: FitFileOption

    @OptionGroup var unidentified: UnidentifiedFitOption

    @Option(help: ArgumentHelp("Also report the loss at these steps (comma-separated).", valueName: "STEPS"))
    var at: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Also draw each schedule's predicted loss in the terminal.")
    var plot = false

    @Option(name: [.customLong("schedule"), .customLong("predict")], help: ArgumentHelp("A schedule to compare (repeatable), e.g. --schedule cosine:peak=3e-4,warmup=2k,total=24k --schedule wsd:peak=3e-4,warmup=2k,total=24k,decay=0.2; --predict SPEC is the same, as in predict and report.", valueName: "SPEC"))
    var givenSchedules: [String] = []

    @Argument(help: ArgumentHelp("Schedules to compare, as --schedule gives them (kept for scripts).", valueName: "SPEC"))
    var positionalSchedules: [String] = []

    /// The schedules to compare: those of --schedule (or --predict), then the positional ones.
    var specs: [String] { givenSchedules + positionalSchedules }

    func validate() throws {
        if specs.isEmpty { throw ValidationError("give the schedules to compare: --schedule SPEC, once for each") }
        if plot && json { throw ValidationError("--plot goes with the table; --json stays machine-readable") }
    }

    func run() throws {
        let result = try FitFile.read(fit.path)
        try unidentified.check(result, path: fit.path)
        let checkpoints = try at.map { try StepSelection.parse($0) } ?? []
        let comparison = try ScheduleComparison(result, specs: specs, checkpoints: checkpoints)
        if json {
            print(try JSONCoding.string(comparison, fitIdentification: result.identification))
            return
        }
        printTable(comparison, fit: result, checkpoints: checkpoints)
        for row in comparison.schedules { for warning in row.warnings { printNote("\(row.schedule): \(warning)") } }
        if plot {
            let forecasts = try comparison.schedules.map { try ScheduleForecast(result, spec: $0.schedule) }
            print("")
            print(TerminalChart(xAxis: PlotAxis("step"), yAxis: PlotAxis("predicted loss"), series: forecasts.enumerated().map { index, forecast in
                PlotSeries(name: "\(index + 1). \(forecast.spec)", x: forecast.points.map { Double($0.step) }, y: forecast.points.map(\.loss), style: .line, color: index)
            }).render())
        }
    }

    private func printTable(_ comparison: ScheduleComparison, fit result: FitResult, checkpoints: [Int]) {
        let rows = comparison.schedules
        let spread = result.committee != nil
        var table = TextTable(headers: ["rank", "schedule", "final step", "final loss", "95 % band"] + (spread ? ["spread"] : [])
                              + ["vs best", "settled?", "extrapolates"] + checkpoints.map { "loss@\($0)" })
        for (rank, row) in rows.enumerated() {
            var cells = ["\(rank + 1)", row.schedule, "\(row.finalStep)", NumberFormat.fixed(row.finalLoss.loss, decimals: 5)]
            cells.append(NumberFormat.band(row.finalLoss.band95))
            if spread { cells.append(row.finalLoss.modelSpread.map { NumberFormat.significant($0, digits: 2) } ?? "") }
            cells.append(row.differenceFromBest?.cellText ?? "best")
            cells.append(row.settled ? "yes" : "no")
            cells.append(row.finalLoss.extrapolation?.summary ?? "")
            for step in checkpoints {
                let point = row.checkpoints.first { $0.step == step }
                cells.append(point.map { NumberFormat.fixed($0.loss, decimals: 5) } ?? "—")
            }
            table.append(cells)
        }
        print(table.render())
        print("95 % band = \(BandText.contents(result)).")
        print(BandText.settledLegend(result))
        for line in BandText.branchAdvice(comparison.verdicts, names: rows.map(\.schedule)) { print(line) }
        if spread {
            for (member, rank) in comparison.memberFirsts(result) { printNote("\(member) alone puts rank \(rank + 1) first: \(rows[rank].schedule)") }
        }
        if let first = comparison.checkFirst { printNote("the ranking check puts rank \(first + 1) first: \(rows[first].schedule)") }
    }
}
