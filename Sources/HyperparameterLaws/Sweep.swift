import Foundation

/// One finished training run of a hyperparameter sweep.
public struct SweepRun: Sendable, Equatable, Codable {
    /// Model size N: non-embedding parameters, > 0.
    public var parameters: Double
    /// Training tokens D, > 0.
    public var tokens: Double
    /// Peak learning rate η, > 0.
    public var learningRate: Double
    /// Global batch size B in tokens, > 0.
    public var batchSizeTokens: Double
    /// Final (preferably smoothed) training loss, finite and > 0.
    public var loss: Double
    /// Other per-run numbers of the sweep (model shape, …) by column name; a law may use those
    /// that are constant within each (N, D) group as predictors.
    public var covariates: [String: Double]

    /// A run from its values.
    public init(parameters: Double, tokens: Double, learningRate: Double, batchSizeTokens: Double, loss: Double,
                covariates: [String: Double] = [:]) {
        self.parameters = parameters
        self.tokens = tokens
        self.learningRate = learningRate
        self.batchSizeTokens = batchSizeTokens
        self.loss = loss
        self.covariates = covariates
    }
}

/// A run inside a group, where N and D are the group's.
public struct GroupRun: Sendable, Equatable, Codable {
    /// Peak learning rate η.
    public var learningRate: Double
    /// Batch size in tokens.
    public var batchSizeTokens: Double
    /// Final loss.
    public var loss: Double

    /// A run of a group.
    public init(learningRate: Double, batchSizeTokens: Double, loss: Double) {
        self.learningRate = learningRate
        self.batchSizeTokens = batchSizeTokens
        self.loss = loss
    }
}

/// The runs of a sweep that share one model size N and one token count D: one loss landscape
/// over (learning rate, batch size), whose optimum the hyperparameter laws describe.
public struct SweepGroup: Sendable, Equatable, Codable {
    /// Model size N (non-embedding parameters).
    public var parameters: Double
    /// Training tokens D.
    public var tokens: Double
    /// The covariates that have one value in every run of the group.
    public var covariates: [String: Double]
    /// The runs, in sweep order.
    public var runs: [GroupRun]

    /// A group from its parts.
    public init(parameters: Double, tokens: Double, covariates: [String: Double] = [:], runs: [GroupRun]) {
        self.parameters = parameters
        self.tokens = tokens
        self.covariates = covariates
        self.runs = runs
    }

    /// For messages and tables, e.g. `N=4.29e8, D=2.27e10`.
    public var label: String {
        "N=\(Self.compact(parameters)), D=\(Self.compact(tokens))"
    }

    /// The lowest loss of any run.
    public var bestLoss: Double { runs.map(\.loss).min() ?? .nan }

    /// Three significant digits in exponent notation without `+` or leading zeros, e.g. `4.29e8`.
    public static func compact(_ value: Double) -> String {
        String(format: "%.3g", value).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
    }
}

/// A hyperparameter sweep: runs at several learning rates and batch sizes for each of several
/// (model size, token count) pairs, grouped by that pair.
public struct Sweep: Sendable, Equatable {
    /// The file (or other label) the runs came from, named in messages.
    public var source: String
    /// The groups, sorted by N then D.
    public let groups: [SweepGroup]
    /// The names of every covariate of any run, sorted.
    public let covariateNames: [String]

    /// Groups `runs` by (N, D).
    ///
    /// - Throws: `SweepError.emptySweep` when there are no runs, `.invalidRun` when a value is
    ///   not finite and positive.
    public init(runs: [SweepRun], source: String) throws(SweepError) {
        guard !runs.isEmpty else { throw .emptySweep(source: source) }
        for (index, run) in runs.enumerated() {
            let values = [("model size", run.parameters), ("tokens", run.tokens), ("learning rate", run.learningRate),
                          ("batch size", run.batchSizeTokens), ("loss", run.loss)]
            if let bad = values.first(where: { !($0.1 > 0 && $0.1.isFinite) }) {
                throw .invalidRun(source: source, index: index, quantity: bad.0, value: bad.1)
            }
        }
        var order: [GroupKey] = []
        var members: [GroupKey: [SweepRun]] = [:]
        for run in runs {
            let key = GroupKey(parameters: run.parameters, tokens: run.tokens)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(run)
        }
        self.source = source
        self.covariateNames = Set(runs.flatMap { $0.covariates.keys }).sorted()
        self.groups = order.sorted { ($0.parameters, $0.tokens) < ($1.parameters, $1.tokens) }.map { key in
            let groupRuns = members[key]!
            let shared = groupRuns[0].covariates.filter { name, value in groupRuns.allSatisfy { $0.covariates[name] == value } }
            return SweepGroup(parameters: key.parameters, tokens: key.tokens, covariates: shared,
                              runs: groupRuns.map { GroupRun(learningRate: $0.learningRate, batchSizeTokens: $0.batchSizeTokens, loss: $0.loss) })
        }
    }

    /// A sweep of groups already formed (for example read back from a fitted law).
    public init(groups: [SweepGroup], source: String) {
        self.source = source
        self.groups = groups
        self.covariateNames = Set(groups.flatMap { $0.covariates.keys }).sorted()
    }

    private struct GroupKey: Hashable {
        var parameters: Double
        var tokens: Double
    }
}
