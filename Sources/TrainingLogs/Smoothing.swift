/// How to reduce the noise of a logged loss before it is fitted.
public enum LossSmoothing: Sendable, Equatable {
    /// An exponential moving average with this weight in (0, 1), debiased like TensorBoard's slider.
    ///
    /// Cuts the variance of independent noise by (1 − w)/(1 + w) but lags the curve by about
    /// w/(1 − w) points, which shifts a steep drop (a cooldown) later.
    case exponential(weight: Double)
    /// The mean of a centred window of this many logged points (odd, ≥ 3), shrinking symmetrically
    /// at the ends so the first and last points stay as logged.
    ///
    /// Cuts the standard deviation of independent noise by √window without lag, but blurs
    /// curvature narrower than the window.
    case centredMean(window: Int)

    /// Reads a smoothing argument: a value in [0, 1) is an exponential-average weight (0: none), an
    /// odd whole number ≥ 3 a centred window.
    /// - Throws: `LossSmoothingError` for anything else: an even window (it has no centre) or one of
    ///   a single point are refused rather than changed.
    public init(argument: String) throws(LossSmoothingError) {
        guard let value = Double(argument), value.isFinite, value >= 0 else { throw .notAWeightOrWindow(argument) }
        if value < 1 {
            self = .exponential(weight: value)
            return
        }
        guard value == value.rounded(), value <= 1_000_000_000 else { throw .notAWeightOrWindow(argument) }
        self = .centredMean(window: Int(value))
        try validateWindow()
    }

    /// Throws for a centred window that is even or of one point.
    func validateWindow() throws(LossSmoothingError) {
        guard case .centredMean(let window) = self else { return }
        guard window >= 2 else { throw .windowTooSmall(window) }
        guard window % 2 == 1 else { throw .evenWindow(window) }
    }

    /// True when the smoothing leaves every value as it is.
    public var isIdentity: Bool {
        switch self {
        case .exponential(let weight): return weight <= 0
        case .centredMean(let window): return window <= 1
        }
    }
}

extension LogSeries {
    /// The series smoothed by an exponential moving average with `weight` in [0, 1), debiased as
    /// TensorBoard's smoothing slider does it, so the first points are not pulled toward zero:
    ///
    ///     m_i = weight·m_{i−1} + (1 − weight)·x_i,   m_0 = 0,   smoothed_i = m_i / (1 − weight^i)
    ///
    /// Points are weighted equally whatever the step interval; weight 0 returns the series as is.
    public func exponentiallySmoothed(weight: Double) -> LogSeries {
        guard weight > 0 else { return self }
        var average = 0.0
        var debias = 1.0
        var smoothed: [Double] = []
        smoothed.reserveCapacity(values.count)
        for value in values {
            average = weight * average + (1 - weight) * value
            debias *= weight
            smoothed.append(average / (1 - debias))
        }
        return LogSeries(steps: steps, values: smoothed)
    }

    /// The series averaged over centred windows of `window` points (odd), each half-width
    /// shrunk at the ends to the points available on both sides:
    ///
    ///     h_i = min((window − 1)/2, i, n − 1 − i),   smoothed_i = mean(x_{i−h_i} … x_{i+h_i})
    ///
    /// Running sums keep it O(n) for any window.
    public func centredMean(window: Int) -> LogSeries {
        guard window > 1, values.count > 2 else { return self }
        let halfWidth = (window - 1) / 2
        var prefix = [0.0]
        prefix.reserveCapacity(values.count + 1)
        for value in values { prefix.append(prefix[prefix.count - 1] + value) }
        let smoothed = values.indices.map { i in
            let h = Swift.min(halfWidth, i, values.count - 1 - i)
            return (prefix[i + h + 1] - prefix[i - h]) / Double(2 * h + 1)
        }
        return LogSeries(steps: steps, values: smoothed)
    }

    /// Every `interval`-th point, starting with the first, plus the last point.
    public func thinned(every interval: Int) -> LogSeries {
        guard interval > 1, values.count > 2 else { return self }
        var kept = Array(stride(from: 0, to: values.count, by: interval))
        if kept[kept.count - 1] != values.count - 1 { kept.append(values.count - 1) }
        return LogSeries(steps: kept.map { steps[$0] }, values: kept.map { values[$0] })
    }
}

extension TrainingLog {
    /// The log with its loss smoothed and a note saying so, so that smoothing is never silent.
    /// - Throws: `LossSmoothingError` for a centred window that is even, of one point, or wider
    ///   than the log has loss points.
    public func withSmoothedLoss(_ smoothing: LossSmoothing) throws(LossSmoothingError) -> TrainingLog {
        try smoothing.validateWindow()
        if case .centredMean(let window) = smoothing, window > loss.count {
            throw .windowWiderThanLog(source: source, window: window, points: loss.count)
        }
        guard !smoothing.isIdentity else { return self }
        var log = self
        switch smoothing {
        case .exponential(let weight):
            log.loss = loss.exponentiallySmoothed(weight: weight)
        case .centredMean(let window):
            log.loss = loss.centredMean(window: window)
        }
        log.notes.append(.smoothedLoss(smoothing))
        return log
    }

    /// The log with only every `interval`-th loss point kept (and the last), and a note saying how
    /// many were left out. The learning rate keeps every logged value.
    public func withThinnedLoss(every interval: Int) -> TrainingLog {
        guard interval > 1 else { return self }
        var log = self
        log.loss = loss.thinned(every: interval)
        log.notes.append(.thinnedLoss(every: interval, kept: log.loss.values.count, of: loss.values.count))
        return log
    }
}
