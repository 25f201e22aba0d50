import Foundation

/// A schedule spec kept in a file beside a log: `run.csv.schedule` for `run.csv`.
///
/// The file holds one spec; blank lines and lines starting with `#` are ignored, so the file can
/// say where the spec came from:
/// ```
/// # from train.py --lr 3e-4 --warmup 2160 --steps 24000
/// cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000
/// ```
public enum ScheduleSidecar {
    /// The sidecar's file name extension, appended to the log's full name.
    public static let fileExtension = "schedule"

    /// The sidecar path for the log at `logPath`.
    public static func path(forLog logPath: String) -> String {
        logPath + "." + fileExtension
    }

    /// The schedule in the sidecar of the log at `logPath`, or nil when there is no sidecar.
    public static func schedule(forLog logPath: String) throws(ScheduleSidecarError) -> Schedule? {
        let sidecar = path(forLog: logPath)
        guard FileManager.default.fileExists(atPath: sidecar) else { return nil }
        guard let data = FileManager.default.contents(atPath: sidecar) else { throw .unreadable(file: sidecar) }
        guard let text = String(data: data, encoding: .utf8) else { throw .notText(file: sidecar) }
        return try parse(text, file: sidecar)
    }

    /// The one schedule spec in a sidecar's text.
    public static func parse(_ text: String, file: String) throws(ScheduleSidecarError) -> Schedule {
        var found: (line: Int, spec: String)?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            if let found { throw .secondSpec(file: file, firstLine: found.line, line: index + 1) }
            found = (index + 1, line)
        }
        guard let found else { throw .empty(file: file) }
        do {
            return try Schedule(spec: found.spec)
        } catch {
            throw .invalidSpec(file: file, line: found.line, reason: error)
        }
    }
}

/// Why a schedule sidecar file cannot be used.
public enum ScheduleSidecarError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file exists but cannot be read.
    case unreadable(file: String)
    /// The file is not UTF-8 text.
    case notText(file: String)
    /// The file has no spec, only blank or comment lines.
    case empty(file: String)
    /// The file has more than one spec line.
    case secondSpec(file: String, firstLine: Int, line: Int)
    /// The spec on `line` is not a valid schedule.
    case invalidSpec(file: String, line: Int, reason: ScheduleError)

    public var description: String {
        switch self {
        case .unreadable(let file):
            return "\(file): cannot read the schedule sidecar; check its permissions or remove it"
        case .notText(let file):
            return "\(file): the schedule sidecar is not UTF-8 text; write one schedule spec in it"
        case .empty(let file):
            return "\(file): the schedule sidecar holds no spec; write one line such as cosine:peak=3e-4,end=3e-5,warmup=2000,total=24000, or remove the file"
        case .secondSpec(let file, let firstLine, let line):
            return "\(file):\(line): a second schedule spec (the first is on line \(firstLine)); keep one spec per sidecar, or comment the other out with #"
        case .invalidSpec(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        }
    }
}
