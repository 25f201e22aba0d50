import HyperparameterLaws
import ScalingLaws
import TrainingLogs

/// A sweep file read and turned into the runs the hyperparameter laws are fitted to.
public struct LoadedSweep: Sendable {
    /// The runs, grouped by model size and tokens.
    public var sweep: Sweep
    /// The table as read: its columns, skipped rows, batch unit and sequence length.
    public var table: SweepTable
}

/// Reading sweeps: sweep rows (TrainingLogs) → runs (ScalingLaws).
public enum SweepLoading {
    /// Reads the sweep at `path`; the rows left out (no final loss) are in `table.skipped`.
    /// - Throws: the reader's `SweepReadError`, `SweepError` for runs that cannot form groups.
    public static func load(_ path: String, options: SweepReadOptions = SweepReadOptions()) throws -> LoadedSweep {
        let table = try SweepReader.read(path, options: options)
        return LoadedSweep(sweep: try sweep(from: table), table: table)
    }

    /// The runs of `table`, with its extra columns as covariates.
    public static func sweep(from table: SweepTable) throws(SweepError) -> Sweep {
        let runs = table.rows.map { row in
            SweepRun(parameters: row.parameters, tokens: row.tokens, learningRate: row.learningRate, batchSizeTokens: row.batchSizeTokens,
                     loss: row.loss, covariates: Dictionary(uniqueKeysWithValues: zip(table.covariateColumns, row.covariates)))
        }
        return try Sweep(runs: runs, source: table.source)
    }

    /// Reads the sweep and fits its learning-rate and batch-size laws.
    public static func fitLaws(_ loaded: LoadedSweep, settings: SweepLawSettings = SweepLawSettings(),
                               progress: ((Int, Int) -> Void)? = nil) throws -> SweepLaw {
        try SweepLawFitter(settings: settings).fit(loaded.sweep, sequenceLength: loaded.table.sequenceLength, progress: progress)
    }
}
