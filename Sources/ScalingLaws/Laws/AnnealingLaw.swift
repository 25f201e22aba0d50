import Foundation

/// The scaling law with learning-rate annealing.
///
/// ```
/// L(s) = L0 + A · S1(s)^(−α) − C · S2(s)
/// ```
/// with the forward area S1 and the annealing area S2 of `LearningRateAreas` (momentum λ).
/// Tissue, Wang, Wang (2024), "Scaling Law with Learning Rate Annealing", arXiv 2408.11029, Eq. 1.
public struct AnnealingLaw: LossLaw, Sendable, Equatable, Codable {
    public static let name = "annealing"

    /// The irreducible loss L0 (loss units).
    public var l0: Double
    /// The power-law amplitude A (loss · LR-area^α).
    public var a: Double
    /// The power-law exponent α (> 0).
    public var alpha: Double
    /// The annealing coefficient C (loss per unit of annealing area).
    public var c: Double
    /// The annealing momentum λ in (0, 1); the paper uses 0.999.
    public var lambda: Double
    /// How warmup steps enter the areas.
    public var warmup: WarmupConvention

    public init(l0: Double, a: Double, alpha: Double, c: Double, lambda: Double, warmup: WarmupConvention) {
        self.l0 = l0
        self.a = a
        self.alpha = alpha
        self.c = c
        self.lambda = lambda
        self.warmup = warmup
    }

    public var parameterNames: [String] { ["L0", "A", "alpha", "C", "lambda"] }
    public var parameterValues: [Double] { [l0, a, alpha, c, lambda] }

    /// Where each parameter must lie, in the order of `parameterNames`: α > 0 and 0 < λ < 1 (the
    /// annealing area's momentum); L0, A and C any finite number, since fits of a short window or
    /// of constant-LR runs alone give L0 < 0 with a large A, or C < 0.
    public static let parameterRanges: [ParameterRange] = [.finite, .finite, .positive, .finite, .openUnitInterval]

    public func validate() throws(LawParameterError) {
        try validateParameters(Self.parameterRanges)
    }

    public func withParameterValues(_ values: [Double]) -> AnnealingLaw {
        precondition(values.count == 5, "an annealing law has 5 parameters, got \(values.count)")
        return AnnealingLaw(l0: values[0], a: values[1], alpha: values[2], c: values[3], lambda: values[4], warmup: warmup)
    }

    public func predictLoss(learningRates: [Double], at steps: [Int]) -> [Double] {
        let areas = LearningRateAreas(rates: warmup.effectiveRates(learningRates), at: steps)
        return predictLoss(areas: areas)
    }

    /// The loss and its gradient with respect to (L0, A, α, C, λ) at one point.
    ///
    /// ```
    /// ∂L/∂L0 = 1   ∂L/∂A = S1^(−α)   ∂L/∂α = −A·S1^(−α)·ln S1   ∂L/∂C = −S2   ∂L/∂λ = −C·∂S2/∂λ
    /// ```
    @inline(__always)
    public func lossAndGradient(logForwardArea: Double, annealingArea: Double, annealingAreaSlope: Double)
        -> (loss: Double, gradient: ParameterGradient) {
        let power = exp(-alpha * logForwardArea)
        let loss = l0 + a * power - c * annealingArea
        return (loss, ParameterGradient(values: (1, power, -a * power * logForwardArea, -annealingArea, -c * annealingAreaSlope)))
    }

    /// ∂L/∂(L0, A, α, C, λ) at one point, without a heap allocation (fits evaluate it per point).
    public struct ParameterGradient: Sendable {
        var values: (Double, Double, Double, Double, Double)

        /// The derivative with respect to parameter `index` in the order of `parameterNames`.
        public subscript(index: Int) -> Double {
            switch index {
            case 0: return values.0
            case 1: return values.1
            case 2: return values.2
            case 3: return values.3
            default: return values.4
            }
        }
    }

    /// The predicted loss at `steps` and its gradient with respect to (L0, A, α, C, λ) at each.
    public func predictLossAndGradient(learningRates: [Double], at steps: [Int]) -> [(loss: Double, gradient: ParameterGradient)] {
        let areas = LearningRateAreas(rates: warmup.effectiveRates(learningRates), at: steps)
        let (s2, slope) = areas.annealingAreaAndDerivative(lambda: lambda)
        return steps.indices.map { i in
            lossAndGradient(logForwardArea: log(areas.forwardArea[i]), annealingArea: s2[i], annealingAreaSlope: slope[i])
        }
    }

    /// The predicted loss at the areas' steps.
    public func predictLoss(areas: LearningRateAreas) -> [Double] {
        let s2 = areas.annealingArea(lambda: lambda)
        return zip(areas.forwardArea, s2).map { s1, s2 in
            l0 + a * pow(s1, -alpha) - c * s2
        }
    }
}
