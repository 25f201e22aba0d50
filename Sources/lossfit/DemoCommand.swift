import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import ScalingLaws

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the main job on the bundled example logs in data/: fit, evaluate on unseen runs, predict schedules, recommend LR and batch size from the sweep.")

    @Option(name: .customLong("data"), help: ArgumentHelp("Directory of the example logs.", valueName: "DIR"))
    var directory = "data"

    @Option(name: .customLong("from-step"), help: ArgumentHelp(
        "Fit and score points from this step on (default: the end of warmup).", valueName: "N"))
    var fromStep: Int?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the fit.", valueName: "FIT.json"))
    var output = "demo-fit.json"

    @Option(name: .customLong("sweep-output"), help: ArgumentHelp("Where to write the sweep's learning-rate and batch-size laws.", valueName: "LAW.json"))
    var sweepOutput = "demo-sweep-law.json"

    @Option(name: .customLong("report"), help: ArgumentHelp("Where to write the HTML report.", valueName: "report.html"))
    var report = "demo-report.html"

    static let training = ["cosine_20000", "constant_20000", "twostage_0.2"]
    static let unseen = ["cosine_40000", "wsd_linear_20000", "wsd_1-sqrt_20000", "twostage_0.06", "linear_20000"]
    /// The simulated sweep (data/sweep.csv) and the size recommended from it: twice the largest
    /// model and budget of the sweep.
    static let sweep = "sweep"
    static let recommendedSize = (parameters: 4000.0, tokens: 262_144.0)
    static let candidates = [
        "cosine:peak=0.6,end=0.06,warmup=200,total=20000",
        "cosine:peak=0.6,end=0,warmup=200,total=20000",
        "linear:peak=0.6,end=0,warmup=200,total=20000",
        "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.1,shape=linear",
        "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.2,shape=1-sqrt",
        "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.4,shape=cosine",
        "constant:peak=0.6,warmup=200,total=20000",
    ]

    func run() throws {
        var options = LogOptions.defaults
        options.fromStep = fromStep
        let path = { (name: String) in "\(directory)/\(name).csv" }
        for name in Self.training + Self.unseen + [Self.sweep] where !FileManager.default.fileExists(atPath: path(name)) {
            throw CommandError("\(path(name)) is missing; run lossfit demo from the project's root, or regenerate data/ with bash data/make-data.sh")
        }

        print("1. Fit the annealing law to \(Self.training.count) runs (points from \(fromStep.map { "step \($0)" } ?? "the end of warmup") on)\n")
        let training = try options.loadCurves(Self.training.map(path))
        let start = ContinuousClock.now
        let fit = try AnnealingFitter().fit(training.map(\.curve))
        print(Tables.fitSummary(fit, seconds: (ContinuousClock.now - start).seconds))
        try FitFile.write(fit, to: output)
        print("wrote \(output)\n")

        print("2. Predict \(Self.unseen.count) runs the fit never saw\n")
        let unseen = try options.loadCurves(Self.unseen.map(path))
        let evaluations = unseen.compactMap { CurveEvaluation(law: fit.fittedLaw, curve: $0.curve) }
        print(Tables.evaluation(EvaluationReport(curves: evaluations)))
        print("")

        print("3. Predict schedules nobody ran: the loss at the last step, best first\n")
        let law = fit.fittedLaw
        var ranked: [(spec: String, loss: Double)] = []
        for spec in Self.candidates {
            let schedule = try Schedule(spec: spec)
            let final = law.predictLoss(learningRates: schedule.learningRates(), at: [schedule.totalSteps])[0]
            ranked.append((spec, final))
        }
        ranked.sort { $0.loss < $1.loss }
        var table = TextTable(headers: ["schedule", "final loss", "vs best"])
        for (spec, loss) in ranked {
            table.append([spec, NumberFormat.fixed(loss, decimals: 5), "+" + NumberFormat.fixed(100 * (loss / ranked[0].loss - 1), decimals: 2) + " %"])
        }
        print(table.render())

        print("\n4. Fit learning-rate and batch-size laws to the simulated sweep \(path(Self.sweep))\n")
        let (sweep, sweepTable) = try SweepFileOptions.defaults.load(path(Self.sweep))
        let settings = SweepLawSettings()
        let sweepStart = ContinuousClock.now
        let sweepLaw = try SweepLawFitter(settings: settings).fit(sweep, sequenceLength: sweepTable.sequenceLength)
        print(SweepReport.readSummary(sweepTable, sweep: sweep))
        print("Fitted in \(NumberFormat.duration((ContinuousClock.now - sweepStart).seconds)) (\(settings.bootstrap.resamples) bootstrap resamples of the groups).\n")
        print(SweepReport.laws(sweepLaw))
        print("")
        print(SweepReport.groups(sweepLaw))
        try LawFile.write(sweepLaw, to: sweepOutput)
        print("wrote \(sweepOutput)\n")

        let size = Self.recommendedSize
        print("5. Recommend the peak LR and batch size for a model and budget the sweep never ran\n")
        let recommendation = try sweepLaw.recommend(RecommendationRequest(parameters: size.parameters, tokens: size.tokens))
        print(Recommend.render(recommendation))

        let heldOut = evaluations
        let document = AnalysisReport(
            fit: fit, fitted: training.compactMap { CurveEvaluation(law: law, curve: $0.curve) }, heldOut: heldOut,
            forecasts: try Self.candidates.map { try ScheduleForecasting.forecast(fit, spec: $0) },
            sweep: sweepLaw, recommendations: [recommendation]
        ).document(title: "lossfit demo: the example runs in \(directory)/")
        try OutputFile.write(HTMLReport.render(document), to: report)
        print("\n6. Wrote the report with plots to \(report); open it in a browser.")
        print("\nNext: lossfit predict --fit \(output) --schedule SPEC, lossfit evaluate --fit \(output) LOG…, or lossfit recommend --law \(sweepOutput) --params N --tokens D")
    }
}
