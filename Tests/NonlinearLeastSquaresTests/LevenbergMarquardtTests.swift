import Foundation
import LinearAlgebra
import Testing
import TestSupport
import NonlinearLeastSquares

/// `y = a·exp(−b·t) + c` at `t = 0, 0.1, …, 9.9`.
private func exponential(_ p: [Double], _ t: Double) -> Double { p[0] * exp(-p[1] * t) + p[2] }

private let times = (0..<100).map { Double($0) / 10 }
private let truth = [2.0, 0.7, 0.5]

/// Seeded data from the exponential model with Gaussian noise of standard deviation `sigma`.
private func noisyExponential(sigma: Double, seed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return times.map { exponential(truth, $0) + sigma * generator.nextGaussian() }
}

private func fitExponential(
    _ y: [Double], start: [Double], options: LevenbergMarquardt.Options = .init(),
    bounds: [ClosedRange<Double>?]? = nil, analytic: Bool = true
) throws -> LevenbergMarquardt.Result {
    let solver = LevenbergMarquardt(options: options)
    let residuals = { (p: [Double], r: inout [Double]) in
        for (i, t) in times.enumerated() { r[i] = exponential(p, t) - y[i] }
    }
    if !analytic {
        return try solver.minimize(start: start, bounds: bounds, residualCount: y.count, residuals: residuals)
    }
    return try solver.minimize(
        start: start, bounds: bounds, residualCount: y.count, residuals: residuals,
        jacobian: { p, j in
            for (i, t) in times.enumerated() {
                let e = exp(-p[1] * t)
                j[i, 0] = e
                j[i, 1] = -p[0] * t * e
                j[i, 2] = 1
            }
        })
}

/// Standard errors `√diag(s²·(JᵀJ)⁻¹)`, `s² = S/(m − n)`.
private func standardErrors(_ result: LevenbergMarquardt.Result) throws -> [Double] {
    let j = result.jacobian
    let s2 = result.residualSumOfSquares / Double(j.rowCount - j.columnCount)
    let inverse = try Cholesky(j.gram).inverse()
    return (0..<j.columnCount).map { (s2 * inverse[$0, $0]).squareRoot() }
}

@Suite struct LevenbergMarquardtTests {
    @Test func recoversANoisyExponentialWithinFourStandardErrors() throws {
        let y = noisyExponential(sigma: 0.01, seed: 42)
        let result = try fitExponential(y, start: [1, 0.2, 0])
        #expect(result.converged)
        #expect(result.jacobian.rowCount == 100 && result.jacobian.columnCount == 3)
        let errors = try standardErrors(result)
        for k in 0..<3 {
            #expect(abs(result.parameters[k] - truth[k]) <= 4 * errors[k],
                    "parameter \(k): \(result.parameters[k]) vs \(truth[k]) ± \(errors[k])")
        }
        // Σr² of 100 residuals of standard deviation 0.01 is ≈ 0.01; ½Σr² is the objective.
        #expect(result.residualSumOfSquares > 0.005 && result.residualSumOfSquares < 0.02)
        #expect(isClose(result.objective, result.residualSumOfSquares / 2, relativeTolerance: 1e-12))

