import Foundation
import Testing
import TrainingLogs

/// Every error names the file (and line and column when there is one) on a single line and says
/// what to do; the exact wording is part of the interface.
@Suite struct LogReadErrorTests {
    private func expectError(_ text: String, columns: ColumnChoice = .init(), _ expected: LogReadError, _ message: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let error = parseError(text, columns: columns)
        #expect(error == expected, sourceLocation: sourceLocation)
        #expect(error?.description == message, sourceLocation: sourceLocation)
        #expect(error?.description.contains("\n") == false, sourceLocation: sourceLocation)
    }

    /// Sixteen good rows, so that the next row is line 18.
    private let sixteenRows = "step,lr,loss\n" + (1...16).map { "\($0),0.1,3" }.joined(separator: "\n") + "\n"

    @Test func emptyFile() {
        let message = "run.csv: the file is empty; a log needs a header row (e.g. step,lr,loss) and one row per logged step"
        expectError("", .emptyFile(file: "run.csv"), message)
        expectError("\n \r\n\n", .emptyFile(file: "run.csv"), message)
        expectError("\u{FEFF}", .emptyFile(file: "run.csv"), message)
    }

    @Test func noHeader() {
        expectError("\n1,0.1,3\n2,0.1,2.9\n", .noHeader(file: "run.csv", line: 2),
                    "run.csv:2: the first row holds numbers, not column names; add a header row such as step,lr,loss")
    }

    @Test func noDataRows() {
        expectError("step,lr,loss\n\n", .noDataRows(file: "run.csv"),
                    "run.csv: a header row but no data rows; the log holds no logged steps")
    }

    @Test func noStepColumn() {
        expectError("epoch,lr,loss\n1,0.1,3\n", .missingColumn(file: "run.csv", role: .log(.step), columns: ["epoch", "lr", "loss"]),
                    "no step column in run.csv; columns found: epoch, lr, loss; name the step column")
    }

    @Test func noLossColumn() {
        expectError("step,lr,acc\n1,0.1,0.5\n", .missingColumn(file: "run.csv", role: .log(.loss), columns: ["step", "lr", "acc"]),
                    "no loss column in run.csv; columns found: step, lr, acc; name the loss column")
        expectError(",step,perplexity\n0,1,20\n", .missingColumn(file: "run.csv", role: .log(.loss), columns: ["", "step", "perplexity"]),
                    "no loss column in run.csv; columns found: \"\", step, perplexity; name the loss column")
    }

    @Test func namedColumnMissing() {
        expectError("step,lr,loss\n1,0.1,3\n", columns: ColumnChoice(loss: "val/ppl"),
                    .columnNotFound(file: "run.csv", role: .log(.loss), name: "val/ppl", columns: ["step", "lr", "loss"]),
                    "no column \"val/ppl\" in run.csv (given as the loss column); columns found: step, lr, loss; name the loss column")
        expectError("step,lr,loss\n1,0.1,3\n", columns: ColumnChoice(learningRate: "eta"),
                    .columnNotFound(file: "run.csv", role: .log(.learningRate), name: "eta", columns: ["step", "lr", "loss"]),
                    "no column \"eta\" in run.csv (given as the learning-rate column); columns found: step, lr, loss; name the learning-rate column")
        expectError("step,lr,loss\n1,0.1,3\n", columns: ColumnChoice(step: "tokens"),
                    .columnNotFound(file: "run.csv", role: .log(.step), name: "tokens", columns: ["step", "lr", "loss"]),
                    "no column \"tokens\" in run.csv (given as the step column); columns found: step, lr, loss; name the step column")
    }

    @Test func nonNumericCells() {
        expectError(sixteenRows + "17,0.1,abc\n", .notANumber(file: "run.csv", line: 18, column: "loss", text: "abc"),
                    "run.csv:18: column \"loss\": \"abc\" is not a number; fix or delete that row")
        expectError("step,lr,loss\n1,0.1,3\n2,fast,3\n", .notANumber(file: "run.csv", line: 3, column: "lr", text: "fast"),
                    "run.csv:3: column \"lr\": \"fast\" is not a number; fix or delete that row")
        expectError("step,lr,loss\nten,0.1,3\n", .notANumber(file: "run.csv", line: 2, column: "step", text: "ten"),
                    "run.csv:2: column \"step\": \"ten\" is not a number; fix or delete that row")
        expectError("step,lr,loss\n1,0.1,\"3,5\"\n", .notANumber(file: "run.csv", line: 2, column: "loss", text: "3,5"),
                    "run.csv:2: column \"loss\": \"3,5\" is not a number; fix or delete that row")
    }

    @Test func wrongNumberOfFields() {
        expectError("step,lr,loss\n1,0.1,3\n2,0.1\n", .wrongFieldCount(file: "run.csv", line: 3, found: 2, expected: 3),
                    "run.csv:3: 2 fields but the header has 3 columns; check that row for a missing value or a stray delimiter")
        expectError("step,lr,loss\n1,0.1,3,4\n", .wrongFieldCount(file: "run.csv", line: 2, found: 4, expected: 3),
                    "run.csv:2: 4 fields but the header has 3 columns; check that row for a missing value or a stray delimiter")
    }

    @Test func negativeLearningRate() {
        let text = "step,lr,loss\n" + (1...7).map { "\($0),0.1,3" }.joined(separator: "\n") + "\n8,-0.001,3\n"
        expectError(text, .negativeLearningRate(file: "run.csv", line: 9, column: "lr", text: "-0.001"),
                    "run.csv:9: column \"lr\": negative learning rate -0.001; learning rates must be ≥ 0")
        expectError("step,lr,loss\n1,-inf,3\n", .negativeLearningRate(file: "run.csv", line: 2, column: "lr", text: "-inf"),
                    "run.csv:2: column \"lr\": negative learning rate -inf; learning rates must be ≥ 0")
    }

