import Foundation
import LossFitWorkflows
import ScalingLaws
import Testing

/// A curve given twice (or a copy) would count as two runs (issue #17).
@Suite struct RepeatedCurveTests {
    @Test func theSameCurveTwiceIsRefusedWhenLoading() throws {
        let cosine = WorkflowFixtures.bundled("cosine_20000")
        #expect(throws: WorkflowError.repeatedCurve(source: cosine, sameAs: cosine)) {
            try CurveLoading.load([cosine, cosine], options: CurveLoadingOptions())
        }
    }

    @Test func aLogWhoseLearningRateIsZeroThroughoutIsRefused() throws {
        let directory = try WorkflowFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("zero.csv").path
        try "step,lr,loss\n0,0,3\n100,0,2.9\n200,0,2.8\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CurveError.zeroLearningRate(curve: path)) {
            try CurveLoading.load([path], options: CurveLoadingOptions(fromStep: 0))
        }
    }
}
