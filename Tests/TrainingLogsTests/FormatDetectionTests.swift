import Foundation
import Testing
import TestSupport
import TrainingLogs

/// Formats are recognised by content; the file name only decides when the content cannot.
@Suite struct FormatDetectionTests {
    private func format(_ text: String, name: String) throws -> LogFormat {
        try TrainingLogReader.parse(Array(text.utf8), source: name)[0].format
    }

    @Test func contentWinsOverTheExtension() throws {
        #expect(try format("{\"step\": 1, \"loss\": 3}\n", name: "metrics.csv") == .jsonl)
        #expect(try format("step,loss\n1,3\n", name: "metrics.jsonl") == .csv)
        #expect(try format("step\tloss\n1\t3\n", name: "run.txt") == .tsv)
        #expect(try format("{\n  \"log_history\": [{\"loss\": 3, \"step\": 1}]\n}\n", name: "state.txt") == .trainerState)
        #expect(try format("noise\niter 10: loss 3.1000, time 5.00ms, mfu 1.00%\n", name: "train.csv") == .nanoGPT)
        #expect(try format(" iteration       10/     100 | lm loss: 3.0E+00 |\n", name: "x.jsonl") == .megatron)
        var writer = TensorBoardEventWriter()
        writer.addScalar(tag: "loss", value: 3, step: 1)
        #expect(try TrainingLogReader.parse(writer.bytes, source: "anything.csv")[0].format == .tensorboard)
    }

    @Test func binaryContentThatIsNoLogIsRefused() {
        let expected = LogReadError.unknownFormat(file: "blob.bin")
        #expect(throws: expected) { try TrainingLogReader.parse([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x12], source: "blob.bin") }
        #expect(expected.description == "blob.bin: cannot tell the log format from the content (formats read: csv, tsv, wandb-history, wandb-panel, jsonl, trainer-state, tensorboard, nanogpt, megatron); name the format")
    }

    @Test func aForcedFormatThatDoesNotFitSaysSo() {
        let expected = LogReadError.formatMismatch(file: "run.csv", format: .wandbPanel,
                                                   reason: "no step column with \"<run> - <metric>\" loss columns beside it; columns found: step, loss")
        #expect(throws: expected) { try TrainingLogReader.parse(Array("step,loss\n1,3\n".utf8), source: "run.csv", options: LogReadOptions(format: .wandbPanel)) }
        #expect(expected.description == "run.csv: not a W&B panel CSV: no step column with \"<run> - <metric>\" loss columns beside it; columns found: step, loss; check the format named")
        #expect(throws: LogReadError.noLogLines(file: "run.csv", format: .nanoGPT)) {
            try TrainingLogReader.parse(Array("step,loss\n1,3\n".utf8), source: "run.csv", options: LogReadOptions(format: .nanoGPT))
        }
        #expect(LogReadError.noLogLines(file: "train.log", format: .megatron).description
                == "train.log: no Megatron-LM text log training lines (iteration N/ M | … | lm loss: X |) found; check the format named")
    }
}
