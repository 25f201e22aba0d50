import LinearAlgebra

/// Separable nonlinear least squares by variable projection (Golub–Pereyra): models linear in
/// some parameters `c` and nonlinear in the others `θ`.
///
/// ```
/// y ≈ Φ(θ)·c,   Φ(θ) is m × p
/// c(θ) = argmin_c ‖S·(y − Φ(θ)·c)‖₂        (LAPACK dgelsy, rank-revealing QR)
/// r(θ) = S·(y − Φ(θ)·c(θ))                  S = diag(√wᵢ)
/// θ*   = argmin_θ Σᵢ ρ(rᵢ(θ))               (Levenberg–Marquardt over θ only)
/// ```
/// Only `θ` is searched; `c` is eliminated exactly at every `θ`, which removes the linear
/// parameters' start values and most of the ill-conditioning they bring. For the Huber loss the
/// IRLS weights enter `S` for both the linear solve and the projected residual, and the rounds
/// stop when `Σ Huber_δ(rᵢ)` stops decreasing.
///
/// The Jacobian of `r(θ)` is taken by finite differences of the projected residual, or, when
/// `basisDerivative` is given, by Kaufman's approximation `∂r/∂θₖ ≈ −P⊥·S·(∂Φ/∂θₖ)·c`
/// with `P⊥ = I − A·A⁺`, `A = S·Φ`.
///
/// References:
/// - G. H. Golub, V. Pereyra (1973), "The differentiation of pseudo-inverses and nonlinear least
///   squares problems whose variables separate", SIAM J. Numer. Anal. 10(2), 413–432.
/// - L. Kaufman (1975), "A variable projection method for solving separable nonlinear least
///   squares problems", BIT 15, 49–57.
/// - D. P. O'Leary, B. W. Rust (2013), "Variable projection for nonlinear least squares
///   problems", Comput. Optim. Appl. 54, 579–593.
public struct VariableProjection: Sendable {
    /// Settings for a separable fit.
    public struct Options: Sendable, Equatable {
        /// The loss on the (weighted) residuals.
        public var robustLoss: RobustLoss
        /// Settings of the Levenberg–Marquardt search over `θ` (its own `robustLoss` is ignored:
        /// the robust rounds are run here, where the weights also enter the linear solve).
        public var solver: LevenbergMarquardt.Options
        /// `rcond` in (0, 1) for the rank decision of the linear solve: basis columns whose
        /// contribution falls below `rcond` times the largest are treated as dependent.
        public var rankTolerance: Double

        /// - Parameters:
        ///   - robustLoss: `.none` or `.huber(delta:)`.
        ///   - solver: LM settings; the default uses central differences for the `θ` Jacobian.
        ///   - rankTolerance: in (0, 1), default 1e-12.
        public init(robustLoss: RobustLoss = .none, solver: LevenbergMarquardt.Options? = nil, rankTolerance: Double = 1e-12) {
            self.robustLoss = robustLoss
            var defaults = LevenbergMarquardt.Options()
            defaults.finiteDifferences = .central
            self.solver = solver ?? defaults
            self.rankTolerance = rankTolerance
        }
    }

    /// The outcome of a separable fit.
    public struct SeparableResult: Sendable {
        /// The nonlinear parameters `θ`.
        public var nonlinear: [Double]
        /// The linear coefficients `c`: the minimum-norm weighted least-squares solution at `θ`.
        public var linear: [Double]
        /// The numerical rank of `S·Φ(θ)` at the optimum (`< linearCount` when some basis
        /// columns are not determined by the data; their coefficients are then minimum-norm).
        public var rank: Int
        /// `Σᵢ wᵢ·(yᵢ − (Φc)ᵢ)²`, with the caller's weights, not the robust ones.
        public var residualSumOfSquares: Double
        /// `Σᵢ ρ(√wᵢ·(yᵢ − (Φc)ᵢ))`: half the weighted sum of squares, or the Huber objective.
        public var objective: Double
        /// Accepted LM steps over all robust rounds.
        public var iterations: Int
        /// Evaluations of the projected residual (each one builds `Φ` and solves for `c`).
        public var evaluations: Int
        /// Whether the last LM run met a convergence test.
        public var converged: Bool
        /// Why the last LM run stopped.
        public var termination: LevenbergMarquardt.Termination
        /// `yᵢ − (Φc)ᵢ`, unweighted.
        public var residuals: [Double]
    }

    public var options: Options

    public init(options: Options = .init()) {
        self.options = options
    }

