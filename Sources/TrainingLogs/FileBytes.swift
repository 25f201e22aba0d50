#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole files read into memory with plain POSIX calls, so that a failure can say exactly why
/// (no such file, a directory, no permission) rather than just "could not read".
enum FileBytes {
    static func contents(ofFile path: String) throws(LogReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .fileNotFound(path: path) }
            throw .unreadableFile(path: path, reason: describe(code))
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadableFile(path: path, reason: describe(errno)) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw .unreadableFile(path: path, reason: "it is a directory") }

        // The size is a hint only: pipes and special files report 0, and files can grow meanwhile.
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 65_536))) }
            let readCount = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if readCount < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .unreadableFile(path: path, reason: describe(code))
            }
            if readCount == 0 { break }
            count += readCount
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
