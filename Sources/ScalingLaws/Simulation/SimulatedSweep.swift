import Foundation
import Synchronization

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

/// One finished run of a simulated sweep.
public struct SimulatedSweepRun: Sendable, Equatable, Codable {
    /// Model size N: the number of features M.
    public var parameters: Int
    /// Tokens D = steps × batch size, in examples.
    public var tokens: Int
    /// The peak learning rate.
    public var learningRate: Double
    /// Examples per step.
    public var batchSize: Int
    /// Optimizer steps T.
    public var steps: Int
    /// The exact population loss after the last update; nil when the run diverged.
    public var finalLoss: Double?
    /// The population loss averaged over the last 1 % of steps (at least one), the sweep's
    /// "smoothed final loss"; nil when the run diverged.
    public var smoothedLoss: Double?
}

/// A hyperparameter sweep of the solvable model (`SolvableModel`, trained by SGD with
/// `TrainingSimulator`): one run per cell of `grid`, seeded and bit-reproducible, written in the
/// columns the sweep reader knows (`N, D, lr, bs, steps, loss, smooth_loss`).
///
/// Every run draws from the same `seed` (the same stream of random numbers, as a real sweep keeps
/// one data order), so neighbouring learning rates differ by their effect, not by their luck.
/// Minibatches are drawn with `MinibatchSampling.projected` by default: O(M + B) per step, so a
/// run costs O(T·M) whatever its batch size.
public struct SimulatedSweep: Sendable {
    /// The model; its `dimension` is replaced by each of the grid's model sizes.
    public var model: SolvableModel
    public var grid: SimulatedSweepGrid
    public var seed: UInt64
    public var sampling: MinibatchSampling

    public init(model: SolvableModel = SolvableModel(), grid: SimulatedSweepGrid, seed: UInt64, sampling: MinibatchSampling = .projected) {
        self.model = model
        self.grid = grid
        self.seed = seed
        self.sampling = sampling
    }

    /// One planned run: its model, batch size, steps and peak learning rate.
    public struct Cell: Sendable, Equatable {
        public var dimension: Int
        public var tokens: Int
        public var batchSize: Int
        public var learningRate: Double
        /// `tokens / batchSize`, rounded down.
        public var steps: Int
    }

    /// Every run of the sweep, ordered by model size, tokens, batch size, learning rate.
    public func cells() throws(SimulationError) -> [Cell] {
        try grid.validate()
        var cells: [Cell] = []
        for dimension in grid.dimensions {
            var sized = model
            sized.dimension = dimension
            try sized.validate()
            let limits = grid.batchSizes.map { sized.maximumStableSGDLearningRate(batchSize: $0) }
            for tokens in grid.tokens {
                for (batch, limit) in zip(grid.batchSizes, limits) {
                    let rates = grid.learningRates(stabilityLimit: limit)
                    guard !rates.isEmpty else {
                        throw .invalidSetting("no learning rate of the ladder lies in \(grid.lowestFraction)…\(grid.highestFraction) × \(limit) for M = \(dimension), B = \(batch); widen the fractions")
                    }
                    for rate in rates {
                        cells.append(Cell(dimension: dimension, tokens: tokens, batchSize: batch, learningRate: rate, steps: tokens / batch))
                    }
                }
            }
        }
        return cells
    }

    /// Runs every cell, in parallel; the result does not depend on the number of threads.
    /// - Parameter progress: called with (runs done, runs in all), from any thread.
    /// - Returns: the runs in the order of `cells()`; diverged runs have no loss.
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws(SimulationError) -> [SimulatedSweepRun] {
        let cells = try cells()
        let results = Mutex([Result<SimulatedSweepRun, SimulationError>?](repeating: nil, count: cells.count))
        let done = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: cells.count) { index in
            let outcome = Result { () throws(SimulationError) in try run(cells[index]) }
            results.withLock { $0[index] = outcome }
            let finished = done.add(1, ordering: .relaxed).newValue
            progress?(finished, cells.count)
        }
        var runs: [SimulatedSweepRun] = []
        runs.reserveCapacity(cells.count)
        for outcome in results.withLock({ $0 }) {
            // Every index was filled by concurrentPerform.
            runs.append(try outcome!.get())
        }
        return runs
    }

    /// Trains one cell; a run that diverges is returned without loss, other errors are thrown.
    public func run(_ cell: Cell) throws(SimulationError) -> SimulatedSweepRun {
        var sized = model
        sized.dimension = cell.dimension
        let simulator = TrainingSimulator(model: sized, optimizer: .sgd, batchSize: cell.batchSize, seed: seed, sampling: sampling)
        let rates: [Double]
        do {
            rates = try grid.schedule(peak: cell.learningRate, steps: cell.steps).learningRates()
        } catch {
            throw .invalidSetting("the schedule of M = \(cell.dimension), B = \(cell.batchSize), lr \(cell.learningRate): \(error)")
        }
        // Logging at T − w and T makes the last logged mean cover exactly the last w steps.
        let window = max(1, cell.steps / 100)
        let logEvery = cell.steps >= 2 * window ? cell.steps - window : cell.steps
        var result = SimulatedSweepRun(parameters: cell.dimension, tokens: cell.steps * cell.batchSize, learningRate: cell.learningRate,
                                       batchSize: cell.batchSize, steps: cell.steps, finalLoss: nil, smoothedLoss: nil)
        do {
            let run = try simulator.run(learningRates: rates, logEvery: logEvery)
            result.finalLoss = run.loss.last
            result.smoothedLoss = run.meanLoss.last
        } catch .diverged {
            return result
        }
        return result
    }

    /// The sweep as CSV with header `N,D,lr,bs,steps,loss,smooth_loss`; a diverged run has empty
    /// losses (the sweep reader leaves it out and counts it). Numbers are written in Swift's
    /// shortest round-trip form, so the text is the same on every platform.
    public static func csv(_ runs: [SimulatedSweepRun]) -> String {
        var text = "N,D,lr,bs,steps,loss,smooth_loss\n"
        for run in runs {
            let loss = run.finalLoss.map { "\($0)" } ?? ""
            let smooth = run.smoothedLoss.map { "\($0)" } ?? ""
            text += "\(run.parameters),\(run.tokens),\(run.learningRate),\(run.batchSize),\(run.steps),\(loss),\(smooth)\n"
        }
        return text
    }
}
