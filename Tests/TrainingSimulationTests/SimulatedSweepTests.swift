import Foundation
import HyperparameterLaws
import ScalingLaws
import TestSupport
import Testing
import TrainingLogs
import TrainingSimulation

@Suite struct SimulatedSweepTests {
    /// A sweep small enough for a debug build: 2 model sizes × 1 budget × 3 batch sizes.
    static let small = SimulatedSweep(
        grid: SimulatedSweepGrid(dimensions: [64, 128], tokens: [4096], batchSizes: [2, 8, 32]), seed: 3)

    @Test func theLadderSpansTheRequestedFractionsOfTheStabilityLimit() throws {
        let grid = SimulatedSweepGrid(dimensions: [100], tokens: [1024], batchSizes: [4])
        for limit in [0.3, 0.876, 1.77, 1.98] {
            let rates = grid.learningRates(stabilityLimit: limit)
            try #require(rates.count >= 2)
            #expect(rates.allSatisfy { $0 >= limit / 16 * (1 - 1e-3) && $0 <= 1.5 * limit * (1 + 1e-3) })
            // Neighbours a factor √2 apart (up to the 4-digit rounding), and no rung of √2 missing at either end.
            for (low, high) in zip(rates, rates.dropFirst()) {
                #expect(isClose(high / low, 2.0.squareRoot(), relativeTolerance: 1e-3))
            }
            #expect(rates[0] / 2.0.squareRoot() < limit / 16)
            #expect(rates[rates.count - 1] * 2.0.squareRoot() > 1.5 * limit)
            // The top rung lies above the limit: the sweep shows where SGD breaks.
            #expect(rates[rates.count - 1] > limit)
        }
    }

    @Test func aSeedGivesTheSameSweepEveryTime() throws {
        let first = try SimulatedSweep.csv(Self.small.run())
        let second = try SimulatedSweep.csv(Self.small.run())
        #expect(first == second)
        var other = Self.small
        other.seed = 4
        #expect(try SimulatedSweep.csv(other.run()) != first)
    }

    @Test func everyRunHasItsCellsTokensAndSteps() throws {
        let runs = try Self.small.run()
        let cells = try Self.small.cells()
        #expect(runs.count == cells.count)
        for (run, cell) in zip(runs, cells) {
            #expect(run.steps == 4096 / run.batchSize)
            #expect(run.tokens == run.steps * run.batchSize)
            #expect(run.parameters == cell.dimension)
        }
    }

    /// SGD's noise grows as η/B, so below the critical batch the best learning rate grows with
    /// the batch size (linear scaling) and cannot fall: the grid's best LR is non-decreasing in B.
    @Test func theBestLearningRateDoesNotFallAsTheBatchGrows() throws {
        let runs = try Self.small.run()
        for dimension in [64, 128] {
            var best: [Double] = []
            for batch in [2, 8, 32] {
                let cell = runs.filter { $0.parameters == dimension && $0.batchSize == batch && $0.smoothedLoss != nil }
                let winner = try #require(cell.min { $0.smoothedLoss! < $1.smoothedLoss! })
                best.append(winner.learningRate)
            }
            #expect(zip(best, best.dropFirst()).allSatisfy { $0 <= $1 }, "best LR by batch 2, 8, 32 at M = \(dimension): \(best)")
            #expect(best[0] < best[2], "linear scaling should raise the best LR between batch 2 and 32: \(best)")
        }
    }

    /// Well above the mean-square stability limit (twice it) SGD's second moments grow
    /// geometrically for as long as the LR stays there, which half a cosine keeps it for a good
    /// part of the run: such rungs diverge or end worse than the cell's best run. (Just above the
    /// limit a short cosine run can still win: the LR leaves the unstable range quickly.)
    @Test func learningRatesFarAboveTheLimitDivergeOrLose() throws {
        let sweep = SimulatedSweep(grid: SimulatedSweepGrid(dimensions: [64], tokens: [4096], batchSizes: [2, 8, 32], highestFraction: 3), seed: 5)
        let runs = try sweep.run()
        var model = SolvableModel()
        model.dimension = 64
        var checked = 0
        for batch in [2, 8, 32] {
            let limit = model.maximumStableSGDLearningRate(batchSize: batch)
            let cell = runs.filter { $0.batchSize == batch }
            let best = try #require(cell.compactMap(\.smoothedLoss).min())
            for run in cell where run.learningRate >= 2 * limit {
                checked += 1
                if let loss = run.smoothedLoss { #expect(loss > best, "B = \(batch), lr \(run.learningRate) (limit \(limit)) ended at the best loss") }
            }
        }
        #expect(checked >= 3, "every batch size has a rung at twice its limit or more")
    }

    @Test func theSweepReaderReadsTheFileBackWithTheRightCounts() throws {
        let runs = try Self.small.run()
        let csv = SimulatedSweep.csv(runs)
        let table = try SweepReader.parse(Array(csv.utf8), source: "sweep.csv")
        let diverged = runs.filter { $0.smoothedLoss == nil }.count
        #expect(table.rows.count == runs.count - diverged)
        #expect(table.skipped.reduce(0) { $0 + $1.count } == diverged)
        // A token is one example: the batch column counts "sequences" of one token.
        #expect(table.sequenceLength == 1)
        #expect(table.roleColumns[.loss] == "smooth_loss")
        let kept = runs.filter { $0.smoothedLoss != nil }
        for (row, run) in zip(table.rows, kept) {
            #expect(row.parameters == Double(run.parameters))
            #expect(row.tokens == Double(run.tokens))
            #expect(row.batchSizeTokens == Double(run.batchSize))
            #expect(isClose(row.learningRate, run.learningRate, relativeTolerance: 1e-15))
            #expect(isClose(row.loss, run.smoothedLoss!, relativeTolerance: 1e-15))
        }
        let groups = Set(table.rows.map { "\($0.parameters)/\($0.tokens)" })
        #expect(groups.count == 2)
    }

    @Test func aGridWithTooFewStepsIsRefusedWithAFix() {
        let sweep = SimulatedSweep(grid: SimulatedSweepGrid(dimensions: [64], tokens: [8], batchSizes: [8]), seed: 0)
        #expect {
            _ = try sweep.cells()
        } throws: { error in
            "\(error)".contains("raise the token budget or lower the batch size")
        }
    }
}
