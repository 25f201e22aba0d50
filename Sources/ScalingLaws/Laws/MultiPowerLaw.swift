import Foundation

/// The multi-power law: a power law in the learning-rate area, minus a loss drop that every
/// learning-rate decrease realises gradually.
///
/// ```
/// L(t)   = L0 + A·(S1(t) + S_W)^(−α) − LD(t)
/// LD(t)  = B · Σ_{k=1..t} (η_{k−1} − η_k) · G(η_k^(−γ) · S_k(t)),   S_k(t) = Σ_{τ=k..t} η_τ
/// G(x)   = 1 − (C·x + 1)^(−β)
/// ```
/// Conventions, those of the authors' code (they reproduce the published PredE on the shared runs
/// to three digits, `MultiPowerLawTests`):
/// - Steps count from 1; η_0 is the rate before the first step; S_k(t) includes η_k itself.
/// - S1(t) + S_W = Σ_{τ=1..t} η_τ: the area of every step so far, warmup included.
/// - With the literal warmup the sum over k starts at step 1, so the warmup's rising rates enter
///   LD as negative drops. Once relaxed they add about B·η_peak to the loss, a constant that L0
///   absorbs; the published parameters were fitted this way. `WarmupConvention.peak` counts every
///   warmup step at the peak rate instead (no warmup terms, S_W = W·η_peak).
///
/// Parameters and their usual ranges: L0 (loss units) the irreducible loss; A > 0 and α > 0 (about
/// 0.3–0.6) the power law; B ≥ 0 the loss that a unit decrease of the rate eventually removes;
/// C > 0 (units of LR^(γ−1)), β > 0 and γ (about 0–1.5) how fast that drop is realised: in an area
/// η_k^γ/C after the decrease, its share (C·x + 1)^(−β) still to come shrinks as a power law.
/// Luo et al. (2025), "A Multi-Power Law for Loss Curve Prediction Across Learning Rate
/// Schedules", ICLR 2025, arXiv 2503.12811, Eq. 4.
public struct MultiPowerLaw: LossLaw, Sendable, Equatable, Codable {
    public static let name = "multi-power"

    /// The law's parameters, in the order of `parameterNames`.
    public enum Parameter: String, Sendable, Equatable, Hashable, Codable, CodingKeyRepresentable, CaseIterable {
        case l0 = "L0", a = "A", alpha, b = "B", c = "C", beta, gamma

        /// Where the parameter must lie: α, C and β > 0 (C·x + 1 ≥ 1 keeps the drop's share
        /// defined); L0, A, B and γ any finite number, since fits of short windows give L0 < 0 and B < 0.
        public var range: ParameterRange {
            switch self {
            case .alpha, .c, .beta: return .positive
            case .l0, .a, .b, .gamma: return .finite
            }
        }
    }

    /// The irreducible loss L0 (loss units).
    public var l0: Double
    /// The power-law amplitude A (loss · LR-area^α).
    public var a: Double
    /// The power-law exponent α (> 0).
    public var alpha: Double
    /// The loss-drop amplitude B (loss per unit of learning rate).
    public var b: Double
    /// The drop's rate constant C (> 0, units of LR^(γ−1)).
    public var c: Double
    /// The exponent β (> 0) of the drop still to come, (C·x + 1)^(−β).
    public var beta: Double
    /// The exponent γ of the rate η_k that scales the area after a decrease.
    public var gamma: Double
    /// How warmup steps enter the areas and the drop.
    public var warmup: WarmupConvention

    public init(l0: Double, a: Double, alpha: Double, b: Double, c: Double, beta: Double, gamma: Double,
                warmup: WarmupConvention = .literal) {
        self.l0 = l0
        self.a = a
        self.alpha = alpha
        self.b = b
        self.c = c
        self.beta = beta
        self.gamma = gamma
        self.warmup = warmup
    }

    public var parameterNames: [String] { Parameter.allCases.map(\.rawValue) }
    public var parameterValues: [Double] { Parameter.allCases.map { self[$0] } }

    public func validate() throws(LawParameterError) {
        try validateParameters(Parameter.allCases.map(\.range))
    }

    public func withParameterValues(_ values: [Double]) -> MultiPowerLaw {
        precondition(values.count == Parameter.allCases.count, "a multi-power law has 7 parameters, got \(values.count)")
        var law = self
        for (parameter, value) in zip(Parameter.allCases, values) { law[parameter] = value }
        return law
    }

    /// The value of one parameter.
    public subscript(parameter: Parameter) -> Double {
        get {
            switch parameter {
            case .l0: return l0
            case .a: return a
            case .alpha: return alpha
            case .b: return b
            case .c: return c
            case .beta: return beta
            case .gamma: return gamma
            }
        }
        set {
            switch parameter {
            case .l0: l0 = newValue
            case .a: a = newValue
            case .alpha: alpha = newValue
            case .b: b = newValue
            case .c: c = newValue
            case .beta: beta = newValue
            case .gamma: gamma = newValue
            }
        }
    }

    public func predictLoss(learningRates: [Double], at steps: [Int]) -> [Double] {
        let rates = warmup.effectiveRates(learningRates)
        let drop = MultiPowerLossDrop.sums(rates: rates, at: steps, c: c, beta: beta, gamma: gamma)
        let area = Self.forwardArea(rates, at: steps)
        return steps.indices.map { i in l0 + a * pow(area[i], -alpha) - b * drop[i] }
    }

    /// The predicted loss at `steps` and its gradient with respect to (L0, A, α, B, C, β, γ).
    ///
    /// ```
    /// ∂L/∂L0 = 1   ∂L/∂A = S^(−α)   ∂L/∂α = −A·S^(−α)·ln S   ∂L/∂B = −D
    /// ∂L/∂C = −B·∂D/∂C   ∂L/∂β = −B·∂D/∂β   ∂L/∂γ = −B·∂D/∂γ        S = S1 + S_W,  LD = B·D
    /// ```
    public func predictLossAndGradient(learningRates: [Double], at steps: [Int]) -> [(loss: Double, gradient: [Double])] {
        let drop = MultiPowerLossDrop(rates: warmup.effectiveRates(learningRates), at: steps)
        let sums = drop.sumsAndDerivatives(c: c, beta: beta, gamma: gamma)
        return steps.indices.map { i in
            let gradient = lossGradient(logForwardArea: log(drop.forwardArea[i]), sums: sums, at: i)
            return (gradient.loss, gradient.values)
        }
    }

    /// The loss and its gradient at point `i` of precomputed loss-drop sums.
    func lossGradient(logForwardArea: Double, sums: LossDropDerivatives, at i: Int) -> (loss: Double, values: [Double]) {
        let power = exp(-alpha * logForwardArea)
        let loss = l0 + a * power - b * sums.value[i]
        return (loss, [1, power, -a * power * logForwardArea, -sums.value[i], -b * sums.c[i], -b * sums.beta[i], -b * sums.gamma[i]])
    }

    /// Σ_{τ=1..s} η_τ at each of `steps`.
    static func forwardArea(_ rates: [Double], at steps: [Int]) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(steps.count)
        var running = 0.0, step = 0
        for target in steps {
            precondition(target >= step && target < rates.count, "MultiPowerLaw: steps must be increasing and inside the rates")
            while step < target {
                step += 1
                running += rates[step]
            }
            result.append(running)
        }
        return result
    }
}
