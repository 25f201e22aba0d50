/// The rows of a log as a reader found them, in file order, before sorting and de-duplication.
///
/// Every reader (delimited text now; JSONL, trainer_state.json, TensorBoard, W&B later) fills one of
/// these and calls `assemble`, so that sorting, resumed-run handling and skip accounting are the
/// same for every format.
struct LogRows {
    /// One entry per row.
    var steps: [Int] = []
    /// The row's loss, or NaN when the row has no usable loss (the reason is in `skips`).
    var losses: [Double] = []
    /// The row's learning rate, or NaN when it has none that is usable.
    var learningRates: [Double] = []
    /// Why values were left out, with counts.
    var skips = SkipTally()
    /// How many rows carry a usable loss.
    var usableLossCount = 0

    var count: Int { steps.count }

    @inline(__always)
    mutating func append(step: Int, loss: Double, learningRate: Double) {
        steps.append(step)
        losses.append(loss)
        learningRates.append(learningRate)
        if !loss.isNaN { usableLossCount += 1 }
    }

    /// The loss and learning-rate series sorted by step, where a repeated step keeps the row that
    /// came last, and how many rows were replaced that way.
    ///
    /// A resumed run logs again the steps after its last checkpoint; the later rows are the ones
    /// that continue into the rest of the run, so they win. The whole row wins, not each value: a
    /// later row without a usable loss removes the earlier loss at that step rather than letting a
    /// stale value through.
    func assemble() -> (loss: LogSeries, learningRate: LogSeries, replacedSteps: Int) {
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
            return (series(losses, rows: nil), series(learningRates, rows: nil), 0)
        }

        // Ties keep file order, so the last of each run of equal steps is the latest row.
        let order = steps.indices.sorted { steps[$0] != steps[$1] ? steps[$0] < steps[$1] : $0 < $1 }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        var replacedSteps = 0
        for position in order.indices {
            if position + 1 < order.count && steps[order[position + 1]] == steps[order[position]] {
                replacedSteps += 1
            } else {
                kept.append(order[position])
            }
        }
        return (series(losses, rows: kept), series(learningRates, rows: kept), replacedSteps)
    }

    /// The non-NaN entries of `values` at `rows` (all rows in order when nil).
    private func series(_ values: [Double], rows: [Int]?) -> LogSeries {
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

    /// The reason as reported in `SkippedRows.reason`.
    var text: String {
        switch self {
        case .emptyLoss: return "empty loss"
        case .nanLoss: return "NaN loss"
        case .infiniteLoss: return "infinite loss"
        case .emptyLearningRate: return "empty learning rate"
        case .nanLearningRate: return "NaN learning rate"
        case .infiniteLearningRate: return "infinite learning rate"
        }
    }
}

/// Counts of left-out values by reason, with the first line of each.
struct SkipTally {
    private var counts = [Int](repeating: 0, count: SkipReason.allCases.count)
    private var firstLines = [Int](repeating: 0, count: SkipReason.allCases.count)

    mutating func record(_ reason: SkipReason, line: Int) {
        if counts[reason.rawValue] == 0 { firstLines[reason.rawValue] = line }
        counts[reason.rawValue] += 1
    }

    /// The reasons that occurred, in order of their first line.
    var skippedRows: [SkippedRows] {
        SkipReason.allCases
            .filter { counts[$0.rawValue] > 0 }
            .sorted { (firstLines[$0.rawValue], $0.rawValue) < (firstLines[$1.rawValue], $1.rawValue) }
            .map { SkippedRows(reason: $0.text, count: counts[$0.rawValue], firstLine: firstLines[$0.rawValue]) }
    }
}
