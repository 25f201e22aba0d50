import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the loss of learning-rate schedules under a fitted law.",
        discussion: """
            Give --schedule once for each schedule to predict (--predict is the same option, as in compare, report and \
            export-notebook). With several, each is predicted at the same selection of steps (--at, --every), in the order given: \
            the table has one section per schedule (with --plot, one chart of them all after the sections), CSV gains a leading \
            schedule column (the spec, quoted), and JSON is an array of the objects one schedule prints.
            Examples:
              lossfit predict --fit fit.json --schedule wsd:peak=0.6,warmup=200,total=20k,decay=0.2 --every 4000
              lossfit predict --fit fit.json --schedule cosine:peak=0.6,total=20k --schedule linear:peak=0.6,total=20k --format csv
            """)

    @OptionGroup var fit: FitFileOption

    @OptionGroup var unidentified: UnidentifiedFitOption

    @Option(name: [.customLong("schedule"), .customLong("predict")], help: ArgumentHelp(
        "A schedule to predict (repeatable), e.g. wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2,shape=1-sqrt,end=3e-5.", valueName: "SPEC"))
    var schedules: [String] = []

    @OptionGroup var selection: StepSelection

    @Option(help: "Output format.")
    var format: OutputFormat = .table

    @Flag(help: "Also draw the predicted loss in the terminal (with the table format).")
    var plot = false

    func validate() throws {
        if schedules.isEmpty { throw ValidationError("give the schedule to predict: --schedule SPEC, once for each") }
        if plot && format != .table { throw ValidationError("--plot goes with --format table; CSV and JSON stay machine-readable") }
    }

    func run() throws {
        let result = try FitFile.read(fit.path)
        try unidentified.check(result, path: fit.path)
        let predictions = try schedules.map { spec in
            let schedule = try Schedule(spec: spec)
            return SchedulePrediction(result, schedule: schedule, at: try selection.steps(total: schedule.totalSteps))
        }
        // With several schedules, a note names the one it is about.
        let several = predictions.count > 1
        for prediction in predictions {
            let about = several ? "\(prediction.schedule): " : ""
            let unpredictable = prediction.unpredictableSteps
            if !unpredictable.isEmpty {
                printNote(about + "no prediction at step\(unpredictable.count == 1 ? "" : "s") \(unpredictable.map(String.init).joined(separator: ", ")): no learning-rate area yet (S1 = 0)")
            }
            for warning in prediction.warnings { printNote(about + warning) }
        }
        switch format {
        case .json:
            print(several ? try JSONCoding.string(predictions, eachWith: result.identification)
                          : try JSONCoding.string(predictions[0], fitIdentification: result.identification))
        case .csv:
            printCSV(predictions, fit: result, named: several)
        case .table:
            for (index, prediction) in predictions.enumerated() {
                if index > 0 { print("") }
                printTable(prediction, fit: result)
            }
            if plot { printChart(predictions) }
        }
    }

    /// One row per predicted step; with `named`, each row starts with its schedule's spec.
    private func printCSV(_ predictions: [SchedulePrediction], fit result: FitResult, named: Bool) {
        // lower95/upper95: the full predictive band; a committee's spread last, so the other columns keep their places.
        let spread = result.committee != nil
        print((named ? "schedule," : "") + "step,lr,loss,standard_error,lower95,upper95" + (spread ? ",spread" : ""))
        for prediction in predictions {
            let schedule = named ? CSVText.field(prediction.schedule) + "," : ""
            for point in prediction.points {
                let band = point.band95
                let row = "\(point.step),\(point.learningRate),\(point.loss),\(point.standardError.map { "\($0)" } ?? ""),\(band.map { "\($0.lowerBound)" } ?? ""),\(band.map { "\($0.upperBound)" } ?? "")"
                print(schedule + row + (spread ? ",\(point.modelSpread.map { "\($0)" } ?? "")" : ""))
            }
        }
    }

    private func printTable(_ prediction: SchedulePrediction, fit result: FitResult) {
        print("Predicted loss under the fitted \(result.lawDescription)\(result.committee == nil ? " law" : "") for \(prediction.schedule)")
        print("(95 % band = \(BandText.contents(result)))")
        let spread = result.committee != nil
        var table = TextTable(headers: ["step", "lr", "loss", "95 % band"] + (spread ? ["spread"] : []) + ["extrapolates"])
        for point in prediction.points {
            let band = NumberFormat.band(point.band95)
            table.append(["\(point.step)", NumberFormat.significant(point.learningRate, digits: 4), NumberFormat.fixed(point.loss, decimals: 4), band]
                         + (spread ? [point.modelSpread.map { NumberFormat.significant($0, digits: 2) } ?? ""] : [])
                         + [point.extrapolation?.summary ?? ""])
        }
        print(table.render())
        if spread { print("spread = half the gap between the committee's two middle members (in the band)") }
    }

    /// Each schedule's predicted loss in one terminal chart.
    private func printChart(_ predictions: [SchedulePrediction]) {
        print("")
        print(TerminalChart(xAxis: PlotAxis("step"), yAxis: PlotAxis("predicted loss"), series: predictions.enumerated().map { index, prediction in
            PlotSeries(name: prediction.schedule, x: prediction.points.map { Double($0.step) }, y: prediction.points.map(\.loss), style: .line, color: index)
        }).render())
    }
}
