import Foundation

/// The learning-rate areas of the annealing law at chosen steps of one schedule.
///
/// ```
/// S1(s) = Σ_{i=1..s} η_i
/// S2(s) = Σ_{i=1..s} m_i,   m_i = λ·m_{i−1} + (η_{i−1} − η_i),   m_0 = 0
///       = Σ_{k=1..s} (η_{k−1} − η_k) · (1 − λ^(s−k+1)) / (1 − λ)
///       = (η_0 − η_s − λ·M(s)) / (1 − λ),   M(s) = Σ_{k≤s} (η_{k−1} − η_k)·λ^(s−k)
/// ```
/// S1 does not depend on λ and is computed once. For any λ, S2 needs only the discounted sum M at
/// the chosen steps. Between two chosen steps, M gains a polynomial in λ whose coefficients are
/// the LR changes of that stretch: evaluated by Horner's rule where the LR changes at most steps,
/// and term by term where it changes rarely (a constant stretch costs nothing). Exact, O(T) at
/// worst per λ. Tissue, Wang, Wang (2024), "Scaling Law with Learning Rate Annealing",
/// arXiv 2408.11029, Eq. 1 and 3.
public struct LearningRateAreas: Sendable {
    /// The steps the areas are reported at, strictly increasing.
    public let steps: [Int]
    /// S1 at `steps`.
    public let forwardArea: [Double]
    /// `η_0 − η_s` at `steps`: the total LR drop so far.
    private let totalDrop: [Double]
    /// The stretch of steps ending at each chosen step, and where its LR changes are stored.
    private let segments: [Segment]
    /// LR changes `η_{k−1} − η_k` at every step of the dense segments, oldest first.
    private let denseChanges: [Double]
    /// LR changes of the sparse segments, and how many steps before the segment's end each happened.
    private let sparseChanges: [Double]
    private let sparseDistances: [Double]

    private struct Segment {
        /// Steps since the previous chosen step.
        var length: Int
        /// Index of the first change in `denseChanges` (dense) or `sparseChanges` (sparse).
        var first: Int
        var count: Int
        var dense: Bool
    }

    /// Prepares the areas of per-step rates `rates` (index = step) at `steps` (each ≤ `rates.count − 1`).
    public init(rates: [Double], at steps: [Int]) {
        precondition(steps.allSatisfy { $0 >= 0 && $0 < rates.count }, "LearningRateAreas: a step lies outside the rates")
        self.steps = steps
        var forward = [Double](repeating: 0, count: steps.count)
        var segments: [Segment] = []
        var denseChanges: [Double] = [], sparseChanges: [Double] = [], sparseDistances: [Double] = []
        segments.reserveCapacity(steps.count)
        denseChanges.reserveCapacity(steps.last ?? 0)
        rates.withUnsafeBufferPointer { rate in
            var running = 0.0
            var previous = 0
            for (index, target) in steps.enumerated() {
                var changes = 0
                if target > previous {
                    for s in (previous + 1)...target {
                        running += rate[s]
                        if rate[s - 1] != rate[s] { changes += 1 }
                    }
                }
                forward[index] = running
                let length = target - previous
                // Horner costs one multiply-add per step, a sparse term an exponential: dense pays
                // once a quarter of the steps change.
                if changes * 4 > length {
                    segments.append(Segment(length: length, first: denseChanges.count, count: length, dense: true))
                    for k in (previous + 1)...target { denseChanges.append(rate[k - 1] - rate[k]) }
                } else {
                    segments.append(Segment(length: length, first: sparseChanges.count, count: changes, dense: false))
                    if changes > 0 {
                        for k in (previous + 1)...target where rate[k - 1] != rate[k] {
                            sparseChanges.append(rate[k - 1] - rate[k])
                            sparseDistances.append(Double(target - k))
                        }
                    }
                }
                previous = target
            }
        }
        self.forwardArea = forward
        self.totalDrop = steps.map { rates[0] - rates[$0] }
        self.segments = segments
        self.denseChanges = denseChanges
        self.sparseChanges = sparseChanges
        self.sparseDistances = sparseDistances
    }

    /// S1 and S2 at every step `0..<rates.count` in one pass, for whole-curve predictions and plots.
    ///
    /// ```
    /// S1(s) = S1(s−1) + η_s,   m_s = λ·m_{s−1} + (η_{s−1} − η_s),   S2(s) = S2(s−1) + m_s
    /// ```
    public static func everyStep(rates: [Double], lambda: Double) -> (forwardArea: [Double], annealingArea: [Double]) {
        precondition(lambda > 0 && lambda < 1, "everyStep: lambda must lie in (0, 1)")
        let count = rates.count
        var forward: [Double] = []
        let annealing = [Double](unsafeUninitializedCapacity: count) { s2, annealingCount in
            forward = [Double](unsafeUninitializedCapacity: count) { s1, forwardCount in
                rates.withUnsafeBufferPointer { rate in
                    guard count > 0 else { return }
                    s1[0] = 0
                    s2[0] = 0
                    var running = 0.0, momentum = 0.0, area = 0.0
                    for s in 1..<count {
                        running += rate[s]
                        momentum = lambda * momentum + (rate[s - 1] - rate[s])
                        area += momentum
                        s1[s] = running
                        s2[s] = area
                    }
                }
                forwardCount = count
            }
            annealingCount = count
        }
        return (forward, annealing)
    }

