import Foundation
import Testing
import TestSupport
import TrainingLogs

/// `inspect` lists every series with counts and step ranges, and the curve as it will be read,
/// even when no curve can be read.
@Suite struct InspectionTests {
    @Test func everySeriesOfAJSONLinesLog() throws {
        let inspection = try TrainingLogReader.inspect(Fixtures.path("jsonl/metrics.jsonl"))
        #expect(inspection.format == .jsonl)
        #expect(inspection.problem == nil)
        let byName = Dictionary(uniqueKeysWithValues: inspection.series.map { ($0.name, $0) })
        #expect(inspection.series.map(\.name) == ["_step", "trainer/global_step", "train/loss", "train/lr", "tokens", "tag", "eval/loss"])
        #expect(byName["train/loss"] == SeriesSummary(name: "train/loss", count: 30, nonFiniteCount: 1, firstStep: 20, lastStep: 600))
        #expect(byName["trainer/global_step"] == SeriesSummary(name: "trainer/global_step", count: 34, firstStep: 20, lastStep: 620))
        #expect(byName["tag"] == SeriesSummary(name: "tag", nonNumericCount: 30))
        #expect(byName["eval/loss"] == SeriesSummary(name: "eval/loss", count: 3, firstStep: 200, lastStep: 600))
        #expect(inspection.logs.map(\.lossColumn) == ["train/loss"])
    }

    @Test func aCSVSurveyCountsEveryColumnAndKeepsTheCurve() throws {
        let text = "step,lr,loss,note\n1,0.1,3,a\n2,0.1,nan,\n3,0.1,2.5,b\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let inspection = try TrainingLogReader.inspect(path)
        #expect(inspection.series == [
            SeriesSummary(name: "step", count: 3, firstStep: 1, lastStep: 3),
            SeriesSummary(name: "lr", count: 3, firstStep: 1, lastStep: 3),
            SeriesSummary(name: "loss", count: 2, nonFiniteCount: 1, firstStep: 1, lastStep: 3),
            SeriesSummary(name: "note", nonNumericCount: 2),
        ])
        #expect(inspection.logs == [try TrainingLogReader.read(path)])
    }

    @Test func withoutALossSeriesTheSurveyStillComesBack() throws {
        let path = Fixtures.path("tensorboard/tbx")
        let inspection = try TrainingLogReader.inspect(path, options: LogReadOptions(loss: .evaluation))
        #expect(inspection.logs.isEmpty)
        #expect(inspection.problem == .noEvaluationLoss(file: path, found: ["train/loss", "train/learning_rate", "weights", "note/text_summary", "accuracy"], noun: "tag"))
        #expect(inspection.series.first { $0.name == "weights" }?.nonNumericCount == 5)
        #expect(inspection.series.first { $0.name == "accuracy" }?.count == 50)
    }

    @Test func runsOfADirectoryAreNamed() throws {
        let inspection = try TrainingLogReader.inspect(Fixtures.path("tensorboard/sweep"))
        #expect(inspection.logs.map(\.name) == ["lr_1e-3", "lr_3e-4"])
        #expect(inspection.series.map { "\($0.run ?? ""): \($0.name)" }
                == ["lr_1e-3: train/loss", "lr_1e-3: train/learning_rate", "lr_3e-4: train/loss", "lr_3e-4: train/learning_rate"])
    }

    @Test func gapsAreIntervalsMuchLongerThanUsual() {
        let series = LogSeries(steps: [10, 20, 30, 40, 200, 210, 220, 1000], values: Array(repeating: 1, count: 8))
        #expect(series.gaps() == [StepGap(fromStep: 40, toStep: 200), StepGap(fromStep: 220, toStep: 1000)])
        #expect(series.gaps().map(\.description) == ["40 → 200", "220 → 1000"])
        #expect(LogSeries(steps: [1, 2], values: [1, 1]).gaps().isEmpty)
    }

    @Test func smoothingIsTensorBoardsDebiasedAverageAndSaysSo() throws {
        let log = try parseLog("step,loss\n1,4\n2,2\n3,3\n")
        let smoothed = log.withSmoothedLoss(weight: 0.5)
        // m1 = 2 → 2/0.5 = 4; m2 = 1 + 1 = 2 → 2/0.75; m3 = 1 + 1.5 = 2.5 → 2.5/0.875.
        #expect(sameBits(smoothed.loss.values, [4, 2 / 0.75, 2.5 / 0.875]))
        #expect(smoothed.loss.steps == [1, 2, 3])
        #expect(smoothed.notes == [.smoothedLoss(weight: 0.5)])
        #expect(smoothed.notes[0].description == "loss smoothed with an exponential moving average, weight 0.5 (debiased, as TensorBoard's smoothing slider)")
        #expect(log.withSmoothedLoss(weight: 0) == log)
    }
}
