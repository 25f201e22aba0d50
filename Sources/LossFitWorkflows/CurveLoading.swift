import Foundation
import ScalingLaws
import TrainingLogs

/// A log read from disk and turned into a curve the laws can use.
public struct LoadedCurve: Sendable {
    /// The log as read (after smoothing and thinning).
    public var log: TrainingLog
    /// Its curve restricted to the fitting window.
    public var curve: TrainingCurve
    /// The loss series and window the curve holds, for FIT.json and the user (nil when the curve
    /// was not made by `CurveLoading.load`).
    public var source: CurveSource?

    public init(log: TrainingLog, curve: TrainingCurve, source: CurveSource? = nil) {
        self.log = log
        self.curve = curve
        self.source = source
    }
}

/// How logs become curves: how to read them, how to reduce their noise, which exact schedule they
/// follow and which steps enter fits and scores.
public struct CurveLoadingOptions: Sendable {
    /// Format, columns, which loss, bad lines.
    public var read: LogReadOptions
    /// Noise reduction applied before thinning (nil: none).
    public var smoothing: LossSmoothing?
    /// Keep every N-th logged loss point (nil: every point).
    public var thinningInterval: Int?
    /// Exact schedules per log.
    public var schedules: ScheduleAssignment
    /// First step of the window (nil: the end of warmup, where the LR first reaches its peak).
    public var fromStep: Int?
    /// Last step of the window (nil: the end of the log).
    public var toStep: Int?

    public init(read: LogReadOptions = LogReadOptions(), smoothing: LossSmoothing? = nil, thinningInterval: Int? = nil,
                schedules: ScheduleAssignment = ScheduleAssignment(), fromStep: Int? = nil, toStep: Int? = nil) {
        self.read = read
        self.smoothing = smoothing
        self.thinningInterval = thinningInterval
        self.schedules = schedules
        self.fromStep = fromStep
        self.toStep = toStep
    }
}

/// Something the user should know about how a log was loaded, in the order it happened.
public enum CurveLoadingEvent: Sendable, Equatable {
    /// A log was read: its skipped rows, replaced steps and notes are in it.
    case read(TrainingLog)
    /// The log follows a schedule given for it.
    case scheduleGiven(log: String, spec: String, ignoredSidecar: String?)
    /// The log follows the schedule in its sidecar file.
    case scheduleFromSidecar(log: String, spec: String, sidecar: String)
    /// The loss series that was read from a log holding a loss of another kind too (a training and
    /// a validation loss): `lossKey` was fitted, `otherLosses` were not.
    case lossChosen(CurveSource)
    /// The window left logged points out: `before` points before its first step (`fromWarmupEnd`
    /// when that is the end of warmup, the default) and `after` points after its last.
    case windowCut(source: String, from: Int, fromWarmupEnd: Bool, to: Int?, before: Int, after: Int)
}

