#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes a reader walks: a file read in chunks, or a buffer already in memory.
///
/// A file is opened and read once, front to back, so that pipes, `/dev/stdin` and process
/// substitutions read like regular files: an `OpenedFile` carries the bytes already taken from it
/// (for recognising the format) and the reader starts with them. Readers see the input as a sequence of windows and say how much of each they consumed; what
/// they leave is handed to them again at the start of the next window, with more bytes after it.
/// So memory holds one chunk (grown only when a single line or record is larger), not the file.
enum ByteInput {
    /// The file at `path`, opened when the walk starts.
    case file(path: String, chunkSize: Int)
    /// A file opened earlier, read on from where its `head` ends.
    case opened(OpenedFile, chunkSize: Int)
    case memory(UnsafeBufferPointer<UInt8>)

    /// The chunk size for files: large enough that per-chunk costs vanish, small enough to stay in
    /// cache-friendly territory.
    static let defaultChunkSize = 1 << 20

    /// A reader of one window.
    ///
    /// - Parameters:
    ///   - window: the bytes available; with line alignment, ending just after a line feed unless
    ///     it is the final window.
    ///   - offset: the byte offset of `window[0]` in the input.
    ///   - isFinal: true when no bytes follow the window.
    /// - Returns: how many bytes from the start of the window were consumed. Returning 0 for a
    ///   window that is not final asks for a larger window. The final window counts as consumed.
    typealias WindowReader = (_ window: UnsafeBufferPointer<UInt8>, _ offset: Int, _ isFinal: Bool) throws(LogReadError) -> Int

    /// Hands the input to `reader` window by window.
    ///
    /// - Parameter lineAligned: end every window but the last just after a line feed, so that line
    ///   readers never see half a line. A file without line feeds is then read whole.
    func forEachWindow(lineAligned: Bool, _ reader: WindowReader) throws(LogReadError) {
        switch self {
        case .memory(let buffer):
            _ = try reader(buffer, 0, true)
        case .file(let path, let chunkSize):
            try Self.readFile(OpenedFile(path: path), chunkSize: max(chunkSize, 1), lineAligned: lineAligned, reader)
        case .opened(let file, let chunkSize):
            try Self.readFile(file, chunkSize: max(chunkSize, 1), lineAligned: lineAligned, reader)
        }
    }

    /// All the bytes, for formats that are one document (trainer_state.json).
    func contents() throws(LogReadError) -> [UInt8] {
        var bytes: [UInt8] = []
        try forEachWindow(lineAligned: false) { window, _, isFinal throws(LogReadError) in
            // Consuming nothing until the end makes the window grow to the whole input.
            if isFinal { bytes = Array(window) }
            return 0
        }
        return bytes
    }

    private static func readFile(_ file: OpenedFile, chunkSize: Int, lineAligned: Bool, _ reader: WindowReader) throws(LogReadError) {
        let head = file.takeHead()
        var buffer = head
        buffer.append(contentsOf: repeatElement(0, count: max(chunkSize - head.count, 0)))
        var filled = head.count
        var offset = 0
        var isAtEnd = false
        while true {
            while filled < buffer.count && !isAtEnd {
                let readCount = try buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(LogReadError) in try file.read(into: raw.baseAddress! + filled, count: raw.count - filled) }
                }.get()
                if readCount == 0 { isAtEnd = true }
                filled += readCount
            }
            var windowEnd = filled
            if !isAtEnd && lineAligned {
                windowEnd = buffer.withUnsafeBufferPointer { bytes in
                    var index = filled
                    while index > 0 && bytes[index - 1] != UInt8(ascii: "\n") { index -= 1 }
                    return index
                }
            }
            let consumed: Int
            if windowEnd == 0 && !isAtEnd {
                consumed = 0
            } else {
                consumed = try buffer.withUnsafeBufferPointer { bytes throws(LogReadError) in
                    try reader(UnsafeBufferPointer(rebasing: bytes[0..<windowEnd]), offset, isAtEnd)
                }
            }
            if isAtEnd { return }
            if consumed == 0 {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            } else {
                buffer.withUnsafeMutableBytes { raw in
                    let base = raw.baseAddress!
                    base.copyMemory(from: base + consumed, byteCount: filled - consumed)
                }
                filled -= consumed
                offset += consumed
            }
        }
    }
}
