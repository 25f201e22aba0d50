// C's stdout and stderr are global variables; @preconcurrency lets Swift 6 name them (each
// FILE locks itself).
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation
import LossFitWorkflows

/// Standard output and error through C's streams, whose failures (a full disk, a closed pipe's
/// descriptor) are reported rather than trapping as `FileHandle.write` does.
enum StandardStreams {
    /// Writes `text` to standard error; when that fails there is nowhere left to say so, and the
    /// results on standard output still matter, so the failure is ignored.
    static func writeError(_ text: String) {
        fputs(text, stderr)
    }

    /// Flushes standard output, where `print` buffers results.
    /// - Throws: `CommandError` when any write to it failed, so that the run exits non-zero.
    static func flushOutput() throws {
        let flushed = fflush(stdout) == 0
        let code = errno
        guard flushed && ferror(stdout) == 0 else {
            let reason = flushed ? "a write failed" : String(cString: strerror(code))
            throw CommandError("cannot write the results to standard output (\(reason)); check the disk or where the output goes")
        }
    }
}

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