        // Finite differences reach the same minimiser.
        var options = LevenbergMarquardt.Options()
        options.finiteDifferences = .central
        let numeric = try fitExponential(y, start: [1, 0.2, 0], options: options, analytic: false)
        #expect(isClose(numeric.parameters, result.parameters, relativeTolerance: 1e-7))
        let forward = try fitExponential(y, start: [1, 0.2, 0], analytic: false)
        #expect(isClose(forward.parameters, result.parameters, relativeTolerance: 1e-5))
    }

    @Test func respectsBoundsAndStopsAtAnActiveOne() throws {
        let y = noisyExponential(sigma: 0.01, seed: 7)
        let bounds: [ClosedRange<Double>?] = [0...10, 0.05...0.5, nil]
        // The start lies outside the box: it is projected first.
        let result = try fitExponential(y, start: [1, 0.9, 0], bounds: bounds)
        #expect(result.converged)
        #expect(abs(result.parameters[1] - 0.5) <= 1e-12, "the rate is held at its upper bound")
        #expect((0...10).contains(result.parameters[0]))
        // Without the bound the rate goes to ≈ 0.7, so the bound is what stopped it.
        let free = try fitExponential(y, start: [1, 0.2, 0])
        #expect(abs(free.parameters[1] - 0.7) < 0.05)
        #expect(free.residualSumOfSquares < result.residualSumOfSquares)
    }

    @Test func huberDownweightsOutliersThatPullLeastSquares() throws {
        // A straight line y = 1 + 2t with small noise and five gross outliers at the end.
        var generator = SeededGenerator(seed: 3)
        let t = (0..<50).map { Double($0) / 49 }
        var y = t.map { 1 + 2 * $0 + 0.01 * generator.nextGaussian() }
        for i in 45..<50 { y[i] += 3 }
        func fit(_ loss: RobustLoss) throws -> LevenbergMarquardt.Result {
            var options = LevenbergMarquardt.Options()
            options.robustLoss = loss
            return try LevenbergMarquardt(options: options).minimize(
                start: [0, 0], residualCount: t.count,
                residuals: { p, r in for i in t.indices { r[i] = p[0] + p[1] * t[i] - y[i] } })
        }
        let plain = try fit(.none)
        let robust = try fit(.huber(delta: 0.02))
        #expect(robust.converged && robust.iterations > 0)
        #expect(abs(plain.parameters[1] - 2) > 0.5, "least squares is pulled by the outliers")
        #expect(abs(robust.parameters[0] - 1) < 0.02 && abs(robust.parameters[1] - 2) < 0.05,
                "Huber recovers the line: \(robust.parameters)")
        #expect(isClose(robust.objective, RobustLoss.huber(delta: 0.02).objective(robust.residuals), relativeTolerance: 1e-12))
        #expect(robust.weights[47] < 0.05 && robust.weights[10] > 0.99)
        // The robust fit has the lower Huber objective.
        #expect(robust.objective < RobustLoss.huber(delta: 0.02).objective(plain.residuals))
    }

    @Test func variableProjectionRecoversASumOfExponentials() throws {
        // y = 2·exp(−0.5 t) + 1·exp(−3 t) + noise.
        var generator = SeededGenerator(seed: 11)
        let t = (0..<80).map { Double($0) / 16 }
        let y = t.map { 2 * exp(-0.5 * $0) + exp(-3 * $0) + 1e-4 * generator.nextGaussian() }
        let basis = { (theta: [Double], phi: inout Matrix) in
            for i in t.indices {
                phi[i, 0] = exp(-theta[0] * t[i])
                phi[i, 1] = exp(-theta[1] * t[i])
            }
        }
        let derivative = { (theta: [Double], k: Int, dphi: inout Matrix) in
            for i in t.indices {
                dphi[i, 0] = k == 0 ? -t[i] * exp(-theta[0] * t[i]) : 0
                dphi[i, 1] = k == 1 ? -t[i] * exp(-theta[1] * t[i]) : 0
            }
        }
        let projection = VariableProjection()
        let numeric = try projection.fit(
            start: [0.2, 5], bounds: [0...10, 0...10], observations: y, linearCount: 2, basis: basis)
        let kaufman = try projection.fit(
            start: [0.2, 5], bounds: [0...10, 0...10], observations: y, linearCount: 2, basis: basis,
            basisDerivative: derivative)
        for result in [numeric, kaufman] {
            #expect(result.converged)
            #expect(result.rank == 2)
            #expect(isClose(result.nonlinear, [0.5, 3], relativeTolerance: 1e-2), "θ = \(result.nonlinear)")
            #expect(isClose(result.linear, [2, 1], relativeTolerance: 1e-2), "c = \(result.linear)")
            #expect(result.residualSumOfSquares < 80 * 4e-8)
        }
        #expect(isClose(numeric.nonlinear, kaufman.nonlinear, relativeTolerance: 1e-6))

        // Weights 1/σᵢ² equal for all points leave the minimiser unchanged.
        let weighted = try projection.fit(
            start: [0.2, 5], bounds: [0...10, 0...10], observations: y,
            weights: [Double](repeating: 1e8, count: y.count), linearCount: 2, basis: basis)
        #expect(isClose(weighted.nonlinear, numeric.nonlinear, relativeTolerance: 1e-6))
    }

    @Test func variableProjectionWithHuberIgnoresAnOutlier() throws {
        let t = (0..<40).map { Double($0) / 4 }
        var y = t.map { 1 + 3 * exp(-0.8 * $0) }
        y[5] += 2
        let basis = { (theta: [Double], phi: inout Matrix) in
            for i in t.indices {
                phi[i, 0] = 1
                phi[i, 1] = exp(-theta[0] * t[i])
            }
        }
        let plain = try VariableProjection().fit(start: [0.3], observations: y, linearCount: 2, basis: basis)
        let robust = try VariableProjection(options: .init(robustLoss: .huber(delta: 0.01)))
            .fit(start: [0.3], observations: y, linearCount: 2, basis: basis)
        // Huber bounds the outlier's pull (to δ) rather than removing it, so a small bias remains.
        let plainError = abs(plain.nonlinear[0] - 0.8), robustError = abs(robust.nonlinear[0] - 0.8)
        #expect(plainError > 0.01)
        #expect(robustError < 0.003 && robustError < plainError / 5, "θ = \(robust.nonlinear), plain \(plain.nonlinear)")
        #expect(isClose(robust.linear, [1, 3], relativeTolerance: 5e-3), "c = \(robust.linear)")
    }

    @Test func reportsRankDeficientBases() throws {
        // Two identical basis columns: rank 1, and the fit still runs.
        let t = (0..<20).map(Double.init)
        let y = t.map { 2 * exp(-0.1 * $0) }
        let result = try VariableProjection().fit(
            start: [0.3], observations: y, linearCount: 2,
            basis: { theta, phi in
                for i in t.indices {
                    phi[i, 0] = exp(-theta[0] * t[i])
                    phi[i, 1] = exp(-theta[0] * t[i])
                }
            })
        #expect(result.rank == 1)
        #expect(abs(result.nonlinear[0] - 0.1) < 1e-8)
        #expect(abs(result.linear[0] + result.linear[1] - 2) < 1e-8)
    }

    @Test func throwsForNonFiniteStartResidualsAndTooFewObservations() throws {
        let solver = LevenbergMarquardt()
        #expect(throws: FitError.nonFiniteResidualAtStart(index: 1, parameters: [-1])) {
            try solver.minimize(start: [-1], residualCount: 2, residuals: { x, r in
                r[0] = x[0]
                r[1] = log(x[0])
            })
        }
        #expect(throws: FitError.tooFewObservations(observations: 1, parameters: 2)) {
            try solver.minimize(start: [1, 1], residualCount: 1, residuals: { x, r in r[0] = x[0] + x[1] })
        }
        #expect(throws: FitError.self) {
            try solver.minimize(start: [1], bounds: [nil, nil], residualCount: 2, residuals: { x, r in r[0] = x[0]; r[1] = 0 })
        }
        // The messages say what to do next.
        #expect(FitError.tooFewObservations(observations: 1, parameters: 2).description.contains("add data"))
        #expect(FitError.linearAlgebra(.nonFiniteInput("Φ")).description.contains("NaN"))
    }

    @Test func stepsBackFromNonFiniteRegionsAwayFromTheStart() throws {
        // r = log(x) − log(2) is undefined for x ≤ 0; a full Gauss–Newton step from x = 10 lands
        // at x = 10 − 10·log(5) < 0, so the solver must step back and still converge.
        let result = try LevenbergMarquardt().minimize(
            start: [10], residualCount: 1,
            residuals: { x, r in r[0] = log(x[0]) - log(2) },
            jacobian: { x, j in j[0, 0] = 1 / x[0] })
        #expect(result.converged)
        #expect(abs(result.parameters[0] - 2) < 1e-12)
    }
}
