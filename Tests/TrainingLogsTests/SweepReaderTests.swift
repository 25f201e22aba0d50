import Foundation
import Testing
import TestSupport
import TrainingLogs

@Suite struct SweepReaderTests {
    private func read(_ text: String, source: String = "sweep.csv", options: SweepReadOptions = .init()) throws(LogReadError) -> SweepTable {
        try SweepReader.parse(Array(text.utf8), source: source, options: options)
    }

    private func error(_ text: String, source: String = "sweep.csv", options: SweepReadOptions = .init()) -> LogReadError? {
        do {
            _ = try read(text, source: source, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheStepLawColumnsAndInfersTheSequenceLength() throws {
        let table = try read("""
            h,lr,bs,ti,loss,smooth loss,exp_name,D,N
            1280,0.005524,736,33171,2.288173,2.2778836983119093,run_a,50000000000,429260800
            1024,0.0003453,736,53074,2.351091,2.3625541052342793,run_b,80000000000,268304384
            """)
        #expect(table.rows.count == 2)
        #expect(table.roleColumns[.loss] == "smooth loss")
        #expect(table.roleColumns[.steps] == "ti")
        #expect(table.batchSizeUnit == .sequences)
        #expect(table.sequenceLength == 2048)
        #expect(table.sequenceLengthOrigin == .inferred(stepsColumn: "ti"))
        let row = table.rows[0]
        #expect(row.line == 2 && row.parameters == 429260800 && row.tokens == 5e10 && row.learningRate == 0.005524)
        #expect(row.batchSizeTokens == 736 * 2048)
        #expect(row.loss == 2.2778836983119093)
        // Every other numeric column is a covariate; exp_name is text.
        #expect(table.covariateColumns == ["h", "ti", "loss"])
        #expect(row.covariates == [1280, 33171, 2.288173])
    }

    @Test func aBatchInTokensNeedsNoSequenceLength() throws {
        let table = try read("N,D,peak_lr,batch_tokens,final_loss\n1e8,1e10,0.002,262144,3.1\n")
        #expect(table.batchSizeUnit == .tokens)
        #expect(table.sequenceLengthOrigin == .notNeeded)
        #expect(table.rows[0].batchSizeTokens == 262144)
    }

    @Test func aGivenSequenceLengthAndNamedColumnsWin() throws {
        let options = SweepReadOptions(columns: [.parameters: "model", .loss: "val"], sequenceLength: 4096)
        let table = try read("model,D,lr,bs,loss,val\n1e8,1e10,0.002,64,3.2,3.1\n", options: options)
        #expect(table.rows[0].parameters == 1e8)
        #expect(table.rows[0].loss == 3.1)
        #expect(table.rows[0].batchSizeTokens == 64 * 4096)
        #expect(table.sequenceLengthOrigin == .given)
    }

    @Test func readsJSONLines() throws {
        let table = try read("""
            {"N": 1e8, "D": 1e10, "lr": 0.002, "bs": 64, "seq_len": 1024, "loss": 3.1}

            {"N": 1e8, "D": 1e10, "lr": 0.004, "bs": 64, "seq_len": 1024, "loss": null}
            {"N": 1e8, "D": 1e10, "lr": 0.008, "bs": 64, "seq_len": 1024, "loss": 3.3}
            """, source: "sweep.jsonl")
        #expect(table.format == .jsonl)
        #expect(table.rows.map(\.line) == [1, 4])
        #expect(table.rows[0].batchSizeTokens == 64 * 1024)
        #expect(table.sequenceLengthOrigin == .column("seq_len"))
        #expect(table.skipped == [SkippedRuns(reason: "empty loss", count: 1, firstLine: 3)])
    }

    /// python_json.jsonl was written by Python's json module (3.11), as a sweep script writes it:
    ///     python3 -c 'import json; runs = [dict(N=1e8, D=2e10, lr=lr, bs=256, seq_len=2048, loss=loss)
    ///         for lr, loss in [(0.001, 3.125), (0.002, 3.0625), (0.004, float("nan")), (0.008, float("inf"))]];
    ///         print("\n".join(json.dumps(run) for run in runs))'
    /// A diverged run's loss comes out as a bare NaN (or Infinity), which is not RFC 8259 JSON.
    @Test func pythonsBareNaNMarksADivergedRun() throws {
        let table = try SweepReader.read(Fixtures.path("sweep/python_json.jsonl"))
        #expect(table.columns == ["N", "D", "lr", "bs", "seq_len", "loss"])
        #expect(table.rows.map(\.line) == [1, 2])
        #expect(table.rows.map(\.learningRate) == [0.001, 0.002])
        #expect(table.rows.map(\.loss) == [3.125, 3.0625])
        #expect(table.rows[0].batchSizeTokens == 256 * 2048)
        #expect(table.skipped == [SkippedRuns(reason: "NaN loss", count: 1, firstLine: 3),
                                  SkippedRuns(reason: "infinite loss", count: 1, firstLine: 4)])
    }

    @Test func aMalformedJSONLineSaysWhereAndWhat() {
        let found = error("{\"N\": 1e8, \"loss\": 3}\n{\"N\": 1e8, \"loss\": }\n", source: "sweep.jsonl")
        #expect(found == .notAJSONObject(file: "sweep.jsonl", line: 2, column: 20, problem: "expected a value, found '}'"))
        #expect(found?.description == "sweep.jsonl:2:20: not a JSON object (expected a value, found '}'); a JSONL sweep holds one object per line, e.g. {\"N\": 4e8, \"D\": 2e10, \"lr\": 0.002, \"bs\": 256, \"loss\": 2.3}")
    }

    @Test func runsWithoutAFinalLossAreCountedNotDropped() throws {
        let table = try read("N,D,lr,batch_tokens,loss\n1e8,1e10,0.002,1e5,nan\n1e8,1e10,0.004,1e5,3.0\n1e8,1e10,0.008,1e5,inf\n1e8,1e10,0.016,1e5,NaN\n")
        #expect(table.rows.count == 1)
        #expect(table.skipped == [SkippedRuns(reason: "NaN loss", count: 2, firstLine: 2), SkippedRuns(reason: "infinite loss", count: 1, firstLine: 4)])
        #expect(table.skipped[0].description == "2 runs with NaN loss (first at line 2)")
    }

    @Test func aMissingColumnListsTheColumnsFound() {
        let found = error("N,D,bs,loss\n1e8,1e10,64,3\n")
        #expect(found == .missingColumn(file: "sweep.csv", role: .sweep(.learningRate), columns: ["N", "D", "bs", "loss"]))
        #expect(found?.description == "no learning-rate column in sweep.csv; columns found: N, D, bs, loss; name the learning-rate column")
    }

    @Test func aNonPositiveValueNamesLineAndColumn() {
        let found = error("N,D,lr,bs,loss\n1e8,1e10,0.002,64,3\n1e8,1e10,-0.004,64,3\n", options: SweepReadOptions(sequenceLength: 2048))
        #expect(found == .notPositive(file: "sweep.csv", line: 3, column: "lr", text: "-0.004"))
        #expect(found?.description == "sweep.csv:3: column \"lr\": -0.004 is not a positive number; model sizes, token counts, learning rates and batch sizes must be > 0: fix or delete that row")
        #expect(error("N,D,lr,bs,loss\n0,1e10,0.002,64,3\n", options: SweepReadOptions(sequenceLength: 2048))
                == .notPositive(file: "sweep.csv", line: 2, column: "N", text: "0"))
    }

