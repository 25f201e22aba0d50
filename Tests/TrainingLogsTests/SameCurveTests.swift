import Foundation
import Testing
import TestSupport
import TrainingLogs

/// One curve written as CSV, JSON lines, trainer_state.json and a TensorBoard run (by the real
/// writers) reads as the same series, bit for bit, so every command gives identical results.
@Suite struct SameCurveTests {
    private let paths = [
        "same_curve/csv/curve.csv",
        "same_curve/jsonl/curve.jsonl",
        "same_curve/hf/curve/trainer_state.json",
        "same_curve/tb/curve",
    ]

    @Test func everyFormatGivesTheSameSeriesBitForBit() throws {
        let logs = try paths.map { try TrainingLogReader.read(Fixtures.path($0)) }
        #expect(logs.map(\.format) == [.csv, .jsonl, .trainerState, .tensorboard])
        #expect(logs.map(\.name) == ["curve", "curve", "curve", "curve"])
        let steps = Fixtures.integers("same_curve", "steps")
        let losses = Fixtures.doubles("same_curve", "loss")
        let rates = Fixtures.doubles("same_curve", "learning_rate")
        try #require(steps.count == 200)
        for log in logs {
            #expect(log.loss.steps == steps, "\(log.source)")
            #expect(sameBits(log.loss.values, losses), "\(log.source)")
            #expect(log.learningRate?.steps == steps, "\(log.source)")
            #expect(sameBits(log.learningRate?.values ?? [], rates), "\(log.source)")
            #expect(log.skipped.isEmpty && log.replacedSteps == 0 && log.restarts.isEmpty, "\(log.source)")
        }
        let readBack = Fixtures.readBack("same_curve", "train/loss", key: "tensorboard_read_back")
        #expect(readBack.steps == steps)
        #expect(sameBits(readBack.values, losses))
    }

    @Test func theTrainerStatesEvaluationEntriesAreASeparateSeries() throws {
        let log = try TrainingLogReader.read(Fixtures.path("same_curve/hf/curve/trainer_state.json"), options: LogReadOptions(loss: .evaluation))
        #expect(log.loss.steps == [500, 1000, 1500, 2000])
        #expect(log.learningRate?.count == 200)
    }
}
