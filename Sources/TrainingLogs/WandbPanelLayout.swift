import Foundation

/// The columns of a Weights & Biases panel export: a `Step` column, then `<run> - <metric>`
/// columns, each with `<run> - <metric>__MIN` and `__MAX` companions (the range W&B drew around
/// the line), one group per run shown in the panel.
struct WandbPanelLayout {
    /// One run of the panel and the columns its curve comes from.
    struct Run {
        var name: String
        var lossColumn: Int
        var learningRateColumn: Int?
    }

    var stepColumn: Int
    var runs: [Run]

    /// The separator W&B puts between a run's name and the metric's.
    private static let separator = " - "

    /// The layout of `columns`, or nil when they do not look like a panel export: every column
    /// but the step is `<run> - <metric>` and some metric is a loss (the one named in `choice`, or
    /// one of the common names). Run names may contain the separator; metric names do not.
    init?(columns: [String], choice: ColumnChoice, lossKind: LossKind) {
        guard let step = ColumnAliases.index(of: .step, in: columns, explicitName: choice.step) else { return nil }
        var runNames: [String] = []
        var metricsByRun: [String: [(metric: String, column: Int)]] = [:]
        for (index, column) in columns.enumerated() where index != step {
            guard let range = column.range(of: Self.separator, options: .backwards) else { return nil }
            let run = String(column[..<range.lowerBound])
            let metric = String(column[range.upperBound...])
            if metric.hasSuffix("__MIN") || metric.hasSuffix("__MAX") { continue }
            if metricsByRun[run] == nil { runNames.append(run) }
            metricsByRun[run, default: []].append((metric, index))
        }
        var runs: [Run] = []
        for name in runNames {
            let metrics = metricsByRun[name] ?? []
            let names = metrics.map(\.metric)
            guard let loss = ColumnAliases.index(of: .loss, in: names, explicitName: choice.loss, lossKind: lossKind) else { continue }
            let learningRate = ColumnAliases.index(of: .learningRate, in: names, explicitName: choice.learningRate)
            runs.append(Run(name: name, lossColumn: metrics[loss].column, learningRateColumn: learningRate.map { metrics[$0].column }))
        }
        guard !runs.isEmpty else { return nil }
        stepColumn = step
        self.runs = runs
    }
}
