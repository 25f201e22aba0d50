import Foundation
import NonlinearLeastSquares

/// The points of several curves stacked for one joint multi-power-law fit, with their loss-drop sums.
struct MultiPowerFitData {
    struct Curve {
        var source: TrainingCurve
        /// Indices into the curve's logged points that are fitted (S1 + S_W > 0).
        var kept: [Int]
        var range: Range<Int>
        var drop: MultiPowerLossDrop
    }

    var curves: [Curve]
    /// Loss per fitted point: a logged loss, or the geometric mean of a bin of them.
    var losses: [Double]
    var logLosses: [Double]
    /// How many logged points each fitted point stands for (1 unless binned), and their roots.
    var weights: [Double]
    var rootWeights: [Double]
    /// True when some curve was binned.
    var isBinned: Bool
    var logForwardArea: [Double]
    /// η_0 − η_t at every point: the drop sum once every term has relaxed.
    var totalChange: [Double]
    /// The largest learning rate of any curve, the unit of the scaled starting grid of C.
    var peakRate: Double
    /// Points left out because no learning-rate area precedes them.
    var excludedPoints: Int
    /// True when some curve lowers its learning rate after its peak, which is what determines
    /// B, C, β and γ.
    var anneals: Bool

    var count: Int { losses.count }

    /// Stacks the curves' points that have learning-rate area; a curve with more than
    /// `maxPointsPerCurve` points is reduced to bins of consecutive points (`LoggedPointBins`).
    init(curves: [TrainingCurve], warmup: WarmupConvention, maxPointsPerCurve: Int = .max) {
        var stacked: [Curve] = []
        var losses: [Double] = [], logLosses: [Double] = [], weights: [Double] = [], logArea: [Double] = [], change: [Double] = []
        var excluded = 0, peak = 0.0, anneals = false, binned = false
        for curve in curves {
            let rates = warmup.effectiveRates(curve.learningRates)
            let area = MultiPowerLaw.forwardArea(rates, at: curve.steps)
            let kept = curve.steps.indices.filter { area[$0] > 0 }
            excluded += curve.steps.count - kept.count
            let bins = LoggedPointBins(curve, indices: kept, maxPoints: maxPointsPerCurve) { kept.map { area[$0] } }
            binned = binned || bins.isBinned
            let steps = bins.steps
            let drop = MultiPowerLossDrop(rates: rates, at: steps)
            let start = losses.count
            if bins.isBinned {
                losses += bins.logLosses.map { exp($0) }
                logLosses += bins.logLosses
            } else {
                let logged = kept.map { curve.losses[$0] }
                losses += logged
                logLosses += logged.map { log($0) }
            }
            weights += bins.weights
            logArea += drop.forwardArea.map { log($0) }
            change += drop.totalChange
            stacked.append(Curve(source: curve, kept: kept, range: start..<losses.count, drop: drop))
            if let last = steps.last {
                let window = rates[0...last]
                let highest = window.max() ?? 0
                peak = max(peak, highest)
                if highest > 0, let peakIndex = window.firstIndex(of: highest), (window[peakIndex...].min() ?? highest) < highest * 0.99 {
                    anneals = true
                }
            }
        }
        self.curves = stacked
        self.losses = losses
        self.logLosses = logLosses
        self.weights = weights
        self.rootWeights = weights.map { $0.squareRoot() }
        self.isBinned = binned
        self.logForwardArea = logArea
        self.totalChange = change
        self.peakRate = peak
        self.excludedPoints = excluded
        self.anneals = anneals
    }

    /// `Σ wᵢ ρ(rᵢ)`: the objective over all logged points the stacked points stand for.
    func objective(_ residuals: [Double], _ robust: RobustLoss) -> Double {
        var total = 0.0
        for (r, w) in zip(residuals, weights) { total += w * robust.value(r) }
        return total
    }

    /// The loss-drop sums D at every stacked point.
    func lossDrop(c: Double, beta: Double, gamma: Double) -> [Double] {
        curves.flatMap { $0.drop.sums(c: c, beta: beta, gamma: gamma) }
    }

    /// D at every stacked point, keeping each curve's term values (one entry per curve) for
    /// `lossDropDerivatives(c:beta:terms:)`.
    func lossDrop(c: Double, beta: Double, gamma: Double, keeping terms: inout [MultiPowerLossDrop.TermValues]) -> [Double] {
        var stacked: [Double] = []
        stacked.reserveCapacity(count)
        for (index, curve) in curves.enumerated() {
            stacked += curve.drop.sums(c: c, beta: beta, gamma: gamma, keeping: &terms[index])
        }
        return stacked
    }

    /// ∂D/∂C, ∂D/∂β, ∂D/∂γ at every stacked point, from the term values `lossDrop` kept at the
    /// same (C, β, γ).
    func lossDropDerivatives(c: Double, beta: Double, terms: [MultiPowerLossDrop.TermValues])
        -> (c: [Double], beta: [Double], gamma: [Double]) {
        var stacked = LossDropDerivatives(count: 0, derivatives: true)
        for (index, curve) in curves.enumerated() {
            let part = curve.drop.derivatives(c: c, beta: beta, terms: terms[index])
            stacked.c += part.c
            stacked.beta += part.beta
            stacked.gamma += part.gamma
        }
        return (stacked.c, stacked.beta, stacked.gamma)
    }
}
