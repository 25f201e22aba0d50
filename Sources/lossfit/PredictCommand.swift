import ArgumentParser
import Foundation
import LossFitReports
import ScalingLaws

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// The steps a command reports: listed, every N, or about 20 spread over the run.
struct StepSelection: ParsableArguments {
    @Option(help: ArgumentHelp("Report these steps (comma-separated).", valueName: "STEPS"))
    var at: String?

    @Option(help: ArgumentHelp("Report every N-th step (and the last).", valueName: "N"))
    var every: Int?

    /// Steps listed as `1000,5000,…`, sorted and unique.
    static func parse(_ text: String, total: Int = .max) throws -> [Int] {
        var steps: [Int] = []
        for item in text.split(separator: ",") {
            let value = item.trimmingCharacters(in: .whitespaces)
            guard let step = Int(value), step >= 0, step <= total else {
                throw CommandError("--at: \"\(value)\" is not a step in 0…\(total == .max ? "" : "\(total)")")
            }
            steps.append(step)
        }
        return Array(Set(steps)).sorted()
    }

    func steps(total: Int, defaultCount: Int = 20) throws -> [Int] {
        if let at { return try Self.parse(at, total: total) }
        if let every, every < 1 { throw CommandError("--every must be at least 1") }
        let stride = every ?? max(1, total / defaultCount)
        var steps = Array(Swift.stride(from: stride, through: total, by: stride))
        if steps.last != total { steps.append(total) }
        return steps
    }
}

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict the loss of a learning-rate schedule under a fitted law.")

    @OptionGroup var fit: FitFileOption

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
        let schedule = try Schedule(spec: schedule)
        let steps = try selection.steps(total: schedule.totalSteps)
        let rates = schedule.learningRates()
        let points = result.predict(learningRates: rates, at: steps)
        let unpredictable = points.filter { !$0.loss.isFinite }.map(\.step)
        if !unpredictable.isEmpty {
            printNote("no prediction at step\(unpredictable.count == 1 ? "" : "s") \(unpredictable.map(String.init).joined(separator: ", ")): no learning-rate area yet (S1 = 0)")
        }
        let prediction = SchedulePrediction(
            schedule: schedule.spec, law: result.law, points: points.filter { $0.loss.isFinite },
            warnings: result.extrapolationWarnings(learningRates: rates))
        for warning in prediction.warnings { printNote(warning) }
        switch format {
        case .json:
            print(try JSONOutput.string(prediction))
        case .csv:
            print("step,lr,loss,standard_error,lower95,upper95")  // the bootstrap band when the fit has one
            for point in prediction.points {
                let band = point.band95
                print("\(point.step),\(point.learningRate),\(point.loss),\(point.standardError.map { "\($0)" } ?? ""),\(band.map { "\($0.lowerBound)" } ?? ""),\(band.map { "\($0.upperBound)" } ?? "")")
            }
        case .table:
            print("Predicted loss under the fitted \(result.law) law for \(schedule.spec)")
            if let sample = result.bootstrap {
                print("(95 % band: 2.5–97.5 % of the predictions of the fit's \(sample.replicates.count) bootstrap replicates)")
            } else {
                print("(95 % band from the fit's parameter covariance, delta method; `fit --bootstrap 200` allows for correlated residuals)")
            }
            var table = TextTable(headers: ["step", "lr", "loss", "95 % band"])
            for point in prediction.points {
                let band = point.band95.map { NumberFormat.fixed($0.lowerBound, decimals: 4) + "–" + NumberFormat.fixed($0.upperBound, decimals: 4) } ?? ""
                table.append(["\(point.step)", NumberFormat.significant(point.learningRate, digits: 4), NumberFormat.fixed(point.loss, decimals: 4), band])
            }
            print(table.render())
            if plot {
                print("")
                print(TerminalChart(xAxis: PlotAxis("step"), yAxis: PlotAxis("predicted loss"), series: [
                    PlotSeries(name: schedule.spec, x: prediction.points.map { Double($0.step) }, y: prediction.points.map(\.loss), style: .line, color: 0),
                ]).render())
            }
        }
    }
}

struct SchedulePrediction: Encodable {
    var schedule: String
    var law: String
    var points: [PredictedLoss]
    var warnings: [String]
}

enum ScheduleFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv
}

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Print the learning rate of a schedule spec at chosen steps.",
        discussion: """
            SPEC = FAMILY:key=value,…  with FAMILY one of \(scheduleFamiliesHelp).
            \(scheduleKeysHelp)
            Warmup rises linearly over steps 0…warmup−1 and reaches the peak at step warmup−1.
            Steps: --at and --every pick steps s = 0…total of the schedule, the LR that fit, predict and simulate apply at update s.
            Without --at or --every, --format csv lists rows k = 1…total with the schedule at s = k − 1, the k-th rate a PyTorch \
            LambdaLR scheduler hands out: rex:peak=1,total=1000 gives p = (k − 1)/1000 at row k, 1 at k = 1 and 0.4 at k = 751.
            """)

    @Argument(help: ArgumentHelp("The schedule.", valueName: "SPEC"))
    var spec: String

    @OptionGroup var selection: StepSelection

    @Option(help: "Output format.")
    var format: ScheduleFormat = .table

    func run() throws {
        let schedule = try Schedule(spec: spec)
        if format == .csv && selection.at == nil && selection.every == nil {
            print("step,lr")
            for (index, rate) in schedule.ratesPerUpdate().enumerated() { print("\(index + 1),\(rate)") }
            return
        }
        let steps = try selection.steps(total: schedule.totalSteps)
        switch format {
        case .csv:
            print("step,lr")
            for step in steps { print("\(step),\(schedule.learningRate(atStep: step))") }
        case .table:
            var table = TextTable(headers: ["step", "lr"])
            for step in steps { table.append(["\(step)", NumberFormat.significant(schedule.learningRate(atStep: step), digits: 6)]) }
            print(table.render())
        }
    }
}