    /// Fits `y ≈ Φ(θ)·c`.
    ///
    /// - Parameters:
    ///   - start: start values of the `n ≥ 1` nonlinear parameters `θ` (finite).
    ///   - bounds: nil, or `n` entries (a closed range or nil for a free parameter).
    ///   - observations: the `m` values `y`, finite, with `m ≥ n + linearCount`.
    ///   - weights: nil (all 1), or `m` finite weights `wᵢ > 0` (e.g. `1/σᵢ²`).
    ///   - linearCount: `p ≥ 1`, the number of basis columns and linear coefficients.
    ///   - basis: fills every element of the `m × p` matrix `phi` with `Φ(θ)`.
    ///   - basisDerivative: optional; fills `dphi` (`m × p`) with `∂Φ/∂θₖ` for the given `k`.
    ///     Enables Kaufman's Jacobian instead of finite differences.
    /// - Throws: `FitError` for malformed arguments, too few observations, or a basis that is
    ///   not finite at the start.
    public func fit(
        start: [Double],
        bounds: [ClosedRange<Double>?]? = nil,
        observations: [Double],
        weights: [Double]? = nil,
        linearCount: Int,
        basis: (_ theta: [Double], _ phi: inout Matrix) -> Void,
        basisDerivative: ((_ theta: [Double], _ k: Int, _ dphi: inout Matrix) -> Void)? = nil
    ) throws(FitError) -> SeparableResult {
        let m = observations.count, n = start.count, p = linearCount
        if p < 1 { throw .invalidArgument("linearCount must be ≥ 1, got \(p)") }
        if n < 1 { throw .invalidArgument("there are no nonlinear parameters: solve the linear problem with LeastSquares directly") }
        if m < n + p { throw .tooFewObservations(observations: m, parameters: n + p) }
        if !(options.rankTolerance > 0 && options.rankTolerance < 1) {
            throw .invalidArgument("rankTolerance must lie in (0, 1)")
        }
        try options.robustLoss.validate()
        if let index = observations.firstIndex(where: { !$0.isFinite }) {
            throw .invalidArgument("observation \(index) is \(observations[index]): remove non-finite observations first")
        }
        var userScale = [Double](repeating: 1, count: m)
        if let weights {
            if weights.count != m { throw .invalidArgument("weights has \(weights.count) entries for \(m) observations") }
            for (i, w) in weights.enumerated() {
                if !(w > 0 && w.isFinite) { throw .invalidArgument("weight \(i) is \(w): weights must be finite and positive") }
                userScale[i] = w.squareRoot()
            }
        }

        var state = ProjectionState(m: m, p: p, observations: observations, userScale: userScale, rcond: options.rankTolerance)
        var lmOptions = options.solver
        lmOptions.robustLoss = .none
        let loss = options.robustLoss

        // Start: unit robust weights, then weights from the start residuals.
        state.project(start, basis: basis)
        if let error = state.failure { throw .linearAlgebra(error) }
        if let index = state.raw.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteResidualAtStart(index: index, parameters: start)
        }
        var objective = state.robustObjective(loss)
        var theta = start
        var iterations = 0, evaluations = 1
        var termination = LevenbergMarquardt.Termination.smallReduction
        let rounds = loss.isLeastSquares ? 1 : options.solver.maxRobustRounds

        // For a robust loss, the IRLS rounds run without restarts or polish; one last run with
        // the full options at the final weights follows.
        var round = 0
        var finalRun = loss.isLeastSquares
        while true {
            round += 1
            if !loss.isLeastSquares && !finalRun { state.setRobustWeights(loss) }
            var solver = LevenbergMarquardt(options: lmOptions)
            if !finalRun {
                solver.options.restarts = 0
                solver.options.polishSteps = 0
            }
            solver.options.maxIterations = max(1, lmOptions.maxIterations - iterations)
            solver.options.maxEvaluations = max(1, lmOptions.maxEvaluations - evaluations)
            let result: LevenbergMarquardt.Result
            do {
                if let basisDerivative {
                    // `jacobian` is an optional (hence escaping) closure; the solver does not keep it.
                    let outcome = withoutActuallyEscaping(basis) { basis in
                        Result { () throws(FitError) in
                            try solver.minimize(
                                start: theta, bounds: bounds, residualCount: m,
                                residuals: { x, r in state.residuals(x, &r, basis: basis) },
                                jacobian: { x, j in state.kaufmanJacobian(x, &j, basis: basis, derivative: basisDerivative) })
                        }
                    }
                    result = try outcome.get()
                } else {
                    result = try solver.minimize(
                        start: theta, bounds: bounds, residualCount: m,
                        residuals: { x, r in state.residuals(x, &r, basis: basis) })
                }
            } catch {
                if let failure = state.failure { throw .linearAlgebra(failure) }
                throw error
            }
            iterations += result.iterations
            evaluations += result.evaluations
            termination = result.termination
            let candidate = result.parameters
            state.project(candidate, basis: basis)
            let newObjective = state.robustObjective(loss)
            if newObjective <= objective || loss.isLeastSquares {
                theta = candidate
            }
            let improved = newObjective < objective * (1 - options.solver.robustTolerance)
            objective = min(objective, newObjective)
            if finalRun || iterations >= lmOptions.maxIterations || evaluations >= lmOptions.maxEvaluations { break }
            if !improved || round >= rounds { finalRun = true }
        }

