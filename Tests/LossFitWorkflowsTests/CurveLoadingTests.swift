import Foundation
import LossFitWorkflows
import ScalingLaws
import Testing
import TrainingLogs
import TestSupport

@Suite struct CurveLoadingTests {
    static let cosine = WorkflowFixtures.bundled("cosine_20000")

    /// By default the window opens at the end of warmup (step 200 for the bundled runs, logged every
    /// 100 steps), and the user is told how many points it left out.
    @Test func theDefaultWindowOpensAtTheEndOfWarmup() throws {
        var events: [CurveLoadingEvent] = []
        let loaded = try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(), report: { events.append($0) })
        let curve = try #require(loaded.first).curve
        #expect(curve.steps.first == 200)
        #expect(curve.steps.last == 20000)
        #expect(events.contains(.windowCut(source: Self.cosine, from: 200, fromWarmupEnd: true, to: nil, before: 1, after: 0)))
        guard case .read(let log) = events.first else { Issue.record("the read log comes first"); return }
        #expect(log.loss.steps.count == curve.steps.count + 1)
    }

    /// An explicit window keeps the points inside it and says what it cut: the log is logged every
    /// 100 steps from 100 to 20000, so steps 10100…20000 (100 points) lie after `toStep` 10000.
    @Test func anExplicitWindowKeepsItsPointsAndSaysWhatItCut() throws {
        var events: [CurveLoadingEvent] = []
        let options = CurveLoadingOptions(fromStep: 0, toStep: 10000)
        let curve = try #require(try CurveLoading.load([Self.cosine], options: options, report: { events.append($0) }).first).curve
        #expect(curve.steps.first == 100 && curve.steps.last == 10000)
        #expect(events.contains(.windowCut(source: Self.cosine, from: 0, fromWarmupEnd: false, to: 10000, before: 0, after: 100)))
    }

    @Test func badWindowsAreTypedErrors() throws {
        #expect(throws: WorkflowError.reversedWindow(from: 300, to: 200)) {
            try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(fromStep: 300, toStep: 200))
        }
        #expect(throws: WorkflowError.emptyWindow(source: Self.cosine, from: 30000, to: nil, firstLogged: 100, lastLogged: 20000)) {
            try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(fromStep: 30000))
        }
    }

    /// Without a start, the window opens at the end of warmup (step 200 here): an end before it is
    /// an error that says where the window opened, not an empty or reversed range.
    @Test func anEndBeforeTheEndOfWarmupIsATypedError() throws {
        #expect(throws: WorkflowError.windowEndsBeforeWarmupEnds(source: Self.cosine, warmupEnd: 200, to: 50)) {
            try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(toStep: 50))
        }
        #expect(throws: WorkflowError.windowEndsBeforeWarmupEnds(source: Self.cosine, warmupEnd: 200, to: 199)) {
            try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(toStep: 199))
        }
        // Ending exactly where it opens keeps the one point logged there; a start given explicitly
        // lets the window end inside the warmup.
        let atWarmupEnd = try #require(try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(toStep: 200)).first).curve
        #expect(atWarmupEnd.steps == [200])
        let inWarmup = try #require(try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(fromStep: 0, toStep: 150)).first).curve
        #expect(inWarmup.steps == [100])
    }

    /// A log whose steps run past `Schedule.maximumSteps` is refused while it is read, naming the
    /// line, before any per-step learning rate is made.
    @Test func aStepBeyondTheLimitNamesTheFileAndLine() throws {
        let path = try WorkflowFixtures.temporaryDirectory().appendingPathComponent("huge.csv").path
        try "step,lr,loss\n100,0.1,3.0\n200,0.1,2.9\n1000000000000,0.1,2.8\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LogReadError.stepBeyondLimit(file: path, location: .line(4), column: "step", text: "1000000000000", limit: Schedule.maximumSteps)) {
            try CurveLoading.load([path], options: CurveLoadingOptions())
        }
    }

    /// A smoothing window wider than a log (200 points here) is an error naming the log.
    @Test func aSmoothingWindowWiderThanTheLog() throws {
        #expect(throws: LossSmoothingError.windowWiderThanLog(source: Self.cosine, window: 1001, points: 200)) {
            try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(smoothing: .centredMean(window: 1001)))
        }
        let smoothed = try #require(try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(smoothing: .centredMean(window: 199))).first)
        #expect(smoothed.log.loss.count == 200)
    }

    /// A schedule given for one file applies to it alone; naming a file that is not a log is an error.
    @Test func perFileSchedules() throws {
        let spec = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"
        let constant = WorkflowFixtures.bundled("constant_20000")
        let assignment = try ScheduleAssignment(["cosine_20000.csv=" + spec], paths: [Self.cosine, constant])
        var events: [CurveLoadingEvent] = []
        let loaded = try CurveLoading.load([Self.cosine, constant], options: CurveLoadingOptions(schedules: assignment), report: { events.append($0) })
        #expect(events.contains(.scheduleGiven(log: Self.cosine, spec: try Schedule(spec: spec).spec, ignoredSidecar: nil)))
        let exact = try Schedule(spec: spec).learningRates()
        let cosine = loaded[0].curve
        #expect(isClose(cosine.learningRates[12345], exact[12345], relativeTolerance: 1e-15))
        #expect(cosine.learningRateSource != loaded[1].curve.learningRateSource)
        #expect(throws: WorkflowError.scheduleForUnknownLog(file: "other.csv")) {
            try CurveLoading.load([Self.cosine], options: CurveLoadingOptions(schedules: try ScheduleAssignment(["other.csv=" + spec], paths: [Self.cosine])))
        }
        #expect(throws: WorkflowError.severalSharedSchedules) {
            try ScheduleAssignment([spec, spec], paths: [Self.cosine])
        }
    }

    /// A copy of the bundled cosine run with `sidecar` as its `LOG.schedule`.
    static func cosineRun(withSidecar sidecar: String) throws -> String {
        let log = try WorkflowFixtures.temporaryDirectory().appendingPathComponent("cosine_20000.csv").path
        try FileManager.default.copyItem(atPath: Self.cosine, toPath: log)
        try sidecar.write(toFile: ScheduleSidecar.path(forLog: log), atomically: true, encoding: .utf8)
        return log
    }

    /// A sidecar gives its log the exact schedule; logs without one keep their logged LR.
    @Test func aSidecarGivesItsLogTheExactSchedule() throws {
        let spec = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"
        let log = try Self.cosineRun(withSidecar: "# the bundled run's schedule\n\(spec)\n")
        let constant = WorkflowFixtures.bundled("constant_20000")
        var events: [CurveLoadingEvent] = []
        let loaded = try CurveLoading.load([log, constant], options: CurveLoadingOptions(), report: { events.append($0) })
        let canonical = try Schedule(spec: spec).spec
        #expect(events.contains(.scheduleFromSidecar(log: log, spec: canonical, sidecar: ScheduleSidecar.path(forLog: log))))
        #expect(loaded[0].curve.learningRateSource == .schedule(spec: canonical))
        guard case .interpolated = loaded[1].curve.learningRateSource else {
            Issue.record("a log without a sidecar keeps its logged LR: \(loaded[1].curve.learningRateSource)")
            return
        }
    }

    /// A schedule given for the log wins over its sidecar, and the user is told the sidecar is not used.
    @Test func aGivenScheduleWinsOverTheSidecar() throws {
        let spec = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"
        let log = try Self.cosineRun(withSidecar: "linear:peak=0.6,end=0,warmup=200,total=20000\n")
        var events: [CurveLoadingEvent] = []
        let options = CurveLoadingOptions(schedules: try ScheduleAssignment([spec], paths: [log]))
        let loaded = try CurveLoading.load([log], options: options, report: { events.append($0) })
        let canonical = try Schedule(spec: spec).spec
        #expect(events.contains(.scheduleGiven(log: log, spec: canonical, ignoredSidecar: ScheduleSidecar.path(forLog: log))))
        #expect(loaded[0].curve.learningRateSource == .schedule(spec: canonical))
    }
}
