import Foundation
import TestSupport
import Testing

/// Results that cannot be written (standard output on a full disk, here /dev/full) make the run
/// exit 1 with one line on standard error; an unwritable standard error loses only the notes.
/// Neither traps.
@Suite(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full"), "needs /dev/full (Linux)"))
struct UnwritableOutputTests {
    struct Outcome {
        var exited: Bool
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs lossfit with standard output, standard error or both on /dev/full; the others are captured.
    private func run(_ arguments: [String], fullOutput: Bool, fullError: Bool) throws -> Outcome {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = fullOutput ? try #require(FileHandle(forWritingAtPath: "/dev/full")) : out
        process.standardError = fullError ? try #require(FileHandle(forWritingAtPath: "/dev/full")) : err
        try process.run()
        let stdout = fullOutput ? Data() : out.fileHandleForReading.readDataToEndOfFile()
        let stderr = fullError ? Data() : err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(exited: process.terminationReason == .exit, status: process.terminationStatus,
                       stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static let fit = SharedData.packageRoot.appendingPathComponent("Tests/LossFitWorkflowsTests/Fixtures/base/fit-annealing.json").path

    @Test(arguments: [
        ["refine", BundledLogs.url("cosine_20000").path, "--total", "20000", "--peak", "0.6"],
        ["predict", "--fit", fit, "--schedule", "cosine:peak=0.6,end=0.06,warmup=200,total=20000"],
        ["schedule", "cosine:peak=0.6,total=100000", "--format", "csv"],
    ])
    func aFullStandardOutputFailsWithOneLine(arguments: [String]) throws {
        let outcome = try run(arguments, fullOutput: true, fullError: false)
        #expect(outcome.exited && outcome.status == 1, "status \(outcome.status), stderr \(outcome.stderr)")
        let errors = outcome.stderr.split(separator: "\n").filter { !$0.hasPrefix("note:") }
        #expect(errors.count == 1 && errors.first?.hasPrefix("Error: cannot write the results to standard output (") == true,
                "stderr: \(outcome.stderr)")
    }

    /// Notes and warnings that cannot be written are lost; the results still come out.
    @Test func aFullStandardErrorKeepsTheResults() throws {
        let outcome = try run(["fit", "--no-baselines"] + BundledLogs.paths(["cosine_20000", "constant_20000"]), fullOutput: false, fullError: true)
        #expect(outcome.exited && outcome.status == 0, "status \(outcome.status)")
        #expect(outcome.stdout.contains("L0") && outcome.stdout.contains("lambda"))
    }

    /// With nowhere to write even the error, the status still says the run failed.
    @Test func bothFullStillExitsOne() throws {
        let outcome = try run(["predict", "--fit", Self.fit, "--schedule", "constant:peak=0.6,total=1000"], fullOutput: true, fullError: true)
        #expect(outcome.exited && outcome.status == 1, "status \(outcome.status)")
    }
}
