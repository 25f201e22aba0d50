import Foundation

/// Bins of consecutive logged points, so that a per-step log costs a fit no more than a log every
/// few hundred steps.
///
/// A curve of `n > maxPoints` points is cut into bins of at most ⌈n / maxPoints⌉ points, each
/// spanning at most 1 % in the forward area S1: bins stay narrow where the loss still falls fast
/// (the laws are smooth in log S1, and S1 grows fast early on). A bin stands for its middle
/// point's step, the geometric mean of its losses, and weighs as many points as it holds. A curve
/// of at most `maxPoints` points keeps every point (weights 1), so fits of such logs are unchanged.
struct LoggedPointBins {
    /// The step each bin stands for (its middle point's).
    var steps: [Int] = []
    /// The mean log loss of each bin.
    var logLosses: [Double] = []
    /// How many logged points each bin holds.
    var weights: [Double] = []
    /// True when some bin holds more than one point.
    var isBinned = false

    /// Bins the logged points `indices` (into `curve.steps`, increasing) of `curve`.
    /// - Parameter forwardArea: The forward area S1 at each of `indices`, asked for only when the
    ///   points must be binned.
    init(_ curve: TrainingCurve, indices: [Int], maxPoints: Int, forwardArea: () -> [Double]) {
        let binSize = indices.count > maxPoints ? (indices.count + maxPoints - 1) / maxPoints : 1
        isBinned = binSize > 1
        let areas = isBinned ? forwardArea() : []
        steps.reserveCapacity(indices.count / binSize + 1)
        var start = 0
        while start < indices.count {
            var end = start + 1
            if isBinned {
                let limit = areas[start] * 1.01
                while end < min(start + binSize, indices.count) && areas[end] <= limit { end += 1 }
            }
            let bin = indices[start..<end]
            steps.append(curve.steps[bin[bin.startIndex + bin.count / 2]])
            logLosses.append(bin.reduce(0) { $0 + log(curve.losses[$1]) } / Double(bin.count))
            weights.append(Double(bin.count))
            start = end
        }
    }
}
