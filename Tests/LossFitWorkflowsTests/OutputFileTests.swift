import Foundation
import LossFitWorkflows
import Testing

/// Outputs replace a regular file whole, write a symbolic link's target and keep the link, and
/// write devices in place instead of replacing them with a file.
@Suite struct OutputFileTests {
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outputfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aSymbolicLinkStaysALinkAndItsTargetIsWritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("real.json"), link = directory.appendingPathComponent("link.json")
        try "old".write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        try OutputFile.write("new", to: link.path)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new")
    }

    @Test func aDeviceIsWrittenInPlace() throws {
        guard FileManager.default.fileExists(atPath: "/dev/null") else { return }
        try OutputFile.write("discarded", to: "/dev/null")
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
    }

    @Test func aDirectoryIsAClearError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: WorkflowError.unwritable(path: directory.path, reason: "it is a directory; give a file name")) {
            try OutputFile.write("x", to: directory.path)
        }
    }

    @Test func aRegularFileIsReplacedWhole() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("fit.json")
        try "a much longer old content".write(to: file, atomically: true, encoding: .utf8)
        try OutputFile.write("new", to: file.path)
        #expect(try String(contentsOf: file, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["fit.json"], "no temporary file left")
    }
}
