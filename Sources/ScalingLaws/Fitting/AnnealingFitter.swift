import Foundation
import LinearAlgebra
import NonlinearLeastSquares

/// Fits the annealing law jointly to several loss curves.
///
/// ```
/// minimise  Σ_curves Σ_points ρ(log L̂(s) − log L(s)),   L̂ = L0 + A·S1^(−α) − C·S2(λ)
/// ```
/// with ρ the Huber loss (δ = 1e-3, the paper's objective) or squares. Three stages:
/// 1. a grid over (α, λ): for fixed (α, λ) the law is linear in (L0, A, C), solved by LAPACK least
///    squares on relative residuals (≈ log residuals), so each grid point costs one solve;
/// 2. variable projection from the best grid points: Levenberg–Marquardt over (α, λ) only, with
///    (L0, A, C) projected out and analytic derivatives of the basis;
/// 3. a Levenberg–Marquardt polish of all parameters on the exact log residuals and the chosen ρ.
///
/// When no curve anneals its learning rate, C and λ are not determined by the data: they are left
/// out (C = 0) and the result says so. Tissue, Wang, Wang (2024), arXiv 2408.11029.
public struct AnnealingFitter: Sendable {
    public var options: AnnealingFitOptions

    public init(options: AnnealingFitOptions = .init()) {
        self.options = options
    }

    /// What the data let the fit estimate.
    struct Layout {
        /// Some curve anneals, so C (and λ) enter the model.
        var modelsAnnealing: Bool
        /// λ is estimated rather than held.
        var fitsLambda: Bool
        /// λ when it is held.
        var fixedLambda: Double
        var linearCount: Int { modelsAnnealing ? 3 : 2 }
        var parameterCount: Int { linearCount + 1 + (fitsLambda ? 1 : 0) }
    }

    /// Fits the curves and reports parameters, uncertainties and goodness of fit.
    /// - Throws: `FitError.tooFewObservations` when the curves hold too few usable points.
    public func fit(_ curves: [TrainingCurve]) throws(FitError) -> FitResult {
        guard !curves.isEmpty else { throw .invalidArgument("no curves to fit") }
        if case .huber(let delta) = options.objective { try RobustLoss.huber(delta: delta).validate() }
        var fixedLambda = AnnealingFitOptions.paperLambda
        if case .fixed(let value) = options.lambda {
            guard value > 0 && value < 1 else { throw .invalidArgument("λ must lie in (0, 1), got \(value)") }
            fixedLambda = value
        }
        let data = AnnealingFitData(curves: curves, warmup: options.warmup, maxPointsPerCurve: options.maxPointsPerCurve)
        let layout = Layout(modelsAnnealing: data.anneals, fitsLambda: data.anneals && options.lambda == .fit, fixedLambda: fixedLambda)
        guard data.count > layout.parameterCount else {
            throw .tooFewObservations(observations: data.count, parameters: layout.parameterCount)
        }
        let robust: RobustLoss
        switch options.objective {
        case .huber(let delta): robust = .huber(delta: delta)
        case .leastSquares, .relativeLeastSquares: robust = .none
        }

        let starts = gridStarts(data, layout: layout, robust: robust)
        var best: (law: AnnealingLaw, objective: Double, iterations: Int, converged: Bool)?
        var iterations = 0
        for start in starts {
            guard let projected = try? project(from: start, data: data, layout: layout) else { continue }
            iterations += projected.iterations
            // σ̂² per logged point (a bin's mean residual has variance σ²/count, so divide by the
            // number of fitted points) times the points of an average curve: the prior weighs like one curve.
            let points = data.weights.reduce(0, +)
            let variance = 2 * data.objective(Self.logResiduals(projected.law, data), robust) / Double(data.count)
            let scale = variance * points / Double(data.curves.count)
            let prior = layout.fitsLambda ? options.lambdaPrior.map { (prior: $0, scale: scale) } : nil
            guard let polished = try? Self.polish(projected.law, data: data, layout: layout, robust: robust,
                                                  bounds: (options.alphaBounds, options.lambdaBounds), prior: prior)
            else { continue }
            iterations += polished.iterations
            if polished.objective < (best?.objective ?? .infinity) {
                best = (polished.law, polished.objective, polished.iterations, polished.converged)
            }
        }
        guard let best else {
            throw .invalidArgument("no start gave a finite fit; check that the losses decrease over the logged steps")
        }
        return Self.result(law: best.law, data: data, options: options, robust: robust, layout: layout,
                           starts: starts.count, iterations: iterations, converged: best.converged)
    }

