import Foundation
import LossFitReports
import LossFitWorkflows
import TrainingLogs

/// What the user reads on standard error: notes and warnings, keeping standard output for results.
enum Console {
    /// Tells the user what loading a log did: skipped rows, replaced steps, damage, smoothing, the
    /// schedule's source and the window.
    static func report(_ event: CurveLoadingEvent) {
        switch event {
        case .read(let log):
            report(log)
        case .scheduleGiven(let path, let spec, let ignoredSidecar):
            if let ignoredSidecar { printNote("\(path): --schedule \(spec) given; the sidecar \(ignoredSidecar) is not used") }
        case .scheduleFromSidecar(let path, let spec, let sidecar):
            printNote("\(path): schedule \(spec) from \(sidecar)")
        case .windowOpenedAfterWarmup(let source, let step, let left):
            printNote("\(source): fitting and scoring from step \(step), the end of warmup; \(left) earlier point\(left == 1 ? "" : "s") left out (--from-step 0 keeps them)")
        }
    }

    private static func report(_ log: TrainingLog) {
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
    StandardStreams.writeError("warning: " + message + "\n")
}

/// Writes a note for the user to standard error, keeping standard output for results.
func printNote(_ message: String) {
    StandardStreams.writeError("note: " + message + "\n")
}
