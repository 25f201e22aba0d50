import Foundation
import ScalingLaws
import Testing
import TestSupport

/// The committee's combination rule and its law, against values worked by hand.
@Suite struct CommitteeTests {
    @Test func combineTakesTheMedianAndHalfTheMiddleGap() throws {
        let four = Committee.combine([3.0, 1.0, 4.0, 2.0])
        #expect(isClose(four.loss, 2.5, relativeTolerance: 1e-15))
        #expect(isClose(four.spread, 0.5, relativeTolerance: 1e-15))
        #expect(Set(four.middle) == [3, 0])
        let three = Committee.combine([5.0, 1.0, 2.0])
        #expect(isClose(three.loss, 2, relativeTolerance: 1e-15))
        #expect(isClose(three.spread, 1, relativeTolerance: 1e-15), "a quarter of the gap between the median's neighbours (5 − 1)")
        #expect(three.middle == [2])
        let one = Committee.combine([7.0])
        #expect(isClose(one.loss, 7, relativeTolerance: 1e-15) && one.spread == 0 && one.middle == [0])
        let two = Committee.combine([1.0, 2.0])
        #expect(isClose(two.loss, 1.5, relativeTolerance: 1e-15) && isClose(two.spread, 0.5, relativeTolerance: 1e-15))
    }

    /// One member far off does not move the median of four.
    @Test func anOutlyingMemberIsDiscarded() throws {
        let base = Committee.combine([2.00, 2.01, 2.02, 2.03])
        let outlier = Committee.combine([2.00, 2.01, 2.02, 9.0])
        #expect(isClose(base.loss, outlier.loss, relativeTolerance: 1e-15))
    }

    /// The committee law predicts the median of its members at every step, and its parameters are
    /// the members' in order, so replacing them rebuilds the same members.
    @Test func theLawIsTheMedianOfItsMembers() throws {
        let members: [FittedLaw] = [
            .annealing(AnnealingLaw(l0: 2.0, a: 1.5, alpha: 0.5, c: 0.3, lambda: 0.999, warmup: .literal)),
            .annealing(AnnealingLaw(l0: 2.1, a: 1.4, alpha: 0.45, c: 0.2, lambda: 0.99, warmup: .literal)),
            .annealing(AnnealingLaw(l0: 1.9, a: 1.6, alpha: 0.55, c: 0.4, lambda: 0.995, warmup: .literal)),
        ]
        let law = CommitteeLaw(members: members)
        let rates = try Schedule(spec: "cosine:peak=1e-3,warmup=100,total=5000").learningRates()
        let steps = [200, 2500, 5000]
        let predicted = law.predictLoss(learningRates: rates, at: steps)
        for (index, step) in steps.enumerated() {
            let losses = members.map { $0.predictLoss(learningRates: rates, at: [step])[0] }.sorted()
            #expect(isClose(predicted[index], losses[1], relativeTolerance: 1e-15))
        }
        #expect(law.parameterNames.count == 15 && law.parameterNames[5] == "2.L0")
        #expect(law.withParameterValues(law.parameterValues).members == members)
    }
}
