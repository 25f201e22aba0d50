import Foundation

/// A predicted loss at one step with its uncertainty: parameter noise, the committee's spread and
/// the law's own error, and how far the prediction extrapolates.
public struct PredictedLoss: Sendable, Equatable {
    public var step: Int
    public var learningRate: Double
    public var loss: Double
    /// Standard error by the delta method, `√(gᵀ Σ g)` with g = ∂L̂/∂θ and Σ the fit's covariance;
    /// nil when the fit has no covariance.
    public var standardError: Double?
    /// The basic bootstrap 95 % interval over the fit's bootstrap replicates, when it has them
    /// (`BootstrapSample.band95(estimate:replicates:)`).
    public var bootstrapBand95: ClosedRange<Double>?
    /// The committee members' spread at this step (`Committee.combine`): half the gap between the
    /// two middle members' predictions, the law's uncertain form that parameter bands miss; nil
    /// for the fit of one law.
    public var modelSpread: Double?
    /// Each committee member's prediction, in the committee's order; nil for the fit of one law.
    public var memberLosses: [Double]?
    /// The standard deviation of the law's own error at this step, `b · L̂` (`LawErrorModel`).
    public var lawError: Double?
    /// How far the prediction reaches beyond the fitted data.
    public var extrapolation: Extrapolation?

    public init(step: Int, learningRate: Double, loss: Double, standardError: Double? = nil, bootstrapBand95: ClosedRange<Double>? = nil,
                modelSpread: Double? = nil, memberLosses: [Double]? = nil, lawError: Double? = nil, extrapolation: Extrapolation? = nil) {
        self.step = step
        self.learningRate = learningRate
        self.loss = loss
        self.standardError = standardError
        self.bootstrapBand95 = bootstrapBand95
        self.modelSpread = modelSpread
        self.memberLosses = memberLosses
        self.lawError = lawError
        self.extrapolation = extrapolation
    }

    /// The delta method's 95 % band of parameter noise, `loss ± 1.96·standardError`.
    public var deltaBand95: ClosedRange<Double>? {
        guard let standardError, standardError.isFinite, loss.isFinite else { return nil }
        return (loss - 1.96 * standardError)...(loss + 1.96 * standardError)
    }

    /// The 95 % band of parameter noise alone: the bootstrap's when the fit has one (it accounts for
    /// correlated residuals and for which curves were fitted), else the delta method's.
    public var parameterBand95: ClosedRange<Double>? {
        bootstrapBand95 ?? deltaBand95
    }

    /// The 95 % predictive band: parameter noise, the committee's spread and the law's error.
    ///
    /// ```
    /// lower = L̂ − √( (L̂ − p₋)² + 1.96²·(spread² + e²) )
    /// upper = L̂ + √( (p₊ − L̂)² + 1.96²·(spread² + e²) )
    /// ```
    /// with p₋…p₊ the parameter band and e the law's error (`LawErrorModel`); nil when nothing is known.
    public var band95: ClosedRange<Double>? {
        guard loss.isFinite else { return nil }
        let spread = modelSpread ?? 0, law = lawError ?? 0
        let extra = 1.96 * 1.96 * (spread * spread + law * law)
        guard extra.isFinite else { return nil }
        if let parameters = parameterBand95 {
            let below = loss - parameters.lowerBound, above = parameters.upperBound - loss
            return (loss - (below * below + extra).squareRoot())...(loss + (above * above + extra).squareRoot())
        }
        guard extra > 0 else { return nil }
        return (loss - extra.squareRoot())...(loss + extra.squareRoot())
    }

    /// What `band95` includes, in order: parameter noise (delta method or bootstrap), the spread,
    /// the law's error.
    public var bandIncludes: [BandComponent] {
        var parts: [BandComponent] = []
        if bootstrapBand95 != nil { parts.append(.bootstrapParameters) } else if deltaBand95 != nil { parts.append(.deltaMethodParameters) }
        if modelSpread != nil { parts.append(.committeeSpread) }
        if let lawError, lawError > 0 { parts.append(.lawError) }
        return parts
    }
}

/// A source of uncertainty a band includes.
public enum BandComponent: String, Sendable, Equatable, Codable {
    /// The fit's parameter noise by the delta method.
    case deltaMethodParameters = "parameters (delta method)"
    /// The fit's parameter noise over bootstrap replicates.
    case bootstrapParameters = "parameters (bootstrap)"
    /// The committee members' disagreement.
    case committeeSpread = "committee spread"
    /// The law's own error calibrated on held-out real runs.
    case lawError = "law error"
}

extension PredictedLoss: Encodable {
    private enum CodingKeys: String, CodingKey {
        case step, learningRate, loss, standardError, bootstrapBand95, modelSpread, memberLosses, lawError, extrapolation
        case band95, parameterBand95, bandIncludes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(step, forKey: .step)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(loss, forKey: .loss)
        try container.encodeIfPresent(standardError, forKey: .standardError)
        try container.encodeIfPresent(bootstrapBand95, forKey: .bootstrapBand95)
        try container.encodeIfPresent(modelSpread, forKey: .modelSpread)
        try container.encodeIfPresent(memberLosses, forKey: .memberLosses)
        try container.encodeIfPresent(lawError, forKey: .lawError)
        try container.encodeIfPresent(extrapolation, forKey: .extrapolation)
        try container.encodeIfPresent(band95, forKey: .band95)
        try container.encodeIfPresent(parameterBand95, forKey: .parameterBand95)
        try container.encode(bandIncludes, forKey: .bandIncludes)
    }
}
