import Foundation
import ScalingLaws

/// The grid of a simulated hyperparameter sweep: every model size × token budget × batch size,
/// and per batch size a ladder of peak learning rates placed around SGD's stability limit.
///
/// Model size N is the number of features `M`; a token is one example, so a run with batch `B`
/// (examples) and `D` tokens takes `T = D / B` steps. The learning rates of a cell are the rungs
/// `η = ratio^k` (k integer, so every cell shares grid points) with
/// ```
/// lowestFraction · η_max(M, B)  ≤  η  ≤  highestFraction · η_max(M, B)
/// ```
/// where `η_max` is the mean-square stability limit of constant-LR SGD
/// (`SolvableModel.maximumStableSGDLearningRate(batchSize:)`): ≈ 2B / tr λ for small `B`, → 2 for
/// large `B`. Rungs above the limit diverge or end clearly worse, as a real sweep's largest LRs do.
/// Each run warms up linearly over `warmupFraction · T` steps, then follows half a cosine from the
/// peak down to `endFraction` × peak at step `T`.
public struct SimulatedSweepGrid: Sendable, Equatable, Codable {
    /// Model sizes N = number of features M, each ≥ 1.
    public var dimensions: [Int]
    /// Token budgets D in examples; every run has `T = D / B` steps (≥ 2), so use multiples of the batch sizes.
    public var tokens: [Int]
    /// Batch sizes B in examples, each ≥ 1.
    public var batchSizes: [Int]
    /// The factor between neighbouring learning rates, > 1 (default √2).
    public var learningRateRatio: Double
    /// The smallest learning rate as a fraction of the stability limit, > 0 (default 1/16).
    public var lowestFraction: Double
    /// The largest learning rate as a fraction of the stability limit (default 1.5: one or two rungs diverge).
    public var highestFraction: Double
    /// Warmup steps as a fraction of `T`, in [0, 1) (default 0.02).
    public var warmupFraction: Double
    /// The final learning rate as a fraction of the peak, in [0, 1] (default 0.1).
    public var endFraction: Double

    /// A grid; the defaults of the ladder and the schedule are those documented on the properties.
    public init(dimensions: [Int], tokens: [Int], batchSizes: [Int], learningRateRatio: Double = 2.0.squareRoot(),
                lowestFraction: Double = 1.0 / 16, highestFraction: Double = 1.5, warmupFraction: Double = 0.02, endFraction: Double = 0.1) {
        self.dimensions = dimensions
        self.tokens = tokens
        self.batchSizes = batchSizes
        self.learningRateRatio = learningRateRatio
        self.lowestFraction = lowestFraction
        self.highestFraction = highestFraction
        self.warmupFraction = warmupFraction
        self.endFraction = endFraction
    }

    /// Checks that every cell has a schedule and at least one learning rate.
    public func validate() throws(SimulationError) {
        for (name, values) in [("model sizes", dimensions), ("token budgets", tokens), ("batch sizes", batchSizes)] {
            guard !values.isEmpty else { throw .invalidSetting("the sweep needs at least one of its \(name)") }
            guard values.allSatisfy({ $0 >= 1 }) else { throw .invalidSetting("the sweep's \(name) must all be at least 1 (got \(values))") }
        }
        guard learningRateRatio.isFinite && learningRateRatio > 1 else {
            throw .invalidSetting("the learning-rate ratio \(learningRateRatio) must exceed 1 (√2 ≈ 1.414 is typical)")
        }
        guard lowestFraction.isFinite && lowestFraction > 0 && highestFraction.isFinite && highestFraction >= lowestFraction * learningRateRatio else {
            throw .invalidSetting("the learning rates span \(lowestFraction)…\(highestFraction) × the stability limit; give 0 < low and high ≥ low × ratio (e.g. 0.0625 and 1.5)")
        }
        guard warmupFraction >= 0 && warmupFraction < 1 else { throw .invalidSetting("the warmup fraction \(warmupFraction) must lie in [0, 1)") }
        guard endFraction >= 0 && endFraction <= 1 else { throw .invalidSetting("the final LR fraction \(endFraction) must lie in [0, 1]") }
        for d in tokens {
            for b in batchSizes where d / b < 2 {
                throw .invalidSetting("\(d) tokens at batch size \(b) give fewer than 2 steps; raise the token budget or lower the batch size")
            }
            for b in batchSizes where d / b > Schedule.maximumSteps {
                throw .invalidSetting("\(d) tokens at batch size \(b) give \(d / b) steps, more than the \(Schedule.maximumStepsText) a run may have; lower the token budget or raise the batch size")
            }
        }
    }

    /// The learning-rate ladder of a cell: `ratio^k` rounded to 4 significant digits (0.1768, not
    /// 0.17677669…), within the fractions of `stabilityLimit`, increasing.
    public func learningRates(stabilityLimit: Double) -> [Double] {
        let logRatio = log(learningRateRatio)
        // A rung exactly on an edge belongs to the grid; the tolerance keeps it across rounding.
        let first = Int((log(lowestFraction * stabilityLimit) / logRatio - 1e-9).rounded(.up))
        let last = Int((log(highestFraction * stabilityLimit) / logRatio + 1e-9).rounded(.down))
        guard first <= last else { return [] }
        return (first...last).map { k in
            // The shortest decimal of 4 significant digits, read back: the same double everywhere.
            Double(String(format: "%.4g", PortableMath.pow(learningRateRatio, Double(k))))!
        }
    }

    /// The schedule of one run: `T` steps, linear warmup, half a cosine to `endFraction` × peak.
    public func schedule(peak: Double, steps: Int) throws(ScheduleError) -> Schedule {
        let warmup = min(steps - 1, Int((warmupFraction * Double(steps)).rounded()))
        return try Schedule(peak: peak, totalSteps: steps, warmupSteps: warmup, body: .cosine(end: endFraction * peak))
    }
}
