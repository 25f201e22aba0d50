import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
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

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the transfer law (per group B_noise and lr_max of each fitted rule, the scores, the default) here (- for standard output).", valueName: "LAW.json"))
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
        // With -o -, standard output holds the written file alone and the results go to standard error.
        let print = ResultPrinter(outputs: output)
        let loaded = try file.load(path)
        let (sweep, table) = (loaded.sweep, loaded.table)
        let evaluation = try LeaveOneBatchSizeOut().evaluate(sweep)
        let law = evaluation.law
        for skipped in law.skippedGroups {
            printNote("\(sweep.source): left out group \(skipped); comparing rules needs \(LeaveOneBatchSizeOut.batchSizesNeeded) batch sizes with \(LeaveOneBatchSizeOut.learningRatesNeeded) or more learning rates each")
        }
        if let output {
            try LawFile.write(law, to: output)
        }
        if json {
            print(try JSONCoding.string(Summary(rules: law.scores.map { .init(name: $0.name, meanExcessPercent: $0.meanExcessPercent, meanLog2Error: $0.meanLog2Error) },
                                                default: law.defaultRule.rawValue)))
            return
        }
        print(SweepReport.readSummary(table, sweep: sweep))
        print("")
        print(Self.groupTable(law))
        print("")
        print(Self.ruleTable(law, predictions: evaluation.heldOut.count))
        if let output { print("wrote \(OutputFile.displayName(output))") }
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
