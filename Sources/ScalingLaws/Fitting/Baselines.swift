import Foundation
import Synchronization

/// What a user would otherwise do, fitted on the same curves, so `evaluate` can show whether the
/// joint law predicts unseen schedules better.
///
/// - each curve refitted alone with the same law (a hand fit with curve_fit, one run at a time);
/// - a schedule-blind power law in steps, `L = L0 + A·s^(−α)`, fitted jointly;
/// - the AutoLRS forecast `L = a·e^(b·s/s_max) + c` (`ExponentialLaw`), fitted jointly to the
///   recent window of each curve, also schedule-blind: short-horizon curve extrapolation.
public struct FitBaselines: Sendable, Equatable, Codable {
    /// The law fitted to each curve alone, by curve name (nil where that fit failed).
    public var perCurve: [NamedLaw]
    /// `L = L0 + A·s^(−α)` fitted to all curves, ignoring their schedules.
    public var powerLawInSteps: AnnealingLaw?
    /// The exponential forecast fitted to all curves' recent windows (nil in fits from older versions).
    public var exponential: ExponentialLaw?

    /// A law and the curve it was fitted on.
    public struct NamedLaw: Sendable, Equatable, Codable {
        public var curve: String
        public var law: AnnealingLaw
    }

    /// Fits the baselines to `curves`: the annealing-law ones with `options`, the exponential
    /// forecast with `exponential`.
    public static func fit(_ curves: [TrainingCurve], options: AnnealingFitOptions,
                           exponential: ExponentialFitOptions = .init()) -> FitBaselines {
        let fitter = AnnealingFitter(options: options)
        let blind = curves.compactMap { try? $0.withUnitLearningRates() }
        // The fits are independent: on every core, the exponential and the blind power law first.
        let perCurve = Mutex([NamedLaw?](repeating: nil, count: curves.count))
        let powerLaw = Mutex<AnnealingLaw?>(nil)
        let forecast = Mutex<ExponentialLaw?>(nil)
        DispatchQueue.concurrentPerform(iterations: curves.count + 2) { job in
            switch job {
            case 0:
                let law = (try? ExponentialFitter(options: exponential).fit(curves))?.exponential
                forecast.withLock { $0 = law }
            case 1:
                let law = (try? fitter.fit(blind))?.annealing
                powerLaw.withLock { $0 = law }
            default:
                let curve = curves[job - 2]
                let law = (try? fitter.fit([curve]))?.annealing.map { NamedLaw(curve: curve.name, law: $0) }
                perCurve.withLock { $0[job - 2] = law }
            }
        }
        return FitBaselines(perCurve: perCurve.withLock { $0.compactMap { $0 } }, powerLawInSteps: powerLaw.withLock { $0 },
                            exponential: forecast.withLock { $0 })
    }

    /// Predictions of each baseline for `curve` at its logged steps: the per-curve refits
    /// (one series each), the power law in steps and the exponential forecast.
    public func predictions(for curve: TrainingCurve) -> (perCurve: [[Double]], powerLawInSteps: [Double]?, exponential: [Double]?) {
        let perCurve = self.perCurve.map { $0.law.predictLoss(learningRates: curve.learningRates, at: curve.steps) }
        let ones = [Double](repeating: 1, count: curve.learningRates.count)
        return (perCurve, powerLawInSteps?.predictLoss(learningRates: ones, at: curve.steps),
                exponential?.predictLoss(learningRates: curve.learningRates, at: curve.steps))
    }
}

extension TrainingCurve {
    /// The same losses with a learning rate of 1 at every step, so that S1 = s and S2 = 0: the
    /// annealing law then reduces to a power law in steps.
    func withUnitLearningRates() throws(CurveError) -> TrainingCurve {
        try TrainingCurve(name: name, steps: steps, losses: losses,
                          learningRates: [Double](repeating: 1, count: learningRates.count), source: learningRateSource)
    }
}
