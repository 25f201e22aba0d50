/// Several fits of the same curves whose predictions are combined step by step: the default
/// prediction of lossfit.
///
/// ```
/// L̂(s)  = median_i L̂_i(s)                       (n even: the mean of the two middle members)
/// s(s)  = (L̂_(n/2+1)(s) − L̂_(n/2)(s)) / 2       the members' spread (n odd: half the mean gap
///                                                 between the median member and its neighbours)
/// ```
/// No single law is best on every family of real runs, and their errors point in different
/// directions: on the shared MPL 25M/100M and 124M runs the annealing law with λ fitted predicts
/// cooldowns too high where λ = 0.999 predicts them too low, and the multi-power fits fail on other
/// families than the annealing fits. The median needs no weights fitted to any family, and it
/// discards whichever member is off at a step (README, "Evidence behind the defaults").
///
/// An order of two schedules is settled by the committee only when every member orders them the
/// same way: the members' disagreement is the law's uncertain form, which parameter bands miss.
public struct Committee: Sendable, Equatable {
    /// How the members' predictions are combined at each step.
    public enum Combination: String, Sendable, Equatable, Codable, CaseIterable {
        /// The median of the members' predictions.
        case median
    }

    public var members: [CommitteeMember]
    public var combination: Combination

    /// - Precondition: `members` is not empty.
    public init(members: [CommitteeMember], combination: Combination = .median) {
        precondition(!members.isEmpty, "a committee needs at least one member")
        self.members = members
        self.combination = combination
    }

    /// The committee as a law: the median of the members' laws, for searches and plans.
    public var law: CommitteeLaw { CommitteeLaw(members: members.map(\.fit.law)) }

    /// The combined prediction from the members' predictions at one step (`losses`, in member
    /// order), with the spread and the indices of the members it rests on.
    public static func combine(_ losses: [Double]) -> (loss: Double, spread: Double, middle: [Int]) {
        let order = losses.indices.sorted { losses[$0] < losses[$1] }
        let n = order.count
        if n == 1 { return (losses[order[0]], 0, [order[0]]) }
        let upper = n / 2
        if n % 2 == 0 {
            let low = losses[order[upper - 1]], high = losses[order[upper]]
            return ((low + high) / 2, (high - low) / 2, [order[upper - 1], order[upper]])
        }
        let gaps = (losses[order[upper + 1]] - losses[order[upper - 1]]) / 2
        return (losses[order[upper]], gaps / 2, [order[upper]])
    }
}

/// One fit of a committee.
public struct CommitteeMember: Sendable, Equatable, Codable {
    /// A short stable name: `annealing`, `annealing-lambda-0.999`, `multi-power`, `multi-power-joint`.
    public var key: String
    /// What the member is, in words, e.g. `annealing law, λ = 0.999`.
    public var label: String
    /// The member's own fit, as `fit` would give it alone.
    public var fit: FitResult

    public init(key: String, label: String, fit: FitResult) {
        self.key = key
        self.label = label
        self.fit = fit
    }
}
