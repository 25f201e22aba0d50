import Foundation
import Testing
import TestSupport
import TrainingLogs
@testable import ScalingLaws

/// The exact schedules of the shared multi-power-law runs (../shared/README.md), in spec syntax.
let mplSchedules: [String: String] = [
    "constant_24000": "constant:peak=3e-4,warmup=2160,total=24000",
    "constant_72000": "constant:peak=3e-4,warmup=2160,total=72000",
    "cosine_24000": "cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000",
    "cosine_72000": "cosine:peak=3e-4,end=3e-5,warmup=2160,total=72000",
    "wsd_20000_24000": "wsd:peak=3e-4,end=3e-5,warmup=2160,total=24000,decay=4000,shape=geometric",
    "wsdld_20000_24000": "wsd:peak=3e-4,end=3e-5,warmup=2160,total=24000,decay=4000,shape=linear",
    "wsdcon_3": "two-stage:peak=3e-4,warmup=2160,switch=8000,second=3e-5,total=16000",
    "wsdcon_9": "two-stage:peak=3e-4,warmup=2160,switch=8000,second=9e-5,total=16000",
    "wsdcon_18": "two-stage:peak=3e-4,warmup=2160,switch=8000,second=1.8e-4,total=16000",
]

@Suite struct ScheduleTests {
    @Test(.enabled(if: SharedData.shouldRun))
    func specsReproduceTheLoggedLearningRatesOfTheSharedRuns() throws {
        for size in ["25", "100"] {
            for (name, spec) in mplSchedules {
                let url = SharedData.url("mpl/\(size)/\(name).csv")
                let text = try #require(try? String(contentsOf: url, encoding: .utf8), "missing \(url.path)")
                let schedule = try Schedule(spec: spec)
                var rows = 0
                for line in text.split(whereSeparator: \.isNewline).dropFirst() {
                    let fields = line.split(separator: ",")
                    let step = try #require(Int(fields[0])), logged = try #require(Double(fields[1]))
                    let error = relativeError(schedule.learningRate(atStep: step), logged)
                    #expect(error <= 1e-12, "\(size)/\(name) step \(step): \(schedule.learningRate(atStep: step)) vs \(logged)")
                    rows += 1
                }
                #expect(rows > 90)
            }
        }
    }

    @Test func warmupRisesLinearlyToThePeakAtItsLastStep() throws {
        let schedule = try Schedule(spec: "constant:peak=3e-4,warmup=2160,total=24000")
        #expect(schedule.learningRate(atStep: 0) == 0)
        #expect(isClose(schedule.learningRate(atStep: 1000), 3e-4 * 1000 / 2159, relativeTolerance: 1e-15))
        #expect(isClose(schedule.learningRate(atStep: 2159), 3e-4, relativeTolerance: 1e-15))
    }

    @Test func decayGivenAsAFractionOfTotal() throws {
        let a = try Schedule(spec: "wsd:peak=1,total=1000,decay=0.2,shape=1-sqrt")
        let b = try Schedule(spec: "wsd:peak=1,total=1000,decay=200,shape=1-sqrt")
        #expect(a == b)
        #expect(isClose(b.learningRate(atStep: 900), 1 - Double(0.5).squareRoot(), relativeTolerance: 1e-14))
    }

    @Test func specRoundTrips() throws {
        for spec in mplSchedules.values {
            let schedule = try Schedule(spec: spec)
            #expect(try Schedule(spec: schedule.spec) == schedule)
        }
    }

    @Test func invalidSpecsSayWhatIsValid() {
        #expect(throws: ScheduleError.unknownShape("sqrt", known: ["linear", "cosine", "geometric", "1-sqrt", "1-square"])) {
            try Schedule(spec: "wsd:peak=1,total=100,decay=10,shape=sqrt")
        }
        #expect(throws: ScheduleError.inconsistent("decay=200 steps is longer than the 90 steps after warmup; use a shorter decay")) {
            try Schedule(spec: "wsd:peak=1,total=100,warmup=10,decay=200")
        }
        #expect(throws: ScheduleError.negativeLearningRate(key: "peak", value: -1)) {
            try Schedule(spec: "constant:peak=-1,total=100")
        }
        #expect(throws: ScheduleError.inconsistent("warmup=200 reaches past the end of training (total=100); shorten the warmup or lengthen the run")) {
            try Schedule(spec: "cosine:peak=1,total=100,warmup=200")
        }
        #expect(throws: ScheduleError.unknownFamily("cosinus", known: Schedule.families)) {
            try Schedule(spec: "cosinus:peak=1,total=100")
        }
        #expect(throws: ScheduleError.missingKey("total", family: "cosine")) {
            try Schedule(spec: "cosine:peak=1")
        }
        #expect(throws: ScheduleError.unknownKey("decay", family: "cosine", valid: ["peak", "total", "warmup", "start", "end"])) {
            try Schedule(spec: "cosine:peak=1,total=10,decay=3")
        }
    }
}
