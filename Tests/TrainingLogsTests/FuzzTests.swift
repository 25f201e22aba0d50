import Foundation
import Testing
import TestSupport
@testable import TrainingLogs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded mutation fuzzer over every reader: inputs grown from the fixtures by bit flips, byte
/// and token insertion, deletion, duplication, truncation and splicing (for event files also
/// inside records whose framing and CRCs are then made valid again, so the protobuf decoder sees
/// them). Each input is read in memory, and every 16th through a file in tiny chunks and with the
/// survey `inspect` makes. No input may crash or give a curve that breaks the `TrainingLog`
/// invariants, and every refusal is a one-line message naming the file. (Speed and memory are
/// measured by `lossfit bench`, not here.)
///
/// A short run is part of the suite. A long one, per reader:
///
///     LOSSFIT_FUZZ_SECONDS=600 LOSSFIT_FUZZ_TARGET=jsonl swift test -c release --filter FuzzTests
///
/// prints executions and findings; a crash leaves its input in /tmp/lossfit-fuzz-crash-<target>.bin.
/// With LOSSFIT_FUZZ_TARGET set, only that target runs and `theTargetFilterSaysWhatItSkips` names
/// the others.
@Suite(.serialized) struct FuzzTests {
    enum Target: String, CaseIterable, Sendable {
        case delimited, jsonl, trainerState, tensorboard, textLogs

        var seedFiles: [String] {
            switch self {
            case .delimited: return ["wandb/history.csv", "wandb/panel.csv", "same_curve/csv/curve.csv"]
            case .jsonl: return ["jsonl/metrics.jsonl"]
            case .trainerState: return ["huggingface/run/checkpoint-200/trainer_state.json"]
            case .tensorboard: return ["tensorboard/tb_writer/events.out.tfevents.1700000200.fixture",
                                       "tensorboard/tensors/events.out.tfevents.1700000300.fixture",
                                       "tensorboard/resumed/events.out.tfevents.1700000400.fixture"]
            case .textLogs: return ["text/nanogpt.log", "text/megatron.log"]
            }
        }

        /// The formats an input is read as; delimited and text inputs are also recognised by content.
        var formats: [LogFormat?] {
            switch self {
            case .delimited: return [.csv, .wandbPanel, nil]
            case .jsonl: return [.jsonl, nil]
            case .trainerState: return [.trainerState]
            case .tensorboard: return [.tensorboard]
            case .textLogs: return [.nanoGPT, .megatron, nil]
            }
        }
    }

    static let seconds = Double(ProcessInfo.processInfo.environment["LOSSFIT_FUZZ_SECONDS"] ?? "") ?? 0
    static let onlyTarget = ProcessInfo.processInfo.environment["LOSSFIT_FUZZ_TARGET"]
    /// The targets that run: all, or the one LOSSFIT_FUZZ_TARGET names.
    static let selectedTargets = Target.allCases.filter { target in onlyTarget.map { $0 == target.rawValue } ?? true }

    @Test(.enabled(if: onlyTarget != nil, "LOSSFIT_FUZZ_TARGET is not set: every target runs"))
    func theTargetFilterSaysWhatItSkips() {
        let names = Target.allCases.map(\.rawValue)
        #expect(!Self.selectedTargets.isEmpty, "LOSSFIT_FUZZ_TARGET=\(Self.onlyTarget ?? "") names no target; use one of \(names.joined(separator: ", "))")
        let skipped = Target.allCases.filter { !Self.selectedTargets.contains($0) }.map(\.rawValue)
        print("FuzzTests: LOSSFIT_FUZZ_TARGET=\(Self.onlyTarget ?? ""): skipped \(skipped.joined(separator: ", "))")
    }

    @Test(arguments: selectedTargets)
    func mutatedInputsNeverCrashOrBreakInvariants(target: Target) throws {
        let seeds = try target.seedFiles.map(Fixtures.bytes)
        var fuzzer = Fuzzer(target: target, seeds: seeds, seed: 0xF022 + UInt64(Target.allCases.firstIndex(of: target) ?? 0))
        let report = try fuzzer.run(executions: Self.seconds > 0 ? .max : 600, seconds: Self.seconds)
        if Self.seconds > 0 { print(report.summary) }
        #expect(report.executions > 0)
        #expect(report.invariantViolations.isEmpty, "\(report.invariantViolations.prefix(3))")
    }
}

/// What a fuzzing run found.
struct FuzzReport {
    var target: FuzzTests.Target
    var executions = 0
    var seconds = 0.0
    var accepted = 0
    var distinctOutcomes = 0
    var invariantViolations: [String] = []