    /// S2 at `steps` for momentum `lambda` in (0, 1).
    public func annealingArea(lambda: Double) -> [Double] {
        [Double](unsafeUninitializedCapacity: steps.count) { buffer, initialized in
            writeAnnealingArea(lambda: lambda, into: buffer.baseAddress!, derivative: nil)
            initialized = steps.count
        }
    }

    /// S2 at `steps` and its derivative `∂S2/∂λ`, in one pass.
    public func annealingAreaAndDerivative(lambda: Double) -> (area: [Double], derivative: [Double]) {
        var derivative = [Double](repeating: 0, count: steps.count)
        let area = [Double](unsafeUninitializedCapacity: steps.count) { buffer, initialized in
            derivative.withUnsafeMutableBufferPointer { slope in
                writeAnnealingArea(lambda: lambda, into: buffer.baseAddress!, derivative: slope.baseAddress!)
            }
            initialized = steps.count
        }
        return (area, derivative)
    }

    /// Writes S2 (and ∂S2/∂λ when `derivative` is given) at every step into buffers of
    /// `steps.count` values.
    ///
    /// ```
    /// M ← λ^g·M + P(λ)          P(λ) = Σ_j c_j λ^(g−1−j)   (the g steps' changes, oldest first)
    /// M' ← λ^g·M' + g·λ^(g−1)·M + P'(λ)
    /// S2 = (D − λM)/(1 − λ)      S2' = (S2 − M − λM')/(1 − λ)
    /// ```
    func writeAnnealingArea(lambda: Double, into area: UnsafeMutablePointer<Double>, derivative: UnsafeMutablePointer<Double>?) {
        precondition(lambda > 0 && lambda < 1, "annealingArea: lambda must lie in (0, 1)")
        let logLambda = log(lambda)
        let inverseOneMinusLambda = -1 / expm1(logLambda)
        var m = 0.0, dm = 0.0
        // Logging intervals repeat, so the last λ^g is usually the next one too.
        var cachedLength = 0, cachedDecay = 1.0
        denseChanges.withUnsafeBufferPointer { dense in
            sparseChanges.withUnsafeBufferPointer { sparse in
                sparseDistances.withUnsafeBufferPointer { distance in
                    totalDrop.withUnsafeBufferPointer { drop in
                        for (out, segment) in segments.enumerated() {
                            let g = segment.length
                            if g != cachedLength {
                                cachedLength = g
                                cachedDecay = g == 1 ? lambda : exp(Double(g) * logLambda)
                            }
                            let decay = cachedDecay
                            var p = 0.0, dp = 0.0
                            if segment.dense {
                                var j = segment.first
                                let end = segment.first + segment.count
                                if derivative == nil {
                                    // Four independent products per round keep the multiply-add chain short.
                                    let lambda2 = lambda * lambda, lambda3 = lambda2 * lambda, lambda4 = lambda2 * lambda2
                                    let head = segment.count % 4
                                    while j < segment.first + head { p = p * lambda + dense[j]; j += 1 }
                                    while j < end {
                                        p = p * lambda4 + (dense[j] * lambda3 + dense[j + 1] * lambda2 + dense[j + 2] * lambda + dense[j + 3])
                                        j += 4
                                    }
                                } else {
                                    let lambda2 = lambda * lambda, lambda3 = lambda2 * lambda, lambda4 = lambda2 * lambda2
                                    let head = segment.count % 4
                                    while j < segment.first + head {
                                        dp = dp * lambda + p
                                        p = p * lambda + dense[j]
                                        j += 1
                                    }
                                    while j < end {
                                        let (c0, c1, c2, c3) = (dense[j], dense[j + 1], dense[j + 2], dense[j + 3])
                                        dp = dp * lambda4 + p * (4 * lambda3) + (3 * c0 * lambda2 + 2 * c1 * lambda + c2)
                                        p = p * lambda4 + (c0 * lambda3 + c1 * lambda2 + c2 * lambda + c3)
                                        j += 4
                                    }
                                }
                            } else if segment.count > 0 {
                                for j in segment.first..<(segment.first + segment.count) {
                                    let d = distance[j]
                                    let term = sparse[j] * exp(d * logLambda)
                                    p += term
                                    if derivative != nil && d > 0 { dp += term * d / lambda }
                                }
                            }
                            if derivative != nil {
                                dm = decay * dm + (g > 0 ? Double(g) * decay / lambda * m : 0) + dp
                            }
                            m = decay * m + p
                            let s2 = (drop[out] - lambda * m) * inverseOneMinusLambda
                            area[out] = s2
                            if let derivative { derivative[out] = (s2 - m - lambda * dm) * inverseOneMinusLambda }
                        }
                    }
                }
            }
        }
    }
}
