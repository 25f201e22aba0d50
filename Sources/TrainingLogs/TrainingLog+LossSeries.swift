extension TrainingLog {
    /// The run inside the file, when the file holds several (a W&B panel export's `<run> - <metric>`
    /// columns); nil for a file of one run.
    public var runInFile: String? {
        format == .wandbPanel ? name : nil
    }

    /// The name of the fitted loss series as the log spells it; for a W&B panel export the metric
    /// without its run's name (`eval/loss` for the column `run-7 - eval/loss`).
    public var lossKey: String {
        metric(of: lossColumn) ?? lossColumn
    }

    /// Whether the fitted loss is a training or an evaluation loss, by its common name; nil for a
    /// name that is neither (a column the caller named).
    public var lossKind: LossKind? {
        Self.lossKind(ofKey: lossKey)
    }

    /// The other loss series of the log (of its run, in a W&B panel export), by their common
    /// names in `ColumnAliases`, in file order: what could have been fitted instead.
    public var otherLossKeys: [String] {
        let fitted = ColumnAliases.normalizedKey(lossKey)
        var seen: Set<String> = [fitted]
        var others: [String] = []
        for column in columns {
            guard let key = metric(of: column), Self.lossKind(ofKey: key) != nil,
                  seen.insert(ColumnAliases.normalizedKey(key)).inserted else { continue }
            others.append(key)
        }
        return others
    }

    /// Training or evaluation, when `key` is one of the common names of either.
    public static func lossKind(ofKey key: String) -> LossKind? {
        let normalized = ColumnAliases.normalizedKey(key)
        if ColumnAliases.trainingLoss.contains(where: { ColumnAliases.normalizedKey($0) == normalized }) { return .training }
        if ColumnAliases.evaluationLoss.contains(where: { ColumnAliases.normalizedKey($0) == normalized }) { return .evaluation }
        return nil
    }

    /// The metric a column holds for this log's run: the column itself in a file of one run; in a
    /// W&B panel export the part after `<run> - `, nil for another run's column or a `__MIN`/`__MAX`
    /// companion.
    private func metric(of column: String) -> String? {
        guard format == .wandbPanel else { return column }
        let prefix = name + " - "
        guard column.hasPrefix(prefix) else { return nil }
        let metric = String(column.dropFirst(prefix.count))
        return metric.hasSuffix("__MIN") || metric.hasSuffix("__MAX") ? nil : metric
    }
}
