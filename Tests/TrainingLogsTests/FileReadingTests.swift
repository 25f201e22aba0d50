import Foundation
import Testing
import TestSupport
import TrainingLogs

@Suite struct FileReadingTests {
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("TrainingLogsTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func readsAFileAndNamesTheLogAfterIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wsd_run.v2.tsv").path
        try Data("step\tlr\tloss\n2\t0.1\t3\n1\t0.1\t3.5\n".utf8).write(to: URL(fileURLWithPath: path))
        let log = try TrainingLogReader.read(path)
        #expect(log.name == "wsd_run.v2")
        #expect(log.source == path)
        #expect(log.format == .tsv)
        #expect(log.loss.steps == [1, 2])
    }

    @Test func readsALargeFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.csv").path
        let text = "step,loss\n" + (0..<100_000).map { "\($0),\(3 + 1 / Double($0 + 1))" }.joined(separator: "\n")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let log = try TrainingLogReader.read(path)
        #expect(log.loss.count == 100_000)
        #expect(log.loss.steps.last == 99_999)
    }

    @Test func missingFile() {
        #expect(throws: LogReadError.fileNotFound(path: "/nonexistent/run.csv")) {
            try TrainingLogReader.read("/nonexistent/run.csv")
        }
        #expect(LogReadError.fileNotFound(path: "/nonexistent/run.csv").description == "/nonexistent/run.csv: no such file; check the path")
    }

    @Test func aDirectoryWithoutEventFilesIsNotALog() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = LogReadError.noEventFiles(directory: directory.path)
        #expect(throws: expected) { try TrainingLogReader.read(directory.path) }
        #expect(expected.description == "\(directory.path): no TensorBoard event files (events.out.tfevents.*) in this directory or below")
        let forced = LogReadError.unreadableFile(path: directory.path, reason: "it is a directory; only a TensorBoard run can be a directory")
        #expect(throws: forced) { try TrainingLogReader.read(directory.path, options: LogReadOptions(format: .csv)) }
    }

    @Test(.enabled(if: SharedData.shouldRun))
    func readsAPublishedLossCurve() throws {
        let url = SharedData.url("mpl/100/cosine_24000.csv")
        try #require(FileManager.default.fileExists(atPath: url.path))
        let log = try TrainingLogReader.read(url.path)
        #expect(log.name == "cosine_24000")
        #expect(log.loss.count == 171)
        #expect(log.loss.steps.first == 2160)
        #expect(log.loss.steps.last == 23920)
        #expect(log.learningRate?.count == 171)
        #expect(log.skipped.isEmpty)
        #expect(log.replacedSteps == 0)
        #expect(log.loss.values.first.map { isClose($0, 3.7755, relativeTolerance: 0) } == true)
    }
}
