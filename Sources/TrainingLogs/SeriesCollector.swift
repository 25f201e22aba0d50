/// The series of a log that records each value under a name with its step (JSON lines,
/// trainer_state.json, TensorBoard, text logs), gathered in file order.
///
/// Every name gets a `SeriesSummary`; only the names that could become the loss or the learning
/// rate (their common names, and the names the caller gave) keep their values, so memory grows
/// with the series kept, not with everything the log holds.
struct SeriesCollector {
    /// Every name seen, in order of first appearance.
    private(set) var names: [String] = []
    private(set) var summaries: [SeriesSummary] = []
    private var indexByName: [String: Int] = [:]
    /// For each name, its entry in `stored`, or -1 when its values are not kept.
    private var storageIndex: [Int] = []
    private var stored: [SeriesRows] = []
    private let keptNames: Set<String>
    private let options: LogReadOptions
    private let maximumStep: Int

    init(options: LogReadOptions) {
        self.options = options
        maximumStep = options.maximumStep ?? .max
        let choice = options.columns
        let candidates = ColumnAliases.loss + ColumnAliases.learningRate + [choice.loss, choice.learningRate].compactMap { $0 }
        keptNames = Set(candidates.map(ColumnAliases.normalizedKey))
    }

    /// The index of the series called `name`, added when new.
    mutating func key(_ name: String) -> Int {
        if let index = indexByName[name] { return index }
        let index = names.count
        names.append(name)
        summaries.append(SeriesSummary(name: name))
        indexByName[name] = index
        if keptNames.contains(ColumnAliases.normalizedKey(name)) || name == options.columns.loss || name == options.columns.learningRate {
            storageIndex.append(stored.count)
            stored.append(SeriesRows())
        } else {
            storageIndex.append(-1)
        }
        return index
    }

    /// Records `value` (any double; NaN and infinities are counted and left out later) of series
    /// `key` at `step`.
    @inline(__always)
    mutating func add(_ key: Int, step: Int, value: Double, at location: @autoclosure () -> LogLocation) {
        summaries[key].add(value, step: step)
        let storage = storageIndex[key]
        if storage >= 0 { stored[storage].append(step: step, value: value, limit: maximumStep, location: location) }
    }

    /// Counts a value of the step series itself, which is summarised but never kept.
    mutating func countStep(_ key: Int, step: Int) {
        summaries[key].add(Double(step), step: step)
    }

    /// Records that series `key` has an empty value (JSON `null`) at `step`.
    mutating func addEmpty(_ key: Int, step: Int, at location: LogLocation) {
        let storage = storageIndex[key]
        if storage >= 0 { stored[storage].appendEmpty(step: step, location: location) }
    }

    /// Records that series `key` has a value that is not a number (text, a list, an image).
    mutating func addNonNumeric(_ key: Int) {
        summaries[key].nonNumericCount += 1
    }

    /// The curve: the chosen loss and learning-rate series, sorted with repeated steps resolved.
    ///
    /// - Parameters:
    ///   - stepName: what the steps are called (`step`, or the step key used).
    ///   - skips: rows the reader left out as a whole (no step, negative step).
    func finish(source: String, format: LogFormat, name: String, stepName: String, skips: SkipTally, notes: [LogNote]) -> Result<TrainingLog, LogReadError> {
        Result { () throws(LogReadError) in
            try makeLog(source: source, format: format, name: name, stepName: stepName, skips: skips, notes: notes)
        }
    }

