import Foundation

/// Cooldown planning for a run in progress: from which checkpoint, over how many steps and with
/// which shape to decay the LR, and the final loss each option reaches under a fitted annealing law.
///
/// ```
/// option (c, ℓ, shape):  η(s) = run(s) for s ≤ c,  then shape from run(c) to η_end over c+1 … c+ℓ
/// final loss = L̂(c + ℓ)
/// ```
/// The run's areas up to each checkpoint are computed once; each option then costs O(ℓ).
public struct CooldownPlanner: Sendable {
    /// One cooldown option and its predicted final loss.
    public struct Option: Sendable, Equatable, Codable {
        public var checkpoint: Int
        public var length: Int
        public var shape: DecayShape
        public var endLearningRate: Double
        /// `checkpoint + length`: the step the cooldown ends at.
        public var finalStep: Int
        public var finalLoss: Double

        /// The option as a schedule spec on top of a constant-LR run: `wsd:…`.
        public func spec(peak: Double, warmupSteps: Int) -> String {
            "wsd:peak=\(peak),warmup=\(warmupSteps),total=\(finalStep),decay=\(length),shape=\(shape.rawValue),end=\(endLearningRate)"
        }
    }

    public var law: AnnealingLaw
    /// The LR of the run in progress at every step up to at least the last checkpoint.
    public var runRates: [Double]

    public init(law: AnnealingLaw, runRates: [Double]) {
        self.law = law
        self.runRates = runRates
    }

    /// Every option with `checkpoint + length ≤ budget`, best (lowest final loss) first.
    /// - Throws: `ScheduleError.inconsistent` for a checkpoint beyond the budget or the run's rates.
    public func options(checkpoints: [Int], lengths: [Int], shapes: [DecayShape], endLearningRate: Double, budget: Int) throws(ScheduleError) -> [Option] {
        for checkpoint in checkpoints where checkpoint > budget || checkpoint >= runRates.count || checkpoint < 1 {
            throw .inconsistent("checkpoint \(checkpoint) lies outside the run (1…\(min(budget, runRates.count - 1)) for a budget of \(budget) steps)")
        }
        if shapes.contains(.geometric) && endLearningRate <= 0 {
            throw .inconsistent("a geometric cooldown needs an end LR above 0; set --end or leave out geometric")
        }
        let rates = law.warmup.effectiveRates(runRates)
        var result: [Option] = []
        for checkpoint in checkpoints.sorted() {
            // S1, S2 and the annealing momentum after the checkpoint step, by the defining recurrence.
            var forward = 0.0, momentum = 0.0, area = 0.0
            for s in 1...checkpoint {
                forward += rates[s]
                momentum = law.lambda * momentum + (rates[s - 1] - rates[s])
                area += momentum
            }
            let start = rates[checkpoint]
            for length in lengths where length >= 1 && checkpoint + length <= budget {
                for shape in shapes {
                    var s1 = forward, m = momentum, s2 = area, previous = start
                    for j in 1...length {
                        let rate = shape.learningRate(progress: Double(j) / Double(length), from: start, to: endLearningRate)
                        s1 += rate
                        m = law.lambda * m + (previous - rate)
                        s2 += m
                        previous = rate
                    }
                    let loss = law.l0 + law.a * pow(s1, -law.alpha) - law.c * s2
                    result.append(Option(checkpoint: checkpoint, length: length, shape: shape, endLearningRate: endLearningRate,
                                         finalStep: checkpoint + length, finalLoss: loss))
                }
            }
        }
        return result.sorted { $0.finalLoss < $1.finalLoss }
    }

    /// The per-step LR of an option (index = step), for predictions with uncertainty.
    public func learningRates(of option: Option) -> [Double] {
        var rates = Array(runRates[0...option.checkpoint])
        let start = runRates[option.checkpoint]
        for j in 1...option.length {
            rates.append(option.shape.learningRate(progress: Double(j) / Double(option.length), from: start, to: option.endLearningRate))
        }
        return rates
    }
}
