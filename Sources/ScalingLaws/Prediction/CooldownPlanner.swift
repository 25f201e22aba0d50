import Foundation

/// Cooldown planning for a run in progress: from which checkpoint, over how many steps and with
/// which shape to decay the LR, and the final loss each option reaches under a fitted law.
///
/// ```
/// option (c, ℓ, shape):  η(s) = run(s) for s ≤ c,  then shape from run(c) to η_end over c+1 … c+ℓ
/// final loss = L̂(c + ℓ)
/// ```
/// Under the annealing law the run's areas up to each checkpoint are computed once and each option
/// then costs O(ℓ); any other law predicts each option's whole schedule.
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

    public var law: any LossLaw
    /// The LR of the run in progress at every step up to at least the last checkpoint.
    public var runRates: [Double]

    public init(law: any LossLaw, runRates: [Double]) {
        self.law = law
        self.runRates = runRates
    }

    /// Every option with `checkpoint + length ≤ budget`, best (lowest final loss) first.
    /// - Throws: `ScheduleError.tooManySteps` for a budget beyond `Schedule.maximumSteps`,
    ///   `ScheduleError.inconsistent` for a checkpoint beyond the budget or the run's rates,
    ///   `ScheduleError.geometricCooldownNeedsEnd` for a geometric shape with an end LR of 0.
    public func options(checkpoints: [Int], lengths: [Int], shapes: [DecayShape], endLearningRate: Double, budget: Int) throws(ScheduleError) -> [Option] {
        try Schedule.checkStepCount(budget, key: "budget")
        for checkpoint in checkpoints where checkpoint > budget || checkpoint >= runRates.count || checkpoint < 1 {
            throw .inconsistent("checkpoint \(checkpoint) lies outside the run (1…\(min(budget, runRates.count - 1)) for a budget of \(budget) steps)")
        }
        if shapes.contains(.geometric) && endLearningRate <= 0 {
            throw .geometricCooldownNeedsEnd
        }
        var result: [Option] = []
        for checkpoint in checkpoints.sorted() {
            // `length ≤ budget − checkpoint` rather than a sum, which a huge length would overflow.
            for length in lengths where length >= 1 && length <= budget - checkpoint {
                for shape in shapes {
                    result.append(Option(checkpoint: checkpoint, length: length, shape: shape, endLearningRate: endLearningRate,
                                         finalStep: checkpoint + length, finalLoss: .nan))
                }
            }
        }
        if let annealing = law as? AnnealingLaw {
            annealingFinalLosses(&result, law: annealing)
        } else {
            for index in result.indices {
                result[index].finalLoss = law.predictLoss(learningRates: learningRates(of: result[index]), at: [result[index].finalStep])[0]
            }
        }
        return result.sorted { $0.finalLoss < $1.finalLoss }
    }

    /// Final losses under the annealing law by the defining recurrences of S1 and S2, continued
    /// from each checkpoint's state (options come grouped by checkpoint).
    private func annealingFinalLosses(_ options: inout [Option], law: AnnealingLaw) {
        let rates = law.warmup.effectiveRates(runRates)
        var state: (checkpoint: Int, forward: Double, momentum: Double, area: Double) = (-1, 0, 0, 0)
        for index in options.indices {
            let option = options[index]
            if option.checkpoint != state.checkpoint {
                var forward = 0.0, momentum = 0.0, area = 0.0
                for s in 1...option.checkpoint {
                    forward += rates[s]
                    momentum = law.lambda * momentum + (rates[s - 1] - rates[s])
                    area += momentum
                }
                state = (option.checkpoint, forward, momentum, area)
            }
            let start = rates[option.checkpoint]
            var s1 = state.forward, m = state.momentum, s2 = state.area, previous = start
            for j in 1...option.length {
                let rate = option.shape.learningRate(progress: Double(j) / Double(option.length), from: start, to: option.endLearningRate)
                s1 += rate
                m = law.lambda * m + (previous - rate)
                s2 += m
                previous = rate
            }
            options[index].finalLoss = law.l0 + law.a * pow(s1, -law.alpha) - law.c * s2
        }
    }

    /// Loss versus compute: of `options`, those that reach a lower final loss than every option
    /// ending earlier, by final step. Spending more steps than a listed option without reaching a
    /// listed later one buys nothing.
    public static func lossVersusCompute(_ options: [Option]) -> [Option] {
        var frontier: [Option] = []
        for option in options.sorted(by: { ($0.finalStep, $0.finalLoss) < ($1.finalStep, $1.finalLoss) })
        where frontier.last.map({ option.finalLoss < $0.finalLoss }) ?? true {
            frontier.append(option)
        }
        return frontier
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
