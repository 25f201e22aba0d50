import LossFitWorkflows

/// The workflows' errors in the command line's words: which flag or command to use.
enum ErrorHints {
    /// `error` with the flag or command that fixes it, when it is a workflow's; else `error` as is.
    static func hinted(_ error: any Error) -> any Error {
        guard let workflow = error as? WorkflowError else { return error }
        return CommandError(message(workflow))
    }

    static func message(_ error: WorkflowError) -> String {
        switch error {
        case .reversedWindow(let from, let to):
            return "--from-step \(from) lies after --to-step \(to)"
        case .emptyWindow(let source, let from, let to, let first, let last):
            return "\(source): no logged loss between steps \(from) and \(to.map(String.init) ?? "the end") (the log covers \(first)–\(last)); set --from-step and --to-step inside it"
        case .scheduleForUnknownLog(let file):
            return "--schedule \(file)=…: \(file) is not one of the logs given"
        case .severalSharedSchedules:
            return "--schedule: give one SPEC for all logs, or FILE=SPEC for each"
        case .unreadableFitFile(let path):
            return "\(path): cannot read the fit file; check the path (write one with lossfit fit -o \(path))"
        case .invalidFitFile(let path, let reason):
            return "\(path): not a fit written by lossfit fit -o (\(reason)); refit to make one"
        case .unreadableLawFile(let path, let law):
            return "\(path): cannot read the law file; check the path (write one with \(writer(of: law)) SWEEP -o \(path))"
        case .invalidLawFile(let path, let law, let reason):
            return "\(path): not a law written by \(writer(of: law)) -o (\(reason)); refit to make one"
        case .predictionsWithoutFit:
            return "--predict needs a fit: give LOGs or --fit FIT.json"
        case .missingExampleFile(let path):
            return "\(path) is missing; run lossfit demo from the project's root, or regenerate data/ with bash data/make-data.sh"
        case .newerFitFile, .newerLawFile, .unwritable, .unpredictableCurve, .tooFewCurvesToChoose:
            return error.description
        }
    }

    /// The command that writes a law file of type `law`.
    private static func writer(of law: String) -> String {
        law == "BatchSizeTransferLaw" ? "lossfit sweep transfer" : "lossfit sweep fit"
    }
}
