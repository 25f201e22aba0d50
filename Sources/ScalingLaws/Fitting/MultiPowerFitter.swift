import Foundation
import LinearAlgebra
import NonlinearLeastSquares

/// Fits the multi-power law jointly to several loss curves.
///
/// ```
/// minimise  Σ_curves Σ_points ρ(log L̂(t) − log L(t)),   L̂ = L0 + A·S^(−α) − B·D(t; C, β, γ)
/// ```
/// with ρ the Huber loss (δ = 1e-3 on log loss, summed: the paper's objective) or squares, and
/// D the loss-drop sum of `MultiPowerLaw`. Three stages:
/// 1. The settled loss, the law's limit when every drop has relaxed (G = 1):
///    `L = L0 + A·S^(−α) − B·(η_0 − η_t)`, linear in (L0, A, B). A grid over α solved by LAPACK
///    least squares, variable projection over α, then Levenberg–Marquardt on the exact objective.
///    With `DropAmplitude.settled` (the default) its B is kept.
/// 2. A grid over (C, β, γ), C scaled by the largest rate so the grid is unit-free; at each point
///    (L0, A) — and B when it is fitted jointly — by least squares on relative residuals.
/// 3. From the best grid points: with a joint B, variable projection over (α, C, β, γ) with
///    (L0, A, B) projected out and analytic derivatives of D; then Levenberg–Marquardt on all free
///    parameters with the analytic Jacobian on the exact objective (C searched as ln C). The
///    Huber loss enters as residuals `sign(r)·√(2ρ(r))`, as in `AnnealingFitter`.
///
/// When no curve lowers its rate after the peak, B, C, β and γ are not determined by the data:
/// the drop is left out (B = 0) and the result says so. Luo et al. (2025), arXiv 2503.12811.
public struct MultiPowerFitter: Sendable {
    public var options: MultiPowerFitOptions

    public init(options: MultiPowerFitOptions = .init()) {
        self.options = options
    }

    /// What the data and options let the fit estimate.
    struct Layout {
        /// Some curve anneals, so the drop enters the model.
        var modelsDrop: Bool
        /// B is fitted with the others (otherwise it comes from the settled loss, or is 0).
        var jointAmplitude: Bool
        /// The shape parameters searched, in `MultiPowerFitOptions.shapeParameters` order.
        var freeShape: [MultiPowerLaw.Parameter]

        /// The parameters of the final search, in law order (C searched as ln C).
        var free: [MultiPowerLaw.Parameter] {
            MultiPowerLaw.Parameter.allCases.filter { [.l0, .a].contains($0) || ($0 == .b && jointAmplitude) || freeShape.contains($0) }
        }
        /// Estimated parameters, B included wherever it comes from.
        var estimatedCount: Int { free.count + (modelsDrop && !jointAmplitude ? 1 : 0) }
    }

    /// The law's limit with every drop relaxed (G = 1), or the full law.
    enum DropModel {
        case settled, full
    }

    /// Fits the curves and reports parameters, uncertainties and goodness of fit.
    /// - Throws: `FitError.invalidArgument` for bad options or no curves,
    ///   `FitError.tooFewObservations` when the curves hold too few usable points.
    public func fit(_ curves: [TrainingCurve]) throws(FitError) -> FitResult {
        guard !curves.isEmpty else { throw .invalidArgument("no curves to fit") }
        try options.validate()
        let data = MultiPowerFitData(curves: curves, warmup: options.warmup, maxPointsPerCurve: MultiPowerFitOptions.maxPointsPerCurve)
        let shape = MultiPowerFitOptions.shapeParameters.filter { options.fixed[$0] == nil && ($0 == .alpha || data.anneals) }
        let layout = Layout(modelsDrop: data.anneals, jointAmplitude: data.anneals && options.amplitude == .joint, freeShape: shape)
        guard data.count > layout.estimatedCount else {
            throw .tooFewObservations(observations: data.count, parameters: layout.estimatedCount)
        }
        let robust: RobustLoss
        switch options.objective {
        case .huber(let delta): robust = .huber(delta: delta)
        case .leastSquares, .relativeLeastSquares: robust = .none
        }

        let settled = try settledFit(data, modelsDrop: layout.modelsDrop, robust: robust)
        var iterations = settled.iterations
        guard layout.modelsDrop else {
            return Self.result(law: settled.law, data: data, options: options, robust: robust, layout: layout,
                               settledAmplitudeError: nil, starts: 1, iterations: iterations, converged: settled.converged)
        }
        let starts = gridStarts(data, layout: layout, settled: settled.law, robust: robust)
        var best: (law: MultiPowerLaw, objective: Double, converged: Bool)?
        for start in starts {
            var law = start
            if layout.jointAmplitude {
                guard let projected = try? project(from: start, data: data, layout: layout) else { continue }
                law = projected.law
                iterations += projected.iterations
            }
            guard let polished = try? polish(law, free: layout.free, data: data, model: .full, robust: robust) else { continue }
            iterations += polished.iterations
            if polished.objective < (best?.objective ?? .infinity) {
                best = (polished.law, polished.objective, polished.converged)
            }
        }
        guard let best else {
            throw .invalidArgument("no start gave a finite fit; check that the losses decrease over the logged steps")
        }
        return Self.result(law: best.law, data: data, options: options, robust: robust, layout: layout,
                           settledAmplitudeError: layout.jointAmplitude ? nil : settled.amplitudeError,
                           starts: starts.count, iterations: iterations, converged: best.converged)
    }