        // Final linear solve at θ with the final weights.
        state.project(theta, basis: basis)
        if let error = state.failure { throw .linearAlgebra(error) }
        var rss = CompensatedSum()
        var residuals = [Double](repeating: 0, count: m)
        for i in 0..<m {
            residuals[i] = state.raw[i] / userScale[i]
            rss.add(state.raw[i] * state.raw[i])
        }
        return SeparableResult(
            nonlinear: theta, linear: state.coefficients, rank: state.rank,
            residualSumOfSquares: rss.value, objective: loss.objective(state.raw),
            iterations: iterations, evaluations: evaluations,
            converged: termination.isConvergence, termination: termination, residuals: residuals)
    }
}

/// Buffers and the linear solve shared by the residual and Jacobian closures.
struct ProjectionState {
    let m: Int
    let p: Int
    let observations: [Double]
    /// √(caller weight) per observation.
    let userScale: [Double]
    let rcond: Double
    /// √(robust weight) per observation (1 for least squares).
    var robustScale: [Double]
    var phi: Matrix
    var scaled: Matrix
    var derivative: Matrix
    var rhs: [Double]
    var coefficients: [Double]
    var rank = 0
    /// `√wᵢ·(yᵢ − (Φc)ᵢ)` at the last projection (caller weights only).
    var raw: [Double]
    var failure: LinearAlgebraError?

    init(m: Int, p: Int, observations: [Double], userScale: [Double], rcond: Double) {
        self.m = m
        self.p = p
        self.observations = observations
        self.userScale = userScale
        self.rcond = rcond
        robustScale = [Double](repeating: 1, count: m)
        phi = Matrix(rowCount: m, columnCount: p)
        scaled = phi
        derivative = phi
        rhs = [Double](repeating: 0, count: m)
        coefficients = [Double](repeating: 0, count: p)
        raw = rhs
    }

    /// Builds `Φ(θ)`, solves for `c` with the current weights and fills `raw`. On failure `raw`
    /// becomes NaN (the LM then steps back) and `failure` records why.
    mutating func project(_ theta: [Double], basis: (_ theta: [Double], _ phi: inout Matrix) -> Void) {
        basis(theta, &phi)
        precondition(phi.rowCount == m && phi.columnCount == p, "the basis must stay \(m) × \(p)")
        for i in 0..<m {
            let s = userScale[i] * robustScale[i]
            rhs[i] = s * observations[i]
            for k in 0..<p { scaled[i, k] = s * phi[i, k] }
        }
        do {
            let solution = try LeastSquares.solveRankRevealing(scaled, rhs, rcond: rcond)
            coefficients = solution.solution
            rank = solution.rank
            failure = nil
        } catch {
            failure = error
            for i in 0..<m { raw[i] = .nan }
            return
        }
        for i in 0..<m {
            var fitted = 0.0
            for k in 0..<p { fitted += phi[i, k] * coefficients[k] }
            raw[i] = userScale[i] * (observations[i] - fitted)
        }
    }

    /// The residual handed to the LM: robust weights applied.
    mutating func residuals(_ theta: [Double], _ r: inout [Double], basis: (_ theta: [Double], _ phi: inout Matrix) -> Void) {
        project(theta, basis: basis)
        for i in 0..<m { r[i] = robustScale[i] * raw[i] }
    }

    /// Kaufman's approximation `∂r/∂θₖ ≈ −P⊥·S·(∂Φ/∂θₖ)·c`, `P⊥ v = v − A·A⁺v`, `A = S·Φ`.
    mutating func kaufmanJacobian(
        _ theta: [Double], _ j: inout Matrix,
        basis: (_ theta: [Double], _ phi: inout Matrix) -> Void,
        derivative basisDerivative: (_ theta: [Double], _ k: Int, _ dphi: inout Matrix) -> Void
    ) {
        project(theta, basis: basis)
        if failure != nil {
            for k in 0..<theta.count { for i in 0..<m { j[i, k] = .nan } }
            return
        }
        var t = [Double](repeating: 0, count: m)
        for k in 0..<theta.count {
            basisDerivative(theta, k, &derivative)
            precondition(derivative.rowCount == m && derivative.columnCount == p, "the basis derivative must be \(m) × \(p)")
            for i in 0..<m {
                var sum = 0.0
                for l in 0..<p { sum += derivative[i, l] * coefficients[l] }
                t[i] = userScale[i] * robustScale[i] * sum
            }
            guard let solution = try? LeastSquares.solveRankRevealing(scaled, t, rcond: rcond) else {
                for i in 0..<m { j[i, k] = .nan }
                continue
            }
            for i in 0..<m {
                var projected = 0.0
                for l in 0..<p { projected += scaled[i, l] * solution.solution[l] }
                j[i, k] = -(t[i] - projected)
            }
        }
    }

    /// Sets robust weights `min(1, δ/|rᵢ|)` from the residuals of the last projection.
    mutating func setRobustWeights(_ loss: RobustLoss) {
        for i in 0..<m { robustScale[i] = loss.weight(raw[i]).squareRoot() }
    }

    func robustObjective(_ loss: RobustLoss) -> Double {
        raw.allSatisfy(\.isFinite) ? loss.objective(raw) : .infinity
    }
}
