import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

@Suite struct ScheduleCatalogTests {
    @Test func rexPaperAndCommonForms() throws {
        let paper = try Schedule(spec: "rex:peak=1,total=1000")
        let common = try Schedule(spec: "rex:peak=1,total=1000,variant=common")
        // p = 0.5: (1 − p)/(1 − p/2) = 2/3 and (1 − p)/(0.1 + 0.9(1 − p)) = 0.5/0.55.
        #expect(isClose(paper.learningRate(atStep: 500), 2.0 / 3.0, relativeTolerance: 1e-14))
        #expect(isClose(common.learningRate(atStep: 500), 0.5 / 0.55, relativeTolerance: 1e-14))
        #expect(paper.learningRate(atStep: 1000) == 0)
    }

    /// REX per update k = 1…T at p = (k − 1)/T against the known values of 2(1 − p)/(2 − p):
    /// 1, 6/7, 2/3, 2/5 at p = 0, ¼, ½, ¾; the common form at p = ½ is 0.5/0.55 = 10/11.
    @Test func rexPerUpdateKnownValues() throws {
        let paper = try Schedule(spec: "rex:peak=1,total=1000").ratesPerUpdate()
        #expect(paper.count == 1000)
        for (update, expected) in [(1, 1.0), (251, 6.0 / 7.0), (501, 2.0 / 3.0), (751, 0.4)] {
            #expect(isClose(paper[update - 1], expected, relativeTolerance: 1e-12), "update \(update): \(paper[update - 1])")
        }
        let common = try Schedule(spec: "rex:peak=1,total=1000,variant=common").ratesPerUpdate()
        #expect(isClose(common[500], 10.0 / 11.0, relativeTolerance: 1e-12))
        // With an end LR: η = end + (peak − end)·f(p); p = ½ gives 0.1 + 0.9·2/3 = 0.7.
        let withEnd = try Schedule(spec: "rex:peak=1,total=1000,end=0.1").ratesPerUpdate()
        #expect(isClose(withEnd[500], 0.7, relativeTolerance: 1e-12))
    }

    @Test func multiStepMultipliesAtEachMilestone() throws {
        let schedule = try Schedule(spec: "multi-step:peak=1e-3,total=300,milestones=100/200,gamma=0.1")
        #expect(isClose(schedule.learningRate(atStep: 99), 1e-3, relativeTolerance: 1e-15))
        #expect(isClose(schedule.learningRate(atStep: 150), 1e-4, relativeTolerance: 1e-14))
        #expect(isClose(schedule.learningRate(atStep: 250), 1e-5, relativeTolerance: 1e-14))
    }

    @Test func inverseSqrtHalvesAtFourTimescales() throws {
        let schedule = try Schedule(spec: "inverse-sqrt:peak=1e-3,warmup=100,total=10000")
        // fairseq: peak·√(W/s') with s' = s − W + W; at s − W = 300, W = 100: peak/2.
        #expect(isClose(schedule.learningRate(atStep: 400), 5e-4, relativeTolerance: 1e-14))
    }

