import Foundation
import TestSupport
import Testing

/// `lossfit schedule SPEC --format csv` against learning rates computed by hand.
@Suite struct ScheduleCommandTests {
    /// Runs `schedule` and returns its rows.
    private func rates(_ spec: String, _ selection: [String]) throws -> LogTable {
        let output = try runSucceeding(["schedule", spec, "--format", "csv"] + selection)
        #expect(output.stdout.hasPrefix("step,lr\n"))
        return try LogTable(csv: output.stdout)
    }

    private func expectRates(_ table: LogTable, _ expected: (Int) -> Double, sourceLocation: SourceLocation = #_sourceLocation) {
        // zip stops at the shorter list: an empty or truncated output must not pass unchecked.
        #expect(!table.steps.isEmpty && table.steps.count == table.learningRates.count,
                "\(table.steps.count) steps, \(table.learningRates.count) rates", sourceLocation: sourceLocation)
        for (step, rate) in zip(table.steps, table.learningRates) {
            #expect(isClose(rate, expected(step), relativeTolerance: 1e-12), "step \(step): \(rate) vs \(expected(step))",
                    sourceLocation: sourceLocation)
        }
    }

    /// Cosine with warmup: η = peak·s/(W−1) for s < W, then end + ½(peak − end)(1 + cos(π(s − W)/(T − W))).
    @Test func cosineWithWarmup() throws {
        let peak = 3e-4, end = 3e-5, warmup = 2160, total = 24000
        let expected = { (s: Int) -> Double in
            if s < warmup { return peak * Double(s) / Double(warmup - 1) }
            return end + 0.5 * (peak - end) * (1 + cos(Double.pi * Double(s - warmup) / Double(total - warmup)))
        }
        let spec = "cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000"
        let every = try rates(spec, ["--every", "720"])
        #expect(every.steps == Array(stride(from: 720, through: 23760, by: 720)) + [24000])
        expectRates(every, expected)

        let at = try rates(spec, ["--at", "0,1,1000,2159,2160,2161,13080,24000"])
        #expect(at.steps == [0, 1, 1000, 2159, 2160, 2161, 13080, 24000])
        expectRates(at, expected)
        #expect(at.learningRates[0] == 0)
        #expect(isClose(at.learningRates[3], peak, relativeTolerance: 1e-15), "the warmup reaches the peak at step W − 1")
        #expect(isClose(at.learningRates[6], (peak + end) / 2, relativeTolerance: 1e-12), "half way through the body")
        #expect(isClose(at.learningRates[7], end, relativeTolerance: 1e-12))
    }

    /// Linear with a warmup from a non-zero start: η = start + (peak − start)·s/(W−1), then a straight line to end.
    @Test func linearWithWarmupStart() throws {
        let peak = 1e-3, start = 1e-4, end = 0.0, warmup = 100, total = 1000
        let expected = { (s: Int) -> Double in
            if s < warmup { return start + (peak - start) * Double(s) / Double(warmup - 1) }
            return end + (peak - end) * (1 - Double(s - warmup) / Double(total - warmup))
        }
        let table = try rates("linear:peak=1e-3,end=0,warmup=100,start=1e-4,total=1000", ["--every", "25"])
        #expect(table.steps == Array(stride(from: 25, through: 1000, by: 25)))
        expectRates(table, expected)
        #expect(abs(table.learningRates.last!) <= 1e-18)
        expectRates(try rates("linear:peak=1e-3,end=0,warmup=100,start=1e-4,total=1000", ["--at", "0,99,100"]), expected)
    }

    /// WSD with a linear decay over the last 4000 steps.
    @Test func wsdLinearDecay() throws {
        let peak = 0.6, end = 0.06, warmup = 200, total = 20000, decay = 4000
        let expected = { (s: Int) -> Double in
            if s < warmup { return peak * Double(s) / Double(warmup - 1) }
            if s < total - decay { return peak }
            return end + (peak - end) * (1 - Double(s - (total - decay)) / Double(decay))
        }
        let table = try rates("wsd:peak=0.6,end=0.06,warmup=200,total=20000,decay=4000,shape=linear", ["--every", "500"])
        #expect(table.steps.count == 40)
        expectRates(table, expected)
    }

    /// Two-stage: the peak until the switch, then the second LR.
    @Test func twoStage() throws {
        let spec = "two-stage:peak=3e-4,warmup=2160,switch=8000,second=9e-5,total=16000"
        let table = try rates(spec, ["--at", "100,7999,8000,16000"])
        #expect(table.steps == [100, 7999, 8000, 16000], "every requested step printed once")
        expectRates(table) { s in
            if s < 2160 { return 3e-4 * Double(s) / 2159 }
            return s < 8000 ? 3e-4 : 9e-5
        }
    }

    /// The table form prints the same steps.
    @Test func tableForm() throws {
        let output = try runSucceeding(["schedule", "cosine:peak=0.6,end=0.06,warmup=200,total=20000", "--every", "5000"])
        let rows = tableRows(output.stdout).filter { $0.count == 2 && Int($0[0]) != nil }
        #expect(rows.map { $0[0] } == ["5000", "10000", "15000", "20000"])
        let last = try #require(rows.last.flatMap { Double($0[1]) })
        #expect(isClose(last, 0.06, relativeTolerance: 1e-6))
    }
}
