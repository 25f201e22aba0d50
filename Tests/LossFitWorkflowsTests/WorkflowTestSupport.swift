import Foundation
import LossFitWorkflows
import TestSupport

/// Paths the workflow tests read.
enum WorkflowFixtures {
    /// FIT.json files and predictions written by the version before FIT.json carried a format number.
    static let baseDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/base")

    /// A bundled example log in data/.
    static func bundled(_ name: String) -> String {
        SharedData.packageRoot.appendingPathComponent("data/\(name).csv").path
    }

    /// The three runs the demo fits.
    static let trainingRuns = ["cosine_20000", "constant_20000", "twostage_0.2"].map(bundled)

    /// A fresh directory for files a test writes.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-workflows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
