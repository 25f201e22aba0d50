/// Settings of an annealing-law fit.
public struct AnnealingFitOptions: Sendable, Equatable {
    /// λ is fitted by default: on the shared multi-power-law runs (fit on cosine_24000,
    /// constant_24000, wsdcon_9, predict the other six) fitting λ gave a lower held-out PredE than
    /// the paper's fixed 0.999 at both model sizes; see the README's evidence table.
    public static let defaultLambda: LambdaChoice = .fit
    /// The paper's λ, used where λ is not fitted and cannot be determined.
    public static let paperLambda = 0.999

    public var lambda: LambdaChoice = defaultLambda
    public var warmup: WarmupConvention = .literal
    public var objective: FitObjective = .huber(delta: 1e-3)
    /// Values of α on the starting grid; every one is tried with every λ of `lambdaGrid`.
    public var alphaGrid: [Double] = [0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.3]
    /// Values of λ on the starting grid when λ is fitted (1 − λ from 1e-2 to 1e-4).
    public var lambdaGrid: [Double] = [0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999]
    /// How many of the best grid points are refined by the full search.
    public var refinedStarts = 2
    /// Bounds of the nonlinear parameters.
    public var alphaBounds: ClosedRange<Double> = 1e-3...5
    public var lambdaBounds: ClosedRange<Double> = 0.9...0.99999
    /// Curves with more logged points are fitted on this many bins of consecutive points (geometric
    /// mean loss, weighted by count), so per-step logs cost no more than logs every few hundred
    /// steps; see `AnnealingFitData`.
    public var maxPointsPerCurve = 1000

    public init() {}
}
