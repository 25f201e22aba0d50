#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened once for reading, with the first bytes already read kept for whoever reads on.
///
/// A pipe, `/dev/stdin` or a process substitution (`<(…)`) can be read only once: opening it a
/// second time to read what format detection already consumed finds it empty, or waits forever
/// for a writer. So the format is recognised from `head`, and the reader starts with those bytes
/// and continues on the same descriptor.
final class OpenedFile {
    let path: String
    private let descriptor: Int32
    private var head: [UInt8] = []
    /// True once a read found the end: a terminal would otherwise wait for a second end-of-file.
    private var reachedEnd = false

    /// Opens `path` for reading; it must not be a directory.
    init(path: String) throws(LogReadError) {
        self.path = path
        descriptor = try FileBytes.openRegularFile(path)
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes from the start (fewer when the file is shorter) and keeps them to
    /// be read again, so that the format can be recognised before reading.
    func peek(_ count: Int) throws(LogReadError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let readCount = try bytes.withUnsafeMutableBytes { raw in
                Result { () throws(LogReadError) in try read(into: raw.baseAddress! + filled, count: count - filled) }
            }.get()
            if readCount == 0 { break }
            filled += readCount
        }
        bytes.removeSubrange(filled...)
        head = bytes
        return bytes
    }

    /// The bytes `peek` read, which the next reader must take before reading on; empty afterwards.
    func takeHead() -> [UInt8] {
        defer { head = [] }
        return head
    }

    /// Reads up to `count` bytes into `destination`; 0 at the end of the file.
    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(LogReadError) -> Int {
        while !reachedEnd {
            let readCount = systemRead(descriptor, destination, count)
            if readCount == 0 { reachedEnd = true }
            if readCount >= 0 { return readCount }
            let code = errno
            if code != EINTR { throw .unreadableFile(path: path, reason: FileBytes.describe(code)) }
        }
        return 0
    }
}

/// POSIX `read`, named apart from `OpenedFile.read(into:count:)`.
private func systemRead(_ descriptor: Int32, _ destination: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, destination, count)
}
