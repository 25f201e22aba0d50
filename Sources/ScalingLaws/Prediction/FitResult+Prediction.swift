import Foundation
import Synchronization

extension FitResult {
    /// The law's own error applied to this fit's predictions.
    public var lawErrorModel: LawErrorModel { .calibrated }

    /// Predicts the loss at `steps` of a run with per-step `learningRates`, with the predictive band's
    /// parts (delta-method standard errors, bootstrap band, committee spread, law error) and the
    /// extrapolation at each step.
    ///
    /// ```
    /// SE(L̂) = √(gᵀ Σ g),   g = ∂L̂/∂θ at the fitted θ
    /// e(L̂)  = b · L̂        (LawErrorModel)
    /// ```
    public func predict(learningRates: [Double], at steps: [Int]) -> [PredictedLoss] {
        var points = committee.map { predictByCommittee($0, learningRates: learningRates, at: steps) }
            ?? predictByLaw(learningRates: learningRates, at: steps)
        let extrapolations = extrapolation(learningRates: learningRates, at: steps)
        for index in points.indices {
            points[index].lawError = lawErrorModel.relativeError * abs(points[index].loss)
            if index < extrapolations.count { points[index].extrapolation = extrapolations[index] }
        }
        return points
    }

    private func predictByCommittee(_ committee: Committee, learningRates: [Double], at steps: [Int]) -> [PredictedLoss] {
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

    /// `L̂_a(stepA) − L̂_b(stepB)` for two schedules, with the parts of its calibrated interval.
    ///
    /// ```
    /// e_d = b_d · (L̂_a + L̂_b) / 2      (LawErrorModel)
    /// ```
    public func difference(_ a: [Double], at stepA: Int, minus b: [Double], at stepB: Int) -> PredictedDifference {
        guard let committee else {
            let own = differenceByLaw(a, at: stepA, minus: b, at: stepB)
            var difference = own.difference
            difference.lawError = lawErrorModel.relativeDifferenceError * abs(own.lossA + own.lossB) / 2
            return difference
        }
        let members = committee.members.map { $0.fit.differenceByLaw(a, at: stepA, minus: b, at: stepB) }
        let reusesFirst = bootstrap == nil && committee.members[0].fit.law == law
        let own = reusesFirst ? members[0] : differenceByLaw(a, at: stepA, minus: b, at: stepB)
        let lossA = Committee.combine(members.map(\.lossA)).loss, lossB = Committee.combine(members.map(\.lossB)).loss
        let differences = members.map(\.difference.difference)
        let combined = Committee.combine(differences)
        let errors = combined.middle.compactMap { members[$0].difference.standardError }
        let shift = (lossA - lossB) - own.difference.difference
        return PredictedDifference(difference: lossA - lossB,
                                   standardError: errors.count == combined.middle.count ? errors.reduce(0, +) / Double(errors.count) : nil,
                                   bootstrapBand95: own.difference.bootstrapBand95.map { ($0.lowerBound + shift)...($0.upperBound + shift) },
                                   memberDifferences: differences, modelSpread: combined.spread,
                                   lawError: lawErrorModel.relativeDifferenceError * abs(lossA + lossB) / 2)
    }

    /// The difference under this fit's own law and its ranking check, without its committee, with
    /// the two losses.
    private func differenceByLaw(_ a: [Double], at stepA: Int, minus b: [Double], at stepB: Int)
        -> (difference: PredictedDifference, lossA: Double, lossB: Double) {
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
        let difference = PredictedDifference(
            difference: left.loss - right.loss, standardError: error,
            bootstrapBand95: replicates.isEmpty ? nil : BootstrapSample.band95(estimate: left.loss - right.loss, replicates: replicates),
            checkDifference: check)
        return (difference, left.loss, right.loss)
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
