import Foundation
import Testing
@testable import LossFitReports

@Suite struct TicksTests {
    @Test(arguments: [(0.0, 0.6), (0.14, 0.28), (0.0, 20000.0), (-3.2, 4.1), (1e-5, 3e-5), (2.4, 2.41)])
    func linearTicksAreNiceAndCoverTheRange(lower: Double, upper: Double) {
        let domain = Ticks.niceDomain(lower, upper)
        let slack = (upper - lower) * 1e-9  // rounding of step multiples
        #expect(domain.lowerBound <= lower + slack && domain.upperBound >= upper - slack)
        let ticks = Ticks.linear(domain)
        #expect(ticks.count >= 3 && ticks.count <= 11, "\(ticks)")
        let step = ticks[1] - ticks[0]
        let mantissa = step / pow(10, floor(log10(step)))
        #expect([1.0, 2.0, 5.0].contains { abs(mantissa - $0) < 1e-6 }, "step \(step) is not 1, 2 or 5 × 10^k")
        for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(abs((b - a) - step) <= step * 1e-9) }
        // The nice domain ends on ticks.
        #expect(abs(ticks.first! - domain.lowerBound) <= step * 1e-9 && abs(ticks.last! - domain.upperBound) <= step * 1e-9)
    }

    @Test func logarithmicTicksArePowersOfTenOverSeveralDecades() {
        let ticks = Ticks.logarithmic(3e-5...0.02)
        #expect(ticks.count == 3)
        #expect(isPowerOfTen(ticks[0]) && abs(ticks[0] - 1e-4) < 1e-12 && abs(ticks[2] - 1e-2) < 1e-12)
    }

    @Test func logarithmicTicksAddTwoAndFiveOnShortRanges() {
        let ticks = Ticks.logarithmic(3e-4...0.015)
        // 1e-3, 1e-2 alone are too few: 5e-4, 1e-3, 2e-3, 5e-3, 1e-2 instead.
        #expect(ticks.count == 5, "\(ticks)")
        #expect(ticks.allSatisfy { $0 >= 3e-4 && $0 <= 0.015 })
    }

    @Test func labelsReadBackAsTheirValues() {
        #expect(Ticks.label(0.002) == "0.002")
        #expect(Ticks.label(20000) == "20000")
        #expect(Ticks.label(0.1 * 3) == "0.3")
        #expect(Ticks.label(2e-5) == "2e-5")
        #expect(Ticks.label(500000) == "5e5")
        #expect(Ticks.label(-1.5) == "-1.5")
        #expect(Ticks.label(0) == "0")
    }

    private func isPowerOfTen(_ value: Double) -> Bool {
        abs(log10(value) - log10(value).rounded()) < 1e-9
    }
}