    // MARK: Stage 1: the settled loss

    /// L0, A, α (and B when the drop is modelled) of the settled loss, with B's standard error.
    private func settledFit(_ data: MultiPowerFitData, modelsDrop: Bool, robust: RobustLoss) throws(FitError)
        -> (law: MultiPowerLaw, amplitudeError: Double?, iterations: Int, converged: Bool) {
        let linearCount = modelsDrop ? 3 : 2
        func basis(alpha: Double, into phi: inout Matrix) {
            for i in 0..<data.count {
                phi[i, 0] = 1
                phi[i, 1] = exp(-alpha * data.logForwardArea[i])
                if modelsDrop { phi[i, 2] = -data.totalChange[i] }
            }
        }
        // C, β, γ are placeholders here: the settled loss does not depend on them.
        let gamma = options.fixed[.gamma] ?? 0.5
        let base = MultiPowerLaw(l0: 0, a: 0, alpha: options.fixed[.alpha] ?? 0.5, b: 0,
                                 c: options.fixed[.c] ?? 0.1 * pow(data.peakRate, gamma - 1),
                                 beta: options.fixed[.beta] ?? 0.5, gamma: gamma, warmup: options.warmup)
        let alphas = options.fixed[.alpha].map { [$0] } ?? options.alphaGrid.filter { options.alphaBounds.contains($0) }
        var phi = Matrix(rowCount: data.count, columnCount: linearCount)
        var bestObjective = Double.infinity
        var start = base
        for alpha in alphas {
            basis(alpha: alpha, into: &phi)
            var scaled = phi
            for i in 0..<data.count { for k in 0..<linearCount { scaled[i, k] *= data.rootWeights[i] / data.losses[i] } }
            guard let solution = try? LeastSquares.solveRankRevealing(scaled, data.rootWeights) else { continue }
            var law = base
            (law.l0, law.a, law.alpha, law.b) = (solution.solution[0], solution.solution[1], alpha, modelsDrop ? solution.solution[2] : 0)
            let objective = data.objective(Self.logResiduals(law, data, drop: data.totalChange), robust)
            if objective < bestObjective { (bestObjective, start) = (objective, law) }
        }
        guard bestObjective.isFinite else {
            throw .invalidArgument("no value of alpha gave a finite fit; check that the losses decrease over the logged steps")
        }
        var iterations = 0
        if options.fixed[.alpha] == nil {
            let projection = VariableProjection(options: .init(robustLoss: .none, solver: .gridStarted))
            if let result = try? projection.fit(
                start: [start.alpha], bounds: [options.alphaBounds], observations: data.losses,
                weights: zip(data.weights, data.losses).map { $0 / ($1 * $1) }, linearCount: linearCount,
                basis: { theta, phi in basis(alpha: theta[0], into: &phi) },
                basisDerivative: { theta, _, dphi in
                    for i in 0..<data.count {
                        dphi[i, 0] = 0
                        dphi[i, 1] = -data.logForwardArea[i] * exp(-theta[0] * data.logForwardArea[i])
                        if modelsDrop { dphi[i, 2] = 0 }
                    }
                }) {
                (start.l0, start.a, start.alpha) = (result.linear[0], result.linear[1], result.nonlinear[0])
                start.b = modelsDrop ? result.linear[2] : 0
                iterations += result.iterations
            }
        }
        let free: [MultiPowerLaw.Parameter] = [.l0, .a] + (options.fixed[.alpha] == nil ? [.alpha] : []) + (modelsDrop ? [.b] : [])
        let polished = try polish(start, free: free, data: data, model: .settled, robust: robust)
        var amplitudeError: Double?
        if modelsDrop, let covariance = Self.covariance(polished.law, free: free, data: data, model: .settled, robust: robust),
           let index = free.firstIndex(of: .b), !covariance.undetermined.contains(index) {
            amplitudeError = covariance.matrix[index][index].squareRoot()
        }
        return (polished.law, amplitudeError, iterations + polished.iterations, polished.converged)
    }

