import Foundation
import Testing
import TestSupport
import TrainingLogs

/// nanoGPT and Megatron-LM printed logs: their training lines are read, other output passed over.
@Suite struct TextLogTests {
    private func read(_ text: String, _ format: LogFormat, loss: LossKind = .training) throws(LogReadError) -> TrainingLog {
        try TrainingLogReader.parse(Array(text.utf8), source: "train.log", options: LogReadOptions(format: format, loss: loss))[0]
    }

    @Test func nanoGPTLinesAmongOtherOutput() throws {
        let text = """
        Overriding config with config/train_shakespeare_char.py:
        iter 0: loss 4.2874, time 29532.87ms, mfu -100.00%
        step 250: train loss 1.9718, val loss 2.0727
        saving checkpoint to out-shakespeare-char
        iter 250: loss 2.0119, time 112.50ms, mfu 3.32%
        iter 260: loss nan, time 112.50ms, mfu 3.32%
        iter 270: loss 1.9500, time oops, mfu 3.32%
        """
        let log = try read(text, .nanoGPT)
        #expect(log.loss.steps == [0, 250, 270])
        #expect(sameBits(log.loss.values, [4.2874, 2.0119, 1.95]))
        #expect(log.skipped.map(\.description) == ["1 row with NaN loss (first at line 6)"])
        let evaluation = try read(text, .nanoGPT, loss: .evaluation)
        #expect(evaluation.loss.steps == [250])
        #expect(sameBits(evaluation.loss.values, [2.0727]))
    }

    @Test func megatronLinesWithTimestampsAndValidation() throws {
        let text = """
        > building train, validation, and test datasets ...
         [2024-05-01 10:00:00] iteration      100/   10000 | consumed samples:        51200 | learning rate: 1.500000E-04 | lm loss: 7.891234E+00 | loss scale: 65536.0 |
         [2024-05-01 10:01:00] iteration      200/   10000 | consumed samples:       102400 | learning rate: 3.000000E-04 | lm loss: 6.500000E+00 | loss scale: 65536.0 |
        saving checkpoint at iteration     200 to checkpoints
         validation loss at iteration 200 on validation set | lm loss value: 6.600000E+00 | lm loss PPL: 7.352E+02 |
        """
        let log = try read(text, .megatron)
        #expect(log.loss.steps == [100, 200])
        #expect(sameBits(log.loss.values, [7.891234, 6.5]))
        #expect(sameBits(log.learningRate?.values ?? [], [1.5e-4, 3e-4]))
        #expect(log.columns == ["consumed samples", "learning rate", "lm loss", "loss scale", "validation/lm loss", "validation/lm loss PPL"])
        let evaluation = try read(text, .megatron, loss: .evaluation)
        #expect(evaluation.loss.steps == [200])
        #expect(sameBits(evaluation.loss.values, [6.6]))
    }

    @Test func aLogWithoutTrainingLinesIsAnError() {
        #expect(throws: LogReadError.noLogLines(file: "train.log", format: .nanoGPT)) { try read("hello\nworld\n", .nanoGPT) }
        #expect(LogReadError.noLogLines(file: "train.log", format: .nanoGPT).description
                == "train.log: no nanoGPT text log training lines (iter N: loss X, …) found; check the format named")
    }
}
