import LossFitReports
import LossFitWorkflows

/// Prints a command's results where the user reads them: standard output, or standard error when
/// `-o -` gives standard output to the file the command writes, so that it arrives there alone.
struct ResultPrinter {
    let toStandardError: Bool

    /// - Parameter outputs: The command's output paths (nil: not written).
    init(outputs: String?...) {
        toStandardError = outputs.contains(OutputFile.standardOutput)
    }

    func callAsFunction(_ text: String = "", terminator: String = "\n") {
        if toStandardError {
            StandardStreams.writeError(text + terminator)
        } else {
            print(text, terminator: terminator)
        }
    }
}
