import ArgumentParser
import Foundation
import LossFitWorkflows
import ScalingLaws
import TrainingLogs

let scheduleFamiliesHelp = Schedule.families.joined(separator: ", ")

/// Each schedule family's keys, one line each, from the library's registry of families.
let scheduleKeysHelp = (["Every family but onecycle and table: \(ScheduleFamily.commonKeysHelp)."]
    + ScheduleFamily.allCases.map { "\($0.rawValue): \($0.keysHelp)." }).joined(separator: "\n")

/// How to read LOG files: format, which series hold what, which steps, and an exact schedule when
/// the user has one.
struct LogOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Read every LOG as this format instead of recognising it by content: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "FORMAT"))
    var format: LogFormat?

    @Option(name: .customLong("step-key"), help: "Column, key or tag holding the step (default: step, global_step, iter, iteration, _step, …).")
    var stepKey: String?

    @Option(name: .customLong("lr-key"), help: "Column, key or tag holding the learning rate (default: lr, learning_rate, train/lr, learning-rate, …).")
    var learningRateKey: String?

    @Option(name: .customLong("loss-key"), help: "Column, key or tag holding the loss (default: loss, train/loss, lm loss, …, then eval_loss). Nested JSON keys read as a/b or a.b.")
    var lossKey: String?

    @Flag(name: .customLong("eval"), help: "Use the evaluation loss (eval_loss, eval/loss, val_loss, val loss, validation/lm loss, …) instead of the training loss.")
    var evaluationLoss = false

    @Option(name: .customLong("smooth"), help: ArgumentHelp(
        "Reduce the loss noise before fitting: a value in [0, 1) is an exponential moving average with that weight, debiased like TensorBoard's slider (cuts noise but lags the curve by ≈ w/(1−w) points); an odd whole number ≥ 3, at most the log's points, averages centred windows of that many points (cuts independent noise by √WINDOW without lag, blurs features narrower than the window). Reported on stderr. Default: none (the fit's Huber objective and binning of long logs already handle noise).",
        valueName: "WEIGHT|WINDOW"))
    var smoothingArgument: String?

    /// `--smooth` as read (validated in `validate()`).
    var smoothing: LossSmoothing? {
        smoothingArgument.flatMap { try? LossSmoothing(argument: $0) }
    }

    @Option(name: .customLong("every"), help: ArgumentHelp(
        "Keep only every N-th logged loss point (and the last). Does not reduce the noise of a point, only their number; standard errors grow by about √N. Default: every point.",
        valueName: "N"))
    var thinningInterval: Int?

    @Flag(name: .customLong("skip-bad-lines"), help: "Skip lines or rows that cannot be read (malformed JSON, a CSV row with a bad cell), counting them, instead of stopping at the first.")
    var skipsBadLines = false

    @Option(name: .customLong("schedule"), help: ArgumentHelp(
        "Exact learning-rate schedule: SPEC for every LOG, FILE=SPEC for one file, or RUN=SPEC for one run of a file holding several, such as a W&B panel export (repeatable), e.g. cosine:peak=3e-4,end=3e-5,warmup=2k,total=24k. Default: interpolate the logged LR.",
        valueName: "[FILE=|RUN=]SPEC"))
    var schedules: [String] = []

    @Option(name: [.customLong("from-step"), .customLong("min-step")], help: ArgumentHelp(
        "Fit and score only logged points at or after this step (default: the end of warmup, where the LR first reaches its peak); the LR areas still integrate every step from 0.", valueName: "N"))
    var fromStep: Int?

    @Option(name: [.customLong("to-step"), .customLong("max-step")], help: ArgumentHelp("Fit and score only logged points at or before this step.", valueName: "N"))
    var toStep: Int?

    /// The reader's options these stand for.
    var readOptions: LogReadOptions {
        LogReadOptions(columns: ColumnChoice(step: stepKey, learningRate: learningRateKey, loss: lossKey), format: format,
                       loss: evaluationLoss ? .evaluation : .training, skipsBadLines: skipsBadLines)
    }

    /// The workflow's loading options these stand for, for `paths`.
    func loadingOptions(for paths: [String]) throws -> CurveLoadingOptions {
        CurveLoadingOptions(read: readOptions, smoothing: smoothing, thinningInterval: thinningInterval,
                            schedules: try ScheduleAssignment(schedules, paths: paths), fromStep: fromStep, toStep: toStep)
    }

    /// Reads every path into curves inside the window, telling the user on stderr what was
    /// skipped, replaced, damaged, smoothed or left out.
    func loadCurves(_ paths: [String]) throws -> [LoadedCurve] {
        try CurveLoading.load(paths, options: loadingOptions(for: paths), report: Console.report)
    }

    func validate() throws {
        if let smoothingArgument {
            do {
                _ = try LossSmoothing(argument: smoothingArgument)
            } catch {
                // The error quotes a long value itself (as an excerpt): once is enough.
                let shown = smoothingArgument.count <= InputExcerpt.limit ? " \(InputExcerpt.quoted(smoothingArgument))" : ""
                throw ValidationError("--smooth\(shown): \(error)")
            }
        }
        if let thinningInterval, thinningInterval < 1 {
            throw ValidationError("--every \(thinningInterval): keep every N-th point with N ≥ 1")
        }
    }
}

extension LogFormat: ExpressibleByArgument {}

/// The FIT.json a command reads.
struct FitFileOption: ParsableArguments {
    @Option(name: .customLong("fit"), help: ArgumentHelp("A fit written by `lossfit fit -o`.", valueName: "FIT.json"))
    var path: String
}

extension LogOptions {
    /// Options as if none were given on the command line (every option is optional).
    static func defaults() throws -> LogOptions {
        try LogOptions.parse([])
    }
}

/// The example runs of data/: the copy in the working directory, else the one that travels with
/// the tool, so `lossfit demo` runs from any directory.
enum BundledData {
    /// A file every copy of the example runs holds.
    private static let marker = "cosine_20000.csv"

    /// `data` when the working directory holds the example runs; else `../share/lossfit/data`
    /// beside the executable (an installed tool); else the data/ of the package the executable was
    /// built in (`.build/…/lossfit` of a checkout); else `data`, whose absence commands report.
    static let directory: String = {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: "data/\(marker)") { return "data" }
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        var candidates = [folder.deletingLastPathComponent().appendingPathComponent("share/lossfit/data")]
        // A build directory sits at most four levels below the package root (.build/<triple>/<configuration>/lossfit).
        for _ in 0..<4 {
            folder.deleteLastPathComponent()
            if fileManager.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                candidates.append(folder.appendingPathComponent("data"))
                break
            }
        }
        return candidates.first { fileManager.fileExists(atPath: $0.appendingPathComponent(marker).path) }?.path ?? "data"
    }()

    static func trainingLogs() throws -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let logs = files.filter { $0.hasSuffix(".csv") && !$0.hasPrefix("sweep") }.sorted()
        guard !logs.isEmpty else {
            throw CommandError("no example logs in ./data nor beside the tool; run lossfit from the project's root directory")
        }
        return logs.map { "\(directory)/\($0)" }
    }
}

/// An error found while running a command (not while parsing its arguments), printed as one line.
struct CommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
