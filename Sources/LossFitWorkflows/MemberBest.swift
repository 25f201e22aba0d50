import ScalingLaws

/// What one committee member alone would choose: its label and its best option.
public struct MemberBest<Choice: Sendable & Encodable>: Sendable, Encodable {
    public var member: String
    public var best: Choice

    /// Each member of `fit`'s committee with the first of `choose(member's law)`; nil for the fit of
    /// one law, members without a choice left out.
    static func each(of fit: FitResult, _ choose: (any LossLaw) throws -> Choice?) rethrows -> [MemberBest]? {
        guard let committee = fit.committee else { return nil }
        return try committee.members.compactMap { member in
            try choose(member.fit.law.lossLaw).map { MemberBest(member: member.label, best: $0) }
        }
    }
}
