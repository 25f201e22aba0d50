import ArgumentParser
import Foundation
import LossFitReports
import ScalingLaws
import TrainingLogs

/// `lossfit sweep`: hyperparameter laws from a sweep of finished runs.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Fit learning-rate and batch-size laws to a sweep, evaluate them leave-one-group-out, or compare learning-rate transfer rules between batch sizes.",
        discussion: """
            A sweep has one row per finished run with its model size N (non-embedding parameters), tokens D, \
            peak learning rate, batch size and final loss (a smoothed final loss when there is one), as CSV, TSV or JSONL.
            Examples:
              lossfit sweep fit ../shared/data/steplaw/dense_sweep.csv -o law.json
              lossfit sweep evaluate ../shared/data/steplaw/dense_sweep.csv
              lossfit sweep transfer ../shared/data/steplaw/dense_sweep.csv -o transfer.json
              lossfit recommend --law law.json --params 7B --tokens 1.4T
            """,
        subcommands: [SweepFit.self, SweepEvaluate.self, SweepTransfer.self])
}
