import Foundation
import TestSupport
import Testing

/// notebooks-export/ is what `bash notebooks-export/regenerate.sh` makes from data/, byte for byte.
@Suite struct NotebooksExportTests {
    @Test func committedNotebooksMatchAFreshRegeneration() throws {
        let committed = SharedData.packageRoot.appendingPathComponent("notebooks-export")
        try withTemporaryDirectory { directory in
            let regeneration = try CLIRunner.run(URL(fileURLWithPath: "/bin/bash"),
                                                 [committed.appendingPathComponent("regenerate.sh").path, directory.path, CLIRunner.executable.path])
            try #require(regeneration.status == 0, "regenerate.sh exited \(regeneration.status): \(regeneration.stderr)")
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