    @Test func textInANumberColumnNamesLineAndColumn() {
        let found = error("N,D,lr,bs,loss\n1e8,1e10,fast,64,3\n", options: SweepReadOptions(sequenceLength: 2048))
        #expect(found?.description == "sweep.csv:2: column \"lr\": \"fast\" is not a number; fix or delete that row")
    }

    @Test func aBatchInSequencesWithoutALengthSaysWhatToGive() {
        let found = error("N,D,lr,bs,loss\n1e8,1e10,0.002,64,3\n")
        #expect(found?.description == "sweep.csv: the batch sizes in column \"bs\" count sequences, but the sequence length is unknown; give the sequence length, or say the batch sizes count tokens if they do")
    }

    @Test func rowsThatDisagreeOnTheInferredSequenceLengthAreAnError() {
        let found = error("N,D,lr,bs,steps,loss\n1e8,2048000,0.002,10,100,3\n1e8,2048000,0.004,10,100,3\n1e8,2048000,0.008,10,50,3\n")
        #expect(found?.description == "sweep.csv:4: tokens / (steps × batch) gives a sequence length of 4096, but most rows (e.g. line 2) give 2048; give the sequence length")
    }

    @Test func malformedFilesGetOneLineErrors() {
        #expect(error("")?.description == "sweep.csv: the file is empty; a sweep needs a header row (e.g. N,D,lr,bs,loss) and one row per finished run")
        #expect(error("N,D,lr,bs,loss\n") == .noDataRows(file: "sweep.csv", content: .sweep))
        #expect(error("N,D,lr,bs,loss\n1e8,1e10,0.002,64\n") == .wrongFieldCount(file: "sweep.csv", line: 2, found: 4, expected: 5))
        #expect(error("{\"N\": 1e8}\nnot json\n") == .notAJSONObject(file: "sweep.csv", line: 2, column: 1, problem: "expected '{', found 'n'"))
        #expect(error("N,D,lr,batch_tokens,loss\n1e8,1e10,0.002,64,nan\n")?.description
                == "sweep.csv: no usable loss values: all 1 run has empty, NaN or infinite loss")
        #expect(error("N,D,lr,bs,loss\n1e8,1e10,0.002,64,3\n", options: SweepReadOptions(columns: [.tokens: "tokens"]))?.description
                == "no column \"tokens\" in sweep.csv (given as the tokens column); columns found: N, D, lr, bs, loss; name the tokens column")
    }

    @Test(.enabled(if: SharedData.shouldRun))
    func readsTheSharedStepLawSweep() throws {
        let url = SharedData.url("steplaw/dense_sweep.csv")
        try #require(FileManager.default.fileExists(atPath: url.path), "shared data missing: \(url.path)")
        let table = try SweepReader.read(url.path)
        #expect(table.rows.count == 1626)
        #expect(table.skipped.isEmpty)
        #expect(table.sequenceLength == 2048)
        #expect(Set(table.rows.map(\.parameters)).count == 4)
    }
}
