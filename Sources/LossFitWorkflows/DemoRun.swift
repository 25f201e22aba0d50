import Foundation
import HyperparameterLaws
import ScalingLaws

/// The main job on the bundled example runs: the full fit of three runs, predictions of five it
/// never saw, schedules nobody ran ranked, the sweep's hyperparameter laws and a recommendation
/// for a size the sweep never ran.
public struct DemoRun: Sendable {
    public static let training = ["cosine_20000", "constant_20000", "twostage_0.2"]
    public static let unseen = ["cosine_40000", "wsd_linear_20000", "wsd_1-sqrt_20000", "twostage_0.06", "linear_20000"]
    /// The simulated sweep (data/sweep.csv).
    public static let sweepName = "sweep"
    /// The size recommended from the sweep: twice its largest model and budget.
    public static let recommendedSize = RecommendationRequest(parameters: 4000, tokens: 262_144)
    /// Schedules nobody ran, ranked by predicted final loss.
    public static let candidates = [
        "cosine:peak=0.6,end=0.06,warmup=200,total=20000",
        "cosine:peak=0.6,end=0,warmup=200,total=20000",
        "linear:peak=0.6,end=0,warmup=200,total=20000",
        "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.1,shape=linear",
        "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.2,shape=1-sqrt",
        "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.4,shape=cosine",
        "constant:peak=0.6,warmup=200,total=20000",
    ]

    /// The path of example `name` in `directory`.
    public static func path(_ name: String, in directory: String) -> String { "\(directory)/\(name).csv" }

    /// Checks that every example file is in `directory`.
    /// - Throws: `WorkflowError.missingExampleFile` for the first one missing.
    public static func checkFiles(in directory: String) throws(WorkflowError) {
        for name in training + unseen + [sweepName] where !FileManager.default.fileExists(atPath: path(name, in: directory)) {
            throw .missingExampleFile(path: path(name, in: directory))
        }
    }

    /// The training runs and their full fit.
    public var training: [LoadedCurve]
    public var fit: FullFitOutcome
    /// The unseen runs and the fit's scores on them.
    public var unseen: [LoadedCurve]
    public var unseenScores: [CurveEvaluation]
    /// The candidates ranked by predicted final loss, with their bands and verdicts.
    public var ranked: ScheduleComparison
    /// The simulated sweep, its learning-rate and batch-size laws with default settings, and the
    /// seconds their fit took.
    public var sweep: LoadedSweep
    public var sweepLaw: SweepLaw
    public var sweepSeconds: Double
    /// What the sweep's laws recommend for `recommendedSize`.
    public var recommendation: Recommendation

    /// Loads the runs in `directory` with `loading`, fits them with the full fit's defaults, and
    /// fits the sweep's laws; the sweep's rows without a final loss are in `sweep.table.skipped`.
    public init(directory: String, loading: CurveLoadingOptions, report: (CurveLoadingEvent) -> Void = { _ in }) throws {
        training = try CurveLoading.load(Self.training.map { Self.path($0, in: directory) }, options: loading, report: report)
        fit = try FullFit.run(training.map(\.curve), options: FullFitOptions())
        fit.result = fit.result.recordingSources(of: training)
        unseen = try CurveLoading.load(Self.unseen.map { Self.path($0, in: directory) }, options: loading, report: report)
        unseenScores = Evaluation.scores(fit.result, on: unseen.map(\.curve))
        ranked = try ScheduleComparison(fit.result, specs: Self.candidates)
        sweep = try SweepLoading.load(Self.path(Self.sweepName, in: directory))
        let clock = ContinuousClock()
        let start = clock.now
        sweepLaw = try SweepLoading.fitLaws(sweep)
        let elapsed = (clock.now - start).components
        sweepSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        recommendation = try sweepLaw.recommend(Self.recommendedSize)
    }

    /// The report's contents: the fit against its runs and the unseen ones, the candidates, the
    /// sweep's laws and the recommendation.
    public func analysis() throws -> Analysis {
        var request = Analysis.Request()
        request.logs = training + unseen
        request.fit = fit.result
        request.predictions = Self.candidates
        request.sweep = sweepLaw
        request.recommendations = [Self.recommendedSize]
        return try Analysis(request)
    }
}