    /// The best few points of the (α, λ) grid, each with its optimal linear parameters.
    private func gridStarts(_ data: AnnealingFitData, layout: Layout, robust: RobustLoss) -> [AnnealingLaw] {
        let lambdas = layout.fitsLambda
            ? options.lambdaGrid.filter { options.lambdaBounds.contains($0) }
            : [layout.fixedLambda]
        let alphas = options.alphaGrid.filter { options.alphaBounds.contains($0) }
        var scored: [(law: AnnealingLaw, objective: Double)] = []
        var basis = Matrix(rowCount: data.count, columnCount: layout.linearCount)
        let weighted = data.weights.map { $0.squareRoot() }
        for lambda in lambdas {
            let s2 = layout.modelsAnnealing ? data.annealingArea(lambda: lambda) : []
            for alpha in alphas {
                for i in 0..<data.count {
                    let scale = weighted[i] / data.losses[i]
                    basis[i, 0] = scale
                    basis[i, 1] = exp(-alpha * data.logForwardArea[i]) * scale
                    if layout.modelsAnnealing { basis[i, 2] = -s2[i] * scale }
                }
                // Plain QR is enough on the grid; a dependent basis needs the rank-revealing solve.
                guard let c = (try? LeastSquares.solve(basis, weighted)) ?? (try? LeastSquares.solveRankRevealing(basis, weighted).solution)
                else { continue }
                let law = AnnealingLaw(l0: c[0], a: c[1], alpha: alpha, c: layout.modelsAnnealing ? c[2] : 0,
                                       lambda: lambda, warmup: options.warmup)
                let objective = data.objective(Self.logResiduals(law, data, annealingArea: s2), robust)
                if objective.isFinite { scored.append((law, objective)) }
            }
        }
        return scored.sorted { $0.objective < $1.objective }.prefix(max(1, options.refinedStarts)).map(\.law)
    }

    /// Variable projection over (α[, λ]) from `start`, on relative residuals.
    private func project(from start: AnnealingLaw, data: AnnealingFitData, layout: Layout) throws(FitError) -> (law: AnnealingLaw, iterations: Int) {
        var theta = [start.alpha]
        var bounds: [ClosedRange<Double>?] = [options.alphaBounds]
        if layout.fitsLambda { theta.append(start.lambda); bounds.append(options.lambdaBounds) }
        var cachedLambda = Double.nan
        var cached: (area: [Double], derivative: [Double]) = ([], [])
        func areas(_ lambda: Double) -> (area: [Double], derivative: [Double]) {
            if lambda != cachedLambda {
                cachedLambda = lambda
                cached = layout.fitsLambda ? data.annealingAreaAndDerivative(lambda: lambda) : (data.annealingArea(lambda: lambda), [])
            }
            return cached
        }
        let projection = VariableProjection(options: .init(robustLoss: .none, solver: .gridStarted))
        let result = try projection.fit(
            start: theta, bounds: bounds, observations: data.losses,
            weights: zip(data.weights, data.losses).map { $0 / ($1 * $1) },
            linearCount: layout.linearCount,
            basis: { theta, phi in
                let s2 = layout.modelsAnnealing ? areas(layout.fitsLambda ? theta[1] : layout.fixedLambda).area : []
                for i in 0..<data.count {
                    phi[i, 0] = 1
                    phi[i, 1] = exp(-theta[0] * data.logForwardArea[i])
                    if layout.modelsAnnealing { phi[i, 2] = -s2[i] }
                }
            },
            basisDerivative: { theta, k, dphi in
                for i in 0..<data.count { dphi[i, 0] = 0 }
                if k == 0 {
                    for i in 0..<data.count {
                        dphi[i, 1] = -data.logForwardArea[i] * exp(-theta[0] * data.logForwardArea[i])
                        if layout.modelsAnnealing { dphi[i, 2] = 0 }
                    }
                } else {
                    let derivative = areas(theta[1]).derivative
                    for i in 0..<data.count {
                        dphi[i, 1] = 0
                        dphi[i, 2] = -derivative[i]
                    }
                }
            })
        let law = AnnealingLaw(
            l0: result.linear[0], a: result.linear[1], alpha: result.nonlinear[0],
            c: layout.modelsAnnealing ? result.linear[2] : 0,
            lambda: layout.fitsLambda ? result.nonlinear[1] : layout.fixedLambda, warmup: options.warmup)
        return (law, result.iterations)
    }

    /// `log L̂ − log L` at every stacked point (a large value where L̂ ≤ 0, so such laws lose).
    static func logResiduals(_ law: AnnealingLaw, _ data: AnnealingFitData, annealingArea: [Double]? = nil) -> [Double] {
        let s2 = law.c == 0 ? [Double](repeating: 0, count: data.count) : (annealingArea ?? data.annealingArea(lambda: law.lambda))
        return (0..<data.count).map { i in
            let predicted = law.l0 + law.a * exp(-law.alpha * data.logForwardArea[i]) - law.c * s2[i]
            return predicted > 0 ? log(predicted) - data.logLosses[i] : 1e3
        }
    }