/// Reading logs into curves with the fitting window.
public enum CurveLoading {
    /// Reads every path as training logs (a W&B panel export or a directory of TensorBoard runs
    /// gives one curve per run) and builds their curves inside the window.
    ///
    /// By default the window opens at the end of warmup (README: Evidence behind the defaults); the
    /// LR areas still integrate every step from 0.
    /// - Parameter report: Told, in order, what reading did (skipped rows, sidecars, the window).
    /// - Throws: `WorkflowError` for a reversed or empty window, or a window that closes before the
    ///   default start (the end of warmup); `CurveError.noLearningRate` for a log without learning
    ///   rates; `LogReadError.stepBeyondLimit` for a step beyond `Schedule.maximumSteps`;
    ///   `LossSmoothingError` for a smoothing window wider than a log; `WorkflowError.repeatedCurve`
    ///   for a curve given twice; `CurveError.zeroLearningRate` for a log whose learning rate is 0 throughout;
    ///   `WorkflowError.scheduleForUnknownLog` or `.scheduleForUnknownRun` for a schedule given for
    ///   a name that is neither a file nor a run read; the readers' and schedules' own errors.
    public static func load(_ paths: [String], options: CurveLoadingOptions,
                            report: (CurveLoadingEvent) -> Void = { _ in }) throws -> [LoadedCurve] {
        if let from = options.fromStep, let to = options.toStep, from > to {
            throw WorkflowError.reversedWindow(from: from, to: to)
        }
        // A curve holds a learning rate for every step: a step beyond the schedules' limit is an
        // error naming its line rather than an allocation sized by it.
        var readOptions = options.read
        readOptions.maximumStep = min(readOptions.maximumStep ?? .max, Schedule.maximumSteps)
        var logs: [(path: String, log: TrainingLog)] = []
        for path in paths {
            for read in try TrainingLogReader.readAll(path, options: readOptions) {
                // Smoothing first, so that thinning keeps averages of every logged point.
                let smoothed = try options.smoothing.map { smoothing throws(LossSmoothingError) in try read.withSmoothedLoss(smoothing) } ?? read
                let log = options.thinningInterval.map { smoothed.withThinnedLoss(every: $0) } ?? smoothed
                report(.read(log))
                logs.append((path, log))
            }
        }
        // Every run is known only once every file is read; a schedule for a run that none holds is
        // the user's mistake to fix before anything else.
        try options.schedules.checkRunNames(logs.compactMap(\.log.runInFile))
        var loaded: [LoadedCurve] = []
        for (path, log) in logs {
            let curve = try curve(of: log, path: path, schedules: options.schedules, report: report)
            // No learning-rate area anywhere: nothing any law could fit ("0 observations" said otherwise).
            guard curve.learningRates[...curve.steps[curve.steps.count - 1]].contains(where: { $0 > 0 }) else {
                throw CurveError.zeroLearningRate(curve: log.source)
            }
            let start = options.fromStep ?? curve.warmupEndStep
            if let end = options.toStep, end < start {
                // Only the default start can pass the end: a given one was checked against it above.
                throw WorkflowError.windowEndsBeforeWarmupEnds(source: log.source, warmupEnd: start, to: end)
            }
            let window = start...(options.toStep ?? Int.max)
            let windowed = curve.restricted(to: window)
            guard !windowed.steps.isEmpty else {
                throw WorkflowError.emptyWindow(source: log.source, from: window.lowerBound, to: options.toStep,
                                                firstLogged: curve.steps[0], lastLogged: curve.steps[curve.steps.count - 1])
            }
            let before = curve.steps.prefix { $0 < window.lowerBound }.count
            let after = curve.steps.count - before - windowed.steps.count
            let source = CurveSource(
                path: path, run: log.runInFile, lossKey: log.lossKey, lossKind: log.lossKind.map(CurveSource.LossKind.init),
                otherLosses: log.otherLossKeys.map { CurveSource.OtherLoss(key: $0, kind: TrainingLog.lossKind(ofKey: $0).map(CurveSource.LossKind.init)) },
                fromStep: start, toStep: options.toStep, pointsUsed: windowed.steps.count,
                pointsBefore: before, pointsAfter: after, rowsSkipped: log.skipped.filter(\.leftOutLoss).reduce(0) { $0 + $1.count })
            if source.hasLossOfAnotherKind { report(.lossChosen(source)) }
            if before > 0 || after > 0 {
                report(.windowCut(source: log.source, from: start, fromWarmupEnd: options.fromStep == nil, to: options.toStep,
                                  before: before, after: after))
            }
            // The same curve twice (a file given twice, or a copy) would count as two runs.
            if let earlier = loaded.first(where: { $0.curve.steps == windowed.steps && $0.curve.losses == windowed.losses }) {
                throw WorkflowError.repeatedCurve(source: log.source, sameAs: earlier.log.source)
            }
            loaded.append(LoadedCurve(log: log, curve: windowed, source: source))
        }
        return loaded
    }

    /// The whole curve of `log`, on its exact schedule when it has one, else on its logged LR.
    private static func curve(of log: TrainingLog, path: String, schedules: ScheduleAssignment,
                              report: (CurveLoadingEvent) -> Void) throws -> TrainingCurve {
        let logged = log.learningRate.map { (steps: $0.steps, values: $0.values) }
        if let (schedule, origin) = try schedules.schedule(for: path, run: log.runInFile) {
            let label = log.runInFile.map { "\(path) (run \"\($0)\")" } ?? path
            switch origin {
            case .given(let ignored): report(.scheduleGiven(log: label, spec: schedule.spec, ignoredSidecar: ignored))
            case .sidecar(let sidecar): report(.scheduleFromSidecar(log: path, spec: schedule.spec, sidecar: sidecar))
            }
            return try TrainingCurve(name: log.name, steps: log.loss.steps, losses: log.loss.values, schedule: schedule,
                                     loggedLearningRates: logged)
        }
        if let rates = log.learningRate, !rates.steps.isEmpty {
            return try TrainingCurve(name: log.name, steps: log.loss.steps, losses: log.loss.values,
                                     loggedLearningRates: (rates.steps, rates.values))
        }
        throw CurveError.noLearningRate(curve: log.source)
    }
}

extension CurveSource.LossKind {
    /// The kind of a log reader's loss series.
    init(_ kind: LossKind) {
        switch kind {
        case .training: self = .training
        case .evaluation: self = .evaluation
        }
    }
}

private extension SkippedRows {
    /// Whether the rows' losses were left out (every reason but a bad learning rate).
    var leftOutLoss: Bool { !reason.contains("learning rate") }
}
