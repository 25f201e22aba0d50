import Foundation
import Synchronization

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
    /// Which runs to make.
    public var grid: SimulatedSweepGrid
    /// The seed of every run.
    public var seed: UInt64
    /// How minibatch gradients are drawn (the same law either way; `.projected` is O(M + B) per step).
    public var sampling: MinibatchSampling

    /// A sweep of `model` over `grid`, every run from `seed`.
    public init(model: SolvableModel = SolvableModel(), grid: SimulatedSweepGrid, seed: UInt64, sampling: MinibatchSampling = .projected) {
        self.model = model
        self.grid = grid
        self.seed = seed
        self.sampling = sampling
    }

    /// One planned run: its model, batch size, steps and peak learning rate.
    public struct Cell: Sendable, Equatable {
        /// Model size: features M.
        public var dimension: Int
        /// Token budget D in examples, as given in the grid.
        public var tokens: Int
        /// Examples per step.
        public var batchSize: Int
        /// The peak learning rate.
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
