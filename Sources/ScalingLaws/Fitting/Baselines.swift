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
        let jobs = Jobs(curves, options: options, exponential: exponential)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { jobs.run($0) }
        return jobs.result
    }

    /// The baseline fits as independent jobs, so that they can share a pool of threads with other
    /// fits (a `concurrentPerform` nested in another runs on one thread): run every job in
    /// `0..<count` once, in any order and on any thread, then read `result`.
    public final class Jobs: Sendable {
        private let curves: [TrainingCurve]
        private let options: AnnealingFitOptions
        private let exponential: ExponentialFitOptions
        private let perCurve: Mutex<[NamedLaw?]>
        private let powerLaw = Mutex<AnnealingLaw?>(nil)
        private let forecast = Mutex<ExponentialLaw?>(nil)
        private let fitsEachCurve: Bool

        /// - Parameter fitsEachCurve: false when the caller fits the one curve with `options`
        ///   anyway and passes that fit to `result(fittedAlone:)`: the fit of the law to a curve
        ///   alone is then the joint fit, and is not repeated.
        public init(_ curves: [TrainingCurve], options: AnnealingFitOptions, exponential: ExponentialFitOptions = .init(),
                    fitsEachCurve: Bool = true) {
            self.curves = curves
            self.options = options
            self.exponential = exponential
            self.fitsEachCurve = fitsEachCurve
            perCurve = Mutex([NamedLaw?](repeating: nil, count: curves.count))
        }

        /// The power law in steps, the exponential forecast and (unless told otherwise) one fit per curve.
        public var count: Int { fitsEachCurve ? curves.count + 2 : 2 }

        /// Runs job `job` (the exponential and the blind power law first: they are the fits every
        /// log has).
        public func run(_ job: Int) {
            let fitter = AnnealingFitter(options: options)
            switch job {
            case 0:
                let law = (try? ExponentialFitter(options: exponential).fit(curves))?.exponential
                forecast.withLock { $0 = law }
            case 1:
                let blind = curves.compactMap { try? $0.withUnitLearningRates() }
                let law = (try? fitter.fit(blind))?.annealing
                powerLaw.withLock { $0 = law }
            default:
                let curve = curves[job - 2]
                let law = (try? fitter.fit([curve]))?.annealing.map { NamedLaw(curve: curve.name, law: $0) }
                perCurve.withLock { $0[job - 2] = law }
            }
        }

        /// The baselines whose jobs have run.
        public var result: FitBaselines { result(fittedAlone: nil) }

        /// The baselines whose jobs have run, with `fittedAlone` as the fit of the one curve alone
        /// when these jobs did not fit it.
        public func result(fittedAlone: AnnealingLaw?) -> FitBaselines {
            var laws = perCurve.withLock { $0.compactMap { $0 } }
            if !fitsEachCurve, let law = fittedAlone, let curve = curves.first { laws = [NamedLaw(curve: curve.name, law: law)] }
            return FitBaselines(perCurve: laws, powerLawInSteps: powerLaw.withLock { $0 }, exponential: forecast.withLock { $0 })
        }
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
