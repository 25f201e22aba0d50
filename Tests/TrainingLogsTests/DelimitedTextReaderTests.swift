import Foundation
import Testing
import TestSupport
import TrainingLogs

@Suite struct DelimitedTextReaderTests {
    @Test func readsASimpleLog() throws {
        let log = try parseLog("step,lr,loss\n1,0.001,3.5\n2,0.002,3.25\n3,0.003,3.125\n", source: "logs/run_a.csv")
        #expect(log.name == "run_a")
        #expect(log.source == "logs/run_a.csv")
        #expect(log.format == .csv)
        #expect(log.columns == ["step", "lr", "loss"])
        #expect(log.stepColumn == "step")
        #expect(log.lossColumn == "loss")
        #expect(log.learningRateColumn == "lr")
        #expect(log.loss.steps == [1, 2, 3])
        #expect(sameBits(log.loss.values, [3.5, 3.25, 3.125]))
        #expect(log.learningRate?.steps == [1, 2, 3])
        #expect(sameBits(log.learningRate?.values ?? [], [0.001, 0.002, 0.003]))
        #expect(log.skipped.isEmpty)
        #expect(log.replacedSteps == 0)
    }

    // MARK: Column names

    @Test(arguments: ColumnAliases.step)
    func everyStepAlias(alias: String) throws {
        let log = try parseLog("\(alias),lr,loss\n10,0.1,3\n")
        #expect(log.stepColumn == alias)
        #expect(log.loss.steps == [10])
    }

    @Test(arguments: ColumnAliases.learningRate)
    func everyLearningRateAlias(alias: String) throws {
        let log = try parseLog("step,\(alias),loss\n10,0.1,3\n")
        #expect(log.learningRateColumn == alias)
        #expect(sameBits(log.learningRate?.values ?? [], [0.1]))
    }

    @Test(arguments: ColumnAliases.loss)
    func everyLossAlias(alias: String) throws {
        let log = try parseLog("step,lr,\(alias)\n10,0.1,3\n")
        #expect(log.lossColumn == alias)
        #expect(sameBits(log.loss.values, [3]))
    }

    @Test func namesMatchIgnoringCaseWhitespaceAndQuotes() throws {
        let log = try parseLog("  Step ,\"Learning_Rate\", 'LOSS'\n10,0.1,3\n")
        #expect(log.columns == ["Step", "Learning_Rate", "LOSS"])
        #expect(log.stepColumn == "Step")
        #expect(log.learningRateColumn == "Learning_Rate")
        #expect(log.lossColumn == "LOSS")
    }

    @Test func trainingLossWinsOverEvaluationLossWhateverTheColumnOrder() throws {
        #expect(try parseLog("step,eval_loss,val_loss,train_loss\n1,4,5,3\n").lossColumn == "train_loss")
        #expect(try parseLog("step,eval/loss,loss,train/loss\n1,4,3,5\n").lossColumn == "loss")
        #expect(try parseLog("step,validation_loss,eval_loss\n1,4,3\n").lossColumn == "eval_loss")
    }

    @Test func anOptimizerStepWinsOverTheWandbLoggingCounter() throws {
        let log = try parseLog("_step,trainer/global_step,train/loss\n0,100,3\n1,200,2.9\n")
        #expect(log.stepColumn == "trainer/global_step")
        #expect(log.loss.steps == [100, 200])
    }

    @Test func explicitColumnsOverrideTheCommonNames() throws {
        let text = "step,tokens,lr,sched,loss,smoothed\n1,100,0.1,0.2,3,3.1\n2,200,0.1,0.2,2.9,3.0\n"
        let log = try parseLog(text, columns: ColumnChoice(step: "tokens", learningRate: "SCHED", loss: "smoothed"))
        #expect(log.stepColumn == "tokens")
        #expect(log.learningRateColumn == "sched")
        #expect(log.lossColumn == "smoothed")
        #expect(log.loss.steps == [100, 200])
        #expect(sameBits(log.loss.values, [3.1, 3.0]))
        #expect(sameBits(log.learningRate?.values ?? [], [0.2, 0.2]))
    }

    @Test func withoutALearningRateColumnTheLogHasNone() throws {
        let log = try parseLog("step,loss,accuracy\n1,3,0.1\n2,2.5,0.2\n")
        #expect(log.learningRateColumn == nil)
        #expect(log.learningRate == nil)
        #expect(log.loss.steps == [1, 2])
    }

    // MARK: Delimiters and text conventions

