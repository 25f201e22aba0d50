/// The optimizer a refined schedule is made for; it decides which gradient norm the method needs
/// and how the norm weighs each step.
public enum RefinementOptimizer: String, Sendable, Equatable, CaseIterable, Codable {
    /// Adam and AdamW: weights `ĝ^(−1)` from ℓ1 gradient norms.
    case adam
    /// SGD: weights `ĝ^(−2)` from ℓ2 gradient norms.
    case sgd

    /// The weight of a step whose smoothed gradient norm is `norm` (> 0).
    @inline(__always)
    func weight(norm: Double) -> Double {
        switch self {
        case .adam: return 1 / norm
        case .sgd: return 1 / (norm * norm)
        }
    }
}

/// A learning-rate schedule refined from the gradient norms of an earlier run of the same length
/// (Defazio, Cutkosky, Mehta, Mishchenko 2023, "When, Why and How Much? Adaptive Learning Rate
/// Scheduling by Refinement", arXiv 2310.07831, Algorithm 1; the authors' code
/// facebookresearch/adaptive_scheduling, `find_closed_form_schedule` in `find_schedule.py`).
///
/// ```
/// ĝ   = median filter of the per-update norms g_1 … g_T, odd width w = 2⌊⌊s·T⌋/2⌋ + 1
/// w_t = ĝ_t^(−2)  (SGD, ℓ2 norms)      w_t = ĝ_t^(−1)  (Adam, ℓ1 norms)
/// η_t ∝ w_t · Σ_{p>t} w_p,   η_T = 0,   scaled so that max_t η_t = peak
/// ```
/// Update `t = 1 … T` is the t-th optimizer update; constant norms give a straight line from the
/// peak at update 1 to 0 at update T. The filter's ends follow the authors' README: the left end
/// repeats the first norm (scipy's `mode='nearest'`), the right end mirrors the norms without
/// repeating the last one (`np.pad(…, mode='reflect')`).
public struct RefinedSchedule: Sendable, Equatable {
    /// The fewest usable norms a refinement accepts.
    public static let minimumNorms = 10

    /// The learning rate of each update `t = 1 … T`, at index `t − 1`; the last is 0.
    public let learningRates: [Double]
    /// The median-filtered norm ĝ_t of each update, at index `t − 1`.
    public let smoothedNorms: [Double]
    /// The median filter's width in updates (odd).
    public let medianWidth: Int
    /// The norms used (finite, > 0, at steps within the run).
    public let usedNorms: Int
    /// Norms left out because they were zero or negative.
    public let nonPositiveNorms: Int
    /// Norms logged after step `T`, left out when the log covers the whole run.
    public let normsAfterRun: Int
    /// True when the log ends before step `T`, so that its norms were stretched over the run by progress.
    public let isStretched: Bool

    /// Refines a schedule from logged gradient norms.
    ///
    /// Norms are placed on the updates `t = 1 … T` by linear interpolation between logged steps
    /// (the first logged norm before the first logged step). A log that ends before step `T` is
    /// stretched: update `t` reads the log at progress `(t − 1)/(T − 1)` between its first and last
    /// logged steps.
    ///
    /// - Parameters:
    ///   - steps: logged steps, strictly increasing (the norm at step `k` is that of update `k`).
    ///   - norms: one gradient norm per step; values that are not finite and positive are left out
    ///     and counted. ℓ2 norms for SGD, ℓ1 norms for Adam: which one a log holds cannot be checked.
    ///   - totalSteps: `T`, the updates of the run to schedule, 2 … `Schedule.maximumSteps`.
    ///   - peak: the largest learning rate, > 0.
    ///   - optimizer: decides the weight `ĝ^(−2)` (SGD) or `ĝ^(−1)` (Adam).
    ///   - smoothing: the median window as a fraction of `T`, in (0, 1]; the paper uses 0.1.
    /// - Throws: `RefinementError` for fewer than `minimumNorms` usable norms or invalid settings.
    public init(steps: [Int], norms: [Double], totalSteps: Int, peak: Double, optimizer: RefinementOptimizer,
                smoothing: Double = 0.1) throws(RefinementError) {
        precondition(steps.count == norms.count, "RefinedSchedule: one norm per step")
        guard totalSteps >= 2 else { throw .tooFewSteps(totalSteps) }
        guard totalSteps <= Schedule.maximumSteps else { throw .tooManySteps(totalSteps) }
        guard peak > 0 && peak.isFinite else { throw .invalidPeak(peak) }
        guard smoothing > 0 && smoothing <= 1 else { throw .invalidSmoothing(smoothing) }

        var usableSteps: [Int] = [], usableNorms: [Double] = []
        usableSteps.reserveCapacity(steps.count)
        usableNorms.reserveCapacity(norms.count)
        var nonPositive = 0
        for (step, norm) in zip(steps, norms) where norm.isFinite {
            if norm > 0 {
                usableSteps.append(step)
                usableNorms.append(norm)
            } else {
                nonPositive += 1
            }
        }
        let covers = (usableSteps.last ?? 0) >= totalSteps
        var afterRun = 0
        if covers, let firstAfter = usableSteps.firstIndex(where: { $0 > totalSteps }) {
            // The last norm inside the run ends the interpolation; later ones belong to a longer run.
            afterRun = usableSteps.count - firstAfter
            usableSteps.removeSubrange(firstAfter...)
            usableNorms.removeSubrange(firstAfter...)
        }
        guard usableNorms.count >= Self.minimumNorms else { throw .tooFewNorms(usable: usableNorms.count, needed: Self.minimumNorms) }

        let perUpdate = Self.perUpdateNorms(steps: usableSteps, norms: usableNorms, totalSteps: totalSteps, stretched: !covers)
        let width = 2 * (Int(smoothing * Double(totalSteps)) / 2) + 1
        let smoothed = Self.medianFiltered(perUpdate, width: width)
        learningRates = Self.learningRates(smoothedNorms: smoothed, optimizer: optimizer, peak: peak)
        smoothedNorms = smoothed
        medianWidth = width
        usedNorms = usableNorms.count
        nonPositiveNorms = nonPositive
        normsAfterRun = afterRun
        isStretched = !covers
    }

