import LossFitReports
import LossFitWorkflows
import ScalingLaws

extension DefaultsEvidence {
    /// The settings against the deciding families, the families that decide nothing apart, each
    /// family's protocol and the families skipped; as terminal tables or Markdown.
    func text(markdown: Bool) -> String {
        let deciding = families.filter { $0.decides && $0.skipped == nil }
        let apart = families.filter { !$0.decides && $0.skipped == nil }
        var lines = ["Mean held-out PredE / Spearman ρ of the final losses / worst final-loss error. Each family is fitted once",
                     "with the default committee; its members alone and their averages are read from that fit."]
        if !deciding.isEmpty {
            let headers = ["setting"] + deciding.map { "\($0.name) (\($0.heldOut.count))" }
                + ["mean PredE (\(deciding.count))", "worst / best member"]
            let rows = zip(settings, summaries).map { setting, summary in
                [markdown && setting.key == "committee" ? "**\(setting.name)**" : setting.name]
                    + deciding.map { cell($0.score(setting.key)) }
                    + [summary.meanPredE.map(Self.predE) ?? "—",
                       summary.worstRatioToBestMember.map { "\(NumberFormat.fixed($0, decimals: 2)) (\(summary.worstFamily ?? ""))" } ?? "—"]
            }
            lines += ["", Self.table(headers: headers, rows: rows, markdown: markdown)]
        }
        let banded = families.filter { $0.band != nil }
        if !banded.isEmpty {
            lines += ["", "The default fit's 95 % predictive band (parameter noise, committee spread, law error b = \(LawErrorModel.calibrated.relativeError))",
                      "on the held-out runs, and its verdicts on pairs of held-out runs of the same length (interval with b_d = \(LawErrorModel.calibrated.relativeDifferenceError)):"]
            let headers = ["family", "finals inside", "points inside", "median ± at finals", "median abs. error", "± / error",
                           "pair differences inside", "settled", "settled wrong"]
            let rows = banded.compactMap { family -> [String]? in
                guard let band = family.band else { return nil }
                return [family.name + (family.decides ? "" : " (decides nothing)"),
                        "\(band.finalsInside)/\(band.finals) (\(Self.percent(band.finalCoverage)))", Self.percent(band.pointCoverage),
                        NumberFormat.fixed(100 * band.medianRelativeHalfWidth, decimals: 2) + " %",
                        NumberFormat.fixed(100 * band.medianRelativeFinalError, decimals: 2) + " %",
                        NumberFormat.fixed(band.widthRatio, decimals: 1) + "×",
                        band.pairs == 0 ? "—" : "\(band.pairsInside)/\(band.pairs) (\(Self.percent(Double(band.pairsInside) / Double(band.pairs))))",
                        "\(band.settledPairs)", "\(band.wrongSettledPairs)"]
            }
            lines += ["", Self.table(headers: headers, rows: rows, markdown: markdown)]
        }
        if !apart.isEmpty {
            let headers = ["decides nothing"] + settings.map(\.shortName)
            let rows = apart.map { family in ["\(family.name) (\(family.heldOut.count))"] + settings.map { cell(family.score($0.key)) } }
            lines += ["", Self.table(headers: headers, rows: rows, markdown: markdown)]
        }
        lines.append("")
        for family in families {
            if let missing = family.skipped {
                lines.append(Self.item("\(family.name): skipped, \(missing) is missing", markdown: markdown))
            } else {
                lines.append(Self.item("\(family.name): \(protocolDescription(family))", markdown: markdown))
            }
        }
        return lines.joined(separator: "\n")
    }

    private func cell(_ score: EvidenceScore?) -> String {
        guard let score else { return "—" }
        return [Self.predE(score.predE), score.spearmanFinal.map { NumberFormat.fixed($0, decimals: 3) } ?? "—",
                NumberFormat.fixed(100 * score.worstFinalE, decimals: 2) + " %"].joined(separator: " / ")
    }

    /// A PredE with five decimals, so that a column's values line up (real runs' PredE lies in 1e-4…1e-2).
    private static func predE(_ value: Double) -> String { NumberFormat.fixed(value, decimals: 5) }

    /// What was fitted in which window and what was predicted from which step.
    private func protocolDescription(_ family: FamilyEvidence) -> String {
        var window = "from the end of warmup"
        if let from = family.fitFromStep { window = "from step \(from)" }
        if let to = family.fitToStep { window += " to step \(to)" }
        let scored = family.scoreFromStep.map { "from step \($0)" } ?? "from the end of warmup"
        return "fit \(family.fitted.joined(separator: ", ")) \(window); predict \(family.heldOut.count) runs in \(family.directory) \(scored)"
    }

    private static func percent(_ share: Double) -> String { NumberFormat.fixed(100 * share, decimals: 0) + " %" }

    private static func item(_ text: String, markdown: Bool) -> String { markdown ? "- " + text : text }

    private static func table(headers: [String], rows: [[String]], markdown: Bool) -> String {
        guard markdown else {
            var table = TextTable(headers: headers)
            for row in rows { table.append(row) }
            return table.render()
        }
        let line = { (cells: [String]) in "| " + cells.joined(separator: " | ") + " |" }
        return ([line(headers), line(headers.map { _ in "---" })] + rows.map(line)).joined(separator: "\n")
    }
}
