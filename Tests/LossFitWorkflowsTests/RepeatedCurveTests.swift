import Foundation
import LossFitWorkflows
import Testing

/// A curve given twice (or a copy) would count as two runs (issue #17).
@Suite struct RepeatedCurveTests {
    @Test func theSameCurveTwiceIsRefusedWhenLoading() throws {
        let cosine = WorkflowFixtures.bundled("cosine_20000")
        #expect(throws: WorkflowError.repeatedCurve(source: cosine, sameAs: cosine)) {
            try CurveLoading.load([cosine, cosine], options: CurveLoadingOptions())
        }
    }
}
