import ScalingLaws

/// What went wrong in a workflow itself (not in a reader, a schedule or a fitter, whose own errors
/// pass through). Messages say what to change, without naming the command line's flags; the
/// command-line tool adds those.
public enum WorkflowError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The fitting window opens after it closes.
    case reversedWindow(from: Int, to: Int)
    /// The fitting window, opening by default at the end of warmup (`warmupEnd`), was asked to
    /// close at step `to`, before it opens.
    case windowEndsBeforeWarmupEnds(source: String, warmupEnd: Int, to: Int)
    /// A log holds no loss inside the fitting window.
    case emptyWindow(source: String, from: Int, to: Int?, firstLogged: Int, lastLogged: Int)
    /// Two logs (or one log given twice) hold the same curve: identical steps and losses.
    case repeatedCurve(source: String, sameAs: String)
    /// A per-file schedule names a file that is not among the logs.
    case scheduleForUnknownLog(file: String)
    /// A per-run schedule names a run that none of the files holding several runs has.
    case scheduleForUnknownRun(name: String, runs: [String])
    /// More than one schedule was given for all logs.
    case severalSharedSchedules
    /// A fit file cannot be read.
    case unreadableFitFile(path: String)
    /// A fit file is not JSON of a fit.
    case invalidFitFile(path: String, reason: String)
    /// A fit file holds values no fit writes (a law's parameter out of range, a covariance that is
    /// not one): it was damaged or edited.
    case invalidFitValues(path: String, problem: FitValidationError)
    /// A fit file was written by a newer version in a format this one does not know.
    case newerFitFile(path: String, format: Int, writtenBy: String?)
    /// A law file cannot be read; `law` names the type asked for (`SweepLaw`, `BatchSizeTransferLaw`).
    case unreadableLawFile(path: String, law: String)
    /// A law file is not JSON of the law asked for.
    case invalidLawFile(path: String, law: String, reason: String)
    /// A law file was written by a newer version in a format this one does not know.
    case newerLawFile(path: String, format: Int, writtenBy: String?)
    /// An output file cannot be written.
    case unwritable(path: String, reason: String)
    /// An output sent to standard output could not all be written there.
    case unwritableStandardOutput(reason: String)
    /// A curve to evaluate has no point the law can predict.
    case unpredictableCurve(source: String)
    /// Choosing a law among candidates needs at least two curves.
    case tooFewCurvesToChoose(count: Int)
    /// A report was asked to predict schedules without a fit.
    case predictionsWithoutFit
    /// An example file the demo needs is missing.
    case missingExampleFile(path: String)

    public var description: String {
        switch self {
        case .reversedWindow(let from, let to):
            return "the fitting window starts at step \(from), after its end at step \(to); swap them"
        case .windowEndsBeforeWarmupEnds(let source, let warmupEnd, let to):
            return "\(source): the fitting window opens at step \(warmupEnd), the end of warmup, after its end at step \(to); end the window later, or open it at or before step \(to) (step 0 keeps the warmup)"
        case .emptyWindow(let source, let from, let to, let first, let last):
            return "\(source): no logged loss between steps \(from) and \(to.map(String.init) ?? "the end") (the log covers \(first)–\(last)); choose a window inside it"
        case .scheduleForUnknownLog(let file):
            return "a schedule is given for \(file), which is not one of the logs given"
        case .scheduleForUnknownRun(let name, let runs):
            return "a schedule is given for \(name), which is neither one of the logs given nor one of their runs: \(runs.joined(separator: ", "))"
        case .severalSharedSchedules:
            return "give one schedule for all logs, or one for each file"
        case .repeatedCurve(let source, let sameAs):
            let what = source == sameAs ? "\(source) is given twice" : "\(source) holds the same curve as \(sameAs) (identical steps and losses)"
            return "\(what): fitted twice it would count as two runs and shrink the standard errors by √2; give each run once"
        case .unreadableFitFile(let path):
            return "\(path): cannot read the fit file; check the path"
        case .invalidFitFile(let path, let reason):
            return "\(path): not a fit written by lossfit (\(reason)); refit to make one"
        case .invalidFitValues(let path, let problem):
            return "\(path): \(problem); no fit writes that, so the file was damaged or edited: refit to make a new one"
        case .newerFitFile(let path, let format, let writer):
            return "\(path): fit file format \(format)\(writer.map { " written by lossfit \($0)" } ?? "") is newer than this lossfit reads (\(FitFile.formatVersion)); update lossfit or refit"
        case .unreadableLawFile(let path, _):
            return "\(path): cannot read the law file; check the path"
        case .invalidLawFile(let path, _, let reason):
            return "\(path): not a law written by lossfit (\(reason)); refit to make one"
        case .newerLawFile(let path, let format, let writer):
            return "\(path): law file format \(format)\(writer.map { " written by lossfit \($0)" } ?? "") is newer than this lossfit reads (\(LawFile.formatVersion)); update lossfit or refit"
        case .unwritable(let path, let reason):
            return "cannot write \(path): \(reason); check that its directory exists and is writable"
        case .unwritableStandardOutput(let reason):
            return "cannot write the output to standard output (\(reason)); check the disk or where the output goes"
        case .unpredictableCurve(let source):
            return "\(source): no point can be predicted (no learning-rate area before the last logged step)"
        case .tooFewCurvesToChoose(let count):
            return "choosing a law by leave-one-curve-out needs at least two curves, got \(count); choose the law yourself"
        case .predictionsWithoutFit:
            return "schedules to predict and cooldowns to plan need a fit: give logs to fit or a fit file"
        case .missingExampleFile(let path):
            return "\(path) is missing; run from the project's root, or regenerate data/ with bash data/make-data.sh"
        }
    }
}
