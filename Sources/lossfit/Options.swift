import Foundation
import ArgumentParser
import ScalingLaws

let scheduleFamiliesHelp = Schedule.families.joined(separator: ", ")

/// How to read LOG files: which columns hold what, and an exact schedule when the user has one.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("step-key"), help: "Column holding the step (default: step, _step, iter, iteration, global_step, …).")
    var stepKey: String?

    @Option(name: .customLong("lr-key"), help: "Column holding the learning rate (default: lr, learning_rate, train/lr, …).")
    var learningRateKey: String?

    @Option(name: .customLong("loss-key"), help: "Column holding the loss (default: loss, train/loss, lm loss, …, then eval_loss).")
    var lossKey: String?

    @Option(name: .customLong("schedule"), help: ArgumentHelp(
        "Exact learning-rate schedule: SPEC for every LOG, or FILE=SPEC for one (repeatable), e.g. cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000. Default: interpolate the logged LR.",
        valueName: "[FILE=]SPEC"))
    var schedules: [String] = []

    @Option(name: .customLong("from-step"), help: ArgumentHelp(
        "Fit and score only logged points at or after this step; the LR areas still integrate every step from 0.", valueName: "N"))
    var fromStep: Int?

    @Option(name: .customLong("to-step"), help: ArgumentHelp("Fit and score only logged points at or before this step.", valueName: "N"))
    var toStep: Int?
}

/// The FIT.json a command reads.
struct FitFileOption: ParsableArguments {
    @Option(name: .customLong("fit"), help: ArgumentHelp("A fit written by `lossfit fit -o`.", valueName: "FIT.json"))
    var path: String
}

extension LogOptions {
    /// Options as if none were given on the command line.
    static var defaults: LogOptions {
        // Parsing an empty argument list cannot fail: every option is optional.
        try! LogOptions.parse([])
    }
}

/// The example logs shipped in data/.
enum BundledData {
    static let directory = "data"

    static func trainingLogs() throws -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let logs = files.filter { $0.hasSuffix(".csv") && !$0.hasPrefix("sweep") }.sorted()
        guard !logs.isEmpty else {
            throw CommandError("no example logs in ./\(directory); run lossfit from the project's root directory")
        }
        return logs.map { "\(directory)/\($0)" }
    }
}

/// An error found while running a command (not while parsing its arguments), printed as one line.
struct CommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
