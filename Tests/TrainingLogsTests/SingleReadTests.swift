#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import TrainingLogs

/// Inputs that can be read only once (a named pipe, `/dev/stdin`, `<(…)`) read like regular files:
/// the format is recognised from the bytes read for it, and reading goes on from there.
@Suite struct SingleReadTests {
    private static let csv = "step,lr,loss\n" + (1...3000).map { "\($0),0.001,\(3 + 1 / Double($0))" }.joined(separator: "\n") + "\n"

    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-single-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Writes `bytes` to the descriptor `open` gives, on another thread, then closes it.
    private func writeInBackground(_ bytes: [UInt8], open: @escaping @Sendable () -> Int32) -> Thread {
        let thread = Thread {
            let descriptor = open()
            guard descriptor >= 0 else { return }
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
                if count <= 0 { break }
                written += count
            }
            close(descriptor)
        }
        thread.start()
        return thread
    }

    /// Runs `body` on another thread and waits for it. A reader that opened the input a second
    /// time would wait forever for a writer; after a minute the test opens the pipe for writing
    /// itself, which gives that reader an end of file, and fails.
    private func readWithoutHanging<T: Sendable>(fifo: String?, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<T, any Error>?
        Thread {
            outcome = Result { try body() }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 60) == .timedOut {
            Issue.record("reading did not finish: the input was opened twice")
            if let fifo {
                let descriptor = open(fifo, O_WRONLY | O_NONBLOCK)
                if descriptor >= 0 { close(descriptor) }
            }
            done.wait()
        }
        return try outcome!.get()
    }

    @Test func aNamedPipeIsReadOnce() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("run.csv").path
        try #require(mkfifo(fifo, 0o600) == 0)
        _ = writeInBackground(Array(Self.csv.utf8)) { open(fifo, O_WRONLY) }
        let log = try readWithoutHanging(fifo: fifo) { try TrainingLogReader.read(fifo) }
        #expect(log == (try TrainingLogReader.parseCSV(Self.csv, source: fifo)))
        #expect(log.loss.count == 3000)
    }

    @Test func everyFormatReadsFromAPipe() throws {
        let fixtures = ["wandb/history.csv", "jsonl/metrics.jsonl", "huggingface/run/checkpoint-200/trainer_state.json", "text/nanogpt.log",
                        "text/megatron.log", "tensorboard/tbx/events.out.tfevents.1700000100.fixture"]
        for relativePath in fixtures {
            let bytes = try Fixtures.bytes(relativePath)
            var descriptors: [Int32] = [0, 0]
            try #require(pipe(&descriptors) == 0)
            let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
            defer { close(readEnd) }
            // The path `<(…)` and `/dev/stdin` of a pipe give: a descriptor's entry in /dev/fd.
            let path = "/dev/fd/\(readEnd)"
            _ = writeInBackground(bytes) { writeEnd }
            let fromPipe = try readWithoutHanging(fifo: nil) { try TrainingLogReader.readAll(path) }
            let fromMemory = try TrainingLogReader.parse(bytes, source: path)
            #expect(fromPipe == fromMemory, "\(relativePath)")
            #expect(fromPipe.first.map { $0.loss.count > 0 } == true, "\(relativePath)")
        }
    }

    @Test func gradientNormsFoundByNameReadFromAPipe() throws {
        let text = "step,lr,loss,grad_norm\n1,0.001,3.5,1.25\n2,0.001,3.25,1.125\n3,0.001,3.125,\n"
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
        defer { close(readEnd) }
        _ = writeInBackground(Array(text.utf8)) { writeEnd }
        let path = "/dev/fd/\(readEnd)"
        let read = try readWithoutHanging(fifo: nil) { try GradientNormReader.read(path) }
        #expect(read.column == "grad_norm")
        #expect(read.norms.steps == [1, 2])
        #expect(read.norms.values == [1.25, 1.125])
    }

    @Test func anEmptyPipeIsAnEmptyFile() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        close(descriptors[1])
        defer { close(descriptors[0]) }
        let path = "/dev/fd/\(descriptors[0])"
        #expect(throws: LogReadError.emptyFile(file: path)) { try TrainingLogReader.read(path) }
    }
}
