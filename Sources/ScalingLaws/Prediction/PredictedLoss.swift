import Foundation

/// A predicted loss at one step with its standard error from the fit's parameter uncertainty.
public struct PredictedLoss: Sendable, Equatable, Codable {
    public var step: Int
    public var learningRate: Double
    public var loss: Double
    /// Standard error by the delta method, `√(gᵀ Σ g)` with g = ∂L̂/∂θ and Σ the fit's covariance;
    /// nil when the fit has no covariance.
    public var standardError: Double?

    /// The central 95 % band, `loss ± 1.96·standardError`.
    public var band95: ClosedRange<Double>? {
        guard let standardError, standardError.isFinite, loss.isFinite else { return nil }
        return (loss - 1.96 * standardError)...(loss + 1.96 * standardError)
    }
}

/// A difference of two predictions with its standard error (the correlation through the shared
/// parameters is kept, so the difference is often much surer than either prediction).
public struct PredictedDifference: Sendable, Equatable, Codable {
    public var difference: Double
    public var standardError: Double?

    /// True when |difference| exceeds 1.96 standard errors.
    public var isSignificant: Bool {
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
        let rows = lossAndGradients(learningRates: learningRates, at: steps)
        return zip(steps, rows).map { step, row in
            PredictedLoss(step: step, learningRate: learningRates[step], loss: row.loss,
                          standardError: row.gradient.map { variance(of: $0).squareRoot() })
        }
    }

    /// `L̂_a(stepA) − L̂_b(stepB)` for two schedules, with the standard error of the difference.
    public func difference(_ a: [Double], at stepA: Int, minus b: [Double], at stepB: Int) -> PredictedDifference {
        let left = lossAndGradients(learningRates: a, at: [stepA])[0]
        let right = lossAndGradients(learningRates: b, at: [stepB])[0]
        var error: Double?
        if let g = left.gradient, let h = right.gradient {
            error = variance(of: zip(g, h).map { $0 - $1 }).squareRoot()
        }
        return PredictedDifference(difference: left.loss - right.loss, standardError: error)
    }

    /// The loss and, when the fit has a covariance, the gradient with respect to its parameters.
    private func lossAndGradients(learningRates: [Double], at steps: [Int]) -> [(loss: Double, gradient: [Double]?)] {
        let law = fittedLaw
        let rows: [(loss: Double, gradient: [Double])]
        if let multiPower = law as? MultiPowerLaw {
            rows = multiPower.predictLossAndGradient(learningRates: learningRates, at: steps)
        } else if let annealing = law as? AnnealingLaw {
            rows = annealing.predictLossAndGradient(learningRates: learningRates, at: steps).map { row in
                (row.loss, annealing.parameterNames.indices.map { row.gradient[$0] })
            }
        } else {
            preconditionFailure("no gradient for law \(self.law)")
        }
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
