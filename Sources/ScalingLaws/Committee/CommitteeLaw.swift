/// The committee's combined prediction as a `LossLaw`, so that schedule searches and cooldown
/// plans rank schedules by the committee.
///
/// ```
/// L̂(s) = median_i L̂_i(s)
/// ```
/// Its parameters are the members' parameters one after another, each name prefixed with the
/// member's position (`1.L0`, `2.alpha`, …).
public struct CommitteeLaw: LossLaw {
    public static let name = "committee"

    public var members: [FittedLaw]

    public init(members: [FittedLaw]) {
        self.members = members
    }

    public var parameterNames: [String] {
        members.enumerated().flatMap { index, law in law.parameterNames.map { "\(index + 1).\($0)" } }
    }

    public var parameterValues: [Double] { members.flatMap(\.parameterValues) }

    /// The members predict in parallel: on long schedules each costs a pass over every step.
    public func predictLoss(learningRates: [Double], at steps: [Int]) -> [Double] {
        let predictions = members.concurrentMap { $0.predictLoss(learningRates: learningRates, at: steps) }
        return steps.indices.map { index in Committee.combine(predictions.map { $0[index] }).loss }
    }

    /// Each member's own ranges.
    public func validate() throws(LawParameterError) {
        for member in members { try member.validate() }
    }

    public func withParameterValues(_ values: [Double]) -> CommitteeLaw {
        var offset = 0
        return CommitteeLaw(members: members.map { law in
            let count = law.parameterNames.count
            defer { offset += count }
            return law.withParameterValues(Array(values[offset..<offset + count]))
        })
    }
}