    /// The schedule as the laws read it (a table, index = step): step 0 and step 1 both carry the
    /// first update's rate, step `t` the rate of update `t`, as `table:FILE` reads the CSV of
    /// `learningRates` at steps 1 … T.
    public func schedule(source: String) throws(ScheduleError) -> Schedule {
        try Schedule(peak: learningRates.max() ?? 0, totalSteps: learningRates.count,
                     body: .table(rates: [learningRates[0]] + learningRates, source: source))
    }

    /// Norms at updates `1 … totalSteps`, linearly interpolated between logged steps.
    static func perUpdateNorms(steps: [Int], norms: [Double], totalSteps: Int, stretched: Bool) -> [Double] {
        let first = Double(steps[0]), last = Double(steps[steps.count - 1])
        let scale = stretched ? (last - first) / Double(totalSteps - 1) : 1
        var result = [Double](repeating: 0, count: totalSteps)
        var segment = 0
        for update in 1...totalSteps {
            let position = stretched ? first + Double(update - 1) * scale : Double(update)
            if position <= first { result[update - 1] = norms[0]; continue }
            if position >= last { result[update - 1] = norms[norms.count - 1]; continue }
            while Double(steps[segment + 1]) < position { segment += 1 }
            let (s0, s1) = (Double(steps[segment]), Double(steps[segment + 1]))
            result[update - 1] = norms[segment] + (norms[segment + 1] - norms[segment]) * (position - s0) / (s1 - s0)
        }
        return result
    }

    /// The running median of `values` over a centred window of odd `width`, with the ends of
    /// `find_schedule.py`'s README: the first value repeated to the left, the values mirrored
    /// (without the last) to the right.
    ///
    /// ```
    /// x_i = values[0]                        i < 0
    /// x_i = values[reflect(i)]               i ≥ n,  reflect of period 2(n − 1), numpy's "reflect"
    /// ĝ_i = median(x_{i−h} … x_{i+h}),       h = (width − 1)/2
    /// ```
    public static func medianFiltered(_ values: [Double], width: Int) -> [Double] {
        precondition(width >= 1 && width % 2 == 1, "medianFiltered: the width must be odd")
        let count = values.count, half = width / 2
        guard count > 1 else { return values }
        var padded = [Double](repeating: values[0], count: half)
        padded.reserveCapacity(count + 2 * half)
        padded.append(contentsOf: values)
        let period = 2 * (count - 1)
        for offset in 0..<half {
            let position = (count + offset) % period
            padded.append(values[position < count ? position : period - position])
        }
        return SlidingMedian.medians(of: padded, width: width)
    }

    /// `η_t ∝ w_t · Σ_{p>t} w_p` with `η_T = 0`, scaled to a maximum of `peak`.
    static func learningRates(smoothedNorms: [Double], optimizer: RefinementOptimizer, peak: Double) -> [Double] {
        var rates = [Double](repeating: 0, count: smoothedNorms.count)
        var tailSum = 0.0  // Σ_{p>t} w_p
        var maximum = 0.0
        for t in stride(from: smoothedNorms.count - 1, through: 0, by: -1) {
            let weight = optimizer.weight(norm: smoothedNorms[t])
            rates[t] = weight * tailSum
            maximum = max(maximum, rates[t])
            tailSum += weight
        }
        let scale = peak / maximum
        for t in rates.indices { rates[t] *= scale }
        return rates
    }
}
