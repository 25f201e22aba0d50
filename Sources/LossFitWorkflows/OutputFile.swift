import Foundation

/// Writing text or data through a temporary file and a rename, so a failed write leaves no half file.
public enum OutputFile {
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw WorkflowError.unwritable(path: path, reason: error.localizedDescription)
        }
    }
}
