import Foundation
import ScalingLaws

/// Which exact schedule each log follows: a spec for one file, else a spec for all, else the spec
/// in the log's sidecar file (`LOG.schedule`), else none (the logged LR is interpolated).
public struct ScheduleAssignment: Sendable {
    private var shared: Schedule?
    private var byFile: [String: Schedule] = [:]

    /// No exact schedule: sidecars where there are some, else the logged LR.
    public init() {}

    /// - Parameters:
    ///   - specs: `SPEC` for every log, or `FILE=SPEC` for one (FILE is a path or a file name
    ///     among `paths`).
    ///   - paths: The logs.
    public init(_ specs: [String], paths: [String]) throws {
        for argument in specs {
            // A spec's family comes before its first colon; "FILE=" before that marks a per-file spec.
            let head = argument.prefix { $0 != ":" }
            if let equals = head.firstIndex(of: "=") {
                let file = String(argument[..<equals])
                guard let path = paths.first(where: { $0 == file || URL(fileURLWithPath: $0).lastPathComponent == file }) else {
                    throw WorkflowError.scheduleForUnknownLog(file: file)
                }
                byFile[path] = try Schedule(spec: String(argument[argument.index(after: equals)...]))
            } else {
                guard shared == nil else { throw WorkflowError.severalSharedSchedules }
                shared = try Schedule(spec: argument)
            }
        }
    }

    /// Where the schedule of a log comes from, for the user.
    public enum Origin: Sendable, Equatable {
        /// Given for the log; `ignoredSidecar` is the sidecar file that exists but is not used.
        case given(ignoredSidecar: String?)
        /// Read from the log's sidecar file.
        case sidecar(path: String)
    }

    /// The schedule `path` follows and where it came from, or nil to interpolate the logged LR.
    public func schedule(for path: String) throws -> (schedule: Schedule, origin: Origin)? {
        let sidecarPath = ScheduleSidecar.path(forLog: path)
        if let given = byFile[path] ?? shared {
            return (given, .given(ignoredSidecar: FileManager.default.fileExists(atPath: sidecarPath) ? sidecarPath : nil))
        }
        guard let sidecar = try ScheduleSidecar.schedule(forLog: path) else { return nil }
        return (sidecar, .sidecar(path: sidecarPath))
    }
}
