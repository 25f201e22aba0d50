import ScalingLaws

/// Which orders of a ranked list of schedules the data settle, and the one branch run that would
/// settle the top when they do not (issue #18).
///
/// Every pair is judged on its own calibrated interval (`PredictedDifference.interval95`), so a pair's
/// verdict does not depend on what else is listed. The contenders are the best and every schedule
/// whose order against it is not settled; when there are several, the suggested branch is the
/// contender whose predictive band is widest (the prediction a run would teach most), from the last
/// step it shares with the reference schedule.
public struct RankingVerdicts: Sendable, Encodable {
    /// One pair of ranked schedules, `worse − better` by rank (0-based ranks).
    public struct Pair: Sendable, Encodable {
        public var better: Int
        public var worse: Int
        public var difference: PredictedDifference
    }

    /// A run that would settle the top options.
    public struct Branch: Sendable, Encodable {
        /// The rank (0-based) of the schedule to run.
        public var rank: Int
        /// The last step the schedule shares with the reference: branch from the checkpoint there.
        public var fromStep: Int
        /// The step to run it to.
        public var toStep: Int
        /// The width of its 95 % predictive band, the widest among the contenders.
        public var bandWidth: Double
    }

    /// Every pair of ranks, better first.
    public var pairs: [Pair]
    /// Ranks not settled against the best, the best (0) first.
    public var contenders: [Int]
    /// The run to make when the best is not settled against every other; nil when it is.
    public var branch: Branch?
    /// How many schedules were ranked: `pairs` holds every pair of them, better-major.
    private var rankCount: Int

    private enum CodingKeys: String, CodingKey {
        case pairs, contenders, branch
    }

    /// Judges the schedules ranked best first (`rates` per step, `finalSteps`, `finals` their
    /// predictions there) under `fit`; the branch point is read against `reference` (the run the
    /// branches leave; nil: the best schedule).
    init(_ fit: FitResult, rates: [[Double]], finalSteps: [Int], finals: [PredictedLoss], reference: [Double]? = nil) {
        let endpoints = rates.indices.map { fit.differenceEndpoint(rates[$0], at: finalSteps[$0]) }
        var pairs: [Pair] = []
        for better in rates.indices {
            for worse in rates.indices where worse > better {
                pairs.append(Pair(better: better, worse: worse, difference: fit.difference(endpoints[worse], minus: endpoints[better])))
            }
        }
        self.pairs = pairs
        rankCount = rates.count
        contenders = rates.indices.filter { rank in rank == 0 || !pairs[rank - 1].difference.isSettled }
        guard contenders.count > 1 else {
            branch = nil
            return
        }
        let width = { (rank: Int) -> Double in finals[rank].band95.map { $0.upperBound - $0.lowerBound } ?? 0 }
        let chosen = contenders.max { width($0) < width($1) } ?? 0
        let against = reference ?? rates[chosen == 0 ? contenders[1] : 0]
        branch = Branch(rank: chosen, fromStep: Self.lastSharedStep(rates[chosen], against), toStep: finalSteps[chosen], bandWidth: width(chosen))
    }

    /// The difference of `rank` from the best with its uncertainty; nil for the best.
    public func differenceFromBest(_ rank: Int) -> PredictedDifference? {
        pair(0, rank)?.difference
    }

    /// Whether the order of ranks `a` and `b` is settled.
    public func isSettled(_ a: Int, _ b: Int) -> Bool {
        let (better, worse) = (min(a, b), max(a, b))
        return pair(better, worse)?.difference.isSettled ?? false
    }

    /// Whether `rank`'s order against the best is settled; for the best, whether it is settled
    /// ahead of every other.
    public func isSettledAgainstBest(_ rank: Int) -> Bool {
        rank == 0 ? contenders == [0] : !contenders.contains(rank)
    }

    /// The pair of ranks `better < worse`, found by its place in `pairs` (better-major).
    private func pair(_ better: Int, _ worse: Int) -> Pair? {
        guard better >= 0, better < worse, worse < rankCount else { return nil }
        return pairs[better * rankCount - better * (better + 1) / 2 + worse - better - 1]
    }

    /// The last step at which `rates` equals `reference` before they first differ (0 when they differ
    /// from the start).
    static func lastSharedStep(_ rates: [Double], _ reference: [Double]) -> Int {
        let shared = min(rates.count, reference.count)
        for step in 0..<shared where abs(rates[step] - reference[step]) > 1e-9 * max(abs(rates[step]), abs(reference[step])) {
            return max(step - 1, 0)
        }
        return max(shared - 1, 0)
    }
}
