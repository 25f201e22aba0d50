import Foundation
import TestSupport
import Testing

/// notebooks-export/ is what `bash notebooks-export/regenerate.sh` makes from data/, byte for byte.
@Suite struct NotebooksExportTests {
    @Test func committedNotebooksMatchAFreshRegeneration() throws {
        let committed = SharedData.packageRoot.appendingPathComponent("notebooks-export")
        try withTemporaryDirectory { directory in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [committed.appendingPathComponent("regenerate.sh").path, directory.path, CLIRunner.executable.path]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "regenerate.sh exited \(process.terminationStatus)")
            let fresh = try files(under: directory)
            let expected = try files(under: committed).filter { $0 != "regenerate.sh" }
            #expect(fresh == expected, "the regeneration makes other files than are committed")
            #expect(fresh.contains { $0.hasSuffix(".ipynb") })
            for file in fresh where expected.contains(file) {
                let same = try Data(contentsOf: directory.appendingPathComponent(file)) == Data(contentsOf: committed.appendingPathComponent(file))
                #expect(same, "\(file) differs from a fresh regeneration: run bash notebooks-export/regenerate.sh and commit")
            }
        }
    }

    private func files(under root: URL) throws -> [String] {
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }
}
