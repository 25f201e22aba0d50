import Foundation
import ScalingLaws
import TrainingLogs

/// A log read from disk and turned into a curve the laws can use.
public struct LoadedCurve: Sendable {
    /// The log as read (after smoothing and thinning).
    public var log: TrainingLog
    /// Its curve restricted to the fitting window.
    public var curve: TrainingCurve

    public init(log: TrainingLog, curve: TrainingCurve) {
        self.log = log
        self.curve = curve
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
    /// The default window opened at the end of warmup and left `leftOut` earlier points out.
    case windowOpenedAfterWarmup(source: String, step: Int, leftOut: Int)
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
    ///   for a curve given twice; `CurveError.zeroLearningRate` for a log whose learning rate is 0 throughout; the readers' and schedules'
    ///   own errors.
    public static func load(_ paths: [String], options: CurveLoadingOptions,
                            report: (CurveLoadingEvent) -> Void = { _ in }) throws -> [LoadedCurve] {
        if let from = options.fromStep, let to = options.toStep, from > to {
            throw WorkflowError.reversedWindow(from: from, to: to)
        }
        // A curve holds a learning rate for every step: a step beyond the schedules' limit is an
        // error naming its line rather than an allocation sized by it.
        var readOptions = options.read
        readOptions.maximumStep = min(readOptions.maximumStep ?? .max, Schedule.maximumSteps)
        var loaded: [LoadedCurve] = []
        for path in paths {
            for read in try TrainingLogReader.readAll(path, options: readOptions) {
                // Smoothing first, so that thinning keeps averages of every logged point.
                let smoothed = try options.smoothing.map { smoothing throws(LossSmoothingError) in try read.withSmoothedLoss(smoothing) } ?? read
                let log = options.thinningInterval.map { smoothed.withThinnedLoss(every: $0) } ?? smoothed
                report(.read(log))
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
                let left = curve.steps.count - windowed.steps.count
                if options.fromStep == nil && left > 0 {
                    report(.windowOpenedAfterWarmup(source: log.source, step: start, leftOut: left))
                }
                // The same curve twice (a file given twice, or a copy) would count as two runs.
                if let earlier = loaded.first(where: { $0.curve.steps == windowed.steps && $0.curve.losses == windowed.losses }) {
                    throw WorkflowError.repeatedCurve(source: log.source, sameAs: earlier.log.source)
                }
                loaded.append(LoadedCurve(log: log, curve: windowed))
            }
        }
        return loaded
    }

    /// The whole curve of `log`, on its exact schedule when it has one, else on its logged LR.
    private static func curve(of log: TrainingLog, path: String, schedules: ScheduleAssignment,
                              report: (CurveLoadingEvent) -> Void) throws -> TrainingCurve {
        let logged = log.learningRate.map { (steps: $0.steps, values: $0.values) }
        if let (schedule, origin) = try schedules.schedule(for: path) {
            switch origin {
            case .given(let ignored): report(.scheduleGiven(log: path, spec: schedule.spec, ignoredSidecar: ignored))
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
