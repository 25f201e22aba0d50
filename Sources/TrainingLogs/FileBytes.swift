#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files opened and read with plain POSIX calls, so that a failure can say exactly why (no such
/// file, a directory, no permission) rather than just "could not read".
enum FileBytes {
    /// The whole file, for formats that are one document (trainer_state.json).
    static func contents(ofFile path: String) throws(LogReadError) -> [UInt8] {
        var bytes: [UInt8] = []
        try ByteInput.file(path: path, chunkSize: ByteInput.defaultChunkSize).forEachWindow(lineAligned: false) { window, _, isFinal throws(LogReadError) in
            // Consuming nothing until the end makes the input grow to the whole file.
            if isFinal { bytes = Array(window) }
            return 0
        }
        return bytes
    }

    /// The first `count` bytes of the file (fewer when it is shorter), for recognising its format.
    static func prefix(ofFile path: String, count: Int) throws(LogReadError) -> [UInt8] {
        let descriptor = try openRegularFile(path)
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let readCount = bytes.withUnsafeMutableBytes { raw in read(descriptor, raw.baseAddress! + filled, count - filled) }
            if readCount < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .unreadableFile(path: path, reason: describe(code))
            }
            if readCount == 0 { break }
            filled += readCount
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// True when `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// A descriptor open for reading on the file at `path`, which must not be a directory.
    static func openRegularFile(_ path: String) throws(LogReadError) -> Int32 {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .fileNotFound(path: path) }
            throw .unreadableFile(path: path, reason: describe(code))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw .unreadableFile(path: path, reason: describe(code))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw .unreadableFile(path: path, reason: "it is a directory")
        }
        return descriptor
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
