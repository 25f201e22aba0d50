// C's stdout is a global variable; @preconcurrency lets Swift 6 name it (the FILE locks itself).
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation

/// Writing an output so that a failed write loses nothing: a regular file is written through a
/// temporary file beside it and a rename, so it is either the old file or the new one; a symbolic
/// link is followed and its target written that way, so the link stays; a device or a pipe
/// (`/dev/null`, `/dev/stdout`, a FIFO) is written directly, since it cannot be replaced. The path
/// `-` is standard output, after what was printed there before.
public enum OutputFile {
    /// The path that stands for standard output.
    public static let standardOutput = "-"

    /// How a path reads in messages: `standard output` for `-`, else the path.
    public static func displayName(_ path: String) -> String {
        path == standardOutput ? "standard output" : path
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// - Throws: `WorkflowError.unwritable` for a directory or a file that cannot be written,
    ///   `.unwritableStandardOutput` for standard output that cannot take it all (a full disk).
    public static func write(_ data: Data, to path: String) throws {
        if path == standardOutput {
            try writeStandardOutput(data)
            return
        }
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let type = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.type] as? FileAttributeType
        do {
            switch type {
            case nil, .typeRegular?:
                try data.write(to: target, options: .atomic)
            case .typeDirectory?:
                throw WorkflowError.unwritable(path: path, reason: "it is a directory; give a file name")
            default:
                let handle = try FileHandle(forWritingTo: target)
                defer { try? handle.close() }
                try handle.write(contentsOf: data)
            }
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw WorkflowError.unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// Writes `data` to standard output through C's stream, behind what `print` buffered there, and
    /// flushes it so that a failure is known here rather than lost at exit.
    private static func writeStandardOutput(_ data: Data) throws(WorkflowError) {
        let written = data.withUnsafeBytes { bytes in
            bytes.isEmpty ? 0 : fwrite(bytes.baseAddress, 1, bytes.count, stdout)
        }
        let flushed = fflush(stdout) == 0
        let code = errno
        guard written == data.count, flushed, ferror(stdout) == 0 else {
            throw .unwritableStandardOutput(reason: String(cString: strerror(code)))
        }
    }
}
