import Foundation

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
    var losses: [Double]
    var logLosses: [Double]
    var forwardArea: [Double]
    var logForwardArea: [Double]
    /// Points left out because no learning-rate area precedes them (S1 = 0).
    var excludedPoints: Int
    /// True when some curve lowers its learning rate after reaching its peak, which is what
    /// determines C and λ.
    var anneals: Bool

    var count: Int { losses.count }

    init(curves: [TrainingCurve], warmup: WarmupConvention) {
        var stacked: [Curve] = []
        var losses: [Double] = [], forward: [Double] = []
        var excluded = 0
        var anneals = false
        for curve in curves {
            let rates = warmup.effectiveRates(curve.learningRates)
            let allAreas = LearningRateAreas(rates: rates, at: curve.steps)
            let kept = curve.steps.indices.filter { allAreas.forwardArea[$0] > 0 }
            excluded += curve.steps.count - kept.count
            let steps = kept.map { curve.steps[$0] }
            let areas = LearningRateAreas(rates: rates, at: steps)
            let start = losses.count
            losses += kept.map { curve.losses[$0] }
            forward += areas.forwardArea
            stacked.append(Curve(source: curve, kept: kept, range: start..<losses.count, areas: areas))
            if let last = steps.last, Self.annealsBefore(last, rates: rates) { anneals = true }
        }
        self.curves = stacked
        self.losses = losses
        self.logLosses = losses.map { log($0) }
        self.forwardArea = forward
        self.logForwardArea = forward.map { log($0) }
        self.excludedPoints = excluded
        self.anneals = anneals
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
