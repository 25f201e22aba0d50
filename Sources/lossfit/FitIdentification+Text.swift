import ArgumentParser
import LossFitWorkflows
import ScalingLaws

extension FitIdentification {
    /// The verdict for the command line: the library's summary with the flags that act on its advice.
    var commandLineSummary: String {
        let hint: String? = switch cause {
        case .risingLoss: lowestLossStep.map { "--to-step \($0)" }
        case .notDecreasing: "--from-step, --to-step"
        case .tooFewPoints: "more LOGs, or --lambda 0.999 / --hold"
        case .curvesTooSimilar: "more LOGs, or --lambda 0.999 / --hold"
        case nil: nil
        }
        return summary + (hint.map { " (\($0))" } ?? "")
    }
}

/// Prints a warning on standard error when the fit read from `source` is not identified, or when
/// some of a committee's members are not.
func warnIfNotIdentified(_ result: FitResult, source: String) {
    guard let identification = result.identification else { return }
    if !identification.identified {
        printWarning("\(source): \(identification.commandLineSummary)")
    } else if let members = identification.members {
        printNote("\(source): not identified but outvoted in the committee: \(members.joined(separator: "; "))")
    }
}

/// `--allow-unidentified`: whether a command that predicts from a fit may use one whose parameters
/// do not describe its runs.
struct UnidentifiedFitOption: ParsableArguments {
    @Flag(name: .customLong("allow-unidentified"), help: "Predict even from a fit that does not identify its law's parameters (a parameter at a bound, of the wrong sign, or less than its standard error: see the fit's warning); the numbers and bands may mean nothing.")
    var allowsUnidentified = false

    /// Refuses a fit that is not identified unless allowed, then warns as `warnIfNotIdentified` does.
    func check(_ result: FitResult, path: String) throws {
        if let identification = result.identification, !identification.identified, !allowsUnidentified {
            throw CommandError("\(path): \(identification.commandLineSummary); predictions from it (and their bands) would mean nothing: refit as advised, or give --allow-unidentified to predict anyway")
        }
        warnIfNotIdentified(result, source: path)
    }
}
