import Foundation

/// A difference of two predictions, `L̂_A − L̂_B`, with its uncertainty: parameter noise (the
/// correlation through the shared parameters is kept, so the difference is often much surer than
/// either prediction), the committee members' disagreement about it and the law's own error.
public struct PredictedDifference: Sendable, Equatable {
    public var difference: Double
    /// The delta-method standard error of the difference from the parameter covariance.
    public var standardError: Double?
    /// The basic bootstrap 95 % interval of the difference over the fit's bootstrap replicates.
    public var bootstrapBand95: ClosedRange<Double>?
    /// The same difference under the fit's ranking check (`RankingCheck`), when it has one.
    public var checkDifference: Double?
    /// The same difference under each committee member, when the fit is a committee's.
    public var memberDifferences: [Double]?
    /// Half the gap between the two middle members' differences (`Committee.combine`); nil for the
    /// fit of one law.
    public var modelSpread: Double?
    /// The standard deviation of the law's own error in the difference, `b_d · (L̂_A + L̂_B)/2`
    /// (`LawErrorModel`).
    public var lawError: Double?

    public init(difference: Double, standardError: Double? = nil, bootstrapBand95: ClosedRange<Double>? = nil, checkDifference: Double? = nil,
                memberDifferences: [Double]? = nil, modelSpread: Double? = nil, lawError: Double? = nil) {
        self.difference = difference
        self.standardError = standardError
        self.bootstrapBand95 = bootstrapBand95
        self.checkDifference = checkDifference
        self.memberDifferences = memberDifferences
        self.modelSpread = modelSpread
        self.lawError = lawError
    }

    /// The 95 % interval of parameter noise alone: the bootstrap's, else `± 1.96·standardError`.
    public var parameterInterval95: ClosedRange<Double>? {
        if let bootstrapBand95 { return bootstrapBand95 }
        guard let standardError, standardError.isFinite, difference.isFinite else { return nil }
        return (difference - 1.96 * standardError)...(difference + 1.96 * standardError)
    }

    /// The calibrated 95 % interval of the difference.
    ///
    /// ```
    /// d ∓ √( Δ∓² + 1.96²·(spread_d² + e_d²) )
    /// ```
    /// with Δ∓ the parameter interval's half-widths, spread_d the members' half gap and e_d the law's
    /// error (`LawErrorModel`). Calibrated so that 95 % of measured differences of held-out real runs
    /// fall inside.
    public var interval95: ClosedRange<Double>? {
        guard difference.isFinite else { return nil }
        let spread = modelSpread ?? 0, law = lawError ?? 0
        let extra = 1.96 * 1.96 * (spread * spread + law * law)
        guard extra.isFinite else { return nil }
        if let parameters = parameterInterval95 {
            let below = difference - parameters.lowerBound, above = parameters.upperBound - difference
            return (difference - (below * below + extra).squareRoot())...(difference + (above * above + extra).squareRoot())
        }
        guard extra > 0 else { return nil }
        return (difference - extra.squareRoot())...(difference + extra.squareRoot())
    }

    /// Whether the order of the two is settled: the calibrated interval excludes 0 and, for a fit
    /// with a ranking check, the check orders them the same way.
    public var isSettled: Bool {
        guard let interval95, !interval95.contains(0) else { return false }
        if let checkDifference { return checkDifference * difference > 0 }
        return true
    }
}

extension PredictedDifference: Encodable {
    private enum CodingKeys: String, CodingKey {
        case difference, standardError, bootstrapBand95, checkDifference, memberDifferences, modelSpread, lawError
        case interval95, settled
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(difference, forKey: .difference)
        try container.encodeIfPresent(standardError, forKey: .standardError)
        try container.encodeIfPresent(bootstrapBand95, forKey: .bootstrapBand95)
        try container.encodeIfPresent(checkDifference, forKey: .checkDifference)
        try container.encodeIfPresent(memberDifferences, forKey: .memberDifferences)
        try container.encodeIfPresent(modelSpread, forKey: .modelSpread)
        try container.encodeIfPresent(lawError, forKey: .lawError)
        try container.encodeIfPresent(interval95, forKey: .interval95)
        try container.encode(isSettled, forKey: .settled)
    }
}
