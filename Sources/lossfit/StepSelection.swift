import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
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
                throw CommandError("--at: \"\(InputExcerpt.quoted(value))\" is not a step in 0…\(total == .max ? "" : "\(total)")")
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

