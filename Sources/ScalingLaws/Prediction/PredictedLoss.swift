import Foundation
import Synchronization

/// A predicted loss at one step with its standard error from the fit's parameter uncertainty.
public struct PredictedLoss: Sendable, Equatable, Codable {
    public var step: Int
    public var learningRate: Double
    public var loss: Double
    /// Standard error by the delta method, `√(gᵀ Σ g)` with g = ∂L̂/∂θ and Σ the fit's covariance;
    /// nil when the fit has no covariance.
    public var standardError: Double?
    /// The basic bootstrap 95 % interval over the fit's bootstrap replicates, when it has them
    /// (`BootstrapSample.band95(estimate:replicates:)`).
    public var bootstrapBand95: ClosedRange<Double>?
    /// The committee members' spread at this step (`Committee.combine`): half the gap between the
    /// two middle members' predictions, the law's uncertain form that parameter bands miss; nil
    /// for the fit of one law.
    public var modelSpread: Double?
    /// Each committee member's prediction, in the committee's order; nil for the fit of one law.
    public var memberLosses: [Double]?

    /// The delta method's 95 % band, `loss ± 1.96·standardError`.
    public var deltaBand95: ClosedRange<Double>? {
        guard let standardError, standardError.isFinite, loss.isFinite else { return nil }
        return (loss - 1.96 * standardError)...(loss + 1.96 * standardError)
    }

    /// The 95 % band: the bootstrap's when the fit has one (it accounts for correlated residuals
    /// and for which curves were fitted), else the delta method's.
    public var band95: ClosedRange<Double>? {
        bootstrapBand95 ?? deltaBand95
    }
}

/// A difference of two predictions with its standard error (the correlation through the shared
/// parameters is kept, so the difference is often much surer than either prediction).
public struct PredictedDifference: Sendable, Equatable, Codable {
    public var difference: Double
    public var standardError: Double?
    /// The basic bootstrap 95 % interval of the difference over the fit's bootstrap replicates.
    public var bootstrapBand95: ClosedRange<Double>?
    /// The same difference under the fit's ranking check (`RankingCheck`), when it has one.
    public var checkDifference: Double?
    /// The same difference under each committee member, when the fit is a committee's.
    public var memberDifferences: [Double]?

    /// Whether the order is settled: every committee member orders the two schedules the same way,
    /// or for the fit of one law, its ranking check does (nil without either).
    public var isSettled: Bool? {
        if let memberDifferences { return memberDifferences.allSatisfy { $0 * difference > 0 } }
        return checkDifference.map { $0 * difference > 0 }
    }

    /// True when the bootstrap band excludes 0, or without a bootstrap when |difference| exceeds
    /// 1.96 standard errors.
    public var isSignificant: Bool {
        if let bootstrapBand95 { return !bootstrapBand95.contains(0) }
        guard let standardError else { return false }
        return abs(difference) > 1.96 * standardError
    }
}

extension FitResult {
    /// Predicts the loss at `steps` of a run with per-step `learningRates`, with delta-method
    /// standard errors.
    ///
    /// ```
    /// SE(L̂) = √(gᵀ Σ g),   g = ∂L̂/∂θ at the fitted θ
    /// ```
    public func predict(learningRates: [Double], at steps: [Int]) -> [PredictedLoss] {
        guard let committee else { return predictByLaw(learningRates: learningRates, at: steps) }
        // The members predict in parallel; this fit's own law (its bootstrap bands) is the first member's.
        let fits = [self] + committee.members.map(\.fit)
        let slots = Mutex([[PredictedLoss]?](repeating: nil, count: fits.count))
        DispatchQueue.concurrentPerform(iterations: fits.count) { index in
            let reusesFirst = index == 0 && bootstrap == nil && committee.members[0].fit.law == law
            let prediction = reusesFirst ? nil : fits[index].predictByLaw(learningRates: learningRates, at: steps)
            slots.withLock { $0[index] = prediction }
        }
        let predicted = slots.withLock { $0 }
        let members = predicted.dropFirst().compactMap { $0 }
        let own = predicted[0] ?? members[0]
        return own.indices.map { index in
            let losses = members.map { $0[index].loss }
            let combined = Committee.combine(losses)
            let errors = combined.middle.compactMap { members[$0][index].standardError }
            var point = own[index]
            point.loss = combined.loss
            point.standardError = errors.count == combined.middle.count ? errors.reduce(0, +) / Double(errors.count) : nil
            point.bootstrapBand95 = own[index].bootstrapBand95.map { band in
                let shift = combined.loss - own[index].loss
                return (band.lowerBound + shift)...(band.upperBound + shift)
            }
            point.modelSpread = combined.spread
            point.memberLosses = losses
            return point
        }
    }