    @Test func oneCycleRisesAndFalls() throws {
        let schedule = try Schedule(spec: "onecycle:peak=0.1,total=1000,rise=0.3,div=25,final-div=1e4")
        #expect(isClose(schedule.learningRate(atStep: 0), 0.1 / 25, relativeTolerance: 1e-14))
        #expect(isClose(schedule.learningRate(atStep: 300), 0.1, relativeTolerance: 1e-14))
        #expect(isClose(schedule.learningRate(atStep: 1000), 0.1 / 25 / 1e4, relativeTolerance: 1e-12))
        #expect(throws: ScheduleError.unknownKey("warmup", family: "onecycle", valid: ["peak", "total", "rise", "div", "final-div"])) {
            try Schedule(spec: "onecycle:peak=0.1,total=1000,warmup=10")
        }
    }

    @Test func powerSchedulerFollowsEquationSeven() throws {
        let schedule = try Schedule(spec: "power:peak=0.02,batch=1024,warmup=100,total=100000,decay=0.1")
        // η(n) = min(0.02, β·4·n^−0.51), n = s·1024·4096 tokens, β = 1024 (sequences of 4096 tokens).
        let s = 50000.0
        let expected = min(0.02, 1024 * 4 * pow(s * 1024 * 4096, -0.51))
        #expect(isClose(schedule.learningRate(atStep: 50000), expected, relativeTolerance: 1e-13))
        // Decay: geometric from the LR at 90,000 down to 1e-3 of it at the end.
        let atDecay = 1024 * 4 * pow(90000.0 * 1024 * 4096, -0.51)
        #expect(isClose(schedule.learningRate(atStep: 100000), atDecay * 1e-3, relativeTolerance: 1e-12))
        // Warmup rises to η at the end of warmup, not to the cap.
        let atWarmupEnd = min(0.02, 1024 * 4 * pow(100.0 * 1024 * 4096, -0.51))
        #expect(isClose(schedule.learningRate(atStep: 99), atWarmupEnd, relativeTolerance: 1e-13))
    }

    @Test func tableFileInterpolatesBetweenListedSteps() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-table-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "step,lr\n0,0\n10,1e-3\n110,1e-4\n".write(to: url, atomically: true, encoding: .utf8)
        let schedule = try Schedule(spec: "table:\(url.path)")
        #expect(schedule.totalSteps == 110)
        #expect(isClose(schedule.learningRate(atStep: 5), 5e-4, relativeTolerance: 1e-14))
        #expect(isClose(schedule.learningRate(atStep: 60), 5.5e-4, relativeTolerance: 1e-14))
        #expect(schedule.spec == "table:\(url.path)")
    }

    @Test func badTableRowNamesTheLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-table-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "step,lr\n0,0\n10,abc\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: ScheduleError.inconsistent("table:\(url.path):3: \"10,abc\" is not step,lr; every row needs an integer step and a learning rate")) {
            try Schedule(spec: "table:\(url.path)")
        }
    }

    @Test func everyFamilyRoundTripsThroughItsSpec() throws {
        let specs = [
            "multi-step:peak=1e-3,warmup=10,total=300,milestones=100/200,factor=0.3",
            "rex:peak=1e-3,warmup=10,total=300,end=1e-5,variant=common",
            "inverse-sqrt:peak=1e-3,warmup=10,total=300,timescale=50",
            "onecycle:peak=1e-3,total=300,rise=0.25,div=10,final-div=100",
            "power:peak=0.02,batch=512,seq=2048,warmup=10,total=3000,decay=0.2",
            "uba:peak=1e-3,warmup=10,total=300,phi=0.7,end=1e-5",
            "wsd:peak=1e-3,start=1e-5,warmup=10,total=300,decay=0.3,shape=1-square,end=1e-5",
        ]
        for spec in specs {
            let schedule = try Schedule(spec: spec)
            let again = try Schedule(spec: schedule.spec)
            for step in stride(from: 0, through: 300, by: 7) {
                #expect(isClose(again.learningRate(atStep: step), schedule.learningRate(atStep: step), relativeTolerance: 1e-15))
            }
        }
    }

    @Test func warmupFromAStartLearningRate() throws {
        let schedule = try Schedule(spec: "cosine:peak=1e-3,start=1e-4,warmup=11,total=100")
        #expect(isClose(schedule.learningRate(atStep: 0), 1e-4, relativeTolerance: 1e-15))
        #expect(isClose(schedule.learningRate(atStep: 5), 5.5e-4, relativeTolerance: 1e-14))
    }

    /// UBA starts at the peak right after the warmup and ends at `end` on the last step.
    @Test func ubaStartsAtThePeakAndEndsAtTheEnd() throws {
        for phi in [0.3, 1, 2, 5] {
            let schedule = try Schedule(spec: "uba:peak=1e-3,phi=\(phi),warmup=100,total=10000,end=1e-5")
            #expect(isClose(schedule.learningRate(atStep: 100), 1e-3, relativeTolerance: 1e-15), "φ = \(phi)")
            #expect(isClose(schedule.learningRate(atStep: 10000), 1e-5, relativeTolerance: 1e-12), "φ = \(phi)")
            let rates = schedule.learningRates()[100...]
            #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }, "φ = \(phi): not falling")
        }
        // Halfway (cos πp = 0): 2/(2φ + 2 − φ) = 2/(2 + φ), 0.8 at φ = 0.5.
        let half = try Schedule(spec: "uba:peak=1,phi=0.5,total=100").learningRate(atStep: 50)
        #expect(isClose(half, 0.8, relativeTolerance: 1e-14))
    }

    /// At φ = 2 the UBA formula is the cosine schedule: 2c/(4 + 0·c) = c/2 with c = 1 + cos πp.
    @Test func ubaIsTheCosineScheduleAtPhiTwo() throws {
        for (keys, end) in [("warmup=50,total=2000", 0.0), ("start=1e-5,warmup=50,total=2000", 3e-5)] {
            let uba = try Schedule(spec: "uba:peak=3e-4,phi=2,end=\(end),\(keys)").learningRates()
            let cosine = try Schedule(spec: "cosine:peak=3e-4,end=\(end),\(keys)").learningRates()
            #expect(uba.count == cosine.count)
            for (step, (u, c)) in zip(uba, cosine).enumerated() where c > 0 {
                #expect(isClose(u, c, relativeTolerance: 1e-12), "step \(step): \(u) vs \(c)")
            }
            #expect(uba.last == 0 || end > 0)
        }
    }

    @Test func ubaNeedsAPositivePhi() {
        for phi in ["0", "-1"] {
            #expect(throws: ScheduleError.inconsistent("uba: phi=\(Double(phi)!) must be a finite number > 0 (phi=2 gives the cosine schedule)")) {
                try Schedule(spec: "uba:peak=1e-3,phi=\(phi),total=1000")
            }
        }
        #expect(throws: ScheduleError.missingKey("phi", family: "uba")) { try Schedule(spec: "uba:peak=1e-3,total=1000") }
    }

    /// Every family of the registry reads by its name and its aliases, and writes its own name back.
    @Test func everyFamilyReadsByNameAndAlias() {
        for family in ScheduleFamily.allCases {
            for name in [family.rawValue, family.rawValue.uppercased().replacingOccurrences(of: "-", with: "_")] + family.aliases {
                #expect(ScheduleFamily(name: name) == family, "\(name)")
            }
        }
        #expect(ScheduleFamily(name: "cosinus") == nil)
    }

    /// The README's schedule table lists every family of the registry.
    @Test func theReadmeTableListsEveryFamily() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for family in ScheduleFamily.allCases {
            let name = family == .table ? "`table:FILE`" : "`\(family.rawValue)`"
            #expect(rows.contains { $0.split(separator: "|").first?.contains(name) == true }, "README lacks a row for \(name)")
        }
    }

    @Test func milestonesMustIncrease() {
        #expect(throws: ScheduleError.inconsistent("milestones=200/100 must be increasing steps after the warmup (0) and at or before total=300, separated by /")) {
            try Schedule(spec: "multi-step:peak=1e-3,total=300,milestones=200/100")
        }
    }
}
