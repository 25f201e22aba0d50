import Foundation
import ScalingLaws
import Testing
import TestSupport

/// A committee's difference of two schedules: each member's difference is that member's own
/// fit's, the first one too (it is the fit's own law, reused rather than computed again).
@Suite struct CommitteeDifferenceTests {
    @Test func eachMembersDifferenceIsItsOwnFitsDifference() throws {
        let curves = try FitIdentificationTests.lawCurves()
        let fit = try CommitteeFitter.standard(annealing: AnnealingFitOptions(), multiPower: MultiPowerFitOptions()).fit(curves)
        let committee = try #require(fit.committee)
        let a = try Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=500,total=20000").learningRates()
        let b = try Schedule(spec: "wsd:peak=3e-4,end=0,warmup=500,total=20000,decay=0.2").learningRates()
        let combined = fit.difference(a, at: 20000, minus: b, at: 20000)
        let members = try #require(combined.memberDifferences)
        #expect(members.count == committee.members.count)
        for (member, difference) in zip(committee.members, members) {
            let alone = member.fit.difference(a, at: 20000, minus: b, at: 20000)
            #expect(isClose(difference, alone.difference, relativeTolerance: 1e-15), "\(member.key)")
        }
        let first = committee.members[0].fit.difference(a, at: 20000, minus: b, at: 20000)
        let errors = try #require(first.standardError)
        #expect(errors > 0)
        // The combined difference is the committee law's, median of the members at each schedule.
        let law = committee.law
        let expected = law.predictLoss(learningRates: a, at: [20000])[0] - law.predictLoss(learningRates: b, at: [20000])[0]
        #expect(isClose(combined.difference, expected, relativeTolerance: 1e-15))
    }
}
