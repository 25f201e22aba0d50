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
    /// True when `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// True when `path` names something that can be read only once: a pipe, a socket, a terminal.
    static func isStream(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
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
