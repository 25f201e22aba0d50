import Foundation
import ScalingLaws

/// Which exact schedule each log follows: a spec for one file, else a spec for one run of a file
/// holding several (a W&B panel export), else a spec for all, else the spec in the log's sidecar
/// file (`LOG.schedule`), else none (the logged LR is interpolated).
public struct ScheduleAssignment: Sendable {
    private var shared: Schedule?
    private var byFile: [String: Schedule] = [:]
    /// Specs for names that are not among the paths: runs inside the files, checked once the
    /// files are read (`checkRunNames`).
    private var byRun: [String: Schedule] = [:]

    /// No exact schedule: sidecars where there are some, else the logged LR.
    public init() {}

    /// - Parameters:
    ///   - specs: `SPEC` for every log, `FILE=SPEC` for one (FILE is a path or a file name among
    ///     `paths`), or `RUN=SPEC` for one run of a file holding several.
    ///   - paths: The logs.
    public init(_ specs: [String], paths: [String]) throws {
        for argument in specs {
            // A spec's family comes before its first colon; "FILE=" before that marks a per-file spec.
            let head = argument.prefix { $0 != ":" }
            if let equals = head.firstIndex(of: "=") {
                let file = String(argument[..<equals])
                let schedule = try Schedule(spec: String(argument[argument.index(after: equals)...]))
                if let path = paths.first(where: { $0 == file || URL(fileURLWithPath: $0).lastPathComponent == file }) {
                    byFile[path] = schedule
                } else {
                    byRun[file] = schedule
                }
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

    /// The schedule `path` (its run `run`, when the file holds several) follows and where it came
    /// from, or nil to interpolate the logged LR.
    public func schedule(for path: String, run: String? = nil) throws -> (schedule: Schedule, origin: Origin)? {
        let sidecarPath = ScheduleSidecar.path(forLog: path)
        if let given = byFile[path] ?? run.flatMap({ byRun[$0] }) ?? shared {
            return (given, .given(ignoredSidecar: FileManager.default.fileExists(atPath: sidecarPath) ? sidecarPath : nil))
        }
        guard let sidecar = try ScheduleSidecar.schedule(forLog: path) else { return nil }
        return (sidecar, .sidecar(path: sidecarPath))
    }

    /// Checks that every name given a schedule that is not a file is one of `runs`, the runs read
    /// from files holding several.
    /// - Throws: `WorkflowError.scheduleForUnknownLog` when no file held several runs,
    ///   `.scheduleForUnknownRun` listing them otherwise.
    public func checkRunNames(_ runs: [String]) throws(WorkflowError) {
        guard let unknown = byRun.keys.sorted().first(where: { !runs.contains($0) }) else { return }
        if runs.isEmpty { throw .scheduleForUnknownLog(file: unknown) }
        throw .scheduleForUnknownRun(name: unknown, runs: runs)
    }
}
