import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import TrainingSimulation

/// `lossfit simulate --sweep`: the grid of a simulated hyperparameter sweep and writing it.
/// The defaults are the grid of data/sweep.csv.
struct SimulatedSweepOptions: ParsableArguments {
    @Flag(help: "Run a sweep over model size × tokens × batch size × learning rate instead of one run.")
    var sweep = false

    @Option(help: ArgumentHelp("Model sizes N (features M), comma-separated.", valueName: "M,…"))
    var dimensions = IntegerList([250, 500, 1000, 2000])

    @Option(help: ArgumentHelp("Token budgets D (examples), comma-separated; steps = D / batch.", valueName: "D,…"))
    var tokens = IntegerList([32768, 65536, 131072])

    @Option(name: .customLong("batch-sizes"), help: ArgumentHelp("Batch sizes (examples), comma-separated.", valueName: "B,…"))
    var batchSizes = IntegerList([2, 4, 8, 16, 32, 64])

    @Option(name: .customLong("lr-ratio"), help: "Factor between neighbouring learning rates (the ladder is ratio^k).")
    var learningRateRatio = 2.0.squareRoot()

    @Option(name: .customLong("lr-low"), help: "Smallest learning rate, as a fraction of SGD's stability limit at each batch size.")
    var lowestFraction = 1.0 / 16

    @Option(name: .customLong("lr-high"), help: "Largest learning rate, as a fraction of that limit (above 1, runs diverge).")
    var highestFraction = 1.5

    /// Runs the sweep and writes it to `output` (standard output when nil or `-`).
    func run(model: SolvableModel, seed: UInt64, sampling: MinibatchSampling, output: String?) throws {
        let grid = SimulatedSweepGrid(dimensions: dimensions.values, tokens: tokens.values, batchSizes: batchSizes.values,
                                      learningRateRatio: learningRateRatio, lowestFraction: lowestFraction, highestFraction: highestFraction)
        let simulation = SimulatedSweep(model: model, grid: grid, seed: seed, sampling: sampling)
        let progress = ProgressBar(label: "runs")
        let clock = ContinuousClock()
        let start = clock.now
        let runs = try simulation.run(progress: { progress.update(done: $0, total: $1) })
        progress.finish()
        let elapsed = (clock.now - start).seconds
        let csv = SimulatedSweep.csv(runs)
        // `-o -` is standard output, where the CSV goes without -o.
        guard let output, output != OutputFile.standardOutput else {
            print(csv, terminator: "")
            return
        }
        try OutputFile.write(csv, to: output)
        let diverged = runs.filter { $0.smoothedLoss == nil }.count
        print("wrote \(output): \(runs.count) runs (\(diverged) diverged) in \(NumberFormat.duration(elapsed))")
    }
}

/// Positive integers written as a comma-separated list: 250,500,1000.
struct IntegerList: ExpressibleByArgument {
    var values: [Int]

    init(_ values: [Int]) { self.values = values }

    init?(argument: String) {
        let parsed = argument.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        values = parsed.map { $0! }
    }

    var defaultValueDescription: String { values.map(String.init).joined(separator: ",") }
}
