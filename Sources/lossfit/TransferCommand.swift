import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws

/// `lossfit transfer`: move a tuned learning rate to another batch size.
struct Transfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move a learning rate tuned at one batch size to another, by a fixed rule or one fitted to a sweep.",
        discussion: """
            Rules: sqrt (lr ∝ √B, the Adam default) and linear (lr ∝ B, the SGD default), both below the noise scale \
            (Granziol et al. 2020, arXiv 2006.09092); constant; mccandlish (McCandlish et al. 2018, arXiv 1812.06162) and \
            surge (Li et al. 2024, arXiv 2405.14578), which need a law with B_noise fitted by lossfit sweep transfer -o.
            With --law the rule defaults to the law's (the one with the lowest held-out excess loss) and B_noise comes from \
            the law's group nearest to --params and --tokens (the median group without them).
            Examples:
              lossfit transfer --lr 3e-4 --batch 256 --to-batch 1024
              lossfit sweep transfer ../shared/data/steplaw/dense_sweep.csv -o transfer.json
              lossfit transfer --lr 3e-3 --batch 1M --to-batch 4M --law transfer.json --params 400M --tokens 20B
            """)

    @Option(name: .customLong("lr"), help: ArgumentHelp("The peak learning rate tuned at --batch.", valueName: "LR"))
    var learningRate: Double

    @Option(name: .customLong("batch"), help: ArgumentHelp("The batch size it was tuned at: tokens, or sequences with --seq-len (suffixes k, M, B).", valueName: "B"))
    var batchSize: String

    @Option(name: .customLong("to-batch"), help: ArgumentHelp("The new batch size, in the unit of --batch.", valueName: "B2"))
    var targetBatchSize: String

    @Option(help: "adam or sgd: picks sqrt or linear when neither --rule nor --law is given.")
    var optimizer = "adam"

    @Option(help: "sqrt, linear, constant, mccandlish or surge (the last two need --law).")
    var rule: String?

    @Option(name: .customLong("law"), help: ArgumentHelp("A transfer law written by lossfit sweep transfer -o.", valueName: "LAW.json"))
    var lawPath: String?

    @Option(name: .customLong("params"), help: ArgumentHelp("Your model size, to take B_noise from the law's nearest group.", valueName: "N"))
    var parameters: ScaledNumber?

    @Option(name: .customLong("tokens"), help: ArgumentHelp("Your training tokens, to take B_noise from the law's nearest group.", valueName: "D"))
    var tokens: ScaledNumber?

    @Option(name: .customLong("seq-len"), help: ArgumentHelp("Tokens per sequence when --batch and --to-batch count sequences (a law's B_noise is in tokens).", valueName: "L"))
    var sequenceLength: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        guard learningRate > 0 && learningRate.isFinite else { throw CommandError("--lr \(learningRate): the learning rate must be finite and positive") }
        let tokensPerUnit: Double
        if let sequenceLength {
            guard sequenceLength >= 1 else { throw CommandError("--seq-len must be at least 1, got \(sequenceLength)") }
            tokensPerUnit = Double(sequenceLength)
        } else {
            tokensPerUnit = 1
        }
        let request = BatchSizeTransferRequest(
            learningRate: learningRate, batchSizeTokens: try Self.batch(batchSize, flag: "--batch") * tokensPerUnit,
            targetBatchSizeTokens: try Self.batch(targetBatchSize, flag: "--to-batch") * tokensPerUnit,
            optimizer: try TransferOptimizer(named: optimizer), rule: try rule.map(BatchSizeTransferRule.init(named:)),
            parameters: parameters?.value, tokens: tokens?.value)
        let law = try lawPath.map { try LawFile.read(BatchSizeTransferLaw.self, from: $0) }
        let result = try request.transfer(law: law)
        if json {
            print(try JSONCoding.string(result))
            return
        }
        let unit = sequenceLength.map { " (sequences of \($0) tokens)" } ?? ""
        var lines = ["learning rate at batch \(targetBatchSize)\(unit): \(NumberFormat.significant(result.targetLearningRate, digits: 4))",
                     "from \(NumberFormat.significant(learningRate, digits: 4)) at batch \(batchSize), ×\(NumberFormat.significant(result.targetLearningRate / learningRate, digits: 4))",
                     "rule: \(result.rule.rawValue) (\(result.reason))"]
        if let noiseScale = result.noiseScaleTokens, let group = result.group {
            lines.append("B_noise ≈ \(SweepGroup.compact(noiseScale)) tokens (group \(group) of the law)")
        }
        lines.append("valid: \(result.validity)" + (ErrorHints.noiseScaleHint(for: result).map { " (\($0))" } ?? ""))
        lines += result.notes.map { "note: " + $0 }
        print(lines.joined(separator: "\n"))
    }

    /// A batch size: a positive number, optionally with a suffix k, M, B (or G), T.
    static func batch(_ text: String, flag: String) throws -> Double {
        guard let number = ScaledNumber(argument: text) else {
            throw CommandError("\(flag) \(InputExcerpt.quoted(text)): a batch size must be a finite positive number (suffixes k, M, B, T allowed)")
        }
        return number.value
    }
}
