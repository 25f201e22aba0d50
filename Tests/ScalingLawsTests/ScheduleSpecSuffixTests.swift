import Testing
import ScalingLaws

/// Steps and counts in a schedule spec take k, M, B suffixes, as model sizes and token budgets do;
/// learning rates, fractions and factors do not.
@Suite struct ScheduleSpecSuffixTests {
    /// A spec with suffixes is the schedule written out in full.
    @Test(arguments: [
        ("cosine:peak=3e-4,end=3e-5,warmup=2k,total=35k", "cosine:peak=3e-4,end=3e-5,warmup=2000,total=35000"),
        ("wsd:peak=3e-4,warmup=1.5k,total=35K,decay=4k", "wsd:peak=3e-4,warmup=1500,total=35000,decay=4000"),
        ("two-stage:peak=3e-4,warmup=2k,switch=8k,second=3e-5,total=16k", "two-stage:peak=3e-4,warmup=2000,switch=8000,second=3e-5,total=16000"),
        ("multi-step:peak=0.1,total=30k,milestones=10k/20k", "multi-step:peak=0.1,total=30000,milestones=10000/20000"),
        ("inverse-sqrt:peak=1e-3,warmup=1k,total=0.1M,timescale=2k", "inverse-sqrt:peak=1e-3,warmup=1000,total=100000,timescale=2000"),
        ("power:peak=0.02,warmup=1k,total=20k,batch=1k,seq=4k", "power:peak=0.02,warmup=1000,total=20000,batch=1000,seq=4000"),
    ])
    func suffixesScaleStepsAndCounts(withSuffixes: String, written: String) throws {
        let scaled = try Schedule(spec: withSuffixes), plain = try Schedule(spec: written)
        #expect(scaled.spec == plain.spec)
        #expect(scaled.totalSteps == plain.totalSteps)
    }

    /// A WSD decay below 1 stays a fraction of the total: decay=0.2 of total=35k is 7000 steps.
    @Test func aDecayFractionStaysAFraction() throws {
        let schedule = try Schedule(spec: "wsd:peak=3e-4,warmup=2k,total=35k,decay=0.2")
        guard case .wsd(let decaySteps, _, _) = schedule.body else { Issue.record("not a WSD schedule"); return }
        #expect(decaySteps == 7000)
    }

    /// A suffix on a learning rate, a fraction or a factor is an error naming the key.
    @Test(arguments: [
        ("cosine:peak=3k,total=35k", "peak", "3k"),
        ("cosine:peak=3e-4,end=1M,total=35k", "end", "1M"),
        ("power:peak=0.02,total=20k,batch=1k,decay=1k", "decay", "1k"),
        ("multi-step:peak=0.1,total=30k,milestones=10k,factor=2k", "factor", "2k"),
    ])
    func aSuffixOnARateOrFractionIsAnError(spec: String, key: String, value: String) {
        #expect(throws: ScheduleError.suffixOnNonCount(key: key, value: value)) { try Schedule(spec: spec) }
    }

    /// A step count that a suffix makes fractional is not a step; one beyond the limit is too many.
    @Test func stepsMustStillBeWholeAndWithinTheLimit() {
        #expect(throws: ScheduleError.notWholeSteps(key: "total", value: "1.0005k")) { try Schedule(spec: "constant:peak=0.1,total=1.0005k") }
        #expect(throws: ScheduleError.tooManySteps(key: "total", value: "1T")) { try Schedule(spec: "constant:peak=0.1,total=1T") }
        #expect(throws: ScheduleError.notANumber(key: "total", value: "35x")) { try Schedule(spec: "constant:peak=0.1,total=35x") }
    }
}
