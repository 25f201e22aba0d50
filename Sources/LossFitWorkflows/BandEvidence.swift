import Foundation
import ScalingLaws

/// How the default fit's 95 % predictive band and its verdicts hold on one family's held-out logs
/// (issue #18).
///
/// ```
/// finals inside   = held-out logs whose measured final loss lies in the band at that step
/// points inside   = share of all held-out points inside the band
/// width ratio     = median relative half-width at the finals / median relative |error| there
/// pairs           = held-out logs ending at the same step, A − B: measured difference inside the
///                   difference's interval; orders called settled; settled orders that are wrong
/// ```
public struct BandEvidence: Sendable, Equatable, Encodable {
    public var finals: Int
    public var finalsInside: Int
    public var points: Int
    public var pointsInside: Int
    /// The median over held-out logs of the band's half-width at the final step, relative to the prediction.
    public var medianRelativeHalfWidth: Double
    /// The median over held-out logs of |L̂_T − L_T| / L_T.
    public var medianRelativeFinalError: Double
    public var pairs: Int
    public var pairsInside: Int
    public var settledPairs: Int
    public var wrongSettledPairs: Int

    /// The share of finals inside the band.
    public var finalCoverage: Double { finals == 0 ? 0 : Double(finalsInside) / Double(finals) }
    /// The share of all points inside the band.
    public var pointCoverage: Double { points == 0 ? 0 : Double(pointsInside) / Double(points) }
    /// Median half-width over median error at the finals.
    public var widthRatio: Double { medianRelativeHalfWidth / medianRelativeFinalError }

    /// Scores `fit`'s predictive band on `curves` at every logged step.
    init(fit: FitResult, curves: [TrainingCurve]) {
        var finals: [(curve: TrainingCurve, point: PredictedLoss)] = []
        var points = 0, pointsInside = 0
        for curve in curves {
            let predicted = fit.predict(learningRates: curve.learningRates, at: curve.steps)
            var last: PredictedLoss?
            for (point, measured) in zip(predicted, curve.losses) {
                guard point.loss.isFinite, let band = point.band95 else { continue }
                points += 1
                if band.contains(measured) { pointsInside += 1 }
                last = point
            }
            if let last { finals.append((curve, last)) }
        }
        self.finals = finals.count
        finalsInside = finals.filter { entry in
            entry.point.band95?.contains(entry.curve.losses[entry.curve.steps.firstIndex(of: entry.point.step) ?? 0]) == true
        }.count
        self.points = points
        self.pointsInside = pointsInside
        medianRelativeHalfWidth = Self.median(finals.compactMap { entry in
            entry.point.band95.map { ($0.upperBound - $0.lowerBound) / 2 / entry.point.loss }
        })
        medianRelativeFinalError = Self.median(finals.map { entry in
            let measured = entry.curve.losses[entry.curve.steps.firstIndex(of: entry.point.step) ?? 0]
            return abs(entry.point.loss - measured) / measured
        })
        var pairs = 0, pairsInside = 0, settled = 0, wrong = 0
        for i in finals.indices {
            for j in finals.indices where j > i && finals[i].curve.steps.last == finals[j].curve.steps.last {
                let a = finals[i].curve, b = finals[j].curve
                guard let stepA = a.steps.last, let stepB = b.steps.last, finals[i].point.step == stepA, finals[j].point.step == stepB else { continue }
                let predicted = fit.difference(a.learningRates, at: stepA, minus: b.learningRates, at: stepB)
                guard let interval = predicted.interval95 else { continue }
                let measured = a.losses[a.losses.count - 1] - b.losses[b.losses.count - 1]
                pairs += 1
                if interval.contains(measured) { pairsInside += 1 }
                if predicted.isSettled {
                    settled += 1
                    if predicted.difference * measured < 0 { wrong += 1 }
                }
            }
        }
        self.pairs = pairs
        self.pairsInside = pairsInside
        settledPairs = settled
        wrongSettledPairs = wrong
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