    @Test func badSteps() {
        expectError("step,loss\n100.5,3\n", .stepNotWholeNumber(file: "run.csv", line: 2, column: "step", text: "100.5"),
                    "run.csv:2: column \"step\": \"100.5\" is not a whole number; steps must be whole numbers ≥ 0")
        expectError("step,loss\ninf,3\n", .stepNotWholeNumber(file: "run.csv", line: 2, column: "step", text: "inf"),
                    "run.csv:2: column \"step\": \"inf\" is not a whole number; steps must be whole numbers ≥ 0")
        expectError("step,loss\n-3,3\n", .negativeStep(file: "run.csv", line: 2, column: "step", text: "-3"),
                    "run.csv:2: column \"step\": negative step -3; steps must be whole numbers ≥ 0")
        expectError("step,loss\n1,3\n,3\n", .emptyStep(file: "run.csv", line: 3, column: "step"),
                    "run.csv:3: column \"step\" is empty; every row needs a step: fix or delete that row")
    }

    @Test func noUsableLoss() {
        expectError("step,lr,loss\n1,0.1,\n2,0.1,nan\n3,0.1,inf\n", .noUsableLoss(file: "run.csv", rows: 3),
                    "run.csv: no usable loss values: all 3 rows have empty, NaN or infinite loss")
        expectError("step,lr,loss\n1,0.1,NaN\n", .noUsableLoss(file: "run.csv", rows: 1),
                    "run.csv: no usable loss values: all 1 row has empty, NaN or infinite loss")
    }

    @Test func brokenQuotes() {
        expectError("step,lr,loss\n1,0.1,\"3\n2,0.1,2.9\n", .unterminatedQuote(file: "run.csv", line: 2, column: "loss"),
                    "run.csv:2: column \"loss\": a quote opened here is never closed; close it with \" or remove it")
        expectError("step,\"lr,loss\n1,0.1,3\n", .unterminatedQuote(file: "run.csv", line: 1, column: nil),
                    "run.csv:1: a quote opened here is never closed; close it with \" or remove it")
        expectError("step,lr,loss\n1,\"0.1\"x,3\n", .textAfterClosingQuote(file: "run.csv", line: 2, column: "lr"),
                    "run.csv:2: column \"lr\": text follows a closing quote; quote the whole field and double any quote inside it (\"\")")
    }

    @Test func utf16() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("step,loss\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(throws: LogReadError.unsupportedEncoding(file: "run.csv", encoding: "UTF-16")) {
            try TrainingLogReader.parseCSV(bytes, source: "run.csv")
        }
        #expect(LogReadError.unsupportedEncoding(file: "run.csv", encoding: "UTF-16").description
                == "run.csv: the file is UTF-16; save it as UTF-8")
    }
}

/// `skipsBadLines`: rows with a problem of their own are skipped and counted; problems that make
/// the rest of the file unreadable still stop reading.
@Suite struct SkipBadRowsTests {
    private let options = LogReadOptions(skipsBadLines: true)

    @Test func badRowsAreSkippedCountedAndTheFirstIsNamed() throws {
        let text = "step,lr,loss\n1,0.1,3\n2,0.1\n3,x,2.9\n-4,0.1,2.8\n5,0.1,\"2.7\"z\n6,0.1,2.6\n"
        let log = try TrainingLogReader.parse(Array(text.utf8), source: "run.csv", options: options)[0]
        #expect(log.loss.steps == [1, 6])
        #expect(log.notes == [.skippedBadLines(file: "run.csv", count: 4, firstLine: 3,
                                               firstProblem: "run.csv:3: 2 fields but the header has 3 columns; check that row for a missing value or a stray delimiter")])
        #expect(log.notes[0].description == "run.csv: skipped 4 bad lines (first at line 3: run.csv:3: 2 fields but the header has 3 columns; check that row for a missing value or a stray delimiter)")
    }

    @Test func anUnclosedQuoteStillStopsReading() {
        #expect(throws: LogReadError.unterminatedQuote(file: "run.csv", line: 3, column: "loss")) {
            try TrainingLogReader.parse(Array("step,lr,loss\n1,0.1,3\n2,0.1,\"3\n".utf8), source: "run.csv", options: options)
        }
    }

    @Test func messagesStayOnOneLine() {
        let error = parseError("step,loss\n1,\"3\n4\"\n")
        #expect(error == .notANumber(file: "run.csv", line: 2, column: "loss", text: "3\n4"))
        #expect(error?.description == "run.csv:2: column \"loss\": \"3\\n4\" is not a number; fix or delete that row")
    }
}

/// Found by the fuzzer: a later row of the same step without a usable loss replaces the only
/// usable one, which must not leave a log with no loss point.
@Suite struct ReplacedLossTests {
    @Test func everyUsableLossReplacedIsNoUsableLoss() {
        #expect(parseError("step,loss\n1,3\n1,nan\n") == .noUsableLoss(file: "run.csv", rows: 2))
        #expect(throws: LogReadError.noUsableLoss(file: "run.jsonl", rows: 2)) {
            try TrainingLogReader.parse(Array("{\"step\": 1, \"loss\": 3}\n{\"step\": 1, \"loss\": NaN}\n".utf8), source: "run.jsonl")
        }
        #expect(throws: LogReadError.noUsableLoss(file: "panel.csv (run \"a\")", rows: 2)) {
            try TrainingLogReader.parse(Array("Step,a - loss\n1,3\n1,nan\n".utf8), source: "panel.csv")
        }
    }
}
