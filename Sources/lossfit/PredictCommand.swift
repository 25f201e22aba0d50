import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the loss of a learning-rate schedule under a fitted law.")

    @OptionGroup var fit: FitFileOption

    @OptionGroup var unidentified: UnidentifiedFitOption

    @Option(help: ArgumentHelp("The schedule to predict, e.g. wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2,shape=1-sqrt,end=3e-5.", valueName: "SPEC"))
    var schedule: String

    @OptionGroup var selection: StepSelection

    @Option(help: "Output format.")
    var format: OutputFormat = .table

    @Flag(help: "Also draw the predicted loss in the terminal (with the table format).")
    var plot = false

    func validate() throws {
        if plot && format != .table { throw ValidationError("--plot goes with --format table; CSV and JSON stay machine-readable") }
    }

    func run() throws {
        let result = try FitFile.read(fit.path)
        try unidentified.check(result, path: fit.path)
        let schedule = try Schedule(spec: schedule)
        let prediction = SchedulePrediction(result, schedule: schedule, at: try selection.steps(total: schedule.totalSteps))
        let unpredictable = prediction.unpredictableSteps
        if !unpredictable.isEmpty {
            printNote("no prediction at step\(unpredictable.count == 1 ? "" : "s") \(unpredictable.map(String.init).joined(separator: ", ")): no learning-rate area yet (S1 = 0)")
        }
        for warning in prediction.warnings { printNote(warning) }
        switch format {
        case .json:
            print(try JSONCoding.string(prediction, fitIdentification: result.identification))
        case .csv:
            // lower95/upper95: the full predictive band; a committee's spread last, so the other columns keep their places.
            let spread = result.committee != nil
            print("step,lr,loss,standard_error,lower95,upper95" + (spread ? ",spread" : ""))
            for point in prediction.points {
                let band = point.band95
                let row = "\(point.step),\(point.learningRate),\(point.loss),\(point.standardError.map { "\($0)" } ?? ""),\(band.map { "\($0.lowerBound)" } ?? ""),\(band.map { "\($0.upperBound)" } ?? "")"
                print(row + (spread ? ",\(point.modelSpread.map { "\($0)" } ?? "")" : ""))
            }
        case .table:
            printTable(prediction, fit: result)
        }
    }

    private func printTable(_ prediction: SchedulePrediction, fit result: FitResult) {
        print("Predicted loss under the fitted \(result.lawDescription)\(result.committee == nil ? " law" : "") for \(prediction.schedule)")
        print("(95 % band = \(BandText.contents(result)))")
        let spread = result.committee != nil
        var table = TextTable(headers: ["step", "lr", "loss", "95 % band"] + (spread ? ["spread"] : []) + ["extrapolates"])
        for point in prediction.points {
            let band = point.band95.map { NumberFormat.fixed($0.lowerBound, decimals: 4) + "–" + NumberFormat.fixed($0.upperBound, decimals: 4) } ?? ""
            table.append(["\(point.step)", NumberFormat.significant(point.learningRate, digits: 4), NumberFormat.fixed(point.loss, decimals: 4), band]
                         + (spread ? [point.modelSpread.map { NumberFormat.significant($0, digits: 2) } ?? ""] : [])
                         + [point.extrapolation?.summary ?? ""])
        }
        print(table.render())
        if spread { print("spread = half the gap between the committee's two middle members (in the band)") }
        if plot {
            print("")
            print(TerminalChart(xAxis: PlotAxis("step"), yAxis: PlotAxis("predicted loss"), series: [
                PlotSeries(name: prediction.schedule, x: prediction.points.map { Double($0.step) }, y: prediction.points.map(\.loss), style: .line, color: 0),
            ]).render())
        }
    }
}
