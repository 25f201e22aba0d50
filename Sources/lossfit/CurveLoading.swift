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
    /// Reads every path as training logs (a W&B panel export or a directory of TensorBoard runs
    /// gives one curve per run) and builds their curves, printing to stderr what was skipped,
    /// replaced, damaged or smoothed.
    func loadCurves(_ paths: [String]) throws -> [LoadedCurve] {
        let assignment = try ScheduleAssignment(schedules, paths: paths)
        if let fromStep, let toStep, fromStep > toStep {
            throw CommandError("--from-step \(fromStep) lies after --to-step \(toStep)")
        }
        var loaded: [LoadedCurve] = []
        for path in paths {
            for read in try TrainingLogReader.readAll(path, options: readOptions) {
                // Smoothing first, so that thinning keeps averages of every logged point.
                let smoothed = smoothing.map { read.withSmoothedLoss($0) } ?? read
                let log = thinningInterval.map { smoothed.withThinnedLoss(every: $0) } ?? smoothed
                report(log)
                let curve: TrainingCurve
                let logged = log.learningRate.map { (steps: $0.steps, values: $0.values) }
                if let schedule = try assignment.schedule(for: path) {
                    curve = try TrainingCurve(name: log.name, steps: log.loss.steps, losses: log.loss.values, schedule: schedule,
                                              loggedLearningRates: logged)
                } else if let rates = log.learningRate, !rates.steps.isEmpty {
                    curve = try TrainingCurve(name: log.name, steps: log.loss.steps, losses: log.loss.values,
                                              loggedLearningRates: (rates.steps, rates.values))
                } else {
                    throw CurveError.noLearningRate(curve: log.source)
                }
                // By default the window opens at the end of warmup (README: Evidence behind the defaults).
                let start = fromStep ?? curve.warmupEndStep
                let window = start...(toStep ?? Int.max)
                let windowed = curve.restricted(to: window)
                guard !windowed.steps.isEmpty else {
                    throw CommandError("\(log.source): no logged loss between steps \(window.lowerBound) and \(toStep.map(String.init) ?? "the end") (the log covers \(curve.steps[0])–\(curve.steps[curve.steps.count - 1])); set --from-step and --to-step inside it")
                }
                let left = curve.steps.count - windowed.steps.count
                if fromStep == nil && left > 0 {
                    printNote("\(log.source): fitting and scoring from step \(start), the end of warmup; \(left) earlier point\(left == 1 ? "" : "s") left out (--from-step 0 keeps them)")
                }
                loaded.append(LoadedCurve(log: log, curve: windowed))
            }
        }
        return loaded
    }

    /// Tells the user on stderr what reading changed: skipped rows, replaced steps, damage, smoothing.
    private func report(_ log: TrainingLog) {
        let label = log.name == TrainingLog.defaultName(forSource: log.source) ? log.source : "\(log.source) (\(log.name))"
        for skipped in log.skipped {
            printNote("\(label): skipped \(skipped)")
        }
        if log.replacedSteps > 0 {
            printNote("\(label): \(log.replacedSteps) repeated step\(log.replacedSteps == 1 ? "" : "s") (resumed run?): kept the later row of each")
        }
        for note in log.notes {
            switch note {
            case _ where note.isWarning:
                printWarning(note.description)
            case .smoothedLoss, .thinnedLoss:
                printNote("\(label): \(note)")
            default:
                printNote(note.description)
            }
        }
    }
}

/// Writes a warning for the user to standard error: input was damaged or skipped.
func printWarning(_ message: String) {
    FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
}

/// Writes a note for the user to standard error, keeping standard output for results.
func printNote(_ message: String) {
    FileHandle.standardError.write(Data(("note: " + message + "\n").utf8))
}

/// Which exact schedule each log follows: `FILE=SPEC` for one file, else `SPEC` for all, else the
/// spec in the log's sidecar file (`LOG.schedule`), else none (the logged LR is interpolated).
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

    func schedule(for path: String) throws -> Schedule? {
        if let given = byFile[path] ?? shared {
            if FileManager.default.fileExists(atPath: ScheduleSidecar.path(forLog: path)) {
                printNote("\(path): --schedule \(given.spec) given; the sidecar \(ScheduleSidecar.path(forLog: path)) is not used")
            }
            return given
        }
        guard let sidecar = try ScheduleSidecar.schedule(forLog: path) else { return nil }
        printNote("\(path): schedule \(sidecar.spec) from \(ScheduleSidecar.path(forLog: path))")
        return sidecar
    }
}