    var summary: String {
        "fuzz \(target.rawValue): \(executions) executions in \(Int(seconds)) s, \(accepted) read as logs, \(distinctOutcomes) distinct outcomes, "
            + "\(invariantViolations.count) invariant violations, 0 crashes"
    }
}

/// The input being read, kept where a signal handler can write it out if reading crashes.
nonisolated(unsafe) private var crashInput = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 24, alignment: 8)
nonisolated(unsafe) private var crashInputCount = 0
nonisolated(unsafe) private var crashPath = [CChar](repeating: 0, count: 256)

private func installCrashHandlers(target: String) {
    let path = Array("/tmp/lossfit-fuzz-crash-\(target).bin".utf8CString)
    for (index, byte) in path.prefix(255).enumerated() { crashPath[index] = byte }
    for signalNumber in [SIGILL, SIGSEGV, SIGBUS, SIGTRAP, SIGABRT, SIGFPE] {
        signal(signalNumber) { received in
            let descriptor = open(&crashPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if descriptor >= 0 {
                _ = write(descriptor, crashInput.baseAddress, crashInputCount)
                close(descriptor)
            }
            signal(received, SIG_DFL)
            raise(received)
        }
    }
}

struct Fuzzer {
    let target: FuzzTests.Target
    var corpus: [[UInt8]]
    var generator: SeededGenerator
    var outcomes: Set<String> = []
    let directory: URL

    init(target: FuzzTests.Target, seeds: [[UInt8]], seed: UInt64) {
        self.target = target
        corpus = seeds
        generator = SeededGenerator(seed: seed)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-fuzz-\(target.rawValue)-\(UUID().uuidString)")
    }

    static let tokens: [[UInt8]] = [
        "NaN", "Infinity", "-Infinity", "nan", "inf", "1e309", "-1", "0", "1e-320", "18446744073709551616", "\"", "\"\"", "\\u00e9",
        "\\ud800", "\r\n", "\n", "\r", ",", ";", "\t", "{", "}", "[", "]", ":", "null", "true", "|", " - ", "__MIN", "Step",
        "iter 7: loss ", "step 9: val loss ", "iteration 5/ 10 |", " lm loss: ", " learning rate: ", "validation loss at iteration 4 |",
        "{\"step\": 3, \"loss\": 2}", "\"log_history\": [", "\"train_runtime\": 1", "step,lr,loss\n", "\u{FEFF}", "\u{00}",
    ].map { Array($0.utf8) }

    mutating func run(executions: Int, seconds: Double) throws -> FuzzReport {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        installCrashHandlers(target: target.rawValue)
        var report = FuzzReport(target: target)
        let clock = ContinuousClock()
        let start = clock.now
        while report.executions < executions {
            if seconds > 0 && report.executions % 64 == 0 && (clock.now - start) > .seconds(seconds) { break }
            let input = mutate()
            let format = target.formats[Int.random(in: 0..<target.formats.count, using: &generator)]
            let viaFile = report.executions % 16 == 0
            let outcome = try execute(input, format: format, viaFile: viaFile, report: &report)
            report.executions += 1
            // The signatures are bounded too, so that a long run measures the readers' memory, not the fuzzer's.
            if outcomes.count < 100_000 && outcomes.insert(outcome).inserted && corpus.count < 2000 && input.count < 1 << 20 { corpus.append(input) }
        }
        let elapsed = clock.now - start
        report.seconds = Double(elapsed.components.seconds)
        report.distinctOutcomes = outcomes.count
        return report
    }

    /// Reads `input` and returns a short signature of what happened, for corpus diversity.
    private mutating func execute(_ input: [UInt8], format: LogFormat?, viaFile: Bool, report: inout FuzzReport) throws -> String {
        crashInputCount = min(input.count, crashInput.count)
        input.withUnsafeBytes { crashInput.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(crashInputCount))) }
        let source = target == .tensorboard ? "run/events.out.tfevents.1" : "run/input"
        let result: Result<LogReading, LogReadError>
        if viaFile {
            let url = directory.appendingPathComponent(target == .tensorboard ? "events.out.tfevents.1" : "input")
            try Data(input).write(to: url)
            let chunkSize = Int.random(in: 1...64, using: &generator)
            let detected = format ?? FormatDetection.format(ofPrefix: input, fileName: url.lastPathComponent) ?? .csv
            result = Result { () throws(LogReadError) in
                try TrainingLogReader.read(.file(path: url.path, chunkSize: chunkSize), format: detected, source: source,
                                           options: LogReadOptions(skipsBadLines: Bool.random(using: &generator)), surveys: true)
            }
        } else {
            result = Result { () throws(LogReadError) in
                let logs = try TrainingLogReader.parse(input, source: source, options: LogReadOptions(format: format, skipsBadLines: Bool.random(using: &generator)))
                return LogReading(format: format ?? .csv, series: [], logs: .success(logs))
            }
        }
        switch result {
        case .failure(let error):
            if error.description.contains("\n") { report.invariantViolations.append("multi-line message: \(error)") }
            // Both the label and a file's path end in the file's name.
            let fileName = String(source.split(separator: "/").last ?? "")
            if !error.description.contains(fileName) { report.invariantViolations.append("message without the file: \(error)") }
            return "error " + String(error.description.split(separator: ":").last ?? "").prefix(40)
        case .success(let reading):
            guard case .success(let logs) = reading.logs else { return "survey only" }
            report.accepted += 1
            for log in logs { check(log, inputSize: input.count, report: &report) }
            return "logs \(logs.count) notes \(logs.flatMap(\.notes).map { "\($0)".prefix(12) }) skipped \(logs.flatMap(\.skipped).map(\.reason))"
        }
    }

    private func check(_ log: TrainingLog, inputSize: Int, report: inout FuzzReport) {
        for (name, series) in [("loss", log.loss), ("learning rate", log.learningRate ?? LogSeries(steps: [], values: []))] {
            guard series.steps.count == series.values.count, series.count <= inputSize,
                  zip(series.steps, series.steps.dropFirst()).allSatisfy({ $0 < $1 }), series.steps.allSatisfy({ $0 >= 0 }),
                  series.values.allSatisfy(\.isFinite) else {
                report.invariantViolations.append("\(log.source): \(name) series breaks the invariants")
                return
            }
        }
        if log.loss.isEmpty { report.invariantViolations.append("\(log.source): a log with no loss point") }
    }

    private mutating func mutate() -> [UInt8] {
        var input = corpus[Int.random(in: 0..<corpus.count, using: &generator)]
        if target == .tensorboard && Bool.random(using: &generator) {
            return mutateRecords(input)
        }
        for _ in 0..<Int.random(in: 1...4, using: &generator) { mutateBytes(&input) }
        return input
    }

    private mutating func mutateBytes(_ input: inout [UInt8]) {
        let position = input.isEmpty ? 0 : Int.random(in: 0..<input.count, using: &generator)
        switch Int.random(in: 0..<8, using: &generator) {
        case 0 where !input.isEmpty:
            input[position] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
        case 1 where !input.isEmpty:
            input[position] = UInt8.random(in: 0...255, using: &generator)
        case 2:
            input.insert(contentsOf: Self.tokens[Int.random(in: 0..<Self.tokens.count, using: &generator)], at: position)
        case 3 where !input.isEmpty:
            let length = Int.random(in: 1...min(64, input.count - position), using: &generator)
            input.removeSubrange(position..<(position + length))
        case 4 where !input.isEmpty:
            let length = Int.random(in: 1...min(256, input.count - position), using: &generator)
            let copy = Array(input[position..<(position + length)])
            input.insert(contentsOf: copy, at: Int.random(in: 0...input.count, using: &generator))
        case 5:
            input.removeSubrange(Int.random(in: 0...input.count, using: &generator)...)
        case 6:
            let other = corpus[Int.random(in: 0..<corpus.count, using: &generator)]
            let cut = Int.random(in: 0...other.count, using: &generator)
            input = Array(input.prefix(position)) + other[cut...]
        default:
            if !input.isEmpty {
                // Digits changed in place keep numbers numbers but move them to the edges.
                input[position] = [UInt8(ascii: "0"), UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "e")][Int.random(in: 0..<5, using: &generator)]
            }
        }
    }

    /// Mutates the payload of one record and frames everything again with valid CRCs.
    private mutating func mutateRecords(_ input: [UInt8]) -> [UInt8] {
        var records: [[UInt8]] = []
        var position = 0
        while position + 12 <= input.count {
            var length = 0
            for index in (0..<8).reversed() { length = length << 8 | Int(input[position + index]) }
            guard length >= 0, length <= input.count - position - 16 else { break }
            records.append(Array(input[(position + 12)..<(position + 12 + length)]))
            position += 16 + length
        }
        guard !records.isEmpty else { return input }
        let index = Int.random(in: 0..<records.count, using: &generator)
        for _ in 0..<Int.random(in: 1...3, using: &generator) { mutateBytes(&records[index]) }
        return records.flatMap(Self.framed)
    }

    /// A TFRecord around `payload` with valid CRCs.
    static func framed(_ payload: [UInt8]) -> [UInt8] {
        let header = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * UInt64($0))) }
        func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) } }
        return header + littleEndian(CRC32C.masked(CRC32C.checksum(header))) + payload + littleEndian(CRC32C.masked(CRC32C.checksum(payload)))
    }
}
