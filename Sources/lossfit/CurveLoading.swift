import Foundation
import ScalingLaws
import ArgumentParser
import TrainingLogs

/// A log read from disk and turned into a curve the laws can use.
struct LoadedCurve {
    var log: TrainingLog
    var curve: TrainingCurve
}

extension LogOptions {
    /// Reads every path as a training log and builds its curve, printing to stderr what was skipped.
    func loadCurves(_ paths: [String]) throws -> [LoadedCurve] {
        let assignment = try ScheduleAssignment(schedules, paths: paths)
        let columns = ColumnChoice(step: stepKey, learningRate: learningRateKey, loss: lossKey)
        return try paths.map { path in
            let log = try TrainingLogReader.read(path, columns: columns)
            for skipped in log.skipped {
                printNote("\(log.source): skipped \(skipped.count) row\(skipped.count == 1 ? "" : "s") with \(skipped.reason) (first at line \(skipped.firstLine))")
            }
            if log.replacedSteps > 0 {
                printNote("\(log.source): \(log.replacedSteps) repeated step\(log.replacedSteps == 1 ? "" : "s") (resumed run?): kept the later row of each")
            }
            let curve: TrainingCurve
            if let schedule = assignment.schedule(for: path) {
                curve = try TrainingCurve(name: log.name, steps: log.loss.steps, losses: log.loss.values, schedule: schedule)
            } else if let rates = log.learningRate, !rates.steps.isEmpty {
                curve = try TrainingCurve(name: log.name, steps: log.loss.steps, losses: log.loss.values,
                                          loggedLearningRates: (rates.steps, rates.values))
            } else {
                throw CurveError.noLearningRate(curve: log.source)
            }
            let window = (fromStep ?? 0)...(toStep ?? Int.max)
            guard window.lowerBound <= window.upperBound else {
                throw CommandError("--from-step \(window.lowerBound) lies after --to-step \(window.upperBound)")
            }
            let windowed = curve.restricted(to: window)
            guard !windowed.steps.isEmpty else {
                throw CommandError("\(log.source): no logged loss between steps \(window.lowerBound) and \(toStep.map(String.init) ?? "the end") (the log covers \(curve.steps[0])–\(curve.steps[curve.steps.count - 1]))")
            }
            return LoadedCurve(log: log, curve: windowed)
        }
    }
}

/// Writes a note for the user to standard error, keeping standard output for results.
func printNote(_ message: String) {
    FileHandle.standardError.write(Data(("note: " + message + "\n").utf8))
}

/// Which exact schedule each log follows: `SPEC` for all, or `FILE=SPEC` for one file.
struct ScheduleAssignment {
    private var shared: Schedule?
    private var byFile: [String: Schedule] = [:]

    init(_ arguments: [String], paths: [String]) throws {
        for argument in arguments {
            // A spec's family comes before its first colon; "FILE=" before that marks a per-file spec.
            let head = argument.prefix { $0 != ":" }
            if let equals = head.firstIndex(of: "=") {
                let file = String(argument[..<equals])
                guard let path = paths.first(where: { $0 == file || URL(fileURLWithPath: $0).lastPathComponent == file }) else {
                    throw CommandError("--schedule \(file)=…: \(file) is not one of the logs given")
                }
                byFile[path] = try Schedule(spec: String(argument[argument.index(after: equals)...]))
            } else {
                guard shared == nil else { throw CommandError("--schedule: give one SPEC for all logs, or FILE=SPEC for each") }
                shared = try Schedule(spec: argument)
            }
        }
    }

    func schedule(for path: String) -> Schedule? {
        byFile[path] ?? shared
    }
}
