/// The gradient norms of one run as read from its log.
public struct GradientNormLog: Sendable, Equatable {
    /// The path as given.
    public var source: String
    /// The column (key, tag) the norms came from.
    public var column: String
    /// The finite norms, sorted by step, one per step (zero and negative values included: they are
    /// the caller's to judge).
    public var norms: LogSeries
    /// Rows whose norm was empty, NaN or infinite, or that had no step, grouped by reason
    /// (`"NaN gradient norm"`, …).
    public var skipped: [SkippedRows]
    /// How many rows repeated an earlier step and replaced it.
    public var replacedSteps: Int
    /// What the reader noticed and worked around.
    public var notes: [LogNote]
}

/// Reads the per-step gradient norm of a training log in any format `TrainingLogReader` reads.
///
/// The series is the one named by the caller, else the first of `ColumnAliases.gradientNorm`
/// found in the log. Empty, NaN and infinite values are left out and counted, as for the loss.
public enum GradientNormReader {
    /// Reads the gradient norms of the one run at `path`.
    ///
    /// - Parameters:
    ///   - path: a log file (or TensorBoard run directory).
    ///   - key: the gradient-norm column, key or tag; nil to find it by its common names.
    ///   - options: format, step column and strictness; `options.columns.loss` is ignored.
    /// - Throws: `LogReadError.noGradientNorm` (listing the series found) when no series has a
    ///   gradient-norm name, `.gradientNormNotFound` when `key` is not in the log,
    ///   `.noUsableGradientNorm` when no value is finite, and every error of the format's reader.
    public static func read(_ path: String, key: String? = nil, options: LogReadOptions = .init()) throws(LogReadError) -> GradientNormLog {
        // Finding the norm by name takes a first pass over the log. A pipe can be read only once,
        // so it is held in memory for both passes; a regular file is read twice.
        if key == nil && FileBytes.isStream(path) {
            let bytes = try ByteInput.file(path: path, chunkSize: ByteInput.defaultChunkSize).contents()
            return try read(path, key: key, options: options,
                            inspect: { options throws(LogReadError) in try TrainingLogReader.inspect(bytes, source: path, options: options) },
                            read: { options throws(LogReadError) in
                                try TrainingLogReader.single(TrainingLogReader.parse(bytes, source: path, options: options), source: path)
                            })
        }
        return try read(path, key: key, options: options,
                        inspect: { options throws(LogReadError) in try TrainingLogReader.inspect(path, options: options) },
                        read: { options throws(LogReadError) in try TrainingLogReader.read(path, options: options) })
    }

    private static func read(_ path: String, key: String?, options: LogReadOptions,
                             inspect: (LogReadOptions) throws(LogReadError) -> LogInspection,
                             read: (LogReadOptions) throws(LogReadError) -> TrainingLog) throws(LogReadError) -> GradientNormLog {
        var options = options
        let column: String
        if let key {
            column = key
        } else {
            // Listing the series costs a read of the file; it is the one reliable way to learn every
            // format's names before choosing among them.
            let inspection = try inspect(options)
            let names = inspection.series.map(\.name)
            let normalizedNames = names.map(ColumnAliases.normalizedKey)
            let alias = ColumnAliases.gradientNorm.lazy.compactMap { normalizedNames.firstIndex(of: ColumnAliases.normalizedKey($0)) }.first
            guard let alias else { throw .noGradientNorm(file: path, found: names, noun: inspection.format.seriesNoun) }
            column = names[alias]
        }
        // The readers find one measured series per run, the "loss"; naming the norm there reads it
        // with the same skipping, sorting and resumed-run handling.
        options.columns.loss = column
        let log: TrainingLog
        do {
            log = try read(options)
        } catch .seriesNotFound(let file, .loss, let name, let found, let noun) {
            throw .gradientNormNotFound(file: file, name: name, found: found, noun: noun)
        } catch .columnNotFound(let file, .log(.loss), let name, let columns) {
            throw .gradientNormNotFound(file: file, name: name, found: columns, noun: "column")
        } catch .noUsableLoss(let file, let rows, _) {
            throw .noUsableGradientNorm(file: file, rows: rows)
        }
        let byText = [SkipReason.emptyLoss.text: "empty gradient norm", SkipReason.nanLoss.text: "NaN gradient norm",
                      SkipReason.infiniteLoss.text: "infinite gradient norm"]
        let skipped = log.skipped.compactMap { rows -> SkippedRows? in
            if let text = byText[rows.reason] { return SkippedRows(reason: text, count: rows.count, firstLocation: rows.firstLocation) }
            // Learning-rate skips concern another series; whole-row skips (no step) concern this one.
            return rows.reason.hasSuffix("learning rate") ? nil : rows
        }
        return GradientNormLog(source: path, column: log.lossColumn, norms: log.loss, skipped: skipped,
                               replacedSteps: log.replacedSteps, notes: log.notes)
    }
}
