import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

/// `Schedule.maximumSteps`: every per-step array sized from input is checked against it first, and
/// a count beyond it is a typed error that names the key as given.
@Suite struct StepLimitTests {
    static let limit = Schedule.maximumSteps

    @Test func theLimitIsTenMillionSteps() {
        #expect(Self.limit == 10_000_000)
        #expect(Schedule.maximumStepsText == "10,000,000")
    }

    @Test func aSpecBeyondTheLimitEchoesItsTotal() throws {
        #expect(throws: ScheduleError.tooManySteps(key: "total", value: "1e12")) {
            try Schedule(spec: "cosine:peak=0.6,total=1e12")
        }
        #expect(throws: ScheduleError.tooManySteps(key: "total", value: "1e20")) {
            try Schedule(spec: "cosine:peak=0.6,total=1e20")
        }
        #expect(throws: ScheduleError.tooManySteps(key: "total", value: "10000001")) {
            try Schedule(spec: "wsd:peak=0.6,total=10000001,decay=0.2")
        }
        // At the limit the schedule is made; its rates are not materialised here.
        let atLimit = try Schedule(spec: "cosine:peak=0.6,warmup=100,total=\(Self.limit)")
        #expect(atLimit.totalSteps == Self.limit)
        #expect(isClose(atLimit.learningRate(atStep: 100), 0.6, relativeTolerance: 1e-15))
        #expect(abs(atLimit.learningRate(atStep: Self.limit)) < 1e-15)
    }

    @Test func aScheduleMadeInCodeIsCheckedToo() {
        #expect(throws: ScheduleError.tooManySteps(key: "total", value: "10000001")) {
            try Schedule(peak: 1, totalSteps: Self.limit + 1, body: .constant)
        }
        #expect(throws: ScheduleError.tooManySteps(key: "budget", value: "1000000000000")) {
            try Schedule.checkStepCount(1_000_000_000_000, key: "budget")
        }
    }

    @Test func theMessageNamesTheLimitAndWhatToDo() {
        #expect(ScheduleError.tooManySteps(key: "total", value: "1e12").description
                == "total=1e12: a schedule may have at most 10,000,000 steps (the learning rate of every step is held in memory); count the run in coarser steps (e.g. units of 10 steps: divide every step count by 10) or use a shorter horizon")
    }

    @Test func aTableBeyondTheLimitNamesTheFileAndLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-table-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "step,lr\n0,0.1\n1000,0.1\n1000000000000,0.01\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: ScheduleError.tableTooLong(file: url.path, line: 4, step: 1_000_000_000_000)) {
            try Schedule(spec: "table:\(url.path)")
        }
    }

    /// A log's learning rates are interpolated at every step up to its last: a last step beyond the
    /// limit is refused before that array is made.
    @Test func aCurveOfLoggedRatesBeyondTheLimit() throws {
        #expect(throws: CurveError.tooManySteps(curve: "huge", step: 1_000_000_000_000)) {
            try TrainingCurve(name: "huge", steps: [100, 1_000_000_000_000], losses: [3, 2.9],
                              loggedLearningRates: ([100, 1_000_000_000_000], [0.1, 0.1]))
        }
    }

    @Test func aPlanBudgetAndARefinedScheduleBeyondTheLimit() throws {
        let law = AnnealingLaw(l0: 2, a: 1, alpha: 0.5, c: 1, lambda: 0.999, warmup: .literal)
        let planner = CooldownPlanner(law: law, runRates: try Schedule(spec: "constant:peak=0.001,total=1000").learningRates())
        #expect(throws: ScheduleError.tooManySteps(key: "budget", value: "1000000000000")) {
            try planner.options(checkpoints: [500], lengths: [100], shapes: [.linear], endLearningRate: 0, budget: 1_000_000_000_000)
        }
        // A length too large for checkpoint + length is beyond the budget, not an overflow.
        #expect(try planner.options(checkpoints: [500], lengths: [Int.max, 100], shapes: [.linear], endLearningRate: 0, budget: 1000)
                    .map(\.length) == [100])
        let steps = Array(stride(from: 10, through: 1000, by: 10))
        #expect(throws: RefinementError.tooManySteps(1_000_000_000_000)) {
            try RefinedSchedule(steps: steps, norms: steps.map { _ in 1 }, totalSteps: 1_000_000_000_000, peak: 0.001, optimizer: .adam)
        }
    }

    /// The power scheduler multiplies batch by sequence length in floating point: huge values give
    /// a tiny rate, not an integer overflow.
    @Test func aHugePowerBatchDoesNotOverflow() throws {
        let schedule = try Schedule(spec: "power:peak=0.02,total=1000,batch=1e12,seq=1e12")
        let rate = schedule.learningRate(atStep: 500)
        #expect(rate.isFinite && rate >= 0 && rate <= 0.02)
    }
}