    @Test func commaTabAndSemicolonDelimiters() throws {
        let comma = try parseLog("step,lr,loss\n1,0.5,3\n2,0.25,2\n")
        let tab = try parseLog("step\tlr\tloss\n1\t0.5\t3\n2\t0.25\t2\n", source: "run.tsv")
        let semicolon = try parseLog("step;lr;loss\n1;0.5;3\n2;0.25;2\n")
        #expect(comma.format == .csv)
        #expect(tab.format == .tsv)
        #expect(semicolon.format == .csv)
        for log in [comma, tab, semicolon] {
            #expect(log.columns == ["step", "lr", "loss"])
            #expect(log.loss.steps == [1, 2])
            #expect(sameBits(log.loss.values, [3, 2]))
            #expect(sameBits(log.learningRate?.values ?? [], [0.5, 0.25]))
        }
    }

    @Test func theDelimiterComesFromTheHeaderNotTheCells() throws {
        // Commas inside the (quoted) header name and in cells of a tab-separated file.
        let log = try parseLog("step\t\"loss, smoothed\"\tnote\n1\t3\ta,b\n", columns: ColumnChoice(loss: "loss, smoothed"))
        #expect(log.format == .tsv)
        #expect(log.columns == ["step", "loss, smoothed", "note"])
    }

    @Test func quotedFields() throws {
        let text = """
        "step","lr","loss","note"
        "1","0.1","3.5","plain"
        "2", "0.1" ,"3.25","with ""quotes"", a comma; and a semicolon"
        3,0.1,3,"spans
        two lines"
        4,0.1,2.75,""
        5,0.1,oops,x
        """
        #expect(parseError(text) == .notANumber(file: "run.csv", line: 7, column: "loss", text: "oops"))
        let log = try parseLog(text.replacingOccurrences(of: "oops", with: "2.5"))
        #expect(log.columns == ["step", "lr", "loss", "note"])
        #expect(log.loss.steps == [1, 2, 3, 4, 5])
        #expect(sameBits(log.loss.values, [3.5, 3.25, 3, 2.75, 2.5]))
    }

