import Foundation
import Testing
import TestSupport
import TrainingLogs

/// Each format read from files made by its real writer (see Fixtures/make_fixtures.py) gives
/// exactly the values that were written, and what TensorBoard itself reads back.
@Suite struct FixtureReadingTests {
    @Test func tensorboardXSimpleValues() throws {
        let log = try TrainingLogReader.read(Fixtures.path("tensorboard/tbx/events.out.tfevents.1700000100.fixture"))
        #expect(log.format == .tensorboard)
        #expect(log.name == "tbx")
        #expect(log.stepColumn == "step")
        #expect(log.lossColumn == "train/loss")
        #expect(log.learningRateColumn == "train/learning_rate")
        #expect(log.columns == ["train/loss", "train/learning_rate", "weights", "note/text_summary", "accuracy"])
        #expect(log.loss.steps == Fixtures.integers("tbx", "steps"))
        #expect(sameBits(log.loss.values, Fixtures.doubles("tbx", "loss")))
        #expect(sameBits(log.learningRate?.values ?? [], Fixtures.doubles("tbx", "learning_rate")))
        let readBack = Fixtures.readBack("tbx", "train/loss")
        #expect(log.loss.steps == readBack.steps)
        #expect(sameBits(log.loss.values, readBack.values))
        #expect(log.skipped.isEmpty)
        #expect(log.notes.isEmpty)
    }

    @Test func tensorboardWriterTensorScalars() throws {
        let log = try TrainingLogReader.read(Fixtures.path("tensorboard/tb_writer"))
        #expect(log.name == "tb_writer")
        #expect(log.lossColumn == "loss")
        #expect(log.learningRateColumn == "lr")
        #expect(log.loss.steps == Fixtures.integers("tb_writer", "steps"))
        #expect(sameBits(log.loss.values, Fixtures.doubles("tb_writer", "loss")))
        #expect(sameBits(log.learningRate?.values ?? [], Fixtures.doubles("tb_writer", "learning_rate")))
        #expect(sameBits(log.loss.values, Fixtures.readBack("tb_writer", "loss").values))
    }

    @Test func tensorsOfEveryStorage() throws {
        let path = Fixtures.path("tensorboard/tensors")
        for tag in ["loss", "content_f32", "content_f64", "half"] {
            let log = try TrainingLogReader.read(path, options: LogReadOptions(columns: ColumnChoice(loss: tag)))
            #expect(log.loss.steps == Fixtures.integers("tensors", "steps"), "\(tag)")
            #expect(sameBits(log.loss.values, Fixtures.doubles("tensors", tag)), "\(tag)")
            #expect(sameBits(log.loss.values, Fixtures.readBack("tensors", tag).values), "\(tag)")
        }
    }

    @Test func aResumedRunsFilesAreMergedAndTheLaterFileWins() throws {
        let log = try TrainingLogReader.read(Fixtures.path("tensorboard/resumed"))
        #expect(log.loss.steps == Fixtures.integers("resumed", "steps"))
        #expect(sameBits(log.loss.values, Fixtures.doubles("resumed", "loss")))
        #expect(log.replacedSteps == 10)
        #expect(log.restarts.map(\.description) == ["step 39 → 30 at byte 40 of events.out.tfevents.1700000401.fixture"])
    }

