import HyperparameterLaws
import LossFitWorkflows
import NonlinearLeastSquares
import ScalingLaws
import TrainingLogs

/// The flags and commands that fix a library error: the libraries say what is wrong in domain
/// words, and only the command-line tool knows which option or command supplies the value.
enum ErrorHints {
    /// `error` as `LossFit.main()` prints it: with the flag or command that fixes it, when there is one.
    static func hinted(_ error: any Error) -> any Error {
        if let workflow = error as? WorkflowError { return CommandError(message(workflow)) }
        if let read = error as? LogReadError { return HintedError(description: read.commandLineDescription) }
        guard hint(for: error) != nil else { return error }
        return HintedError(description: message(for: error))
    }

    /// The hint for `error`, or nil when its message already says all there is to do.
    static func hint(for error: any Error) -> String? {
        switch error {
        case let error as RefinementError: refinementHint(error)
        case let error as CurveError: curveHint(error)
        case let error as FitError: fitHint(error)
        case let error as ScheduleError: scheduleHint(error)
        case let error as SweepError: sweepHint(error)
        case let error as BatchSizeTransferError: transferHint(error)
        case is LossSmoothingError: "--smooth"
        default: nil
        }
    }

    /// `error`'s message followed by the options or command that supply what it asks for.
    static func message(for error: any Error) -> String {
        guard let hint = hint(for: error) else { return String(describing: error) }
        return "\(error) (\(hint))"
    }

    private static func refinementHint(_ error: RefinementError) -> String {
        switch error {
        case .tooFewNorms: "--grad-key"
        case .tooFewSteps, .tooManySteps: "--total"
        case .invalidPeak: "--peak"
        case .invalidSmoothing: "--smooth"
        }
    }

    private static func curveHint(_ error: CurveError) -> String? {
        switch error {
        case .noLearningRate, .zeroLearningRate: "--lr-key COLUMN or --schedule SPEC"
        case .scheduleMismatch: "--schedule"
        default: nil
        }
    }

    private static func fitHint(_ error: FitError) -> String? {
        switch error {
        case .notDecreasing: "--from-step, --to-step, --recent"
        default: nil
        }
    }

    private static func scheduleHint(_ error: ScheduleError) -> String? {
        switch error {
        case .geometricCooldownNeedsEnd: "--end, --shapes"
        case .tooManySteps(let key, _) where key == "budget" || key == "steps": "--\(key)"
        default: nil
        }
    }

    private static func sweepHint(_ error: SweepError) -> String? {
        switch error {
        case .coefficientCount, .noBootstrapDraws: "lossfit sweep fit SWEEP -o LAW.json"
        case .missingCovariate(_, let name): "--with \(InputExcerpt.quoted(name))=VALUE"
        case .unusedCovariate: "--with"
        case .sequenceLengthNeeded: "--seq-len"
        case .batchSizeNeeded: "--batch-tokens"
        default: nil
        }
    }

    private static func transferHint(_ error: BatchSizeTransferError) -> String? {
        switch error {
        case .noiseScaleNeeded: "--law LAW.json written by lossfit sweep transfer SWEEP -o LAW.json"
        case .emptyLaw(let source): "lossfit sweep transfer SWEEP -o \(source)"
        default: nil
        }
    }
}

extension ErrorHints {
    /// How to give a transfer the noise scale its rule's validity depends on, when it had none.
    static func noiseScaleHint(for result: BatchSizeTransferResult) -> String? {
        guard result.noiseScaleTokens == nil, result.rule == .sqrt || result.rule == .linear else { return nil }
        return "lossfit sweep transfer SWEEP -o LAW.json, then --law LAW.json"
    }
}

/// A library error in the command line's words (its hint appended, or its remedy said as an option),
/// as printed by `LossFit.main()`.
struct HintedError: Error, CustomStringConvertible {
    var description: String
}

extension ErrorHints {
    /// A workflow error in the command line's words: which flag or command to use.
    static func message(_ error: WorkflowError) -> String {
        switch error {
        case .reversedWindow(let from, let to):
            return "--from-step \(from) lies after --to-step \(to)"
        case .windowEndsBeforeWarmupEnds(let source, let warmupEnd, let to):
            return "\(source): --to-step \(to) lies before step \(warmupEnd), the end of warmup, where the window opens without --from-step; give a later --to-step, or --from-step 0 to fit from the start"
        case .emptyWindow(let source, let from, let to, let first, let last):
            return "\(source): no logged loss between steps \(from) and \(to.map(String.init) ?? "the end") (the log covers \(first)–\(last)); set --from-step and --to-step inside it"
        case .scheduleForUnknownLog(let file):
            return "--schedule \(file)=…: \(file) is not one of the logs given"
        case .scheduleForUnknownRun(let name, let runs):
            return "--schedule \(name)=…: \(name) is neither one of the logs given nor one of their runs; give FILE=SPEC or RUN=SPEC with RUN one of: \(runs.joined(separator: ", "))"
        case .severalSharedSchedules:
            return "--schedule: give one SPEC for all logs, or FILE=SPEC for each"
        case .unreadableFitFile(let path):
            return "\(path): cannot read the fit file; check the path (write one with lossfit fit -o \(path))"
        case .invalidFitFile(let path, let reason):
            return "\(path): not a fit written by lossfit fit -o (\(reason)); refit to make one"
        case .invalidFitValues(let path, let problem):
            return "\(path): \(problem); no fit writes that, so the file was damaged or edited: refit with lossfit fit -o \(path)"
        case .unreadableLawFile(let path, let law):
            return "\(path): cannot read the law file; check the path (write one with \(writer(of: law)) SWEEP -o \(path))"
        case .invalidLawFile(let path, let law, let reason):
            return "\(path): not a law written by \(writer(of: law)) -o (\(reason)); refit to make one"
        case .predictionsWithoutFit:
            return "--predict needs a fit: give LOGs or --fit FIT.json"
        case .missingExampleFile(let path):
            return "\(path) is missing; run lossfit demo from the project's root, or regenerate data/ with bash data/make-data.sh"
        case .newerFitFile, .newerLawFile, .unwritable, .unwritableStandardOutput, .unpredictableCurve, .tooFewCurvesToChoose, .repeatedCurve:
            return error.description
        }
    }

    /// The command that writes a law file of type `law`.
    private static func writer(of law: String) -> String {
        law == "BatchSizeTransferLaw" ? "lossfit sweep transfer" : "lossfit sweep fit"
    }
}
