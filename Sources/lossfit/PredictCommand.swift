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

    func steps(total: Int, defaultCount: Int = 20) throws -> [Int] {
        if let at {
            var steps: [Int] = []
            for item in at.split(separator: ",") {
                let text = item.trimmingCharacters(in: .whitespaces)
                guard let step = Int(text), step >= 0, step <= total else {
                    throw ValidationError("--at: \"\(text)\" is not a step in 0…\(total)")
                }
                steps.append(step)
            }
            return Array(Set(steps)).sorted()
        }
        if let every, every < 1 { throw ValidationError("--every must be at least 1") }
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

    func run() throws {
        let result = try FitFile.read(fit.path)
        let schedule = try Schedule(spec: schedule)
        let steps = try selection.steps(total: schedule.totalSteps)
        let rates = schedule.learningRates()
        let losses = result.fittedLaw.predictLoss(learningRates: rates, at: steps)
        let prediction = SchedulePrediction(
            schedule: schedule.spec, law: result.law,
            points: zip(steps, losses).map { .init(step: $0, learningRate: rates[$0], loss: $1) })
        switch format {
        case .json:
            print(try JSONOutput.string(prediction))
        case .csv:
            print("step,lr,loss")
            for point in prediction.points { print("\(point.step),\(point.learningRate),\(point.loss)") }
        case .table:
            print("Predicted loss under the fitted \(result.law) law for \(schedule.spec)")
            var table = TextTable(headers: ["step", "lr", "loss"])
            for point in prediction.points {
                table.append(["\(point.step)", NumberFormat.significant(point.learningRate, digits: 4), NumberFormat.fixed(point.loss, decimals: 4)])
            }
            print(table.render())
        }
    }
}

struct SchedulePrediction: Encodable {
    struct Point: Encodable {
        var step: Int
        var learningRate: Double
        var loss: Double
    }

    var schedule: String
    var law: String
    var points: [Point]
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
            Every family: peak (or lr), total (last step), warmup (steps, default 0), start (warmup's first LR, default 0).
            cosine, linear: end. wsd: decay (steps, or a fraction of total when < 1), shape (\(DecayShape.allCases.map(\.rawValue).joined(separator: ", "))), end.
            two-stage: switch (first step of the second stage), second (its LR).
            Warmup rises linearly over steps 0…warmup−1 and reaches the peak at step warmup−1.
            """)

    @Argument(help: ArgumentHelp("The schedule.", valueName: "SPEC"))
    var spec: String

    @OptionGroup var selection: StepSelection

    @Option(help: "Output format.")
    var format: ScheduleFormat = .table

    func run() throws {
        let schedule = try Schedule(spec: spec)
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