    private func makeLog(source: String, format: LogFormat, name: String, stepName: String, skips: SkipTally, notes: [LogNote]) throws(LogReadError) -> TrainingLog {
        let noun = format.seriesNoun
        func find(_ role: ColumnRole, _ explicitName: String?) throws(LogReadError) -> Int? {
            let index = ColumnAliases.keyIndex(of: role, in: names, explicitName: explicitName, lossKind: options.loss)
            if index == nil, let explicitName {
                throw .seriesNotFound(file: source, role: role, name: explicitName, found: names, noun: noun)
            }
            return index
        }
        guard let lossKey = try find(.loss, options.columns.loss) else {
            if options.loss == .evaluation { throw .noEvaluationLoss(file: source, found: names, noun: noun) }
            throw .noLossSeries(file: source, found: names, noun: noun)
        }
        let learningRateKey = try find(.learningRate, options.columns.learningRate)
        let lossRows = stored[storageIndex[lossKey]]
        for rows in [lossRows] + (learningRateKey.map { [stored[storageIndex[$0]]] } ?? []) {
            if let (location, step) = rows.firstBeyondLimit {
                throw .stepBeyondLimit(file: source, location: location, column: stepName, text: "\(step)", limit: maximumStep)
            }
        }

        var tally = SkipTally()
        lossRows.recordSkips(into: &tally, empty: .emptyLoss, nan: .nanLoss, infinite: .infiniteLoss)
        var learningRate: LogSeries?
        if let learningRateKey {
            let rows = stored[storageIndex[learningRateKey]]
            if let (location, value) = rows.firstNegative {
                switch location {
                case .line(let line):
                    throw .negativeLearningRate(file: source, line: line, column: names[learningRateKey], text: "\(value)")
                case .byte(let offset, let file):
                    throw .negativeLearningRateInRecord(file: file, byteOffset: offset, tag: names[learningRateKey], value: value)
                }
            }
            rows.recordSkips(into: &tally, empty: .emptyLearningRate, nan: .nanLearningRate, infinite: .infiniteLearningRate)
            learningRate = LatestRowPerStep(rows.steps).series(steps: rows.steps, values: rows.values)
        }
        for reason in [SkipReason.missingStep, .negativeStep] {
            if let location = skips.firstLocation(of: reason) { tally.record(reason, at: location, count: skips.count(of: reason)) }
        }
        let kept = LatestRowPerStep(lossRows.steps)
        let loss = kept.series(steps: lossRows.steps, values: lossRows.values)
        // Every usable loss can still have been replaced by a later value of the same step without one.
        guard !loss.isEmpty else { throw .noUsableLoss(file: source, rows: lossRows.steps.count) }
        return TrainingLog(
            name: name, source: source, format: format, columns: names, stepColumn: stepName,
            lossColumn: names[lossKey], learningRateColumn: learningRateKey.map { names[$0] },
            loss: loss, learningRate: learningRate,
            skipped: tally.skippedRows, replacedSteps: kept.replacedRows, restarts: lossRows.restarts, notes: notes)
    }
}

/// One kept series in file order: NaN stands for a value that is left out, and why is counted.
struct SeriesRows {
    var steps: [Int] = []
    var values: [Double] = []
    var restarts: [StepRestart] = []
    /// The first value below zero, which is an error if this series is the learning rate.
    var firstNegative: (LogLocation, Double)?
    /// The first step above the reader's limit (`LogReadOptions.maximumStep`) with a finite value,
    /// an error if this series is the loss or the learning rate.
    var firstBeyondLimit: (LogLocation, Int)?
    private var empty = Occurrences()
    private var nan = Occurrences()
    private var infinite = Occurrences()

    /// How often something happened, and where first.
    private struct Occurrences {
        var count = 0
        var first: LogLocation?

        mutating func record(_ location: LogLocation) {
            if count == 0 { first = location }
            count += 1
        }
    }

    @inline(__always)
    mutating func append(step: Int, value: Double, limit: Int, location: () -> LogLocation) {
        if step > limit && value.isFinite && firstBeyondLimit == nil { firstBeyondLimit = (location(), step) }
        if let previous = steps.last, step < previous {
            restarts.append(StepRestart(fromStep: previous, toStep: step, location: location()))
        }
        steps.append(step)
        if value.isFinite {
            values.append(value)
            if value < 0 && firstNegative == nil { firstNegative = (location(), value) }
        } else {
            values.append(.nan)
            if value.isNaN { nan.record(location()) } else { infinite.record(location()) }
        }
    }

    mutating func appendEmpty(step: Int, location: LogLocation) {
        steps.append(step)
        values.append(.nan)
        empty.record(location)
    }

    func recordSkips(into tally: inout SkipTally, empty emptyReason: SkipReason, nan nanReason: SkipReason, infinite infiniteReason: SkipReason) {
        for (occurrences, reason) in [(empty, emptyReason), (nan, nanReason), (infinite, infiniteReason)] {
            if let first = occurrences.first { tally.record(reason, at: first, count: occurrences.count) }
        }
    }
}
