import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan the cooldown of a run in progress: from which checkpoint, how long, which shape, and the final loss of each.",
        discussion: """
            The run so far follows --schedule (default: constant at --peak after --warmup). Every option branches at a
            checkpoint c and decays over ℓ steps to --end, ending at step c + ℓ ≤ --budget. --end defaults to 0, as a
            wsd: spec's end does; a geometric decay cannot reach 0 (it interpolates log LR), so at --end 0 the geometric
            shape is left out with a note (and is an error when it is the only shape asked for).
            Example: lossfit plan --fit fit.json --peak 3e-4 --warmup 2160 --budget 24000 --checkpoints 16000,18000,20000
            """)

    @OptionGroup var fit: FitFileOption

    @Option(help: ArgumentHelp("Peak LR of the run in progress.", valueName: "LR"))
    var peak: Double?

    @Option(help: ArgumentHelp("Warmup steps of the run in progress.", valueName: "W"))
    var warmup: Int = 0

    @Option(name: [.customLong("schedule"), .customLong("run")], help: ArgumentHelp("The run's schedule so far, if not constant at --peak (--run is the older name).", valueName: "SPEC"))
    var runSpec: String?

    @Option(help: ArgumentHelp("Total steps the run may use.", valueName: "T"))
    var budget: Int

    @Option(help: ArgumentHelp("Steps of the saved checkpoints (comma-separated).", valueName: "STEPS"))
    var checkpoints: String

    @Option(help: ArgumentHelp("Cooldown lengths in steps (comma-separated; default 5 %, 10 %, 15 %, 20 %, 30 % of the budget).", valueName: "STEPS"))
    var lengths: String?

    @Option(help: ArgumentHelp("Decay shapes (comma-separated; geometric is left out when --end is 0).", valueName: "SHAPES"))
    var shapes: String = "linear,1-sqrt,cosine,geometric"

    @Option(help: ArgumentHelp("LR at the end of the cooldown (default 0, as in wsd: specs).", valueName: "LR"))
    var end: Double?

    @Option(help: "How many of the best options to list.")
    var top: Int = 10

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    func run() throws {
        let result = try FitFile.read(fit.path)
        warnIfNotIdentified(result, source: fit.path)
        try Schedule.checkStepCount(budget, key: "budget")
        let runSchedule: Schedule
        if let runSpec {
            runSchedule = try Schedule(spec: runSpec)
        } else {
            guard let peak else { throw CommandError("give --peak (the run's constant LR) or --schedule SPEC") }
            runSchedule = try Schedule(spec: "constant:peak=\(peak),warmup=\(warmup),total=\(budget)")
        }
        var shapeList: [DecayShape] = []
        for name in shapes.split(separator: ",") {
            guard let shape = DecayShape(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ScheduleError.unknownShape(String(name), known: DecayShape.allCases.map(\.rawValue))
            }
            shapeList.append(shape)
        }
        let request = CooldownPlanRequest(
            run: runSchedule, budget: budget, checkpoints: try StepSelection.parse(checkpoints),
            lengths: try lengths.map { try StepSelection.parse($0) } ?? CooldownPlanRequest.defaultLengths(budget: budget),
            shapes: shapeList, endLearningRate: end ?? CooldownPlanRequest.defaultEndLearningRate, top: top)
        let plan: CooldownPlan
        do {
            plan = try CooldownPlan(result, request: request)
        } catch let error as CooldownPlanError {
            guard case .noOptionWithinBudget = error else {
                throw CommandError("\(fit.path): \(error) (lossfit fit --law annealing -o FIT.json LOG...)")
            }
            throw CommandError("no cooldown fits the budget: every checkpoint + length exceeds \(budget) steps; use shorter --lengths")
        }
        for shape in plan.shapesLeftOut {
            printNote("the \(shape.rawValue) shape is left out: it decays the log of the LR, so it cannot reach an end LR of 0; give --end above 0 to plan it")
        }
        if json {
            print(try JSONCoding.string(plan, fitIdentification: result.identification))
            return
        }
        printTables(plan, fit: result)
        for warning in Set(plan.best.flatMap(\.warnings)).sorted() { printNote(warning) }
    }

    private func printTables(_ plan: CooldownPlan, fit result: FitResult) {
        print("\(plan.optionsConsidered) cooldown options within \(budget) steps; the best \(plan.best.count):")
        let endSource = end == nil ? "the default, as in wsd: specs; --end to change" : "--end"
        print("Every option decays to LR \(String(format: "%.6g", plan.endLearningRate)) (\(endSource)).")
        var table = TextTable(headers: ["rank", "from step", "length", "shape", "ends at", "final loss", "95 % band", "vs best", "settled?", "extrapolates"])
        for (rank, row) in plan.best.enumerated() {
            table.append([
                "\(rank + 1)", "\(row.option.checkpoint)", "\(row.option.length)", row.option.shape.rawValue, "\(row.option.finalStep)",
                NumberFormat.fixed(row.option.finalLoss, decimals: 5),
                NumberFormat.band(row.finalLoss.band95),
                row.differenceFromBest?.cellText ?? "best", row.settled ? "yes" : "no", row.finalLoss.extrapolation?.summary ?? "",
            ])
        }
        print(table.render())
        print("95 % band = \(BandText.contents(result)).")
        print(BandText.settledLegend(result))
        for line in BandText.branchAdvice(plan.verdicts, names: plan.best.map { "from step \($0.option.checkpoint), \($0.option.length) steps, \($0.option.shape.rawValue)" }) {
            print(line)
        }
        for member in plan.memberDisagreements {
            printNote("\(member.member) alone puts another option first: from step \(member.best.checkpoint), \(member.best.length) steps, \(member.best.shape.rawValue)")
        }
        if let checkBest = plan.checkDisagreement {
            printNote("the ranking check puts another option first: from step \(checkBest.checkpoint), \(checkBest.length) steps, \(checkBest.shape.rawValue)")
        }
        print("\nLoss versus compute: each option that ends lower than every option ending earlier")
        var compute = TextTable(headers: ["ends at", "from step", "length", "shape", "final loss"])
        for option in plan.lossVersusCompute {
            compute.append(["\(option.finalStep)", "\(option.checkpoint)", "\(option.length)", option.shape.rawValue, NumberFormat.fixed(option.finalLoss, decimals: 5)])
        }
        print(compute.render())
    }
}
