import Foundation
import Testing
import TestSupport
@testable import ScalingLaws

/// The refined schedule (Defazio et al. 2023) and its sliding median against straightforward
/// computations written here.
@Suite struct RefinedScheduleTests {
    /// The median of a list by sorting it: the middle value, or the mean of the two middle values.
    private func sortedMedian(_ values: ArraySlice<Double>) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle])
    }

    @Test func slidingMedianMatchesSortingEachWindow() {
        var generator = SeededGenerator(seed: 10)
        for trial in 0..<60 {
            let count = Int.random(in: 1...80, using: &generator)
            // Few distinct values, so that windows hold many ties; or noise; or a trend, rising or
            // falling, so that the leaving and arriving values sit in different halves.
            let slope = trial % 2 == 0 ? 0.3 : -0.3
            let values = (0..<count).map { i in
                switch trial % 3 {
                case 0: return Double(Int.random(in: 0...4, using: &generator))
                case 1: return generator.nextGaussian()
                default: return slope * Double(i) + generator.nextGaussian()
                }
            }
            for width in Set([1, 2, 3, 4, 7, 8, count / 2, count - 1, count]) where width >= 1 && width <= count {
                let medians = SlidingMedian.medians(of: values, width: width)
                let expected = (0...(count - width)).map { sortedMedian(values[$0..<($0 + width)]) }
                #expect(isClose(medians, expected, relativeTolerance: 1e-15), "count \(count), width \(width)")
            }
        }
        #expect(SlidingMedian.medians(of: [1, 2], width: 3).isEmpty)
    }

    /// Long series, where a narrow window's values lie far apart in rank (the filter's searches
    /// then cross its summary levels), with signs and magnitudes from 1e-150 to 1e150.
    @Test func slidingMedianMatchesSortingOnLongSeries() {
        var generator = SeededGenerator(seed: 21)
        let count = 4200  // more than 64² ranks: three levels
        let values = (0..<count).map { i -> Double in
            let magnitude = pow(10, 150 * (2 * Double.random(in: 0..<1, using: &generator) - 1))
            return (i % 3 == 0 ? -1 : 1) * magnitude
        }
        let trend = (0..<count).map { i in 1e-3 * Double(i) + generator.nextGaussian() }
        // Doubles that round to the same Float, in short runs and in one long run: the ranks
        // must still follow the doubles.
        let shortRuns = (0..<count).map { _ in Double(Int.random(in: 0...1000, using: &generator)) + 1e-12 * Double(Int.random(in: 0...3, using: &generator)) }
        let oneRun = (0..<count).map { _ in 1 + 1e-13 * Double(Int.random(in: 0...5000, using: &generator)) }
        for series in [values, trend, shortRuns, oneRun] {
            for width in [1, 2, 3, 64, 65, 300] {
                let medians = SlidingMedian.medians(of: series, width: width)
                let expected = (0...(count - width)).map { sortedMedian(series[$0..<($0 + width)]) }
                #expect(isClose(medians, expected, relativeTolerance: 1e-15), "width \(width)")
            }
        }
    }

    /// Worked by hand: [1, 5, 2, 8, 3] with width 3 reads [1 | 1 5 2 8 3 | 8] (first value repeated on
    /// the left, numpy's reflect on the right), whose windows have medians 1, 2, 5, 3, 8.
    @Test func medianFilterEndsFollowTheAuthorsPadding() {
        #expect(isClose(RefinedSchedule.medianFiltered([1, 5, 2, 8, 3], width: 3), [1, 2, 5, 3, 8], relativeTolerance: 1e-15))
        // Width 9 pads four values each side: [1 1 1 1 | 1 5 2 8 3 | 8 2 5 1].
        // Sorted windows: {1×5,2,3,5,8} → 1; {1×4,2,3,5,8,8} → 2; {1×3,2,3,5,8,8,2} → 2; {1×2,2,3,5,8,8,2,5} → 3; {1,2,3,5,8,8,2,5,1} → 3.
        #expect(isClose(RefinedSchedule.medianFiltered([1, 5, 2, 8, 3], width: 9), [1, 2, 2, 3, 3], relativeTolerance: 1e-15))
    }

    @Test func constantNormsGiveLinearDecayToZero() throws {
        let total = 1000, peak = 3e-4
        for optimizer in RefinementOptimizer.allCases {
            let refined = try RefinedSchedule(steps: Array(1...total), norms: Array(repeating: 0.7, count: total),
                                              totalSteps: total, peak: peak, optimizer: optimizer)
            #expect(refined.learningRates.count == total)
            for update in 1..<total {
                let line = peak * Double(total - update) / Double(total - 1)
                #expect(isClose(refined.learningRates[update - 1], line, relativeTolerance: 1e-9), "\(optimizer) update \(update)")
            }
            #expect(abs(refined.learningRates[total - 1]) <= 1e-300, "η_T = 0")
        }
    }

    /// A log of half the run, with norms every 5 steps, is stretched: constant norms still give the line.
    @Test func shortSparseLogIsStretched() throws {
        let total = 400, peak = 1.0
        let refined = try RefinedSchedule(steps: Array(stride(from: 5, through: 200, by: 5)), norms: Array(repeating: 2, count: 40),
                                          totalSteps: total, peak: peak, optimizer: .sgd)
        #expect(refined.isStretched)
        for update in [1, 100, 250, 399] {
            #expect(isClose(refined.learningRates[update - 1], Double(total - update) / Double(total - 1), relativeTolerance: 1e-9))
        }
    }

    /// A seeded noisy decay against the method computed the slow way: each window sorted, every tail summed afresh.
    @Test func matchesStraightforwardComputation() throws {
        var generator = SeededGenerator(seed: 2310_07831)
        let total = 1200, smoothing = 0.1, peak = 2e-3
        let norms = (1...total).map { step in (1 + 4 / (1 + Double(step) / 100)) * exp(0.3 * generator.nextGaussian()) }
        let width = 121  // 2⌊⌊0.1 · 1200⌋/2⌋ + 1
        let half = width / 2
        func padded(_ index: Int) -> Double {
            if index < 0 { return norms[0] }
            if index >= total { return norms[2 * (total - 1) - index] }
            return norms[index]
        }
        let smoothed = (0..<total).map { center in sortedMedian(ArraySlice((center - half...center + half).map(padded))) }
        for optimizer in RefinementOptimizer.allCases {
            let weights = smoothed.map { optimizer == .sgd ? pow($0, -2) : pow($0, -1) }
            var unscaled = [Double](repeating: 0, count: total)
            for t in 0..<total {
                var tail = 0.0
                for p in (t + 1)..<max(t + 1, total) { tail += weights[p] }
                unscaled[t] = weights[t] * tail
            }
            let largest = unscaled.max()!
            let expected = unscaled.map { peak * $0 / largest }

            let refined = try RefinedSchedule(steps: Array(1...total), norms: norms, totalSteps: total, peak: peak,
                                              optimizer: optimizer, smoothing: smoothing)
            #expect(refined.medianWidth == width)
            #expect(isClose(refined.smoothedNorms, smoothed, relativeTolerance: 1e-15))
            let worst = zip(refined.learningRates, expected).dropLast().map { relativeError($0, $1) }.max()!
            #expect(worst <= 1e-12, "\(optimizer): worst relative error \(worst)")
            #expect(abs(refined.learningRates[total - 1]) <= 1e-300, "η_T = 0")
        }
    }

    @Test func tooFewUsableNormsIsAnError() {
        // Nine usable norms; zeros, negatives and non-finite values do not count.
        let norms: [Double] = [1, 2, 0, 3, .nan, 4, 5, -1, 6, 7, .infinity, 8, 9]
        let error = RefinementError.tooFewNorms(usable: 9, needed: 10)
        #expect(throws: error) {
            try RefinedSchedule(steps: Array(1...norms.count), norms: norms, totalSteps: 100, peak: 1, optimizer: .adam)
        }
        #expect(error.description == "only 9 usable gradient norms (finite and > 0; need at least 10); log the gradient norm at more steps, or read the series that holds them")
    }

    @Test func zeroAndNegativeNormsAreSkippedAndCounted() throws {
        var norms = Array(repeating: 1.5, count: 50)
        norms[10] = 0
        norms[20] = -2
        let refined = try RefinedSchedule(steps: Array(1...50), norms: norms, totalSteps: 50, peak: 1, optimizer: .adam)
        #expect(refined.nonPositiveNorms == 2)
        #expect(refined.usedNorms == 48)
        // The gaps are interpolated between equal neighbours, so the schedule stays the straight line.
        #expect(isClose(refined.learningRates[20], 29.0 / 49.0, relativeTolerance: 1e-9))
    }
}
