import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import ScalingLaws

/// What a report or notebook shows: logs, a fit, schedules to predict, a sweep.
struct AnalysisOptions: ParsableArguments {
    @OptionGroup var logs: LogOptions

    @Option(name: .customLong("fit"), help: ArgumentHelp("A fit written by lossfit fit -o (default: fit the annealing law to the LOGs).", valueName: "FIT.json"))
    var fitPath: String?

    @Option(name: .customLong("predict"), help: ArgumentHelp("A schedule to predict and plot (repeatable).", valueName: "SPEC"))
    var predictions: [String] = []

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
        if !recommendations.isEmpty && sweepPath == nil && lawPath == nil {
            throw ValidationError("--recommend-at needs the sweep's laws: give --sweep SWEEP or --sweep-law LAW.json")
        }
    }

    /// Reads, fits and predicts what the options ask for. LOGs a given fit was made on are shown
    /// against it; the others are unseen runs it predicts.
    func analysis() throws -> AnalysisReport {
        let sweep = try sweepLaw()
        let recommended = try recommendations.map { try sweep!.recommend(RecommendationRequest(parameters: $0.parameters, tokens: $0.tokens)) }
        guard !paths.isEmpty || fitPath != nil else {
            if !predictions.isEmpty { throw ValidationError("--predict needs a fit: give LOGs or --fit FIT.json") }
            return AnalysisReport(fit: nil, sweep: sweep, recommendations: recommended)
        }
        let curves = try logs.loadCurves(paths).map(\.curve)
        let fit = try fitPath.map(FitFile.read) ?? AnnealingFitter().fit(curves)
        let fittedNames = Set(fit.curves.map(\.name))
        let law = fit.fittedLaw
        return AnalysisReport(
            fit: fit,
            fitted: curves.filter { fittedNames.contains($0.name) }.compactMap { CurveEvaluation(law: law, curve: $0) },
            heldOut: curves.filter { !fittedNames.contains($0.name) }.compactMap { CurveEvaluation(law: law, curve: $0) },
            forecasts: try predictions.map { try ScheduleForecasting.forecast(fit, spec: $0) },
            sweep: sweep, recommendations: recommended)
    }

    private func sweepLaw() throws -> SweepLaw? {
        if let lawPath { return try LawFile.read(lawPath) }
        guard let sweepPath else { return nil }
        let (sweep, table) = try SweepFileOptions.defaults.load(sweepPath)
        return try SweepLawFitter(settings: SweepLawSettings()).fit(sweep, sequenceLength: table.sequenceLength)
    }
}

/// `lossfit report`: one self-contained HTML page with the fit, its predictions and plots.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML report (inline SVG plots, no network): fit, unseen runs, schedules, sweep laws.",
        discussion: """
            Without --fit, the annealing law is fitted to every LOG. With --fit, LOGs the fit was made on are shown \
            against it and the others as unseen runs it predicts. (--predict, not --schedule, names schedules to \
            predict: --schedule gives the exact schedule of the LOGs.)
            Examples:
              lossfit report data/cosine_20000.csv data/constant_20000.csv --predict wsd:peak=0.6,warmup=200,total=20000,decay=0.2 -o report.html
              lossfit report --fit fit.json data/*.csv --sweep-law law.json -o report.html
            """)

    @OptionGroup var inputs: AnalysisOptions

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the page.", valueName: "report.html"))
    var output = "report.html"

    func run() throws {
        let report = try inputs.analysis()
        try OutputFile.write(HTMLReport.render(report.document(title: inputs.title)), to: output)
        print("wrote \(output)")
    }
}

/// Predictions of a schedule at evenly spread steps, for plots.
enum ScheduleForecasting {
    /// Points a plot needs: enough to look smooth, few enough to keep pages small.
    static let plottedPoints = 120

    /// `spec` predicted under `fit` at about `plottedPoints` steps from 1 to its last step.
    static func forecast(_ fit: FitResult, spec: String) throws -> AnalysisReport.ScheduleForecast {
        let schedule = try Schedule(spec: spec)
        let stride = max(1, schedule.totalSteps / plottedPoints)
        var steps = Array(Swift.stride(from: stride, through: schedule.totalSteps, by: stride))
        if steps.last != schedule.totalSteps { steps.append(schedule.totalSteps) }
        let points = fit.predict(learningRates: schedule.learningRates(), at: steps).filter { $0.loss.isFinite }
        return AnalysisReport.ScheduleForecast(spec: schedule.spec, points: points)
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

/// Writing a file the user asked for.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CommandError("cannot write \(path): \(error.localizedDescription); check that its directory exists and is writable")
        }
    }
}

extension SweepFileOptions {
    /// Options as if none were given: columns recognised by name.
    static var defaults: SweepFileOptions {
        // Parsing an empty argument list cannot fail: every option is optional.
        try! SweepFileOptions.parse([])
    }
}
