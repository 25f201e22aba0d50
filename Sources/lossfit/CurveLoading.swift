import Foundation
import ScalingLaws
import TrainingLogs

/// A log read from disk and turned into a curve the laws can use.
struct LoadedCurve {
    var log: TrainingLog
    var curve: TrainingCurve
}

extension LogOptions {
    /// Reads every path as a training log and builds its curve, printing to stderr what was skipped.
    func loadCurves(_ paths: [String]) throws -> [LoadedCurve] {
        let schedule = try schedule.map { spec throws(ScheduleError) in try Schedule(spec: spec) }
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
            if let schedule {
                curve = try TrainingCurve(name: log.name, steps: log.loss.steps, losses: log.loss.values, schedule: schedule)
            } else if let rates = log.learningRate, !rates.steps.isEmpty {
                curve = try TrainingCurve(name: log.name, steps: log.loss.steps, losses: log.loss.values,
                                          loggedLearningRates: (rates.steps, rates.values))
            } else {
                throw CurveError.noLearningRate(curve: log.source)
            }
            return LoadedCurve(log: log, curve: curve)
        }
    }
}

/// Writes a note for the user to standard error, keeping standard output for results.
func printNote(_ message: String) {
    FileHandle.standardError.write(Data(("note: " + message + "\n").utf8))
}