    private struct Polish {
        var law: AnnealingLaw
        var objective: Double
        var iterations: Int
        var converged: Bool
    }

    /// Levenberg–Marquardt on all parameters and the exact log residuals. The Huber loss enters as
    /// residuals `r̃ = sign(r)·√(2ρ(r))`, so that `½Σr̃² = Σρ(r)` and the gradient is exact; this
    /// converges in one solve where reweighting would need many rounds.
    /// Parameter vector: L0, A, α, then C and λ when they are modelled / fitted.
    private static func polish(
        _ start: AnnealingLaw, data: AnnealingFitData, layout: Layout, robust: RobustLoss,
        bounds: (alpha: ClosedRange<Double>, lambda: ClosedRange<Double>), prior: (prior: LambdaPrior, scale: Double)?
    ) throws(FitError) -> Polish {
        // The prior enters as one more residual whose half square is the penalty.
        func priorResidual(_ lambda: Double) -> Double {
            guard let prior else { return 0 }
            return prior.scale.squareRoot() * (log10(1 - lambda) - log10(1 - prior.prior.center)) / prior.prior.decades
        }
        func law(_ x: [Double]) -> AnnealingLaw {
            AnnealingLaw(l0: x[0], a: x[1], alpha: x[2], c: layout.modelsAnnealing ? x[3] : 0,
                         lambda: layout.fitsLambda ? x[4] : start.lambda, warmup: start.warmup)
        }
        var x0 = [start.l0, start.a, start.alpha]
        var parameterBounds: [ClosedRange<Double>?] = [nil, nil, bounds.alpha]
        if layout.modelsAnnealing { x0.append(start.c); parameterBounds.append(nil) }
        if layout.fitsLambda { x0.append(start.lambda); parameterBounds.append(bounds.lambda) }

        var cachedLambda = Double.nan
        var cached: (area: [Double], derivative: [Double]) = ([], [])
        func areas(_ lambda: Double) -> (area: [Double], derivative: [Double]) {
            if lambda != cachedLambda {
                cachedLambda = lambda
                if !layout.modelsAnnealing {
                    cached = ([Double](repeating: 0, count: data.count), [Double](repeating: 0, count: data.count))
                } else if layout.fitsLambda {
                    cached = data.annealingAreaAndDerivative(lambda: lambda)
                } else {
                    cached = (data.annealingArea(lambda: lambda), [])
                }
            }
            return cached
        }
        let rootWeights = data.weights.map { $0.squareRoot() }
        let solver = LevenbergMarquardt(options: .gridStarted)
        let result = try solver.minimize(
            start: x0, bounds: parameterBounds, residualCount: data.count + (prior == nil ? 0 : 1),
            residuals: { x, r in
                let current = law(x)
                let s2 = areas(current.lambda).area
                for i in 0..<data.count {
                    let predicted = current.l0 + current.a * exp(-current.alpha * data.logForwardArea[i]) - current.c * s2[i]
                    let raw = predicted > 0 ? log(predicted) - data.logLosses[i] : 1e3
                    r[i] = robust.transformedResidual(raw) * rootWeights[i]
                }
                if prior != nil { r[data.count] = priorResidual(current.lambda) }
            },
            jacobian: { x, j in
                let current = law(x)
                let (s2, derivative) = areas(current.lambda)
                let columns = [0, 1, 2] + (layout.modelsAnnealing ? [3] : []) + (layout.fitsLambda ? [4] : [])
                for i in 0..<data.count {
                    let (predicted, gradient) = current.lossAndGradient(
                        logForwardArea: data.logForwardArea[i], annealingArea: s2[i],
                        annealingAreaSlope: layout.fitsLambda ? derivative[i] : 0)
                    let raw = predicted > 0 ? log(predicted) - data.logLosses[i] : 1e3
                    let scale = predicted > 0 ? robust.transformedSlope(raw) * rootWeights[i] / predicted : 0
                    for (column, parameter) in columns.enumerated() { j[i, column] = gradient[parameter] * scale }
                }
                if let prior {
                    for column in columns.indices { j[data.count, column] = 0 }
                    // d/dλ of √s²·log10(1 − λ)/decades.
                    j[data.count, columns.count - 1] = -prior.scale.squareRoot() / ((1 - current.lambda) * log(10) * prior.prior.decades)
                }
            })
        let polished = law(result.parameters)
        let penalty = 0.5 * priorResidual(polished.lambda) * priorResidual(polished.lambda)
        return Polish(law: polished, objective: data.objective(logResiduals(polished, data), robust) + penalty,
                      iterations: result.iterations, converged: result.converged)
    }
}
