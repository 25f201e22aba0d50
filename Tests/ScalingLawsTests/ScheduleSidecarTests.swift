import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

/// Logged learning rates checked against a given schedule, and schedule specs read from sidecar files.
@Suite struct LoggedRateCheckTests {
    private let schedule = try! Schedule(spec: "wsd:peak=1e-3,end=0,warmup=100,total=1000,decay=200,shape=linear")

    @Test func loggedRatesFromTheScheduleItselfMatch() {
        let steps = Array(stride(from: 0, through: 1000, by: 7))
        #expect(schedule.firstMismatch(loggedSteps: steps, rates: steps.map { schedule.learningRate(atStep: $0) }) == nil)
    }

    @Test func aRateLoggedOneStepLateStillMatches() {
        // Trainers that log after the scheduler has stepped record the next step's rate.
        let steps = Array(stride(from: 0, to: 1000, by: 10))
        let rates = steps.map { schedule.learningRate(atStep: $0 + 1) }
        #expect(schedule.firstMismatch(loggedSteps: steps, rates: rates) == nil)
    }

    @Test func aWarmupEndingOneStepLaterIsNotAMismatch() throws {
        // Hugging Face's linear warmup, peak·s/W, reaches the peak at step W: 5 % below this
        // catalog's ramp at W = 20.
        let shortWarmup = try Schedule(spec: "wsd:peak=1e-3,end=0,warmup=20,total=1000,decay=200,shape=linear")
        let steps = Array(0...1000)
        let rates = steps.map { $0 < 20 ? 1e-3 * Double($0) / 20 : shortWarmup.learningRate(atStep: $0) }
        #expect(shortWarmup.firstMismatch(loggedSteps: steps, rates: rates) == nil)
    }

    @Test func aTwoPercentDifferenceIsReportedAtItsStep() throws {
        let steps = Array(stride(from: 0, through: 1000, by: 50))
        var rates = steps.map { schedule.learningRate(atStep: $0) }
        let index = try #require(steps.firstIndex(of: 500))
        rates[index] *= 1.02
        let mismatch = try #require(schedule.firstMismatch(loggedSteps: steps, rates: rates))
        #expect(mismatch.step == 500)
        #expect(isClose(mismatch.relativeDifference, 0.02, relativeTolerance: 1e-9))
        #expect(isClose(mismatch.scheduled, 1e-3, relativeTolerance: 1e-12))
    }

    @Test func ratesNearZeroAreComparedAgainstOnePercentOfThePeak() {
        // At the last step of a decay to 0 the schedule gives 0; a logged 5e-6 is 0.5 % of the peak.
        #expect(schedule.firstMismatch(loggedSteps: [1000], rates: [5e-6]) == nil)
        #expect(schedule.firstMismatch(loggedSteps: [1000], rates: [5e-5])?.step == 1000)
    }

    @Test func aWrongSpecIsRefusedWhenTheCurveIsBuilt() throws {
        let steps = [200, 400, 600, 800, 1000]
        let logged = steps.map { schedule.learningRate(atStep: $0) }
        let constant = try Schedule(spec: "constant:peak=1e-3,warmup=100,total=1000")
        let error = #expect(throws: CurveError.self) {
            try TrainingCurve(name: "run", steps: steps, losses: [3, 2.9, 2.8, 2.7, 2.6], schedule: constant,
                              loggedLearningRates: (steps, logged))
        }
        guard case .scheduleMismatch(let curve, let spec, let mismatch) = error else {
            Issue.record("expected a schedule mismatch, got \(String(describing: error))")
            return
        }
        #expect(curve == "run" && spec == constant.spec)
        // Steps 200–800 are at the peak in both; the decay to 0 shows at the last logged step.
        #expect(mismatch.step == 1000)
        #expect(isClose(mismatch.relativeDifference, 1, relativeTolerance: 1e-12))
    }
}

@Suite struct ScheduleSidecarTests {
    @Test func commentsAndBlankLinesAroundOneSpec() throws {
        let schedule = try ScheduleSidecar.parse("# from train.py\n\n  cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000  \n# end\n", file: "run.csv.schedule")
        #expect(schedule == (try Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000")))
    }

    @Test func aSecondSpecNamesBothLines() {
        #expect(throws: ScheduleSidecarError.secondSpec(file: "f.schedule", firstLine: 1, line: 3)) {
            try ScheduleSidecar.parse("constant:peak=1,total=10\n\nconstant:peak=2,total=10\n", file: "f.schedule")
        }
    }

    @Test func onlyCommentsIsEmpty() {
        #expect(throws: ScheduleSidecarError.empty(file: "f.schedule")) {
            try ScheduleSidecar.parse("# nothing yet\n\n", file: "f.schedule")
        }
    }

    @Test func anInvalidSpecKeepsTheScheduleErrorAndTheLine() throws {
        #expect(throws: ScheduleSidecarError.invalidSpec(file: "f.schedule", line: 2, reason: .unknownShape("sqrt", known: DecayShape.allCases.map(\.rawValue)))) {
            try ScheduleSidecar.parse("# wsd\nwsd:peak=1e-3,total=1000,decay=100,shape=sqrt\n", file: "f.schedule")
        }
        let message = ScheduleSidecarError.invalidSpec(file: "f.schedule", line: 2, reason: .unknownShape("sqrt", known: ["linear", "cosine"])).description
        #expect(message == "f.schedule:2: unknown decay shape \"sqrt\"; use one of: linear, cosine")
    }

    @Test func noSidecarFileMeansNoSchedule() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sidecar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("run.csv").path
        #expect(try ScheduleSidecar.schedule(forLog: log) == nil)
        try "linear:peak=1e-3,end=0,total=500\n".write(toFile: log + ".schedule", atomically: true, encoding: .utf8)
        #expect(try ScheduleSidecar.schedule(forLog: log) == (try Schedule(spec: "linear:peak=1e-3,end=0,total=500")))
    }
}
