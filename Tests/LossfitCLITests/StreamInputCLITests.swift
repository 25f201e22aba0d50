import Foundation
import Testing

/// `cat run.csv | lossfit fit /dev/stdin` fits the log that `lossfit fit run.csv` fits: the input
/// is read once, so a pipe gives every byte to the reader.
@Suite struct StreamInputCLITests {
    /// Runs `lossfit` with `input` written into its standard input through a pipe.
    private func run(_ arguments: [String], piping input: Data, in directory: URL) throws -> CLIRunner.Output {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let inputPipe = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let writer = inputPipe.fileHandleForWriting
        Thread {
            try? writer.write(contentsOf: input)
            try? writer.close()
        }.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRunner.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func fitReadsALogFromStandardInput() throws {
        try withTemporaryDirectory { directory in
            let log = BundledLogs.url("cosine_20000")
            try runSucceeding(["fit", "-o", "from-file.json", log.path], in: directory)
            let piped = try run(["fit", "-o", "from-pipe.json", "/dev/stdin"], piping: Data(contentsOf: log), in: directory)
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(!piped.stderr.contains("empty"))
            // The same bytes give the same fit; only the curve's name (after the path) and its source's path differ.
            let fromFile = try String(contentsOf: directory.appendingPathComponent("from-file.json"), encoding: .utf8)
            let fromPipe = try String(contentsOf: directory.appendingPathComponent("from-pipe.json"), encoding: .utf8)
            var renamed = fromPipe.replacingOccurrences(of: "\"stdin\"", with: "\"cosine_20000\"")
            for escape in ["/", "\\/"] {
                renamed = renamed.replacingOccurrences(of: "\"" + "/dev/stdin".replacingOccurrences(of: "/", with: escape) + "\"",
                                                       with: "\"" + log.path.replacingOccurrences(of: "/", with: escape) + "\"")
            }
            #expect(renamed == fromFile)
        }
    }
}
