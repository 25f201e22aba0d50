import ArgumentParser
import Foundation
import LossFitReports
import ScalingLaws

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank candidate schedules by predicted final loss, with the uncertainty of each difference.")

    @OptionGroup var fit: FitFileOption

    @Option(help: ArgumentHelp("Also report the loss at these steps (comma-separated).", valueName: "STEPS"))
    var at: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Also draw each schedule's predicted loss in the terminal.")
    var plot = false

    @Argument(help: ArgumentHelp("Schedules to compare.", valueName: "SPEC"))
    var specs: [String]

    func validate() throws {
        if plot && json { throw ValidationError("--plot goes with the table; --json stays machine-readable") }
    }

    func run() throws {
        let result = try FitFile.read(fit.path)
        let schedules = try specs.map { spec throws(ScheduleError) in try Schedule(spec: spec) }
        let checkpoints = try at.map { try StepSelection.parse($0) } ?? []
        var rows: [ComparedSchedule] = []
        for schedule in schedules {
            let rates = schedule.learningRates()
            let final = result.predict(learningRates: rates, at: [schedule.totalSteps])[0]
            let atCheckpoints = checkpoints.filter { $0 <= schedule.totalSteps }
            rows.append(ComparedSchedule(
                schedule: schedule.spec, finalStep: schedule.totalSteps, finalLoss: final,
                checkpoints: result.predict(learningRates: rates, at: atCheckpoints), differenceFromBest: nil,
                checkFinalLoss: result.rankingCheck?.law.predictLoss(learningRates: rates, at: [schedule.totalSteps])[0],
                warnings: result.extrapolationWarnings(learningRates: rates)))
        }
        let order = rows.indices.sorted { rows[$0].finalLoss.loss < rows[$1].finalLoss.loss }
        rows = order.map { rows[$0] }
        let bestRates = try Schedule(spec: rows[0].schedule).learningRates()
        for index in rows.indices.dropFirst() {
            let rates = try Schedule(spec: rows[index].schedule).learningRates()
            rows[index].differenceFromBest = result.difference(rates, at: rows[index].finalStep, minus: bestRates, at: rows[0].finalStep)
        }
        if json {
            print(try JSONOutput.string(ComparisonReport(law: result.law, schedules: rows)))
            return
        }
        let bootstrap = result.bootstrap != nil
        let checked = result.rankingCheck != nil
        var table = TextTable(headers: ["rank", "schedule", "final step", "final loss", bootstrap ? "95 % band" : "± (95 %)", "vs best", "sure?"]
                              + (checked ? ["settled?"] : []) + checkpoints.map { "loss@\($0)" })
        for (rank, row) in rows.enumerated() {
            var cells = ["\(rank + 1)", row.schedule, "\(row.finalStep)", NumberFormat.fixed(row.finalLoss.loss, decimals: 5)]
            if let band = row.finalLoss.bootstrapBand95 {
                cells.append(NumberFormat.fixed(band.lowerBound, decimals: 4) + "–" + NumberFormat.fixed(band.upperBound, decimals: 4))
            } else {
                cells.append(row.finalLoss.standardError.map { NumberFormat.significant(1.96 * $0, digits: 2) } ?? "")
            }
            if let difference = row.differenceFromBest {
                cells.append("+" + NumberFormat.significant(difference.difference, digits: 3) + difference.uncertaintyText)
                cells.append(difference.isSignificant ? "yes" : "no")
                if checked { cells.append(difference.isSettled == true ? "yes" : "no") }
            } else {
                cells += ["best", ""] + (checked ? [""] : [])
            }
            for step in checkpoints {
                let point = row.checkpoints.first { $0.step == step }
                cells.append(point.map { NumberFormat.fixed($0.loss, decimals: 5) } ?? "—")
            }
            table.append(cells)
        }
        print(table.render())
        if let sample = result.bootstrap {
            print("sure? = the 95 % band of the difference from the best, over the fit's \(sample.replicates.count) bootstrap replicates, excludes 0 (differences share the fit's errors, so they are surer than the losses).")
        } else {
            print("sure? = the difference from the best exceeds its 95 % uncertainty (parameter covariance, delta method; differences share the fit's errors, so they are surer than the losses). `fit --bootstrap 200` gives bands that also allow for correlated residuals.")
        }
        if let check = result.rankingCheck {
            print(RankingCheckText.legend(check))
            if let first = rows.indices.min(by: { (rows[$0].checkFinalLoss ?? .infinity) < (rows[$1].checkFinalLoss ?? .infinity) }), first != 0 {
                printNote("the ranking check puts rank \(first + 1) first: \(rows[first].schedule)")
            }
        }
        for row in rows { for warning in row.warnings { printNote("\(row.schedule): \(warning)") } }
        if plot {
            let forecasts = try rows.map { try ScheduleForecasting.forecast(result, spec: $0.schedule) }
            print("")
            print(TerminalChart(xAxis: PlotAxis("step"), yAxis: PlotAxis("predicted loss"), series: forecasts.enumerated().map { index, forecast in
                PlotSeries(name: "\(index + 1). \(forecast.spec)", x: forecast.points.map { Double($0.step) }, y: forecast.points.map(\.loss), style: .line, color: index)
            }).render())
        }
    }
}

struct ComparedSchedule: Encodable {
    var schedule: String
    var finalStep: Int
    var finalLoss: PredictedLoss
    var checkpoints: [PredictedLoss]
    var differenceFromBest: PredictedDifference?
    /// The final loss under the fit's ranking check, when it has one.
    var checkFinalLoss: Double?
    var warnings: [String]
}

struct ComparisonReport: Encodable {
    var law: String
    var schedules: [ComparedSchedule]
}
