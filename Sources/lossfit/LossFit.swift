import ArgumentParser
import LossFitReports
import LossFitWorkflows

@main
struct LossFit: ParsableCommand {
    /// Runs the command, turning the workflows' errors into messages that name the flags that fix
    /// them and quote long command-line values as excerpts; results that could not all be written
    /// to standard output make the run fail too.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            try StandardStreams.flushOutput()
        } catch {
            let hinted = ErrorHints.hinted(error)
            let message = fullMessage(for: hinted)
            let shortened = ArgumentQuoting.shortened(message, arguments: CommandLine.arguments.dropFirst())
            guard shortened != message, exitCode(for: hinted) != .success else { exit(withError: hinted) }
            StandardStreams.writeError(shortened + "\n")
            exit(withError: exitCode(for: hinted))
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "lossfit",
        abstract: "Fit loss-curve scaling laws to training logs and predict unseen learning-rate schedules.",
        discussion: """
            Typical use:
              lossfit fit -o fit.json run_cosine.csv run_constant.csv
              lossfit evaluate --fit fit.json run_wsd.csv
              lossfit predict --fit fit.json --schedule wsd:peak=3e-4,warmup=2000,total=24000,decay=0.2
            Schedule specs: FAMILY:key=value,… with FAMILY one of \(scheduleFamiliesHelp).
            """,
        version: LossFitVersion.current,
        subcommands: [Demo.self, Report.self, ExportNotebook.self, Inspect.self, Fit.self, Evaluate.self, Predict.self, Compare.self, Optimize.self, Plan.self, ScheduleCommand.self, Refine.self, SweepCommand.self, Recommend.self, Transfer.self, Simulate.self, Bench.self, Evidence.self])
}
