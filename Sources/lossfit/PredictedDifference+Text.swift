import LossFitReports
import LossFitWorkflows
import ScalingLaws

extension PredictedDifference {
    /// The difference with its calibrated 95 % interval for a table cell: `+0.012 ± 0.004`, or
    /// `+0.012 (0.006 to 0.019)` when the interval is not symmetric (bootstrap).
    var cellText: String {
        NumberFormat.difference(difference, interval95: interval95, digits: 3)
    }
}

/// The words predict, compare, plan and optimize print about bands and verdicts.
enum BandText {
    /// What a fit's 95 % band includes, e.g. `parameter noise (delta method), the committee's spread
    /// and the law's error (0.25 % of the loss, calibrated on held-out real runs)`.
    static func contents(_ fit: FitResult) -> String {
        var parts = [fit.bootstrap.map { "parameter noise (\($0.replicates.count) bootstrap replicates)" } ?? "parameter noise (delta method)"]
        if fit.committee != nil { parts.append("the committee's spread") }
        parts.append("the law's error (\(NumberFormat.significant(100 * fit.lawErrorModel.relativeError, digits: 2)) % of the loss, calibrated on held-out real runs)")
        return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }

    /// The legend of a `settled?` column.
    static func settledLegend(_ fit: FitResult) -> String {
        var text = "vs best ± = the 95 % interval of the difference (\(fit.committee != nil ? "parameter noise, the members' spread of the difference" : "parameter noise") and the law's error, \(NumberFormat.significant(100 * fit.lawErrorModel.relativeDifferenceError, digits: 2)) % of the loss); settled? = it excludes 0"
        if let check = fit.rankingCheck { text += " and the ranking check (\(check.label), fitted to the same curves) orders them the same way" }
        return text + ". Each pair is judged alone (--json lists every pair)."
    }

    /// The sentences on unsettled top options and the run that would settle them; empty when the best is settled.
    static func branchAdvice(_ verdicts: RankingVerdicts, names: [String]) -> [String] {
        guard let branch = verdicts.branch else { return [] }
        let ranks = verdicts.contenders.map { "\($0 + 1)" }
        var lines = ["not settled: rank\(ranks.count == 1 ? "" : "s") \(ranks.joined(separator: ", ")) could each be best; the data do not order them."]
        let from = branch.fromStep == 0 ? "from the start" : "from the checkpoint at step \(branch.fromStep)"
        lines.append("to settle them, run rank \(branch.rank + 1) (\(names[branch.rank])) \(from) to step \(branch.toStep): its prediction is the least certain (95 % band \(NumberFormat.significant(branch.bandWidth, digits: 2)) wide); refit with it.")
        return lines
    }
}
