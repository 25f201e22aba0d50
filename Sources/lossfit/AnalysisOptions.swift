import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws

/// What a report or notebook shows: logs, a fit, schedules to predict, a sweep.
struct AnalysisOptions: ParsableArguments {
    @OptionGroup var logs: LogOptions

    @Option(name: .customLong("fit"), help: ArgumentHelp("A fit written by lossfit fit -o (default: fit the LOGs as lossfit fit does).", valueName: "FIT.json"))
    var fitPath: String?

    @Option(name: .customLong("predict"), help: ArgumentHelp("A schedule to predict and plot (repeatable), as predict and compare take it; --schedule here is the LOGs' exact schedule.", valueName: "SPEC"))
    var predictions: [String] = []

    @Option(name: .customLong("plan-run"), help: ArgumentHelp("Plan the cooldown of a run in progress that follows SPEC (e.g. constant:peak=3e-4,warmup=2160,total=24000): with --plan-budget and --plan-checkpoints, the report gets a plan section as lossfit plan makes (its default lengths and shapes, end LR 0).", valueName: "SPEC"))
    var planRun: String?

    @Option(name: .customLong("plan-budget"), help: ArgumentHelp("Total steps the planned run may use.", valueName: "T"))
    var planBudget: Int?

    @Option(name: .customLong("plan-checkpoints"), help: ArgumentHelp("Steps of the planned run's saved checkpoints (comma-separated).", valueName: "STEPS"))
    var planCheckpoints: String?

    @Option(name: .customLong("sweep"), help: ArgumentHelp("A sweep to fit learning-rate and batch-size laws to, with default settings.", valueName: "SWEEP"))
    var sweepPath: String?

    @Option(name: .customLong("sweep-law"), help: ArgumentHelp("A law written by lossfit sweep fit -o, instead of --sweep.", valueName: "LAW.json"))
    var lawPath: String?

    @Option(name: .customLong("recommend-at"), help: ArgumentHelp("A model size and token budget to recommend the LR and batch size for, from the sweep's laws (repeatable), e.g. 7B:1.4T.", valueName: "N:D"))
    var recommendations: [SizeAndBudget] = []

    @Option(help: "The title.")
    var title = "lossfit report"

    @Argument(help: ArgumentHelp("Logs to fit, or to compare with --fit.", valueName: "LOG"))
    var paths: [String] = []

    func validate() throws {
        if sweepPath != nil && lawPath != nil { throw ValidationError("give one of --sweep SWEEP and --sweep-law LAW.json") }
        if paths.isEmpty && fitPath == nil && sweepPath == nil && lawPath == nil {
            throw ValidationError("give LOGs to fit, --fit FIT.json, or a sweep (--sweep SWEEP or --sweep-law LAW.json)")
        }
        let planOptions = [planRun != nil, planBudget != nil, planCheckpoints != nil]
        if planOptions.contains(true) && planOptions.contains(false) {
            throw ValidationError("a plan needs all three of --plan-run SPEC, --plan-budget T and --plan-checkpoints STEPS")
        }
        if !recommendations.isEmpty && sweepPath == nil && lawPath == nil {
            throw ValidationError("--recommend-at needs the sweep's laws: give --sweep SWEEP or --sweep-law LAW.json")
        }
    }

    /// Reads, fits and predicts what the options ask for. LOGs a given fit was made on are shown
    /// against it; the others are unseen runs it predicts.
    func analysis() throws -> AnalysisReport {
        var request = Analysis.Request()
        request.sweep = try sweepLaw()
        request.recommendations = recommendations.map { RecommendationRequest(parameters: $0.parameters, tokens: $0.tokens) }
        request.logs = try paths.isEmpty ? [] : logs.loadCurves(paths)
        request.fit = try fitPath.map(FitFile.read)
        request.predictions = predictions
        if let planRun, let planBudget, let planCheckpoints {
            try Schedule.checkStepCount(planBudget, key: "plan budget")
            request.plan = CooldownPlanRequest(
                run: try Schedule(spec: planRun), budget: planBudget, checkpoints: try StepSelection.parse(planCheckpoints),
                lengths: CooldownPlanRequest.defaultLengths(budget: planBudget), shapes: CooldownPlanRequest.defaultShapes,
                endLearningRate: CooldownPlanRequest.defaultEndLearningRate, top: 10)
        }
        let analysis = try Analysis(request)
        if let fit = analysis.fit { warnIfNotIdentified(fit, source: fitPath ?? "the fit of the LOGs") }
        return AnalysisReport(analysis)
    }

    private func sweepLaw() throws -> SweepLaw? {
        if let lawPath { return try LawFile.readSweepLaw(lawPath) }
        guard let sweepPath else { return nil }
        return try SweepLoading.fitLaws(try SweepFileOptions.defaults().load(sweepPath))
    }
}

/// A model size and token budget written N:D, each plain or with a suffix k, M, B (or G), T: 7B:1.4T.
struct SizeAndBudget: ExpressibleByArgument {
    var parameters: Double
    var tokens: Double

    init?(argument: String) {
        let parts = argument.split(separator: ":").map(String.init)
        guard parts.count == 2, let n = ScaledNumber(argument: parts[0]), let d = ScaledNumber(argument: parts[1]) else { return nil }
        parameters = n.value
        tokens = d.value
    }
}

