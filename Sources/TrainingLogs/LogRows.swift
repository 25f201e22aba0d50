/// The rows of a log as a reader found them, in file order, before sorting and de-duplication.
///
/// Row-oriented readers (delimited text, W&B panel exports) fill one of these per curve and call
/// `assemble`, so that sorting, resumed-run handling and skip accounting are the same for every
/// format; `SeriesRows` does the same for formats that log each series on its own.
struct LogRows {
    /// One entry per row.
    var steps: [Int] = []
    /// The row's loss, or NaN when the row has no usable loss (the reason is in `skips`).
    var losses: [Double] = []
    /// The row's learning rate, or NaN when it has none that is usable.
    var learningRates: [Double] = []
    /// Why values were left out, with counts.
    var skips = SkipTally()
    /// Where the steps go backwards in file order.
    var restarts: [StepRestart] = []

    var count: Int { steps.count }

    @inline(__always)
    mutating func append(step: Int, loss: Double, learningRate: Double, line: Int) {
        if let previous = steps.last, step < previous {
            restarts.append(StepRestart(fromStep: previous, toStep: step, location: .line(line)))
        }
        steps.append(step)
        losses.append(loss)
        learningRates.append(learningRate)
    }

    /// The loss and learning-rate series sorted by step, where a repeated step keeps the row that
    /// came last, and how many rows were replaced that way.
    ///
    /// A resumed run logs again the steps after its last checkpoint; the later rows are the ones
    /// that continue into the rest of the run, so they win. The whole row wins, not each value: a
    /// later row without a usable loss removes the earlier loss at that step rather than letting a
    /// stale value through.
    func assemble() -> (loss: LogSeries, learningRate: LogSeries, replacedSteps: Int) {
        let kept = LatestRowPerStep(steps)
        return (kept.series(steps: steps, values: losses), kept.series(steps: steps, values: learningRates), kept.replacedRows)
    }
}

/// Which rows survive when rows are sorted by step and a repeated step keeps its last row.
struct LatestRowPerStep {
    /// The surviving rows in step order; nil when the steps were strictly increasing already, so
    /// that every row survives in file order.
    let rows: [Int]?
    /// How many rows a later row with the same step replaced.
    let replacedRows: Int

    init(_ steps: [Int]) {
        var isStrictlyIncreasing = true
        steps.withUnsafeBufferPointer { steps in
            var index = 1
            while index < steps.count {
                if steps[index] <= steps[index - 1] {
                    isStrictlyIncreasing = false
                    return
                }
                index += 1
            }
        }
        if isStrictlyIncreasing {
            rows = nil
            replacedRows = 0
            return
        }
        // Ties keep file order, so the last of each run of equal steps is the latest row.
        let order = steps.indices.sorted { steps[$0] != steps[$1] ? steps[$0] < steps[$1] : $0 < $1 }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        var replaced = 0
        for position in order.indices {
            if position + 1 < order.count && steps[order[position + 1]] == steps[order[position]] {
                replaced += 1
            } else {
                kept.append(order[position])
            }
        }
        rows = kept
        replacedRows = replaced
    }

    /// The non-NaN entries of `values` at the surviving rows.
    func series(steps: [Int], values: [Double]) -> LogSeries {
        var seriesSteps: [Int] = []
        var seriesValues: [Double] = []
        let capacity = values.count
        seriesSteps.reserveCapacity(capacity)
        seriesValues.reserveCapacity(capacity)
        if let rows {
            for row in rows where !values[row].isNaN {
                seriesSteps.append(steps[row])
                seriesValues.append(values[row])
            }
        } else {
            for row in values.indices where !values[row].isNaN {
                seriesSteps.append(steps[row])
                seriesValues.append(values[row])
            }
        }
        return LogSeries(steps: seriesSteps, values: seriesValues)
    }
}

/// Why a row's value was left out of a series.
enum SkipReason: Int, CaseIterable {
    case emptyLoss, nanLoss, infiniteLoss
    case emptyLearningRate, nanLearningRate, infiniteLearningRate
    case missingStep, negativeStep

    /// The reason as reported in `SkippedRows.reason`.
    var text: String {
        switch self {
        case .emptyLoss: return "empty loss"
        case .nanLoss: return "NaN loss"
        case .infiniteLoss: return "infinite loss"
        case .emptyLearningRate: return "empty learning rate"
        case .nanLearningRate: return "NaN learning rate"
        case .infiniteLearningRate: return "infinite learning rate"
        case .missingStep: return "no step"
        case .negativeStep: return "negative step"
        }
    }
}

/// Counts of left-out values by reason, with where each was first seen.
struct SkipTally {
    private var counts = [Int](repeating: 0, count: SkipReason.allCases.count)
    private var firstLocations = [LogLocation?](repeating: nil, count: SkipReason.allCases.count)
    /// The order in which reasons first occurred, so that reports follow the file.
    private var order: [SkipReason] = []

    mutating func record(_ reason: SkipReason, line: Int) {
        record(reason, at: .line(line))
    }

    mutating func record(_ reason: SkipReason, at location: LogLocation, count: Int = 1) {
        guard count > 0 else { return }
        if counts[reason.rawValue] == 0 {
            firstLocations[reason.rawValue] = location
            order.append(reason)
        }
        counts[reason.rawValue] += count
    }

    func count(of reason: SkipReason) -> Int { counts[reason.rawValue] }

    func firstLocation(of reason: SkipReason) -> LogLocation? { firstLocations[reason.rawValue] }

    /// The reasons that occurred, in the order they were first seen.
    var skippedRows: [SkippedRows] {
        order.map { SkippedRows(reason: $0.text, count: counts[$0.rawValue], firstLocation: firstLocations[$0.rawValue]!) }
    }
}
