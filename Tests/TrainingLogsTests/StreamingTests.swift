import Foundation
import Testing
import TestSupport
@testable import TrainingLogs

/// Files are read in chunks; whatever the chunk size, and wherever a line, a quoted field or a
/// record is cut, the result is the one of reading the whole file at once.
@Suite struct StreamingTests {
    private let fixtures = [
        ("wandb/history.csv", LogFormat.csv), ("wandb/panel.csv", .wandbPanel), ("jsonl/metrics.jsonl", .jsonl),
        ("text/nanogpt.log", .nanoGPT), ("text/megatron.log", .megatron),
        ("tensorboard/tbx/events.out.tfevents.1700000100.fixture", .tensorboard),
    ]

    private func read(_ path: String, format: LogFormat, chunkSize: Int, surveys: Bool = false) throws -> LogReading {
        try TrainingLogReader.read(.file(path: path, chunkSize: chunkSize), format: format, source: path,
                                   options: LogReadOptions(), surveys: surveys)
    }

    @Test func everyChunkSizeGivesTheSameLogs() throws {
        for (relativePath, format) in fixtures {
            let path = Fixtures.path(relativePath)
            let whole = try TrainingLogReader.parse(Fixtures.bytes(relativePath), source: path, options: LogReadOptions(format: format))
            for chunkSize in [1, 2, 3, 7, 16, 61, 256, 4096] {
                let chunked = try read(path, format: format, chunkSize: chunkSize).logs.get()
                #expect(chunked == whole, "\(relativePath) in chunks of \(chunkSize)")
            }
        }
    }

    @Test func quotedFieldsSpanningChunksAndLineEnds() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "\u{FEFF}step,\"note\nwith line\",loss\r\n1,\"a\r\nb\",3\r\n2,\"\"\"q\"\"\",2.5\r\n\r\n3,x,2.25"
        let path = directory.appendingPathComponent("quoted.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let whole = try TrainingLogReader.parseCSV(text, source: path)
        #expect(whole.loss.steps == [1, 2, 3])
        for chunkSize in 1...40 {
            #expect(try read(path, format: .csv, chunkSize: chunkSize).logs.get() == [whole], "chunks of \(chunkSize)")
        }
        let broken = text + "\n4,\"open,2\n"
        try Data(broken.utf8).write(to: URL(fileURLWithPath: path))
        for chunkSize in [1, 5, 64] {
            #expect(throws: LogReadError.unterminatedQuote(file: path, line: 8, column: "note\nwith line")) {
                try read(path, format: .csv, chunkSize: chunkSize).logs.get()
            }
        }
    }

    @Test func memoryFollowsTheSeriesKeptNotTheFile() throws {
        // A JSON lines file whose lines carry a large unused payload: the reader keeps two numbers
        // per line, so the buffer stays one chunk however long the file is.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wide.jsonl").path
        let padding = String(repeating: "x", count: 4000)
        let text = (1...2000).map { "{\"step\": \($0), \"loss\": \(3 + 1 / Double($0)), \"blob\": \"\(padding)\"}" }.joined(separator: "\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var largestWindow = 0
        try ByteInput.file(path: path, chunkSize: 1 << 16).forEachWindow(lineAligned: true) { window, _, _ throws(LogReadError) in
            largestWindow = max(largestWindow, window.count)
            return window.count
        }
        #expect(largestWindow <= 1 << 16)
        #expect(try TrainingLogReader.read(path).loss.count == 2000)
    }
}
