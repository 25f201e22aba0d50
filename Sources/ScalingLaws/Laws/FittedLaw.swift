/// One fitted law with its parameters: the law a fit produced, tagged by kind, so callers switch on
/// the kind instead of comparing names.
///
/// ```
/// annealing:    L(s) = L0 + A·S1^(−α) − C·S2(λ)                       (Tissue et al. 2024)
/// multi-power:  L(t) = L0 + A·(S1 + S_W)^(−α) − LD(t)                  (Luo et al. 2025)
/// exponential:  L(s) = a·e^(b·s/stepScale) + c                          (Jin et al. 2021)
/// ```
public enum FittedLaw: Sendable, Equatable, CustomStringConvertible {
    case annealing(AnnealingLaw)
    case multiPower(MultiPowerLaw)
    case exponential(ExponentialLaw)

    /// The kinds of law, by the name used in results and FIT.json.
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        case annealing
        case multiPower = "multi-power"
        case exponential
    }

    public var kind: Kind {
        switch self {
        case .annealing: return .annealing
        case .multiPower: return .multiPower
        case .exponential: return .exponential
        }
    }

    /// The law's name as in results and FIT.json (`annealing`, `multi-power`, `exponential`).
    public var name: String { kind.rawValue }

    public var description: String { name }

    /// The law, ready to predict.
    public var lossLaw: any LossLaw {
        switch self {
        case .annealing(let law): return law
        case .multiPower(let law): return law
        case .exponential(let law): return law
        }
    }

    /// Whether the law reads the schedule, so that it can rank schedules: the exponential forecast
    /// reads only the step and predicts the same loss for every schedule.
    public var readsSchedule: Bool {
        if case .exponential = self { return false }
        return true
    }

    /// Parameter names, in the order of `parameterValues`.
    public var parameterNames: [String] { lossLaw.parameterNames }
    /// Parameter values.
    public var parameterValues: [Double] { lossLaw.parameterValues }

    /// The same law with other parameter values, in the order of `parameterNames`.
    public func withParameterValues(_ values: [Double]) -> FittedLaw {
        switch self {
        case .annealing(let law): return .annealing(law.withParameterValues(values))
        case .multiPower(let law): return .multiPower(law.withParameterValues(values))
        case .exponential(let law): return .exponential(law.withParameterValues(values))
        }
    }

    /// Throws for the first parameter outside the law's ranges (`LossLaw.validate()`).
    public func validate() throws(LawParameterError) {
        try lossLaw.validate()
    }

    /// The predicted loss at `steps` of a run whose learning rate at step `s` is `learningRates[s]`.
    public func predictLoss(learningRates: [Double], at steps: [Int]) -> [Double] {
        lossLaw.predictLoss(learningRates: learningRates, at: steps)
    }

    /// The predicted loss at `steps` and its gradient with respect to the parameters, in the order
    /// of `parameterNames`.
    public func predictLossAndGradient(learningRates: [Double], at steps: [Int]) -> [(loss: Double, gradient: [Double])] {
        switch self {
        case .annealing(let law):
            return law.predictLossAndGradient(learningRates: learningRates, at: steps).map { row in
                (row.loss, law.parameterNames.indices.map { row.gradient[$0] })
            }
        case .multiPower(let law):
            return law.predictLossAndGradient(learningRates: learningRates, at: steps)
        case .exponential(let law):
            return law.predictLossAndGradient(at: steps)
        }
    }

    /// The annealing law, when this is one.
    public var annealing: AnnealingLaw? {
        if case .annealing(let law) = self { return law }
        return nil
    }

    /// The multi-power law, when this is one.
    public var multiPower: MultiPowerLaw? {
        if case .multiPower(let law) = self { return law }
        return nil
    }

    /// The exponential forecast, when this is one.
    public var exponential: ExponentialLaw? {
        if case .exponential(let law) = self { return law }
        return nil
    }
}
