// C's stdout and stderr are global variables; @preconcurrency lets Swift 6 name them (each
// FILE locks itself). The one file that writes them, for the tool's results and notes and the
// progress bar's redraws alike.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// Standard output and error through C's streams, whose failures (a full disk, a closed pipe's
/// descriptor) are reported rather than trapping as `FileHandle.write` does.
public enum StandardStreams {
    /// Results that could not all be written to standard output.
    public struct OutputError: Error, CustomStringConvertible {
        /// Why, e.g. "No space left on device".
        public var reason: String

        public var description: String {
            "cannot write the results to standard output (\(reason)); check the disk or where the output goes"
        }
    }

    /// Writes `text` to standard error; when that fails there is nowhere left to say so, and the
    /// results on standard output still matter, so the failure is ignored.
    public static func writeError(_ text: String) {
        fputs(text, stderr)
    }

    /// Flushes standard output, where `print` buffers results.
    /// - Throws: `OutputError` when any write to it failed, so that the run exits non-zero.
    public static func flushOutput() throws(OutputError) {
        let flushed = fflush(stdout) == 0
        let code = errno
        guard flushed && ferror(stdout) == 0 else {
            throw OutputError(reason: flushed ? "a write failed" : String(cString: strerror(code)))
        }
    }
}
