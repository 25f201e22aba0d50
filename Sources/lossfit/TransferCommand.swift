import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import ScalingLaws

/// `lossfit sweep transfer`: how the best learning rate moves with the batch size in a sweep,
/// which transfer rule predicts it best, and a law for `lossfit transfer`.
struct SweepTransfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Score learning-rate transfer rules between batch sizes (sqrt, linear, constant, mccandlish, surge) by leaving one batch size out; write LAW.json for lossfit transfer.",
        discussion: """
            Per (N, D) group and batch size, the best learning rate is the minimum of a quadratic in ln lr fitted to ln loss \
            of the runs within 2 % of that batch size's best. Per group, mccandlish (McCandlish et al. 2018, arXiv 1812.06162: \
            lr = lr_max/(1 + B_noise/B)) and surge (Li et al. 2024, arXiv 2405.14578: lr = lr_max/(½(√(B_noise/B) + √(B/B_noise)))) \
            are fitted to those best learning rates. Each batch size is then held out in turn and predicted from the nearest \
            remaining one (both when equally near) by every rule, the fitted rules refitted without it. Excess = the held-out \
            batch size's loss at the prediction (interpolated between its runs) over its best run, minus 1. The rule with the \
            lowest mean excess is the default lossfit transfer --law uses.
            """)

    @OptionGroup var file: SweepFileOptions

    @Flag(help: "Print {\"rules\": [{name, meanExcessPercent, meanLog2Error}], \"default\": NAME} instead of tables.")
    var json = false

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the transfer law (per group B_noise and lr_max of each fitted rule, the scores, the default) here.", valueName: "LAW.json"))
    var output: String?

    @Argument(help: ArgumentHelp("The sweep (CSV, TSV or JSONL).", valueName: "SWEEP"))
    var path: String

    /// The `--json` output: exactly the rules' two means and the default.
    struct Summary: Encodable {
        struct Rule: Encodable {
            var name: String
            var meanExcessPercent: Double
            var meanLog2Error: Double
        }

        var rules: [Rule]
        var `default`: String
    }

    func run() throws {
        let (sweep, table) = try file.load(path)
        let evaluation = try LeaveOneBatchSizeOut().evaluate(sweep)
        let law = evaluation.law
        for skipped in law.skippedGroups {
            printNote("\(sweep.source): left out group \(skipped); comparing rules needs \(LeaveOneBatchSizeOut.batchSizesNeeded) batch sizes with \(LeaveOneBatchSizeOut.learningRatesNeeded) or more learning rates each")
        }
        if let output {
            try LawFile.write(law, to: output)
        }
        if json {
            print(try JSONOutput.string(Summary(rules: law.scores.map { .init(name: $0.name, meanExcessPercent: $0.meanExcessPercent, meanLog2Error: $0.meanLog2Error) },
                                                default: law.defaultRule.rawValue)))
            return
        }
        print(SweepReport.readSummary(table, sweep: sweep))
        print("")
        print(Self.groupTable(law))
        print("")
        print(Self.ruleTable(law, predictions: evaluation.heldOut.count))
        if let output { print("wrote \(output)") }
    }

    static func groupTable(_ law: BatchSizeTransferLaw) -> String {
        var table = TextTable(headers: ["group", "batch sizes (tokens)", "best lr at smallest → largest", "mccandlish B_noise", "lr_max", "rms", "surge B_noise", "lr_max", "rms"])
        for group in law.groups {
            let first = group.profiles.first!, last = group.profiles.last!
            var row = [group.label, "\(group.profiles.count): \(SweepGroup.compact(first.batchSizeTokens))–\(SweepGroup.compact(last.batchSizeTokens))",
                       "\(NumberFormat.significant(first.bestLearningRate, digits: 3)) → \(NumberFormat.significant(last.bestLearningRate, digits: 3))"]
            for fit in group.fits {
                row += [SweepGroup.compact(fit.noiseScaleTokens) + (fit.isAtBound ? " (bound)" : ""),
                        NumberFormat.significant(fit.maxLearningRate, digits: 3), NumberFormat.fixed(fit.residualError * 100, decimals: 1) + " %"]
            }
            table.append(row)
        }
        return "Best learning rate per batch size, and the noise-scale rules fitted to them (rms: of ln lr residuals)\n" + table.render()
    }

    static func ruleTable(_ law: BatchSizeTransferLaw, predictions: Int) -> String {
        var table = TextTable(headers: ["rule", "mean excess loss", "minus sqrt (± s.e.)", "max excess", "mean |log2 error|", "outside grid"])
        for score in law.scores {
            table.append([score.name + (score.name == law.defaultRule.rawValue ? " (default)" : ""),
                          NumberFormat.fixed(score.meanExcessPercent, decimals: 3) + " %",
                          score.name == BatchSizeTransferRule.sqrt.rawValue ? "" : String(format: "%+.3f ± %.3f %%", score.meanDifferenceFromSqrtPercent, score.differenceStandardErrorPercent),
                          NumberFormat.fixed(score.maximumExcessPercent, decimals: 2) + " %",
                          NumberFormat.fixed(score.meanLog2Error, decimals: 3), "\(score.outsideGrid)"])
        }
        return "Leave one batch size out (\(predictions) held-out batch sizes in \(law.groups.count) groups): predicted from the nearest remaining batch size's best lr\n"
            + table.render()
    }
}

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
        let law = try lawPath.map { try LawFile.read(BatchSizeTransferLaw.self, from: $0, writtenBy: "lossfit sweep transfer") }
        let result = try request.transfer(law: law)
        if json {
            print(try JSONOutput.string(result))
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
            throw CommandError("\(flag) \(text): a batch size must be a finite positive number (suffixes k, M, B, T allowed)")
        }
        return number.value
    }
}
