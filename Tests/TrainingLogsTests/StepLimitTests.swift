import Foundation
import Testing
import TrainingLogs

/// `LogReadOptions.maximumStep`: a loss or learning rate at a step above it is an error naming the
/// line, in every text format; without it any step reads.
@Suite struct StepLimitTests {
    static let limited = LogReadOptions(maximumStep: 1000)

    private func read(_ text: String, source: String, options: LogReadOptions = limited) throws(LogReadError) -> [TrainingLog] {
        try TrainingLogReader.parse(Array(text.utf8), source: source, options: options)
    }

    @Test func csvNamesTheLineAndColumn() throws {
        let text = "step,lr,loss\n100,0.1,3\n1000,0.1,2.9\n1001,0.1,2.8\n"
        #expect(throws: LogReadError.stepBeyondLimit(file: "run.csv", location: .line(4), column: "step", text: "1001", limit: 1000)) {
            try read(text, source: "run.csv")
        }
        #expect(try read(text, source: "run.csv", options: LogReadOptions()).first?.loss.steps == [100, 1000, 1001])
        #expect(try read("step,lr,loss\n100,0.1,3\n1000,0.1,2.9\n", source: "run.csv").first?.loss.steps == [100, 1000])
    }

    /// A whole number too large for an exact integer is beyond the limit, not "not a whole number".
    @Test func aStepTooLargeForAnIntegerIsBeyondTheLimit() throws {
        #expect(throws: LogReadError.stepBeyondLimit(file: "run.csv", location: .line(3), column: "step", text: "1e20", limit: 1000)) {
            try read("step,lr,loss\n100,0.1,3\n1e20,0.1,2.9\n", source: "run.csv")
        }
        #expect(throws: LogReadError.stepBeyondLimit(file: "run.jsonl", location: .line(2), column: "step", text: "1e+20", limit: 1000)) {
            try read("{\"step\": 100, \"loss\": 3}\n{\"step\": 1e20, \"loss\": 2.9}\n", source: "run.jsonl")
        }
    }

    /// Without a limit, a step beyond what the format holds exactly (JSON: 2^53; text: an Int) is
    /// still an error naming that bound, not "not a whole number" nor a line passed over.
    @Test func aStepBeyondWhatTheFormatHoldsIsAnErrorWithoutALimit() throws {
        let unlimited = LogReadOptions()
        #expect(throws: LogReadError.stepBeyondLimit(file: "run.jsonl", location: .line(2), column: "step", text: "1e+20", limit: 9_007_199_254_740_992)) {
            try read("{\"step\": 100, \"loss\": 3}\n{\"step\": 1e20, \"loss\": 2.9}\n", source: "run.jsonl", options: unlimited)
        }
        #expect(throws: LogReadError.stepBeyondLimit(file: "train.log", location: .line(2), column: "iter", text: "100000000000000000000", limit: .max)) {
            try read("iter 100: loss 3.0000, time 10.00ms\niter 100000000000000000000: loss 2.9000, time 10.00ms\n", source: "train.log",
                     options: LogReadOptions(format: .nanoGPT))
        }
        let megatron = " [2024] iteration      100/   10000 | learning rate: 1.500000E-04 | lm loss: 7.891234E+00 |\n"
            + " [2024] iteration      100000000000000000000/   10000 | learning rate: 1.500000E-04 | lm loss: 7.791234E+00 |\n"
        #expect(throws: LogReadError.stepBeyondLimit(file: "train.log", location: .line(2), column: "iteration", text: "100000000000000000000", limit: 1000)) {
            try read(megatron, source: "train.log", options: LogReadOptions(format: .megatron, maximumStep: 1000))
        }
        // The largest exact JSON step still reads.
        #expect(try read("{\"step\": 9007199254740992, \"loss\": 3}\n", source: "run.jsonl", options: unlimited).first?.loss.steps == [9_007_199_254_740_992])
    }

    @Test func jsonLinesNameTheLine() throws {
        let text = "{\"step\": 100, \"loss\": 3, \"lr\": 0.1}\n{\"step\": 5000, \"lr\": 0.1}\n{\"step\": 200, \"loss\": 2.9}\n"
        #expect(throws: LogReadError.stepBeyondLimit(file: "run.jsonl", location: .line(2), column: "step", text: "5000", limit: 1000)) {
            try read(text, source: "run.jsonl")
        }
        // A step beyond the limit that holds neither the loss nor the learning rate enters no curve.
        let other = "{\"step\": 100, \"loss\": 3}\n{\"step\": 5000, \"eval/accuracy\": 0.5}\n{\"step\": 200, \"loss\": 2.9}\n"
        #expect(try read(other, source: "run.jsonl").first?.loss.steps == [100, 200])
    }

    @Test func textLogsNameTheLine() throws {
        let text = "iter 100: loss 3.0000, time 10.00ms\niter 2000: loss 2.9000, time 10.00ms\n"
        #expect(throws: LogReadError.stepBeyondLimit(file: "train.log", location: .line(2), column: "iter", text: "2000", limit: 1000)) {
            try read(text, source: "train.log", options: LogReadOptions(format: .nanoGPT, maximumStep: 1000))
        }
    }

    @Test func theMessageSaysWhatToDo() {
        let error = LogReadError.stepBeyondLimit(file: "run.csv", location: .line(4), column: "step", text: "1000000000000", limit: 10_000_000)
        #expect(error.description == "run.csv:4: column \"step\": step 1000000000000 is beyond step 10,000,000, the last a curve may reach (a learning rate is held for every step); count steps in coarser units (e.g. divide them by 10), or read a column of optimizer steps; name the step column")
        #expect(error.remedy == .nameColumn(.log(.step), noun: "column"))
    }
}
