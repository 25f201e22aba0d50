import Foundation
import TestSupport
@testable import HyperparameterLaws

/// A sweep drawn from known hyperparameter laws over a lopsided loss landscape, so that tests
/// can check what the fit recovers.
///
/// ```
/// ln η* = ln c₀ + a ln N + b ln D,   ln B* = ln d₀ + e ln D
/// u = ln η − ln η* − s·v,   v = ln B − ln B*
/// L = L* · (1 + 0.006(e^{1.5u} − 1.5u − 1) + 0.02(e^{−0.8v} + 0.8v − 1)) · e^{σ·ε}
/// ```
/// The linex terms make a too-high learning rate (and a too-small batch) cost more than the
/// opposite error, with about the steepness of the Step Law sweep (1 % at a learning rate 5.6×
/// too low, 3 % at 4× too high); runs with u > 1.6 diverge to 2.5 L*. The grid is Step
/// Law's: learning rates 2^(−12 + k/2), batch sizes 32…2048 sequences of 2048 tokens.
struct SyntheticSweep {
    var learningRateLaw = (logPrefactor: log(0.0717), parameters: -0.6, tokens: 0.35)
    var batchSizeLaw = (logPrefactor: log(2.83), tokens: 0.5)
    var parameterValues = [1e8, 2e8, 4e8, 8e8]
    var tokenValues = [5e9, 2e10, 8e10]
    /// Relative noise σ of each run's loss.
    var noise = 0.001
    /// False: ln L = ln L* + 0.00675u² + 0.0064v² (the linex terms' quadratic approximations),
    /// a landscape the surrogate's polynomial represents exactly.
    var isLopsided = true
    var seed: UInt64 = 1
    var learningRates = (0..<14).map { pow(2, -12 + Double($0) / 2) }
    var batchSequences: [Double] = [32, 64, 96, 128, 192, 256, 352, 512, 736, 1024, 2048]

    func optimalLearningRate(_ n: Double, _ d: Double) -> Double {
        exp(learningRateLaw.logPrefactor + learningRateLaw.parameters * log(n) + learningRateLaw.tokens * log(d))
    }

    func optimalBatchSize(_ d: Double) -> Double {
        exp(batchSizeLaw.logPrefactor + batchSizeLaw.tokens * log(d))
    }

    /// The best loss of the group (N, D).
    func bestLoss(_ n: Double) -> Double { 2 + 30 * pow(n, -0.2) }

    /// The noise-free loss at (η, B) for the group (N, D), before divergence.
    func loss(learningRate: Double, batchSizeTokens: Double, n: Double, d: Double) -> Double {
        let excess = relativeExcess(learningRate: learningRate, batchSizeTokens: batchSizeTokens, n: n, d: d)
        return bestLoss(n) * (isLopsided ? 1 + excess : exp(excess))
    }

    /// The noise-free excess at (η, B) for the group (N, D): L/L* − 1 when lopsided, ln(L/L*) when not.
    func relativeExcess(learningRate: Double, batchSizeTokens: Double, n: Double, d: Double) -> Double {
        let v = log(batchSizeTokens) - log(optimalBatchSize(d))
        let u = log(learningRate) - log(optimalLearningRate(n, d)) - 0.3 * v
        if !isLopsided { return 0.00675 * u * u + 0.0064 * v * v }
        return 0.006 * (exp(1.5 * u) - 1.5 * u - 1) + 0.02 * (exp(-0.8 * v) + 0.8 * v - 1)
    }

    func runs() -> [SweepRun] {
        var generator = SeededGenerator(seed: seed)
        var runs: [SweepRun] = []
        for n in parameterValues {
            for d in tokenValues {
                for eta in learningRates {
                    for sequences in batchSequences {
                        let batch = sequences * 2048
                        let u = log(eta) - log(optimalLearningRate(n, d))
                        let loss = u > 1.6 ? 2.5 * bestLoss(n)
                            : self.loss(learningRate: eta, batchSizeTokens: batch, n: n, d: d) * exp(noise * generator.nextGaussian())
                        runs.append(SweepRun(parameters: n, tokens: d, learningRate: eta, batchSizeTokens: batch, loss: loss,
                                             covariates: ["width": n.squareRoot()]))
                    }
                }
            }
        }
        return runs
    }

    func sweep() throws -> Sweep {
        try Sweep(runs: runs(), source: "synthetic.csv")
    }
}
