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
}

extension TrainingLog {
    /// The log with its loss smoothed (see `LogSeries.exponentiallySmoothed(weight:)`) and a note
    /// saying so, so that smoothing is never silent.
    public func withSmoothedLoss(weight: Double) -> TrainingLog {
        guard weight > 0 else { return self }
        var log = self
        log.loss = loss.exponentiallySmoothed(weight: weight)
        log.notes.append(.smoothedLoss(weight: weight))
        return log
    }
}
