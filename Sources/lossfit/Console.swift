import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws
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
        case .lossChosen(let source):
            printNote(lossChoice(source))
        case .windowCut(let source, let from, let fromWarmupEnd, let to, let before, let after):
            var cuts: [String] = []
            if before > 0 {
                let start = fromWarmupEnd ? "from step \(from), the end of warmup" : "from --from-step \(from)"
                let keep = fromWarmupEnd ? "--from-step 0 keeps them" : "a lower --from-step keeps them"
                cuts.append("fitting and scoring \(start); \(before) earlier \(points(before)) left out (\(keep))")
            }
            if after > 0, let to {
                let end = before > 0 ? "\(after) later \(points(after)), after --to-step \(to)," : "fitting and scoring up to --to-step \(to); \(after) later \(points(after))"
                cuts.append("\(end) left out (a later --to-step, or none, keeps them)")
            }
            printNote("\(source): " + cuts.joined(separator: "; "))
        }
    }

    /// Which loss series of a log holding several was fitted, and how to fit another.
    static func lossChoice(_ source: CurveSource) -> String {
        let file = source.run.map { "\(source.path) (run \"\($0)\")" } ?? source.path
        let others = source.otherLosses.map { other in other.kind.map { "\(other.key) (\(name(of: $0)))" } ?? other.key }
        let otherKinds = source.otherLosses.map(\.kind)
        let how: String
        if source.lossKind == .training && otherKinds.contains(.evaluation) {
            how = "--eval fits the validation loss"
        } else if source.lossKind == .evaluation && otherKinds.contains(.training) {
            how = "without --eval the training loss is fitted"
        } else {
            how = "--loss-key KEY fits another"
        }
        let fitted = source.lossKey + (source.lossKind.map { " (\(name(of: $0)))" } ?? "")
        return "fitted: \(fitted) from \(file); also present: \(others.joined(separator: ", ")) (\(how))"
    }

    private static func name(of kind: CurveSource.LossKind) -> String {
        kind == .training ? "training" : "validation"
    }

    private static func points(_ count: Int) -> String {
        count == 1 ? "point" : "points"
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
