import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

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
