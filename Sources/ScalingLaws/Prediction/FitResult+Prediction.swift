import Foundation

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
        let fits = (reusesFirstMember ? [] : [self]) + committee.members.map(\.fit)
        let predicted = fits.concurrentMap { $0.predictByLaw(learningRates: learningRates, at: steps) }
        let members = Array(predicted.suffix(committee.members.count))
        let own = predicted[0]
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
        difference(differenceEndpoint(a, at: stepA), minus: differenceEndpoint(b, at: stepB))
    }

    /// What `difference(_:minus:)` needs of the loss of the run with per-step `learningRates` at
    /// `step`: computed once per schedule, so that judging every pair of n schedules predicts n
    /// times, not n².
    public func differenceEndpoint(_ learningRates: [Double], at step: Int) -> DifferenceEndpoint {
        guard let committee else { return DifferenceEndpoint(own: lawEndpoint(learningRates, at: step), members: []) }
        let members = committee.members.map { $0.fit.lawEndpoint(learningRates, at: step) }
        return DifferenceEndpoint(own: reusesFirstMember ? members[0] : lawEndpoint(learningRates, at: step), members: members)
    }

    /// The difference of two endpoints of this fit (`a − b`), with the parts of its calibrated
    /// interval. Both endpoints must come from `differenceEndpoint` of this fit.
    public func difference(_ a: DifferenceEndpoint, minus b: DifferenceEndpoint) -> PredictedDifference {
        guard let committee else {
            var difference = Self.difference(a.own, minus: b.own, covariance: self)
            difference.lawError = lawErrorModel.relativeDifferenceError * abs(a.own.loss + b.own.loss) / 2
            return difference
        }
        precondition(a.members.count == committee.members.count && b.members.count == committee.members.count,
                     "FitResult.difference: an endpoint comes from another fit")
        let members = committee.members.indices.map { index in
            Self.difference(a.members[index], minus: b.members[index], covariance: committee.members[index].fit)
        }
        let own = reusesFirstMember ? members[0] : Self.difference(a.own, minus: b.own, covariance: self)
        let lossA = Committee.combine(a.members.map(\.loss)).loss, lossB = Committee.combine(b.members.map(\.loss)).loss
        let differences = members.map(\.difference)
        let combined = Committee.combine(differences)
        let errors = combined.middle.compactMap { members[$0].standardError }
        let shift = (lossA - lossB) - own.difference
        return PredictedDifference(difference: lossA - lossB,
                                   standardError: errors.count == combined.middle.count ? errors.reduce(0, +) / Double(errors.count) : nil,
                                   bootstrapBand95: own.bootstrapBand95.map { ($0.lowerBound + shift)...($0.upperBound + shift) },
                                   memberDifferences: differences, modelSpread: combined.spread,
                                   lawError: lawErrorModel.relativeDifferenceError * abs(lossA + lossB) / 2)
    }

    /// A committee's own law is its first member's unless a bootstrap moved it.
    private var reusesFirstMember: Bool {
        guard let committee else { return false }
        return bootstrap == nil && committee.members[0].fit.law == law
    }

    /// The loss at `step` under this fit's own law, its gradient, its bootstrap replicates and its
    /// ranking check, without its committee.
    private func lawEndpoint(_ learningRates: [Double], at step: Int) -> DifferenceEndpoint.Law {
        let row = lossAndGradients(learningRates: learningRates, at: [step])[0]
        return DifferenceEndpoint.Law(
            loss: row.loss, gradient: row.gradient,
            replicates: replicateLaws.map { $0.predictLoss(learningRates: learningRates, at: [step])[0] },
            check: rankingCheck.map { $0.law.predictLoss(learningRates: learningRates, at: [step])[0] })
    }

    /// The difference of two endpoints under one law, with the delta-method error of `covariance`'s fit.
    private static func difference(_ left: DifferenceEndpoint.Law, minus right: DifferenceEndpoint.Law,
                                   covariance fit: FitResult) -> PredictedDifference {
        var error: Double?
        if let g = left.gradient, let h = right.gradient {
            error = fit.variance(of: zip(g, h).map { $0 - $1 }).squareRoot()
        }
        let replicates = zip(left.replicates, right.replicates).map { $0 - $1 }
        let check = left.check.flatMap { l in right.check.map { l - $0 } }
        return PredictedDifference(
            difference: left.loss - right.loss, standardError: error,
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

/// One schedule's prediction at one step as `FitResult.difference(_:minus:)` needs it: the loss,
/// gradient, bootstrap replicates and ranking check under the fit's own law and under each member
/// of its committee.
public struct DifferenceEndpoint: Sendable {
    struct Law: Sendable {
        var loss: Double
        var gradient: [Double]?
        var replicates: [Double]
        var check: Double?
    }

    /// Under the fit's own law (a committee's is its first member's unless a bootstrap moved it).
    var own: Law
    /// Under each member of the committee, in its order (empty without a committee).
    var members: [Law]
}
