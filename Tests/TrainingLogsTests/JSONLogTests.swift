import Foundation
import Testing
import TestSupport
import TrainingLogs

/// JSON lines and trainer_state.json: keys, nesting, steps, and every malformed input named by
/// line and column.
@Suite struct JSONLogTests {
    private func jsonl(_ text: String, options: LogReadOptions = .init()) throws(LogReadError) -> TrainingLog {
        var options = options
        options.format = options.format ?? .jsonl
        let logs = try TrainingLogReader.parse(Array(text.utf8), source: "run.jsonl", options: options)
        return logs[0]
    }

    private func jsonlError(_ text: String, options: LogReadOptions = .init()) -> LogReadError? {
        do {
            _ = try jsonl(text, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func keysNestingAndPythonSpecialValues() throws {
        let text = """
        {"step": 1, "train": {"loss": 3.5, "lr": 1e-4}, "note": "warm\\u00e9", "flags": [1, 2, {"x": null}], "ok": true}
        {"step": 2, "train": {"loss": NaN, "lr": 2e-4}}

        {"step": 3, "train": {"loss": Infinity, "lr": null}}
        {"step": 4, "train": {"loss": 3.25, "lr": 4e-4}, "extra": -Infinity}
        """
        let log = try jsonl(text)
        #expect(log.lossColumn == "train/loss")
        #expect(log.learningRateColumn == "train/lr")
        #expect(log.columns == ["step", "train/loss", "train/lr", "note", "flags", "ok", "extra"])
        #expect(log.loss.steps == [1, 4])
        #expect(sameBits(log.loss.values, [3.5, 3.25]))
        #expect(log.learningRate?.steps == [1, 2, 4])
        #expect(log.skipped.map(\.description) == [
            "1 row with NaN loss (first at line 2)",
            "1 row with infinite loss (first at line 4)",
            "1 row with empty learning rate (first at line 4)",
        ])
    }

    @Test func theStepKeyComesFromTheFirstLineThatHasOne() throws {
        let text = """
        {"config": {"lr": 3e-4}}
        {"_step": 0, "global_step": 100, "loss": 3}
        {"_step": 1, "loss": 2.9}
        {"_step": 2, "global_step": 300, "loss": 2.8}
        """
        let log = try jsonl(text)
        #expect(log.stepColumn == "global_step")
        #expect(log.loss.steps == [100, 300])
        #expect(log.skipped.map(\.description) == ["2 rows with no step (first at line 1)"])
        let byCounter = try jsonl(text, options: LogReadOptions(columns: ColumnChoice(step: "_step")))
        #expect(byCounter.loss.steps == [0, 1, 2])
    }

    @Test func malformedLinesNameLineAndColumn() {
        let cases: [(String, LogReadError, String)] = [
            ("{\"step\": 1, \"loss\": 3}\n{\"step\": 2 \"loss\": 2}\n",
             .malformedJSON(file: "run.jsonl", line: 2, column: 12, problem: "expected ',' or '}' after a value, found '\"'", isOneLine: true),
             "run.jsonl:2:12: malformed JSON: expected ',' or '}' after a value, found '\"'; fix that line, or skip such lines"),
            ("{\"step\": 1, \"loss\": 3}\n{\"step\": 2, \"loss\": 2.\n",
             .malformedJSON(file: "run.jsonl", line: 2, column: 23, problem: "expected a digit after the decimal point before the end", isOneLine: true),
             "run.jsonl:2:23: malformed JSON: expected a digit after the decimal point before the end; fix that line, or skip such lines"),
            ("[1, 2]\n",
             .malformedJSON(file: "run.jsonl", line: 1, column: 1, problem: "expected a JSON object ('{') at the start of the line, found '['", isOneLine: true),
             "run.jsonl:1:1: malformed JSON: expected a JSON object ('{') at the start of the line, found '['; fix that line, or skip such lines"),
            ("{\"step\": 1, \"loss\": \"3\nx\"}\n",
             .malformedJSON(file: "run.jsonl", line: 1, column: 21, problem: "a string is never closed", isOneLine: true),
             "run.jsonl:1:21: malformed JSON: a string is never closed; fix that line, or skip such lines"),
            ("{\"step\": 1, \"loss\": 3} {\"step\": 2}\n",
             .malformedJSON(file: "run.jsonl", line: 1, column: 24, problem: "expected the line to end after the object, found '{'", isOneLine: true),
             "run.jsonl:1:24: malformed JSON: expected the line to end after the object, found '{'; fix that line, or skip such lines"),
        ]
        for (text, expected, message) in cases {
            let error = jsonlError(text)
            #expect(error == expected)
            #expect(error?.description == message)
        }
    }

    @Test func badStepsAreErrors() {
        #expect(jsonlError("{\"step\": 1.5, \"loss\": 3}\n") == .stepNotWholeNumber(file: "run.jsonl", line: 1, column: "step", text: "1.5"))
        #expect(jsonlError("{\"step\": -2, \"loss\": 3}\n") == .negativeStep(file: "run.jsonl", line: 1, column: "step", text: "-2.0"))
        #expect(jsonlError("{\"step\": \"7\", \"loss\": 3}\n") == .notANumber(file: "run.jsonl", line: 1, column: "step", text: "\"7\""))
        #expect(jsonlError("{\"step\": null, \"loss\": 3}\n") == .emptyStep(file: "run.jsonl", line: 1, column: "step"))
        #expect(jsonlError("{\"loss\": 3}\n") == .noStepKey(file: "run.jsonl", found: ["loss"]))
        #expect(LogReadError.noStepKey(file: "run.jsonl", found: ["loss"]).description
                == "no step key in run.jsonl; keys found: loss; name the step key")
        #expect(jsonlError("{\"step\": 1, \"acc\": 3}\n") == .noLossSeries(file: "run.jsonl", found: ["step", "acc"], noun: "key"))
        #expect(jsonlError("{\"step\": 1, \"loss\": 3}\n", options: LogReadOptions(columns: ColumnChoice(loss: "val/ppl")))
                == .seriesNotFound(file: "run.jsonl", role: .loss, name: "val/ppl", found: ["step", "loss"], noun: "key"))
        #expect(LogReadError.seriesNotFound(file: "run.jsonl", role: .loss, name: "val/ppl", found: ["step", "loss"], noun: "key").description
                == "no key \"val/ppl\" in run.jsonl (given as the loss key); keys found: step, loss; name the loss key")
        #expect(jsonlError("{\"step\": 1, \"loss\": 3}\n", options: LogReadOptions(loss: .evaluation))
                == .noEvaluationLoss(file: "run.jsonl", found: ["step", "loss"], noun: "key"))
        #expect(jsonlError("{\"step\": 1, \"loss\": 3, \"lr\": -0.5}\n") == .negativeLearningRate(file: "run.jsonl", line: 1, column: "lr", text: "-0.5"))
        #expect(jsonlError("\n\n") == .emptyFile(file: "run.jsonl"))
    }

    @Test func skipBadLinesCountsThemAndReadsOn() throws {
        let text = "{\"step\": 1, \"loss\": 3}\n{\"step\": 2, \"loss\": }\n{oops\n{\"step\": 3.5, \"loss\": 2}\n{\"step\": 4, \"loss\": 2.5}\n"
        let log = try jsonl(text, options: LogReadOptions(skipsBadLines: true))
        #expect(log.loss.steps == [1, 4])
        #expect(log.notes == [.skippedBadLines(file: "run.jsonl", count: 3, firstLine: 2,
                                               firstProblem: "run.jsonl:2:21: malformed JSON: expected a value, found '}'; fix that line, or skip such lines")])
        #expect(log.notes[0].description.hasPrefix("run.jsonl: skipped 3 bad lines (first at line 2: run.jsonl:2:21: malformed JSON"))
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = "{\"step\": 1, \"loss\": 2, \"x\": " + String(repeating: "[", count: 100_000) + "\n"
        #expect(jsonlError(deep) == .malformedJSON(file: "run.jsonl", line: 1, column: 92, problem: "values nested deeper than 64 levels", isOneLine: true))
        let deepObjects = "{\"step\": 1, \"a\": " + String(repeating: "{\"a\": ", count: 100) + "1" + String(repeating: "}", count: 101) + "\n"
        #expect(jsonlError(deepObjects)?.description.contains("objects nested deeper than 64 levels") == true)
    }

    // MARK: trainer_state.json

    private func trainerState(_ text: String) throws(LogReadError) -> TrainingLog {
        try TrainingLogReader.parse(Array(text.utf8), source: "out/trainer_state.json")[0]
    }

    @Test func trainerStateErrors() {
        #expect(throws: LogReadError.missingLogHistory(file: "out/trainer_state.json")) { try trainerState("{\n  \"global_step\": 10\n}\n") }
        #expect(LogReadError.missingLogHistory(file: "t.json").description
                == "t.json: no \"log_history\" list; a Hugging Face trainer_state.json keeps the logged values there")
        let cut = "{\n  \"log_history\": [\n    {\n      \"loss\": 3.1,\n      \"step\": 5\n    },\n    {\n      \"loss\": 2."
        let expected = LogReadError.malformedJSON(file: "out/trainer_state.json", line: 8, column: 17,
                                                  problem: "expected a digit after the decimal point before the end", isOneLine: false)
        #expect(throws: expected) { try trainerState(cut) }
        #expect(expected.description
                == "out/trainer_state.json:8:17: malformed JSON: expected a digit after the decimal point before the end; the file may be cut off or damaged")
        #expect(throws: LogReadError.stepNotWholeNumber(file: "out/trainer_state.json", line: 3, column: "step", text: "2.5")) {
            try trainerState("{\n  \"log_history\": [\n    {\"loss\": 3.1, \"step\": 2.5}\n  ]\n}\n")
        }
    }

    @Test func trainerStateIsNamedAfterItsRunDirectory() throws {
        let text = "{\n  \"log_history\": [\n    {\"loss\": 3.1, \"learning_rate\": 1e-4, \"step\": 5}\n  ]\n}\n"
        #expect(try trainerState(text).name == "out")
        #expect(try TrainingLogReader.parse(Array(text.utf8), source: "runs/gpt/checkpoint-500/trainer_state.json")[0].name == "gpt")
        #expect(try TrainingLogReader.parse(Array(text.utf8), source: "state.json", options: LogReadOptions(format: .trainerState))[0].name == "state")
    }
}
