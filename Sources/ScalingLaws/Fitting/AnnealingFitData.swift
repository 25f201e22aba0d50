import Foundation
import NonlinearLeastSquares

/// The points of several curves stacked for one joint annealing-law fit, with their areas.
struct AnnealingFitData {
    struct Curve {
        var source: TrainingCurve
        /// Indices into the curve's logged points that are fitted (S1 > 0).
        var kept: [Int]
        var range: Range<Int>
        var areas: LearningRateAreas
    }

    var curves: [Curve]
    /// Loss per fitted point: a logged loss, or the geometric mean of a bin of them.
    var losses: [Double]
    var logLosses: [Double]
    /// How many logged points each fitted point stands for (1 unless binned).
    var weights: [Double]
    /// True when some curve was binned.
    var isBinned: Bool
    var forwardArea: [Double]
    var logForwardArea: [Double]
    /// Points left out because no learning-rate area precedes them (S1 = 0).
    var excludedPoints: Int
    /// True when some curve lowers its learning rate after reaching its peak, which is what
    /// determines C and λ.
    var anneals: Bool

    var count: Int { losses.count }

    /// Stacks the curves' points that have learning-rate area (S1 > 0). A curve with more than
    /// `maxPointsPerCurve` points is reduced to bins of consecutive points (`LoggedPointBins`).
    init(curves: [TrainingCurve], warmup: WarmupConvention, maxPointsPerCurve: Int = .max) {
        var stacked: [Curve] = []
        var logLosses: [Double] = [], forward: [Double] = [], weights: [Double] = []
        var excluded = 0
        var anneals = false
        var binned = false
        for curve in curves {
            let rates = warmup.effectiveRates(curve.learningRates)
            let firstWithArea = Self.firstStepWithArea(rates)
            let kept = curve.steps.indices.filter { curve.steps[$0] >= firstWithArea }
            excluded += curve.steps.count - kept.count
            let bins = LoggedPointBins(curve, indices: kept, maxPoints: maxPointsPerCurve) {
                MultiPowerLaw.forwardArea(rates, at: kept.map { curve.steps[$0] })
            }
            binned = binned || bins.isBinned
            let steps = bins.steps
            logLosses += bins.logLosses
            weights += bins.weights
            let areas = LearningRateAreas(rates: rates, at: steps)
            let offset = forward.count
            forward += areas.forwardArea
            stacked.append(Curve(source: curve, kept: kept, range: offset..<forward.count, areas: areas))
            if let last = steps.last, Self.annealsBefore(last, rates: rates) { anneals = true }
        }
        self.curves = stacked
        self.logLosses = logLosses
        self.losses = logLosses.map { exp($0) }
        self.weights = weights
        self.isBinned = binned
        self.forwardArea = forward
        self.logForwardArea = forward.map { log($0) }
        self.excludedPoints = excluded
        self.anneals = anneals
    }

    /// The first step with a positive forward area S1 (S1 sums the LR of steps 1…s).
    private static func firstStepWithArea(_ rates: [Double]) -> Int {
        rates.indices.dropFirst().first { rates[$0] > 0 } ?? Int.max
    }

    /// `Σ wᵢ ρ(rᵢ)`: the objective over all logged points the stacked points stand for.
    func objective(_ residuals: [Double], _ robust: RobustLoss) -> Double {
        var total = 0.0
        for (r, w) in zip(residuals, weights) { total += w * robust.value(r) }
        return total
    }

    /// Whether the learning rate falls by more than 1 % of its peak after the peak, by `step`.
    private static func annealsBefore(_ step: Int, rates: [Double]) -> Bool {
        let window = rates[0...step]
        guard let peak = window.max(), peak > 0, let peakIndex = window.firstIndex(of: peak) else { return false }
        let lowest = window[peakIndex...].min() ?? peak
        return lowest < peak * 0.99
    }

    /// S2 and ∂S2/∂λ at every stacked point for momentum `lambda`.
    func annealingAreaAndDerivative(lambda: Double) -> (area: [Double], derivative: [Double]) {
        var derivative = [Double](repeating: 0, count: count)
        let area = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            derivative.withUnsafeMutableBufferPointer { slope in
                for curve in curves {
                    curve.areas.writeAnnealingArea(lambda: lambda, into: buffer.baseAddress! + curve.range.lowerBound,
                                                   derivative: slope.baseAddress! + curve.range.lowerBound)
                }
            }
            initialized = count
        }
        return (area, derivative)
    }

    /// S2 at every stacked point for momentum `lambda`.
    func annealingArea(lambda: Double) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for curve in curves {
                curve.areas.writeAnnealingArea(lambda: lambda, into: buffer.baseAddress! + curve.range.lowerBound, derivative: nil)
            }
            initialized = count
        }
    }
}
