import HyperparameterLaws
import NonlinearLeastSquares
import ScalingLaws

/// The flags and commands that fix a library error: the libraries say what is wrong in domain
/// words, and only the command-line tool knows which option or command supplies the value.
enum ErrorHints {
    /// The hint for `error`, or nil when its message already says all there is to do.
    static func hint(for error: any Error) -> String? {
        switch error {
        case let error as RefinementError: refinementHint(error)
        case let error as CurveError: curveHint(error)
        case let error as FitError: fitHint(error)
        case let error as ScheduleError: scheduleHint(error)
        case let error as SweepError: sweepHint(error)
        case let error as BatchSizeTransferError: transferHint(error)
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
        case .tooFewSteps: "--total"
        case .invalidPeak: "--peak"
        case .invalidSmoothing: "--smooth"
        }
    }

    private static func curveHint(_ error: CurveError) -> String? {
        switch error {
        case .noLearningRate: "--lr-key COLUMN or --schedule SPEC"
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
        default: nil
        }
    }

    private static func sweepHint(_ error: SweepError) -> String? {
        switch error {
        case .coefficientCount, .noBootstrapDraws: "lossfit sweep fit SWEEP -o LAW.json"
        case .missingCovariate(_, let name): "--with \(name)=VALUE"
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

/// A library error with the command-line hint appended, as printed by `LossFit.main()`.
struct HintedError: Error, CustomStringConvertible {
    var description: String
}

extension LossFit {
    /// Runs the command the arguments name, printing a library error with its command-line hint.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: ErrorHints.hint(for: error) == nil ? error : HintedError(description: ErrorHints.message(for: error)))
        }
    }
}