    @Test func aDirectoryOfRunsGivesOneLogPerRun() throws {
        let path = Fixtures.path("tensorboard/sweep")
        let logs = try TrainingLogReader.readAll(path)
        #expect(logs.map(\.name) == ["lr_1e-3", "lr_3e-4"])
        #expect(logs.map(\.source) == [path + "/lr_1e-3", path + "/lr_3e-4"])
        #expect(logs.map(\.loss.count) == [20, 20])
        #expect(sameBits(logs[1].learningRate?.values ?? [], Array(repeating: Double(Float(3e-4)), count: 20)))
        #expect(throws: LogReadError.severalRuns(file: path, runs: ["lr_1e-3", "lr_3e-4"])) { try TrainingLogReader.read(path) }
        #expect(LogReadError.severalRuns(file: "sweep", runs: ["a", "b"]).description
                == "sweep holds 2 runs (a, b); read them all with TrainingLogReader.readAll")
    }

    @Test func trainerStateTrainingAndEvaluationLoss() throws {
        let path = Fixtures.path("huggingface/run/checkpoint-200/trainer_state.json")
        let log = try TrainingLogReader.read(path)
        #expect(log.format == .trainerState)
        #expect(log.name == "run")
        #expect(log.lossColumn == "loss")
        #expect(log.learningRateColumn == "learning_rate")
        #expect(log.loss.steps == Fixtures.integers("huggingface", "steps"))
        #expect(sameBits(log.loss.values, Fixtures.doubles("huggingface", "loss")))
        #expect(sameBits(log.learningRate?.values ?? [], Fixtures.doubles("huggingface", "learning_rate")))
        #expect(log.notes == [.ignoredSummaryEntries(file: path, count: 1)])
        #expect(log.notes[0].description == "\(path): ignored 1 final summary entry of log_history (train_runtime, train_loss, …), which is not logged steps")

        let evaluation = try TrainingLogReader.read(path, options: LogReadOptions(loss: .evaluation))
        #expect(evaluation.lossColumn == "eval_loss")
        #expect(evaluation.loss.steps == Fixtures.integers("huggingface", "eval_steps"))
        #expect(sameBits(evaluation.loss.values, Fixtures.doubles("huggingface", "eval_loss")))
    }

    @Test func wandbHistoryExport() throws {
        let log = try TrainingLogReader.read(Fixtures.path("wandb/history.csv"))
        #expect(log.format == .wandbHistory)
        #expect(log.stepColumn == "train/global_step")
        #expect(log.lossColumn == "train/loss")
        #expect(log.loss.steps == Fixtures.integers("wandb_history", "steps"))
        #expect(sameBits(log.loss.values, Fixtures.doubles("wandb_history", "loss")))
        #expect(sameBits(log.learningRate?.values ?? [], Fixtures.doubles("wandb_history", "learning_rate")))
        let evaluation = try TrainingLogReader.read(Fixtures.path("wandb/history.csv"), options: LogReadOptions(loss: .evaluation))
        #expect(evaluation.lossColumn == "eval/loss")
        #expect(evaluation.loss.steps == [0, 50])
        #expect(evaluation.skipped == [SkippedRows(reason: "empty loss", count: 8, firstLocation: .line(3))])
    }

    @Test func wandbPanelExportGivesOneLogPerRun() throws {
        let path = Fixtures.path("wandb/panel.csv")
        let logs = try TrainingLogReader.readAll(path)
        #expect(logs.map(\.name) == ["gpt2-small - cosine", "gpt2-small - wsd"])
        #expect(logs.allSatisfy { $0.format == .wandbPanel && $0.stepColumn == "Step" && $0.learningRateColumn == nil })
        #expect(logs.map(\.lossColumn) == ["gpt2-small - cosine - train/loss", "gpt2-small - wsd - train/loss"])
        #expect(logs[0].loss.steps == Fixtures.integers("wandb_panel", "steps"))
        #expect(sameBits(logs[0].loss.values, Fixtures.doubles("wandb_panel", "cosine")))
        #expect(logs[1].loss.steps == Fixtures.integers("wandb_panel", "wsd_steps"))
        #expect(sameBits(logs[1].loss.values, Fixtures.doubles("wandb_panel", "wsd")))
        #expect(logs.allSatisfy { $0.skipped.isEmpty })
    }

    @Test func jsonLinesWithNestedKeys() throws {
        let log = try TrainingLogReader.read(Fixtures.path("jsonl/metrics.jsonl"))
        #expect(log.format == .jsonl)
        #expect(log.stepColumn == "trainer/global_step")
        #expect(log.lossColumn == "train/loss")
        #expect(log.learningRateColumn == "train/lr")
        #expect(log.columns == ["_step", "trainer/global_step", "train/loss", "train/lr", "tokens", "tag", "eval/loss"])
        #expect(log.loss.steps == Fixtures.integers("jsonl", "steps"))
        #expect(sameBits(log.loss.values, Fixtures.doubles("jsonl", "loss")))
        #expect(log.learningRate?.steps == Fixtures.integers("jsonl", "learning_rate_steps"))
        #expect(sameBits(log.learningRate?.values ?? [], Fixtures.doubles("jsonl", "learning_rate")))
        #expect(log.skipped == [SkippedRows(reason: "NaN loss", count: 1, firstLocation: .line(34))])
        let dotted = try TrainingLogReader.read(Fixtures.path("jsonl/metrics.jsonl"), options: LogReadOptions(columns: ColumnChoice(loss: "eval.loss")))
        #expect(dotted.lossColumn == "eval/loss")
        #expect(dotted.loss.steps == [200, 400, 600])
    }

    @Test func nanoGPTLog() throws {
        let path = Fixtures.path("text/nanogpt.log")
        let log = try TrainingLogReader.read(path)
        #expect(log.format == .nanoGPT)
        #expect(log.stepColumn == "iter")
        #expect(log.lossColumn == "loss")
        #expect(log.learningRateColumn == nil)
        #expect(log.columns == ["train loss", "val loss", "loss", "time", "mfu"])
        #expect(log.loss.steps == Fixtures.integers("nanogpt", "steps"))
        #expect(sameBits(log.loss.values, Fixtures.doubles("nanogpt", "loss")))
        let evaluation = try TrainingLogReader.read(path, options: LogReadOptions(loss: .evaluation))
        #expect(evaluation.lossColumn == "val loss")
        #expect(evaluation.loss.steps == Fixtures.integers("nanogpt", "val_steps"))
        #expect(sameBits(evaluation.loss.values, Fixtures.doubles("nanogpt", "val_loss")))
    }

    @Test func megatronLog() throws {
        let path = Fixtures.path("text/megatron.log")
        let log = try TrainingLogReader.read(path)
        #expect(log.format == .megatron)
        #expect(log.stepColumn == "iteration")
        #expect(log.lossColumn == "lm loss")
        #expect(log.learningRateColumn == "learning rate")
        #expect(log.loss.steps == Fixtures.integers("megatron", "steps"))
        #expect(sameBits(log.loss.values, Fixtures.doubles("megatron", "loss")))
        #expect(sameBits(log.learningRate?.values ?? [], Fixtures.doubles("megatron", "learning_rate")))
        let evaluation = try TrainingLogReader.read(path, options: LogReadOptions(loss: .evaluation))
        #expect(evaluation.lossColumn == "validation/lm loss")
        #expect(evaluation.loss.steps == Fixtures.integers("megatron", "val_steps"))
        #expect(sameBits(evaluation.loss.values, Fixtures.doubles("megatron", "val_loss")))
    }
}
