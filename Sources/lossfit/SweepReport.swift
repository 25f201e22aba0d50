import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import TrainingLogs

/// The tables `sweep fit` and `sweep evaluate` print.
enum SweepReport {
    static func percent(_ value: Double, decimals: Int = 2) -> String {
        value.isFinite ? String(format: "%+.\(decimals)f %%", value * 100) : "n/a"
    }

    static func readSummary(_ table: SweepTable, sweep: HyperparameterLaws.Sweep) -> String {
        var batch = "batch in \(table.batchSizeUnit.rawValue)"
        switch table.sequenceLengthOrigin {
        case .given: batch += " of \(table.sequenceLength.map(String.init) ?? "?") tokens (--seq-len)"
        case .column(let name): batch += " × column \"\(name)\""
        case .inferred(let steps): batch += " of \(table.sequenceLength.map(String.init) ?? "?") tokens, inferred as D / (\(steps) × batch)"
        case .notNeeded: break
        }
        let loss = table.roleColumns[.loss].map { "loss from \"\($0)\"" } ?? ""
        return "Read \(table.rows.count) runs in \(sweep.groups.count) (N, D) groups from \(table.source) (\(batch); \(loss))."
    }

    static func laws(_ law: SweepLaw) -> String {
        var table = TextTable(headers: ["law", "coefficient", "value", "95 % interval", "groups' scatter"])
        for fitted in [law.learningRate, law.batchSize] {
            let names = ["ln c0"] + fitted.law.formula.terms.map { "exponent of \($0)" }
            for (index, name) in names.enumerated() {
                let interval = fitted.coefficientIntervals[index]
                table.append([index == 0 ? fitted.law.equation + (fitted.law.formula.target == .batchSize ? " tokens" : "") : "",
                              name, NumberFormat.fixed(fitted.law.coefficients[index], decimals: 3),
                              "[\(NumberFormat.fixed(interval.lower, decimals: 3)), \(NumberFormat.fixed(interval.upper, decimals: 3))]",
                              index == 0 ? "±" + NumberFormat.fixed(fitted.residualError * 100, decimals: 1) + " %" : ""])
            }
        }
        return table.render()
    }

    static func groups(_ law: SweepLaw) -> String {
        var table = TextTable(headers: ["group", "runs", "best loss", "optimum lr", "batch (tokens)", "located by", "runs used", "held-out err", "law lr", "law batch"])
        for fit in law.groups {
            let optimum = fit.optimum
            table.append([fit.group.label, "\(fit.group.runs.count)", NumberFormat.fixed(fit.group.bestLoss, decimals: 4),
                          NumberFormat.significant(optimum.learningRate, digits: 3), NumberFormat.significant(optimum.batchSizeTokens, digits: 3),
                          optimum.method.rawValue, "\(optimum.usedRuns.count)",
                          optimum.heldOutError.map { NumberFormat.fixed($0 * 100, decimals: 2) + " %" } ?? "–",
                          NumberFormat.significant(fit.lawLearningRate, digits: 3), NumberFormat.significant(fit.lawBatchSizeTokens, digits: 3)])
        }
        var text = table.render()
        for fit in law.groups {
            if let note = fit.optimum.note { text += "\n\(fit.group.label): \(note)" }
        }
        return text
    }

    static func evaluation(_ evaluation: SweepEvaluation) -> String {
        var lines = ["Leave-one-group-out over \(evaluation.groups.count) groups: excess = held-out group's loss at the recommendation / its best run − 1",
                     "lossfit and Step Law's method (every run within 0.25 % of the best, regressed) are fitted on the other groups; steplaw, deepseek and power-scheduler are the published formulas",
                     "(off-grid losses from a local quadratic smoother of the group's grid; † outside the grid, scored at its edge; ‡ nearest run diverged)", ""]
        var table = TextTable(headers: ["group", "runs", "best loss", "smoother err"] + evaluation.methods)
        for group in evaluation.groups {
            let scores = group.scores.map { score -> String in
                guard let score else { return "n/a" }
                return percent(score.excess) + (score.isOutsideGrid ? "†" : "") + (score.isNearDivergence ? "‡" : "")
            }
            table.append([group.label, "\(group.runs)", NumberFormat.fixed(group.bestLoss, decimals: 4),
                          NumberFormat.fixed(group.surfaceError * 100, decimals: 2) + " %"] + scores)
        }
        table.append(["mean (\(evaluation.pairedGroups) groups)", "", "", ""] + evaluation.summaries.map { percent($0.meanExcess, decimals: 3) })
        table.append(["median", "", "", ""] + evaluation.summaries.map { percent($0.medianExcess, decimals: 3) })
        table.append(["max", "", "", ""] + evaluation.summaries.map { percent($0.maximumExcess, decimals: 3) })
        table.append(["minus lossfit (± s.e.)", "", "", ""] + evaluation.summaries.enumerated().map { index, summary in
            index == 0 ? "" : percent(summary.meanDifferenceFromFirst, decimals: 3) + " ± " + NumberFormat.fixed(summary.differenceStandardError * 100, decimals: 3)
        })
        lines.append(table.render())
        let surfaceErrors = evaluation.groups.map(\.surfaceError)
        lines.append("")
        lines.append("smoother's own leave-one-run-out error near the best: mean \(NumberFormat.fixed(surfaceErrors.reduce(0, +) / Double(surfaceErrors.count) * 100, decimals: 2)) %, max \(NumberFormat.fixed((surfaceErrors.max() ?? .nan) * 100, decimals: 2)) %; the power scheduler is scored at lossfit's batch size")
        return lines.joined(separator: "\n")
    }

    static func validation(_ validation: SurrogateValidation) -> String {
        var table = TextTable(headers: ["surrogate of ln loss (within each group)", "held-out RMS", "median group", "predictions"])
        for alternative in validation.alternatives {
            table.append([alternative.name + (alternative.isDefault ? " (used)" : ""),
                          NumberFormat.fixed(alternative.heldOutError * 100, decimals: 3) + " %",
                          NumberFormat.fixed(alternative.medianGroupError * 100, decimals: 3) + " %", "\(alternative.predictions)"])
        }
        return "Surrogate validation: each run the default surrogate uses, left out and predicted by each alternative\n" + table.render()
    }
}
