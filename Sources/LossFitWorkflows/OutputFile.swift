import Foundation

/// Writing an output so that a failed write loses nothing: a regular file is written through a
/// temporary file beside it and a rename, so it is either the old file or the new one; a symbolic
/// link is followed and its target written that way, so the link stays; a device or a pipe
/// (`/dev/null`, `/dev/stdout`, a FIFO) is written directly, since it cannot be replaced.
public enum OutputFile {
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
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
}
