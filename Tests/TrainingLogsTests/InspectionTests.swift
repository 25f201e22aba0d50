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
        let smoothed = try log.withSmoothedLoss(.exponential(weight: 0.5))
        // m1 = 2 → 2/0.5 = 4; m2 = 1 + 1 = 2 → 2/0.75; m3 = 1 + 1.5 = 2.5 → 2.5/0.875.
        #expect(sameBits(smoothed.loss.values, [4, 2 / 0.75, 2.5 / 0.875]))
        #expect(smoothed.loss.steps == [1, 2, 3])
        #expect(smoothed.notes == [.smoothedLoss(.exponential(weight: 0.5))])
        #expect(smoothed.notes[0].description == "loss smoothed with an exponential moving average, weight 0.5 (debiased, as TensorBoard's smoothing slider)")
        #expect(try log.withSmoothedLoss(.exponential(weight: 0)) == log)
    }

    @Test func centredMeanShrinksItsWindowSymmetricallyAtTheEnds() throws {
        let log = try parseLog("step,loss\n1,1\n2,2\n3,6\n4,3\n5,8\n6,4\n")
        let averaged = try log.withSmoothedLoss(.centredMean(window: 5))
        // Half-widths 0, 1, 2, 2, 1, 0.
        let expected: [Double] = [1, (1 + 2 + 6) / 3, (1 + 2 + 6 + 3 + 8) / 5, (2 + 6 + 3 + 8 + 4) / 5, (3 + 8 + 4) / 3, 4.0]
        #expect(isClose(averaged.loss.values, expected, relativeTolerance: 1e-15))
        #expect(averaged.loss.steps == log.loss.steps)
        #expect(averaged.notes.map(\.description) == ["loss averaged over centred windows of 5 logged points"])
    }

    @Test func centredMeanCutsIndependentNoiseByTheSquareRootOfItsWindow() throws {
        var generator = SeededGenerator(seed: 11)
        let count = 20_000
        let noise = (0..<count).map { _ in Double.random(in: -1...1, using: &generator) }
        let series = LogSeries(steps: Array(0..<count), values: noise)
        let averaged = series.centredMean(window: 25).values.dropFirst(12).dropLast(12)
        func standardDeviation<C: Collection>(_ values: C) -> Double where C.Element == Double {
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
        }
        // Uniform noise on [−1, 1] has σ = 1/√3; the mean of 25 has σ/5 (sampling error ≈ 2 % here).
        #expect(isClose(standardDeviation(noise), 1 / 3.0.squareRoot(), relativeTolerance: 0.03))
        #expect(isClose(standardDeviation(averaged), 1 / 3.0.squareRoot() / 5, relativeTolerance: 0.06))
    }

    @Test func thinningKeepsEveryNthPointAndTheLastAndSaysHowMany() throws {
        let log = try parseLog("step,lr,loss\n" + (1...10).map { "\($0),0.1,\(Double(20 - $0))" }.joined(separator: "\n") + "\n")
        let thinned = log.withThinnedLoss(every: 4)
        #expect(thinned.loss.steps == [1, 5, 9, 10])
        #expect(sameBits(thinned.loss.values, [19, 15, 11, 10]))
        #expect(thinned.learningRate?.steps.count == 10)
        #expect(thinned.notes.map(\.description) == ["kept one loss point in every 4, and the last: 4 of 10"])
    }

    @Test func smoothArgumentReadsWeightsAndWindows() throws {
        guard case .exponential(let weight) = try LossSmoothing(argument: "0.9") else {
            Issue.record("0.9 should read as an exponential-average weight")
            return
        }
        #expect(isClose(weight, 0.9, relativeTolerance: 1e-15))
        #expect(try LossSmoothing(argument: "25") == .centredMean(window: 25))
        #expect(try LossSmoothing(argument: "3") == .centredMean(window: 3))
        #expect(try LossSmoothing(argument: "0").isIdentity)
        for text in ["2.5", "-1", "nan", "inf", "lots"] {
            #expect(throws: LossSmoothingError.notAWeightOrWindow(text)) { try LossSmoothing(argument: text) }
        }
    }

    /// An even window has no centre and one point averages nothing: refused, not widened or ignored.
    @Test func evenAndSinglePointWindowsAreRefused() throws {
        #expect(throws: LossSmoothingError.evenWindow(2)) { try LossSmoothing(argument: "2") }
        #expect(throws: LossSmoothingError.evenWindow(10)) { try LossSmoothing(argument: "10") }
        #expect(throws: LossSmoothingError.windowTooSmall(1)) { try LossSmoothing(argument: "1") }
        let log = try parseLog("step,loss\n1,4\n2,2\n3,3\n")
        #expect(throws: LossSmoothingError.evenWindow(2)) { try log.withSmoothedLoss(.centredMean(window: 2)) }
        #expect(LossSmoothingError.evenWindow(10).description == "a centred window of 10 points has no centre point; give an odd number of points (9 or 11)")
    }

    /// A window wider than the log would average the whole curve into its middle point.
    @Test func aWindowWiderThanTheLogIsRefused() throws {
        let log = try parseLog("step,loss\n" + (1...10).map { "\($0),\(Double(20 - $0))" }.joined(separator: "\n") + "\n")
        #expect(throws: LossSmoothingError.windowWiderThanLog(source: "run.csv", window: 11, points: 10)) {
            try log.withSmoothedLoss(.centredMean(window: 11))
        }
        #expect(try log.withSmoothedLoss(.centredMean(window: 9)).loss.count == 10)
        #expect(LossSmoothingError.windowWiderThanLog(source: "run.csv", window: 1001, points: 200).description
                == "run.csv: a centred window of 1001 points is wider than the log's 200 loss points; give an odd window of at most 199 points")
    }
}