    // MARK: Stage 2: the shape grid

    /// The best few points of the (C, β, γ) grid, each with its optimal linear parameters.
    private func gridStarts(_ data: MultiPowerFitData, layout: Layout, settled: MultiPowerLaw, robust: RobustLoss) -> [MultiPowerLaw] {
        let scaledCs = options.fixed[.c] == nil ? options.scaledCGrid : [.nan]
        let betas = options.fixed[.beta].map { [$0] } ?? options.betaGrid.filter { options.betaBounds.contains($0) }
        let gammas = options.fixed[.gamma].map { [$0] } ?? options.gammaGrid.filter { options.gammaBounds.contains($0) }
        let linearCount = layout.jointAmplitude ? 3 : 2
        var scored: [(law: MultiPowerLaw, objective: Double)] = []
        var basis = Matrix(rowCount: data.count, columnCount: linearCount)
        var target = data.rootWeights
        for gamma in gammas {
            for scaledC in scaledCs {
                for beta in betas {
                    var law = settled
                    (law.beta, law.gamma) = (beta, gamma)
                    law.c = options.fixed[.c] ?? scaledC * pow(data.peakRate, gamma - 1)
                    let drop = data.lossDrop(c: law.c, beta: beta, gamma: gamma)
                    for i in 0..<data.count {
                        let scale = data.rootWeights[i] / data.losses[i]
                        basis[i, 0] = scale
                        basis[i, 1] = exp(-law.alpha * data.logForwardArea[i]) * scale
                        if layout.jointAmplitude {
                            basis[i, 2] = -drop[i] * scale
                        } else {
                            target[i] = data.rootWeights[i] + law.b * drop[i] * scale
                        }
                    }
                    guard let solution = try? LeastSquares.solveRankRevealing(basis, target) else { continue }
                    (law.l0, law.a) = (solution.solution[0], solution.solution[1])
                    if layout.jointAmplitude { law.b = solution.solution[2] }
                    let objective = data.objective(Self.logResiduals(law, data, drop: drop), robust)
                    if objective.isFinite { scored.append((law, objective)) }
                }
            }
        }
        return scored.sorted { $0.objective < $1.objective }.prefix(options.refinedStarts).map(\.law)
    }

    // MARK: Stage 3: refinement

    /// Variable projection over the free shape parameters with (L0, A, B) projected out, on
    /// relative residuals.
    private func project(from start: MultiPowerLaw, data: MultiPowerFitData, layout: Layout) throws(FitError)
        -> (law: MultiPowerLaw, iterations: Int) {
        let shape = layout.freeShape
        func law(_ theta: [Double]) -> MultiPowerLaw {
            var law = start
            for (parameter, value) in zip(shape, theta) { law[parameter] = parameter == .c ? exp(value) : value }
            return law
        }
        var cache = DropCache(data: data, model: .full)
        let projection = VariableProjection(options: .init(robustLoss: .none, solver: .gridStarted))
        let result = try projection.fit(
            start: shape.map { $0 == .c ? log(start.c) : start[$0] }, bounds: shape.map { options.bounds(of: $0) },
            observations: data.losses, weights: zip(data.weights, data.losses).map { $0 / ($1 * $1) }, linearCount: 3,
            basis: { theta, phi in
                let current = law(theta)
                let drop = cache.sums(current, derivatives: false)
                for i in 0..<data.count {
                    phi[i, 0] = 1
                    phi[i, 1] = exp(-current.alpha * data.logForwardArea[i])
                    phi[i, 2] = -drop.value[i]
                }
            },
            basisDerivative: { theta, k, dphi in
                let current = law(theta)
                let drop = cache.sums(current, derivatives: true)
                for i in 0..<data.count {
                    dphi[i, 0] = 0
                    dphi[i, 1] = 0
                    dphi[i, 2] = 0
                    switch shape[k] {
                    case .alpha: dphi[i, 1] = -data.logForwardArea[i] * exp(-current.alpha * data.logForwardArea[i])
                    case .c: dphi[i, 2] = -current.c * drop.c[i]
                    case .beta: dphi[i, 2] = -drop.beta[i]
                    default: dphi[i, 2] = -drop.gamma[i]
                    }
                }
            })
        var projected = law(result.nonlinear)
        (projected.l0, projected.a, projected.b) = (result.linear[0], result.linear[1], result.linear[2])
        return (projected, result.iterations)
    }