    /// The prediction of this fit's own law, without its committee.
    private func predictByLaw(learningRates: [Double], at steps: [Int]) -> [PredictedLoss] {
        let rows = lossAndGradients(learningRates: learningRates, at: steps)
        let replicates = replicateLaws.map { $0.predictLoss(learningRates: learningRates, at: steps) }
        return zip(steps.indices, rows).map { index, row in
            PredictedLoss(step: steps[index], learningRate: learningRates[steps[index]], loss: row.loss,
                          standardError: row.gradient.map { variance(of: $0).squareRoot() },
                          bootstrapBand95: replicates.isEmpty ? nil : BootstrapSample.band95(estimate: row.loss, replicates: replicates.map { $0[index] }))
        }
    }

    /// `L̂_a(stepA) − L̂_b(stepB)` for two schedules, with the standard error of the difference.
    public func difference(_ a: [Double], at stepA: Int, minus b: [Double], at stepB: Int) -> PredictedDifference {
        let own = differenceByLaw(a, at: stepA, minus: b, at: stepB)
        guard let committee else { return own }
        // The fit's own law is its first member's (with the fit's bootstrap, which only `own` uses),
        // so that member's difference is not computed a second time.
        let members = committee.members.enumerated().map { index, member in
            index == 0 && member.fit.law == self.law && member.fit.covariance == self.covariance
                ? own : member.fit.differenceByLaw(a, at: stepA, minus: b, at: stepB)
        }
        let law = committee.law
        let difference = law.predictLoss(learningRates: a, at: [stepA])[0] - law.predictLoss(learningRates: b, at: [stepB])[0]
        let middle = Committee.combine(members.map(\.difference)).middle
        let errors = middle.compactMap { members[$0].standardError }
        let shift = difference - own.difference
        return PredictedDifference(difference: difference,
                                   standardError: errors.count == middle.count ? errors.reduce(0, +) / Double(errors.count) : nil,
                                   bootstrapBand95: own.bootstrapBand95.map { ($0.lowerBound + shift)...($0.upperBound + shift) },
                                   memberDifferences: members.map(\.difference))
    }

    /// The difference under this fit's own law and its ranking check, without its committee.
    private func differenceByLaw(_ a: [Double], at stepA: Int, minus b: [Double], at stepB: Int) -> PredictedDifference {
        let left = lossAndGradients(learningRates: a, at: [stepA])[0]
        let right = lossAndGradients(learningRates: b, at: [stepB])[0]
        var error: Double?
        if let g = left.gradient, let h = right.gradient {
            error = variance(of: zip(g, h).map { $0 - $1 }).squareRoot()
        }
        let replicates = replicateLaws.map { law in
            law.predictLoss(learningRates: a, at: [stepA])[0] - law.predictLoss(learningRates: b, at: [stepB])[0]
        }
        let check = rankingCheck.map { check in
            check.law.predictLoss(learningRates: a, at: [stepA])[0] - check.law.predictLoss(learningRates: b, at: [stepB])[0]
        }
        return PredictedDifference(difference: left.loss - right.loss, standardError: error,
                                   bootstrapBand95: replicates.isEmpty ? nil : BootstrapSample.band95(estimate: left.loss - right.loss, replicates: replicates),
                                   checkDifference: check)
    }

    /// The loss and, when the fit has a covariance, the gradient with respect to its parameters.
    private func lossAndGradients(learningRates: [Double], at steps: [Int]) -> [(loss: Double, gradient: [Double]?)] {
        let rows = law.predictLossAndGradient(learningRates: learningRates, at: steps)
        guard let covariance else { return rows.map { ($0.loss, nil) } }
        let indices = covariance.parameters.map { law.parameterNames.firstIndex(of: $0) ?? 0 }
        return rows.map { row in (row.loss, indices.map { row.gradient[$0] }) }
    }

    private func variance(of gradient: [Double]) -> Double {
        guard let matrix = covariance?.matrix else { return .nan }
        var total = 0.0
        for i in gradient.indices {
            for j in gradient.indices { total += gradient[i] * matrix[i][j] * gradient[j] }
        }
        return max(total, 0)
    }
}
