import ScalingLaws

/// The terminal tables of each command.
public enum Tables {
    /// The summary `lossfit fit` prints: law, settings, parameters, per-curve fit, convergence, notes.
    public static func fitSummary(_ result: FitResult, seconds: Double) -> String {
        let stats = result.statistics
        var lines: [String] = []
        let points = result.curves.reduce(0) { $0 + $1.points }
        if let committee = result.committee {
            lines.append("Fitted a committee of \(committee.members.count) laws to \(result.curves.count) curve\(result.curves.count == 1 ? "" : "s") (\(points) points) in \(NumberFormat.duration(seconds)); it predicts the \(committee.combination.rawValue) of its members at each step.")
            var members = TextTable(headers: ["member", "parameters", "R²", "PredE"])
            for member in committee.members {
                let law = member.fit.law
                let values = zip(law.parameterNames, law.parameterValues).map { "\($0)=\(NumberFormat.significant($1, digits: 4))" }
                members.append([member.label, values.joined(separator: " "),
                                NumberFormat.rSquared(member.fit.statistics.metrics.r2),
                                NumberFormat.significant(member.fit.statistics.metrics.predE, digits: 3)])
            }
            lines.append(members.render())
            lines.append("Predictions carry a 95 % band of parameter noise, the members' spread and the law's calibrated error; an order of two schedules is settled only when its interval excludes 0.")
            lines.append("")
            lines.append("First member, \(committee.members[0].label):")
        } else {
            lines.append("Fitted the \(result.law) law to \(result.curves.count) curve\(result.curves.count == 1 ? "" : "s") (\(points) points) in \(NumberFormat.duration(seconds)).")
        }
        switch result.law {
        case .annealing:
            lines.append("L(s) = L0 + A·S1^(−alpha) − C·S2(lambda)")
        case .multiPower:
            lines.append("L(t) = L0 + A·(S1 + S_W)^(−alpha) − B·Σ_k (η_{k−1} − η_k)·(1 − (C·η_k^(−gamma)·S_k(t) + 1)^(−beta))")
        case .exponential(let law):
            lines.append("L(s) = a·e^(b·s/\(Int(law.stepScale))) + c   (the AutoLRS forecast, Jin et al. 2021: blind to the schedule)")
        }
        let settings = result.settings
        let prior = settings.lambdaPrior.map { " (prior 1−λ = \(NumberFormat.significant(1 - $0.center, digits: 3)) ± \($0.decades) decades)" } ?? ""
        let lambda = settings.lambda.map { "   lambda: \($0)\(prior)" } ?? ""
        if let exponential = settings.exponential {
            lines.append("window: the last \(NumberFormat.significant(100 * exponential.recentFraction, digits: 3)) % of each curve's points   objective: \(settings.objective)   grid over b: \(settings.starts) points")
        } else {
            lines.append("warmup: \(settings.warmup.rawValue)\(lambda)   objective: \(settings.objective)   starts: \(settings.starts)")
        }
        lines.append("")
        var parameters = TextTable(headers: ["parameter", "value", "std. error", "status"])
        for parameter in result.parameters {
            parameters.append([
                parameter.name,
                NumberFormat.significant(parameter.value, digits: 6),
                parameter.standardError.map { "±" + NumberFormat.significant($0, digits: 2) } ?? "",
                parameter.status.rawValue,
            ])
        }
        lines.append(parameters.render())
        lines.append("")
        if result.committee != nil { lines.append("The committee's fit of each curve:") }
        var curves = TextTable(headers: ["curve", "points", "steps", "R²", "RMSE", "PredE", "LR from"])
        for curve in result.curves {
            curves.append([
                curve.name, "\(curve.points)", "\(curve.firstStep)–\(curve.lastStep)",
                NumberFormat.rSquared(curve.metrics.r2),
                NumberFormat.significant(curve.metrics.rmse, digits: 3),
                NumberFormat.significant(curve.metrics.predE, digits: 3),
                curve.learningRateSource.summary,
            ])
        }
        curves.append(["mean", "\(stats.metrics.points)", "", NumberFormat.rSquared(stats.metrics.r2),
                       NumberFormat.significant(stats.metrics.rmse, digits: 3), NumberFormat.significant(stats.metrics.predE, digits: 3), ""])
        lines.append(curves.render())
        lines.append("")
        lines.append("\(stats.converged ? "converged" : "did NOT converge") after \(stats.iterations) iterations; objective \(NumberFormat.significant(stats.objective, digits: 6))")
        for note in result.notes { lines.append("note: " + note) }
        if let check = result.rankingCheck {
            lines.append("ranking check: \(check.label), fitted to the same curves; compare and plan mark the orders it does not share")
        }
        if let selection = result.lawSelection {
            lines.append("")
            lines.append("Law chosen by leave-one-curve-out prediction error (fit on the others, predict the one left out):")
            let names = selection.scores.first?.folds.map(\.leftOut) ?? []
            var table = TextTable(headers: ["law"] + names + ["mean PredE"])
            for score in selection.scores {
                table.append([score.law.rawValue + (score.law == selection.chosen ? " (chosen)" : "")]
                             + score.folds.map { $0.predE.map { NumberFormat.significant($0, digits: 3) } ?? "failed" }
                             + [score.meanPredE.map { NumberFormat.significant($0, digits: 3) } ?? "—"])
            }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }

    /// The table `lossfit evaluate` prints.
    public static func evaluation(_ report: EvaluationReport) -> String {
        var table = TextTable(headers: ["curve", "points", "R²", "MAE", "RMSE", "PredE", "WorstE", "final step", "final loss", "predicted"])
        for curve in report.curves {
            table.append([
                curve.name, "\(curve.metrics.points)", NumberFormat.rSquared(curve.metrics.r2),
                NumberFormat.significant(curve.metrics.mae, digits: 3), NumberFormat.significant(curve.metrics.rmse, digits: 3),
                NumberFormat.significant(curve.metrics.predE, digits: 3), NumberFormat.significant(curve.metrics.worstE, digits: 3),
                "\(curve.finalStep)", NumberFormat.fixed(curve.finalLoss, decimals: 4), NumberFormat.fixed(curve.predictedFinalLoss, decimals: 4),
            ])
        }
        let mean = report.mean
        table.append(["mean", "\(mean.points)", NumberFormat.rSquared(mean.r2), NumberFormat.significant(mean.mae, digits: 3),
                      NumberFormat.significant(mean.rmse, digits: 3), NumberFormat.significant(mean.predE, digits: 3),
                      NumberFormat.significant(mean.worstE, digits: 3), "", "", ""])
        var lines = [table.render()]
        var ranking = "worst final-loss error \(NumberFormat.significant(100 * report.worstFinalE, digits: 3)) %"
        if let rho = report.spearmanFinal {
            ranking = "final losses ranked with Spearman ρ = \(NumberFormat.fixed(rho, decimals: 3)); " + ranking
        }
        lines.append(ranking)
        if let check = report.rankingCheck {
            var line = "ranking check (\(check.label)): mean PredE \(NumberFormat.significant(check.predE, digits: 3))"
            if let rho = check.spearmanFinal { line += "; final losses ranked with Spearman ρ = \(NumberFormat.fixed(rho, decimals: 3))" }
            lines.append(line + "; worst final-loss error \(NumberFormat.significant(100 * check.worstFinalE, digits: 3)) %")
        }
        if let members = report.members {
            var table = TextTable(headers: ["committee member alone", "mean PredE", "Spearman ρ", "worst final"])
            for member in members {
                table.append([member.label, NumberFormat.significant(member.predE, digits: 3),
                              member.spearmanFinal.map { NumberFormat.fixed($0, decimals: 3) } ?? "—",
                              NumberFormat.significant(100 * member.worstFinalE, digits: 3) + " %"])
            }
            lines.append("")
            lines.append(table.render())
        }
        if let baselines = report.baselines {
            lines.append("")
            lines.append("PredE against what you would otherwise do (fitted on the same curves):")
            var table = TextTable(headers: ["curve", "this fit", "each curve refitted alone", "power law in steps", "exponential (AutoLRS)"])
            for (curve, baseline) in zip(report.curves, baselines) {
                table.append([curve.name, NumberFormat.significant(curve.metrics.predE, digits: 3),
                              baseline.perCurveRefitPredE.map { NumberFormat.significant($0, digits: 3) } ?? "—",
                              baseline.powerLawInStepsPredE.map { NumberFormat.significant($0, digits: 3) } ?? "—",
                              baseline.exponentialPredE.map { NumberFormat.significant($0, digits: 3) } ?? "—"])
            }
            func mean(_ values: [Double?]) -> String {
                let present = values.compactMap { $0 }
                return present.isEmpty ? "—" : NumberFormat.significant(present.reduce(0, +) / Double(present.count), digits: 3)
            }
            table.append(["mean", NumberFormat.significant(report.mean.predE, digits: 3), mean(baselines.map(\.perCurveRefitPredE)),
                          mean(baselines.map(\.powerLawInStepsPredE)), mean(baselines.map(\.exponentialPredE))])
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }
}