    @Test func crlfLineEndsAndByteOrderMark() throws {
        let log = try parseLog("\u{FEFF}step,lr,loss\r\n1,0.1,3.5\r\n2,0.1,3.25\r\n")
        #expect(log.columns == ["step", "lr", "loss"])
        #expect(log.loss.steps == [1, 2])
        #expect(sameBits(log.loss.values, [3.5, 3.25]))
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("step,loss\r\n1,3\r\n2,x\r\n".utf8)
        #expect(throws: LogReadError.notANumber(file: "run.csv", line: 3, column: "loss", text: "x")) {
            try TrainingLogReader.parseCSV(bytes, source: "run.csv")
        }
    }

    @Test func loneCarriageReturnsEndLinesToo() throws {
        let log = try parseLog("step,loss\r1,3\r2,2.5\r")
        #expect(log.loss.steps == [1, 2])
    }

    @Test func blankLinesAreIgnoredButLineNumbersStayPhysical() throws {
        let text = "\n\nstep,loss\n\n1,3\n   \n\r\n2,2.5\n\n"
        let log = try parseLog(text)
        #expect(log.loss.steps == [1, 2])
        #expect(log.skipped.isEmpty)
        #expect(parseError(text + "3,bad\n") == .notANumber(file: "run.csv", line: 10, column: "loss", text: "bad"))
    }

    @Test func trailingDelimitersAreTolerated() throws {
        let both = try parseLog("step,lr,loss,\n1,0.1,3,\n2,0.1,2.5,\n")
        #expect(both.columns == ["step", "lr", "loss"])
        #expect(both.loss.steps == [1, 2])
        let rowsOnly = try parseLog("step,lr,loss\n1,0.1,3,\n2,0.1,2.5\n")
        #expect(rowsOnly.loss.steps == [1, 2])
    }

    @Test func noFinalLineEndAndSurroundingSpaces() throws {
        let log = try parseLog("step, lr, loss\n 1 , 0.1 , 3.5 \n2,0.1,3.25")
        #expect(log.loss.steps == [1, 2])
        #expect(sameBits(log.loss.values, [3.5, 3.25]))
    }

    @Test func otherColumnsAreNotParsed() throws {
        let log = try parseLog("step,run,lr,loss,time\n1,alpha,0.1,3,2024-01-01T00:00\n")
        #expect(log.loss.steps == [1])
    }

    @Test func inputsAsDataBytesAndRawBuffer() throws {
        let text = "step,lr,loss\n1,0.1,3\n"
        let fromString = try parseLog(text)
        #expect(try TrainingLogReader.parseCSV(Data(text.utf8), source: "run.csv") == fromString)
        #expect(try TrainingLogReader.parseCSV(Array(text.utf8), source: "run.csv") == fromString)
        let fromBuffer = try Array(text.utf8).withUnsafeBytes { try TrainingLogReader.parseCSV($0, source: "run.csv") }
        #expect(fromBuffer == fromString)
    }

    // MARK: Skipped values

    @Test func rowsWithoutAUsableLossAreCountedAndKeepTheirLearningRate() throws {
        let text = """
        step,lr,loss
        1,0.1,3.0
        2,0.2,
        3,0.3,nan
        4,0.4,NaN
        5,0.5,inf
        6,0.6,-Infinity
        7,0.7,
        8,,2.5
        9,nan,2.4
        10,inf,2.3
        11,0.11,2.2
        """
        let log = try parseLog(text)
        #expect(log.loss.steps == [1, 8, 9, 10, 11])
        #expect(sameBits(log.loss.values, [3.0, 2.5, 2.4, 2.3, 2.2]))
        #expect(log.learningRate?.steps == [1, 2, 3, 4, 5, 6, 7, 11])
        #expect(sameBits(log.learningRate?.values ?? [], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.11]))
        #expect(log.skipped == [
            SkippedRows(reason: "empty loss", count: 2, firstLocation: .line(3)),
            SkippedRows(reason: "NaN loss", count: 2, firstLocation: .line(4)),
            SkippedRows(reason: "infinite loss", count: 2, firstLocation: .line(6)),
            SkippedRows(reason: "empty learning rate", count: 1, firstLocation: .line(9)),
            SkippedRows(reason: "NaN learning rate", count: 1, firstLocation: .line(10)),
            SkippedRows(reason: "infinite learning rate", count: 1, firstLocation: .line(11)),
        ])
        #expect(log.skipped.map(\.description) == [
            "2 rows with empty loss (first at line 3)",
            "2 rows with NaN loss (first at line 4)",
            "2 rows with infinite loss (first at line 6)",
            "1 row with empty learning rate (first at line 9)",
            "1 row with NaN learning rate (first at line 10)",
            "1 row with infinite learning rate (first at line 11)",
        ])
    }

    // MARK: Order and repeated steps

    @Test func stepsAreSorted() throws {
        let log = try parseLog("step,lr,loss\n30,0.3,2.0\n10,0.1,3.0\n20,0.2,2.5\n")
        #expect(log.loss.steps == [10, 20, 30])
        #expect(sameBits(log.loss.values, [3.0, 2.5, 2.0]))
        #expect(log.learningRate?.steps == [10, 20, 30])
        #expect(sameBits(log.learningRate?.values ?? [], [0.1, 0.2, 0.3]))
        #expect(log.replacedSteps == 0)
    }

    @Test func aResumedRunKeepsTheLaterRows() throws {
        // Logged to step 400, resumed from the checkpoint at 200, then went on to 500.
        let text = """
        step,lr,loss
        100,0.1,3.0
        200,0.1,2.8
        300,0.1,2.7
        400,0.1,2.6
        300,0.09,2.65
        400,0.08,
        500,0.07,2.5
        """
        let log = try parseLog(text)
        #expect(log.replacedSteps == 2)
        // The later row at 400 has no loss: the stale loss of the first attempt does not come back.
        #expect(log.loss.steps == [100, 200, 300, 500])
        #expect(sameBits(log.loss.values, [3.0, 2.8, 2.65, 2.5]))
        #expect(log.learningRate?.steps == [100, 200, 300, 400, 500])
        #expect(sameBits(log.learningRate?.values ?? [], [0.1, 0.1, 0.09, 0.08, 0.07]))
        #expect(log.skipped == [SkippedRows(reason: "empty loss", count: 1, firstLocation: .line(7))])
    }

    @Test func aStepLoggedThreeTimesCountsTwoReplacements() throws {
        let log = try parseLog("step,loss\n1,3\n2,2.9\n2,2.8\n2,2.7\n3,2.6\n")
        #expect(log.replacedSteps == 2)
        #expect(log.loss.steps == [1, 2, 3])
        #expect(sameBits(log.loss.values, [3, 2.7, 2.6]))
    }

    @Test func integralDecimalStepsAreAccepted() throws {
        let log = try parseLog("step,loss\n100.0,3\n2e2,2.5\n")
        #expect(log.loss.steps == [100, 200])
    }

    @Test func manyRowsMatchTheStandardLibrary() throws {
        var generator = SeededGenerator(seed: 11)
        var text = "step,lr,loss\n"
        var losses: [Double] = []
        var rates: [Double] = []
        for step in 0..<5_000 {
            let rate = Double.random(in: 0..<1e-3, using: &generator)
            let loss = Double.random(in: 2..<10, using: &generator)
            rates.append(rate)
            losses.append(loss)
            text += "\(step),\(rate),\(loss)\n"
        }
        let log = try parseLog(text)
        #expect(log.loss.steps == Array(0..<5_000))
        #expect(sameBits(log.loss.values, losses))
        #expect(sameBits(log.learningRate?.values ?? [], rates))
    }
}
