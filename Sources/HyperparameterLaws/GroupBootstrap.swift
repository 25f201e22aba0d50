import SeededRandom

/// A two-sided interval [lower, upper].
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    /// The lower end.
    public var lower: Double
    /// The upper end.
    public var upper: Double

    /// An interval from its ends.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The percentile interval of `values` at `confidence` (e.g. 0.95 → 2.5 % and 97.5 %), with
    /// linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default).
    public init(percentilesOf values: [Double], confidence: Double) {
        let sorted = values.sorted()
        let tail = (1 - confidence) / 2
        self.init(lower: Self.quantile(sorted, tail), upper: Self.quantile(sorted, 1 - tail))
    }

    /// The interval with `transform` applied to both ends (an increasing function).
    func mapped(_ transform: (Double) -> Double) -> ConfidenceInterval {
        ConfidenceInterval(lower: transform(lower), upper: transform(upper))
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        return sorted[below] + fraction * (sorted[above] - sorted[below])
    }
}

/// Bootstrap settings: how many resamples, from which seed, at which confidence.
public struct BootstrapSettings: Sendable, Equatable, Codable {
    /// Resamples, ≥ 1 (1000 by default; fewer make the interval ends noisy).
    public var resamples = 1000
    /// Seed of the random generator, so that a fit can be repeated exactly.
    public var seed: UInt64 = 0
    /// Coverage of the percentile intervals, in (0, 1).
    public var confidence = 0.95

    /// The default settings.
    public init() {}

    func validate() throws(SweepError) {
        guard resamples >= 1 else { throw .invalidSetting("bootstrap resamples must be at least 1, got \(resamples)") }
        guard confidence > 0 && confidence < 1 else { throw .invalidSetting("the confidence must lie in (0, 1), got \(confidence)") }
    }
}

/// The case bootstrap over (N, D) groups: each resample draws as many groups as the sweep has,
/// with replacement, and refits the laws to the drawn groups' optima.
///
/// Groups, not runs, are resampled because the group is the unit the laws are fitted to: the
/// optima of different groups scatter around the law (through each optimum's own noise and the
/// law's misfit) independently, while the runs of one group jointly determine one optimum.
/// Resampling runs would keep the groups fixed and miss the scatter between them, which is what
/// the width of a prediction at a new (N, D) mostly reflects.
struct GroupBootstrap {
    var settings: BootstrapSettings

    /// The coefficients fitted on each resample, and how many draws were replaced because the
    /// drawn groups could not determine every coefficient (e.g. all with the same N).
    ///
    /// - Parameters:
    ///   - groupCount: the number of groups, ≥ 1.
    ///   - fit: the coefficients fitted to a multiset of group indices, nil when undetermined.
    ///   - progress: called with (resamples done, resamples wanted) about a hundred times.
    /// - Throws: `SweepError.invalidSetting` when more than 9 in 10 draws are undetermined.
    func run(groupCount: Int, fit: ([Int]) -> [[Double]]?, progress: ((Int, Int) -> Void)?) throws(SweepError) -> (draws: [[[Double]]], redrawn: Int) {
        try settings.validate()
        var generator = Xoshiro256StarStar(seed: settings.seed)
        var draws: [[[Double]]] = []
        draws.reserveCapacity(settings.resamples)
        var redrawn = 0
        let reportEvery = max(1, settings.resamples / 100)
        while draws.count < settings.resamples {
            let indices = (0..<groupCount).map { _ in Self.uniformIndex(below: groupCount, using: &generator) }
            if let coefficients = fit(indices) {
                draws.append(coefficients)
                if draws.count % reportEvery == 0 { progress?(draws.count, settings.resamples) }
            } else {
                redrawn += 1
                if redrawn > 9 * settings.resamples {
                    throw .invalidSetting("\(redrawn) bootstrap resamples of the \(groupCount) groups could not determine the laws (too few distinct groups drawn); add groups or drop terms from the formulas")
                }
            }
        }
        return (draws, redrawn)
    }

    /// A uniform integer in 0..<bound by Lemire's multiply-shift with rejection, so that the
    /// same seed draws the same groups on every platform.
    static func uniformIndex(below bound: Int, using generator: inout Xoshiro256StarStar) -> Int {
        let range = UInt64(bound)
        let threshold = (0 &- range) % range
        while true {
            let product = generator.next().multipliedFullWidth(by: range)
            if product.low >= threshold { return Int(product.high) }
        }
    }
}