    /// Levenberg–Marquardt on the `free` parameters and the exact log residuals of `model`.
    private func polish(_ start: MultiPowerLaw, free: [MultiPowerLaw.Parameter], data: MultiPowerFitData,
                        model: DropModel, robust: RobustLoss) throws(FitError)
        -> (law: MultiPowerLaw, objective: Double, iterations: Int, converged: Bool) {
        func law(_ x: [Double]) -> MultiPowerLaw {
            var law = start
            for (parameter, value) in zip(free, x) { law[parameter] = parameter == .c ? exp(value) : value }
            return law
        }
        var cache = DropCache(data: data, model: model)
        let gradientIndex = free.map { MultiPowerLaw.Parameter.allCases.firstIndex(of: $0)! }
        let solver = LevenbergMarquardt(options: .gridStarted)
        let result = try solver.minimize(
            start: free.map { $0 == .c ? log(start.c) : start[$0] }, bounds: free.map { options.bounds(of: $0) }, residualCount: data.count,
            residuals: { x, r in
                let current = law(x)
                let drop = cache.sums(current, derivatives: false)
                for i in 0..<data.count {
                    let predicted = current.l0 + current.a * exp(-current.alpha * data.logForwardArea[i]) - current.b * drop.value[i]
                    r[i] = robust.transformedResidual(predicted > 0 ? log(predicted) - data.logLosses[i] : 1e3) * data.rootWeights[i]
                }
            },
            jacobian: { x, j in
                let current = law(x)
                let drop = cache.sums(current, derivatives: true)
                for i in 0..<data.count {
                    let (predicted, gradient) = current.lossGradient(logForwardArea: data.logForwardArea[i], sums: drop, at: i)
                    let raw = predicted > 0 ? log(predicted) - data.logLosses[i] : 1e3
                    let scale = predicted > 0 ? robust.transformedSlope(raw) * data.rootWeights[i] / predicted : 0
                    for (column, parameter) in free.enumerated() {
                        j[i, column] = gradient[gradientIndex[column]] * scale * (parameter == .c ? current.c : 1)
                    }
                }
            })
        let polished = law(result.parameters)
        let drop = cache.sums(polished, derivatives: false)
        return (polished, data.objective(Self.logResiduals(polished, data, drop: drop.value), robust), result.iterations, result.converged)
    }

    /// `log L̂ − log L` at every stacked point for drop sums `drop` (a large value where L̂ ≤ 0).
    static func logResiduals(_ law: MultiPowerLaw, _ data: MultiPowerFitData, drop: [Double]) -> [Double] {
        (0..<data.count).map { i in
            let predicted = law.l0 + law.a * exp(-law.alpha * data.logForwardArea[i]) - law.b * drop[i]
            return predicted > 0 ? log(predicted) - data.logLosses[i] : 1e3
        }
    }
}

/// The drop sums of the last (C, β, γ) asked for: the solvers ask for residuals and Jacobian at
/// the same point, and the sums are the expensive part of both. The sums keep each term's
/// logarithm and exponential, so the derivatives at the same point cost a few products per term.
struct DropCache {
    let data: MultiPowerFitData
    let model: MultiPowerFitter.DropModel
    private var key: (c: Double, beta: Double, gamma: Double)?
    private var hasDerivatives = false
    private var terms: [MultiPowerLossDrop.TermValues]
    private var cached = LossDropDerivatives(count: 0, derivatives: false)

    init(data: MultiPowerFitData, model: MultiPowerFitter.DropModel) {
        self.data = data
        self.model = model
        terms = data.curves.map { _ in MultiPowerLossDrop.TermValues() }
    }

    mutating func sums(_ law: MultiPowerLaw, derivatives: Bool) -> LossDropDerivatives {
        let isCached = key.map { $0.c == law.c && $0.beta == law.beta && $0.gamma == law.gamma } ?? false
        if !isCached {
            switch model {
            case .settled:
                cached = LossDropDerivatives(count: data.count, derivatives: true)
                cached.value = data.totalChange
                hasDerivatives = true
            case .full:
                cached = LossDropDerivatives(count: 0, derivatives: false)
                cached.value = data.lossDrop(c: law.c, beta: law.beta, gamma: law.gamma, keeping: &terms)
                hasDerivatives = false
            }
            key = (law.c, law.beta, law.gamma)
        }
        if derivatives && !hasDerivatives {
            (cached.c, cached.beta, cached.gamma) = data.lossDropDerivatives(c: law.c, beta: law.beta, terms: terms)
            hasDerivatives = true
        }
        return cached
    }
}
