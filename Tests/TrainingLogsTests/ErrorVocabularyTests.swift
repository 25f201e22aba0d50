import Foundation
import Testing
@testable import TrainingLogs

/// Log and sweep readers share one error vocabulary; its messages say what to do in the words of
/// logs and columns, and the structured `remedy` lets a command-line tool name its own options.
@Suite struct ErrorVocabularyTests {
    /// One error of every case.
    private let everyCase: [LogReadError] = [
        .fileNotFound(path: "run.csv"), .unreadableFile(path: "run.csv", reason: "permission denied"),
        .unsupportedEncoding(file: "run.csv", encoding: "UTF-16"), .emptyFile(file: "run.csv"),
        .emptyFile(file: "sweep.csv", content: .sweep), .noHeader(file: "run.csv", line: 1), .noDataRows(file: "run.csv"),
        .noDataRows(file: "sweep.csv", content: .sweep), .missingColumn(file: "run.csv", role: .log(.loss), columns: ["a"]),
        .missingColumn(file: "sweep.csv", role: .sweep(.tokens), columns: ["a"]),
        .columnNotFound(file: "run.csv", role: .log(.step), name: "x", columns: ["a"]),
        .columnNotFound(file: "sweep.csv", role: .sweep(.batchSize), name: "x", columns: ["a"]),
        .notANumber(file: "run.csv", line: 2, column: "loss", text: "x"), .emptyStep(file: "run.csv", line: 2, column: "step"),
        .emptyValue(file: "sweep.csv", line: 2, column: "N"), .stepNotWholeNumber(file: "run.csv", line: 2, column: "step", text: "1.5"),
        .negativeStep(file: "run.csv", line: 2, column: "step", text: "-1"),
        .negativeLearningRate(file: "run.csv", line: 2, column: "lr", text: "-1"),
        .notPositive(file: "sweep.csv", line: 2, column: "lr", text: "0"), .wrongFieldCount(file: "run.csv", line: 2, found: 1, expected: 3),
        .unterminatedQuote(file: "run.csv", line: 2, column: nil), .textAfterClosingQuote(file: "run.csv", line: 2, column: "loss"),
        .noUsableLoss(file: "run.csv", rows: 3), .noUsableLoss(file: "sweep.csv", rows: 3, content: .sweep),
        .unknownFormat(file: "run.bin"), .formatMismatch(file: "run.csv", format: .wandbPanel, reason: "no runs"),
        .noLossSeries(file: "run.jsonl", found: ["acc"], noun: "key"), .noEvaluationLoss(file: "run.jsonl", found: ["loss"], noun: "key"),
        .seriesNotFound(file: "run.jsonl", role: .loss, name: "x", found: ["loss"], noun: "key"),
        .noStepKey(file: "run.jsonl", found: ["loss"]),
        .malformedJSON(file: "run.jsonl", line: 2, column: 3, problem: "a string is never closed", isOneLine: true),
        .malformedJSON(file: "trainer_state.json", line: 2, column: 3, problem: "a string is never closed", isOneLine: false),
        .notAJSONObject(file: "sweep.jsonl", line: 2, column: 1, problem: "expected a value, found 'x'"), .missingLogHistory(file: "trainer_state.json"), .noEventFiles(directory: "runs"),
        .damagedEventFile(file: "events", byteOffset: 12, problem: "the record header fails its CRC check"),
        .negativeLearningRateInRecord(file: "events", byteOffset: 12, tag: "lr", value: -1), .noLogLines(file: "train.log", format: .nanoGPT),
        .severalRuns(file: "panel.csv", runs: ["a", "b"]), .noGradientNorm(file: "run.csv", found: ["loss"], noun: "column"),
        .gradientNormNotFound(file: "run.csv", name: "gn", found: ["loss"], noun: "column"),
        .noUsableGradientNorm(file: "run.csv", rows: 3), .sequenceLengthUnknown(file: "sweep.csv", batchColumn: "bs"),
        .inconsistentSequenceLength(file: "sweep.csv", line: 4, inferred: 4096, typical: 2048, typicalLine: 2, stepsColumn: "steps"),
    ]

    @Test func noMessageNamesACommandLineOption() {
        for error in everyCase {
            #expect(!error.description.contains("--"), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func aCallerSaysTheRemedyInItsOwnWords() {
        let error = LogReadError.missingColumn(file: "run.csv", role: .log(.loss), columns: ["step", "acc"])
        #expect(error.remedy == .nameColumn(.log(.loss), noun: "column"))
        #expect(error.description == "no loss column in run.csv; columns found: step, acc; name the loss column")
        #expect(error.description(sayingRemedyAs: { _ in "pass --loss-key NAME" })
                == "no loss column in run.csv; columns found: step, acc; pass --loss-key NAME")
        // Errors the file itself must fix have no remedy, and the message stays whole.
        let damage = LogReadError.wrongFieldCount(file: "run.csv", line: 2, found: 1, expected: 3)
        #expect(damage.remedy == nil)
        #expect(damage.description(sayingRemedyAs: { _ in "unused" }) == damage.description)
    }

    @Test func sweepsAndLogsShareTheFileErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-vocabulary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.csv").path
        #expect(throws: LogReadError.fileNotFound(path: missing)) { try SweepReader.read(missing) }
        #expect(throws: LogReadError.fileNotFound(path: missing)) { try TrainingLogReader.read(missing) }
        #expect(throws: LogReadError.unreadableFile(path: directory.path, reason: "it is a directory")) { try SweepReader.read(directory.path) }
        #expect(throws: LogReadError.unterminatedQuote(file: "sweep.csv", line: 2, column: nil)) {
            try SweepReader.parse(Array("N,D,lr,bs,loss\n1,2,\"3,4,5\n".utf8), source: "sweep.csv")
        }
    }
}
