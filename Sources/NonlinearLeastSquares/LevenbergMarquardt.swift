import LinearAlgebra

/// Bounded nonlinear least squares by the Levenberg–Marquardt method, with Moré's parameter
/// scaling, geodesic acceleration, restarts from its own converged point, a Gauss–Newton polish
/// and an optional Huber robust loss.
///
/// Minimises, over `x` inside optional box bounds `lᵢ ≤ xᵢ ≤ uᵢ`,
/// ```
/// F(x) = Σᵢ ρ(rᵢ(x))          ρ(r) = r²/2 (least squares) or Huber_δ(r)
/// ```
/// Each trial step `v` solves the damped linear least-squares problem by Householder QR
/// (LAPACK `dgels`) on the augmented system — never by forming the normal equations:
/// ```
/// min ‖ [ J        ] v + [ r ] ‖
///     ‖ [ √μ · D   ]     [ 0 ] ‖₂      D = diag(dⱼ),  dⱼ = max over iterations of ‖J·eⱼ‖
/// ```
/// The damping `μ` follows Nielsen's rule (`μ ← μ·max(1/3, 1 − (2ρ − 1)³)` after a successful
/// step, `μ ← μ·ν, ν ← 2ν` after a failure; `ρ` = actual / predicted reduction). With geodesic
/// acceleration the step is `v + a/2`, where `a` solves the same damped system for the second
/// directional derivative of the residuals along `v` (by a finite difference), and a step with
/// `‖D·a‖ > 0.75·‖D·v‖` is refused. Bounds are met by projection: parameters at a bound whose
/// gradient points outward are held for the step, the others move and are clipped.
///
/// References:
/// - J. J. Moré (1978), "The Levenberg–Marquardt algorithm: implementation and theory",
///   Lecture Notes in Mathematics 630, 105–116 (scaling `D`, convergence tests; MINPACK `lmder`).
/// - H. B. Nielsen (1999), "Damping parameter in Marquardt's method", IMM-REP-1999-05, DTU.
/// - M. K. Transtrum, J. P. Sethna (2012), "Improvements to the Levenberg–Marquardt algorithm
///   for nonlinear least-squares minimization", arXiv:1201.5885 (geodesic acceleration).
public struct LevenbergMarquardt: Sendable {
    /// How the Jacobian is approximated when no analytic Jacobian is given.
    public enum FiniteDifferences: Sendable, Equatable, Hashable {
        /// `(r(x + hⱼeⱼ) − r(x)) / hⱼ`, `hⱼ = √ε·|xⱼ|` (`√ε` when `xⱼ = 0`): `n` extra evaluations.
        case forward
        /// `(r(x + hⱼeⱼ) − r(x − hⱼeⱼ)) / 2hⱼ`, `hⱼ = ε^(1/3)·|xⱼ|` (`ε^(1/3)` when `xⱼ = 0`):
        /// `2n` extra evaluations, about twice as many correct digits.
        case central
    }

    /// Why the solver stopped.
    public enum Termination: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// Every residual is exactly zero.
        case zeroResidual
        /// The gradient is orthogonal to the residuals to within `gradientTolerance`.
        case smallGradient
        /// Both the actual and the predicted relative reduction of `Σr²` fell below `relativeTolerance`.
        case smallReduction
        /// The scaled step fell below `stepTolerance` relative to the scaled parameters.
        case smallStep
        /// `maxIterations` accepted steps were taken.
        case iterationLimit
        /// `maxEvaluations` residual evaluations were spent.
        case evaluationLimit
        /// The damping grew past 1e30 without finding a step that reduces the objective (the
        /// residual function is probably not smooth, or is non-finite around the current point).
        case dampingLimit

        /// True for the terminations that count as convergence.
        public var isConvergence: Bool {
            switch self {
            case .zeroResidual, .smallGradient, .smallReduction, .smallStep: return true
            case .iterationLimit, .evaluationLimit, .dampingLimit: return false
            }
        }

        public var description: String {
            switch self {
            case .zeroResidual: return "all residuals are zero"
            case .smallGradient: return "gradient below tolerance"
            case .smallReduction: return "relative reduction below tolerance"
            case .smallStep: return "step below tolerance"
            case .iterationLimit: return "iteration limit reached: raise maxIterations or improve the start point"
            case .evaluationLimit: return "evaluation limit reached: raise maxEvaluations or improve the start point"
            case .dampingLimit: return "no downhill step found: the residuals may not be smooth near this point"
            }
        }
    }

    /// Solver settings. The defaults are tight: they aim at the minimiser to near machine
    /// precision, which the NIST StRD nonlinear problems need.
    public struct Options: Sendable, Equatable {
        /// Maximum number of accepted steps over all restarts and robust rounds, ≥ 1.
        public var maxIterations = 500
        /// Maximum number of residual evaluations (including finite differences and geodesic
        /// acceleration probes), ≥ 1.
        public var maxEvaluations = 20_000
        /// `ftol` in (0, 1): stop when actual and predicted relative reductions of `Σr²` are both below it.
        public var relativeTolerance = 1e-15
        /// `xtol` in (0, 1): stop when `‖D·Δx‖ ≤ xtol·‖D·x‖`.
        public var stepTolerance = 1e-15
        /// `gtol` in [0, 1): stop when `maxⱼ |Jⱼ·r| / (‖Jⱼ‖·‖r‖) ≤ gtol` (cosine of the angle between
        /// the residuals and each Jacobian column).
        public var gradientTolerance = 1e-15
        /// The loss applied to the residuals.
        public var robustLoss: RobustLoss = .none
        /// Maximum IRLS rounds for a robust loss, ≥ 1.
        public var maxRobustRounds = 100
        /// IRLS stops when the robust objective decreases by less than this relative amount, in (0, 1).
        public var robustTolerance = 1e-12
        /// Initial damping `μ₀ > 0`, relative to the squared column norms of `J`.
        public var initialDamping = 1e-3
        /// Use geodesic acceleration (one extra residual evaluation per trial step).
        public var geodesicAcceleration = true
        /// Finite-difference step `h > 0` for the second directional derivative (in units of the step `v`).
        public var geodesicStep = 0.1
        /// Largest accepted ratio `‖D·a‖/‖D·v‖` of acceleration to velocity, > 0.
        public var maxAccelerationRatio = 0.75
        /// Restarts from the converged point with reset damping and scaling, ≥ 0.
        public var restarts = 3
        /// Gauss–Newton polishing steps at the end (rank-revealing QR, no damping), ≥ 0.
        public var polishSteps = 3
        /// Finite-difference scheme used when no analytic Jacobian is given.
        public var finiteDifferences: FiniteDifferences = .forward

        public init() {}

        func validate() throws(FitError) {
            func check(_ ok: Bool, _ message: String) throws(FitError) {
                if !ok { throw .invalidArgument(message) }
            }
            try check(maxIterations >= 1, "maxIterations must be ≥ 1")
            try check(maxEvaluations >= 1, "maxEvaluations must be ≥ 1")
            try check(relativeTolerance > 0 && relativeTolerance < 1, "relativeTolerance must lie in (0, 1)")
            try check(stepTolerance > 0 && stepTolerance < 1, "stepTolerance must lie in (0, 1)")
            try check(gradientTolerance >= 0 && gradientTolerance < 1, "gradientTolerance must lie in [0, 1)")
            try check(maxRobustRounds >= 1, "maxRobustRounds must be ≥ 1")
            try check(robustTolerance > 0 && robustTolerance < 1, "robustTolerance must lie in (0, 1)")
            try check(initialDamping > 0 && initialDamping.isFinite, "initialDamping must be finite and positive")
            try check(geodesicStep > 0 && geodesicStep.isFinite, "geodesicStep must be finite and positive")
            try check(maxAccelerationRatio > 0, "maxAccelerationRatio must be positive")
            try check(restarts >= 0, "restarts must be ≥ 0")
            try check(polishSteps >= 0, "polishSteps must be ≥ 0")
            try robustLoss.validate()
        }
    }

    /// The outcome of a minimisation.
    public struct Result: Sendable {
        /// The parameters found (inside the bounds).
        public var parameters: [Double]
        /// `Σᵢ rᵢ²` at `parameters` (the full sum of squares, not halved), unweighted by any robust loss.
        public var residualSumOfSquares: Double
        /// The minimised objective `Σᵢ ρ(rᵢ)`: `½Σr²` for least squares, `Σ Huber_δ(rᵢ)` for Huber.
        public var objective: Double
        /// Accepted steps over all restarts, robust rounds and polishing.
        public var iterations: Int
        /// Residual evaluations, including finite differences and acceleration probes.
        public var evaluations: Int
        /// Whether the last run met a convergence test (`termination.isConvergence`).
        public var converged: Bool
        /// Why the last run stopped.
        public var termination: Termination
        /// The Jacobian `∂rᵢ/∂xⱼ` at `parameters` (`m × n`, unweighted), for covariances.
        public var jacobian: Matrix
        /// The residuals at `parameters`.
        public var residuals: [Double]
        /// The final IRLS weights `min(1, δ/|rᵢ|)` (all 1 for least squares).
        public var weights: [Double]
    }

    /// The settings used by `minimize`.
    public var options: Options

    public init(options: Options = .init()) {
        self.options = options
    }

    /// Minimises `Σ ρ(rᵢ(x))` from `start`.
    ///
    /// - Parameters:
    ///   - start: `n ≥ 1` finite start values; projected onto the bounds first.
    ///   - bounds: nil, or `n` entries, each a closed range or nil for a free parameter.
    ///   - residualCount: `m ≥ n`, the number of residuals.
    ///   - residuals: fills all `m` entries of `r` with the residuals at `x`. Non-finite values
    ///     away from the start make the solver step back.
    ///   - jacobian: optional; fills every element of the `m × n` matrix `j` with `∂rᵢ/∂xⱼ`.
    ///     When nil, finite differences (`options.finiteDifferences`) are used.
    /// - Throws: `FitError` for malformed arguments, `m < n`, or non-finite residuals or
    ///   Jacobian at the start.
    public func minimize(
        start: [Double],
        bounds: [ClosedRange<Double>?]? = nil,
        residualCount: Int,
        residuals: (_ x: [Double], _ r: inout [Double]) -> Void,
        jacobian: ((_ x: [Double], _ j: inout Matrix) -> Void)? = nil
    ) throws(FitError) -> Result {
        try options.validate()
        let n = start.count
        let m = residualCount
        if n == 0 { throw .invalidArgument("there are no parameters to fit") }
        if m < n { throw .tooFewObservations(observations: m, parameters: n) }
        var lower = [Double](repeating: -.infinity, count: n)
        var upper = [Double](repeating: .infinity, count: n)
        if let bounds {
            if bounds.count != n {
                throw .invalidArgument("bounds has \(bounds.count) entries for \(n) parameters")
            }
            for (j, bound) in bounds.enumerated() {
                guard let bound else { continue }
                if bound.lowerBound.isNaN || bound.upperBound.isNaN {
                    throw .invalidArgument("bound of parameter \(j) is NaN")
                }
                lower[j] = bound.lowerBound
                upper[j] = bound.upperBound
            }
        }
        for (j, value) in start.enumerated() where !value.isFinite {
            throw .invalidArgument("start value of parameter \(j) is \(value): give a finite start")
        }
        var core = LMCore(m: m, n: n, options: options, lower: lower, upper: upper, start: start)
        return try core.solve(residuals: residuals, jacobian: jacobian)
    }
}

// MARK: - The engine

/// The working state of one minimisation; all buffers are allocated once.
struct LMCore {
    typealias Residuals = (_ x: [Double], _ r: inout [Double]) -> Void
    typealias JacobianFunction = (_ x: [Double], _ j: inout Matrix) -> Void

    let m: Int
    let n: Int
    let options: LevenbergMarquardt.Options
    let lower: [Double]
    let upper: [Double]

    /// Current point, its weighted and raw residuals, and `Σ (weighted r)²`.
    var x: [Double]
    var r: [Double]
    var rawR: [Double]
    var cost = 0.0
    /// Weighted Jacobian at `x`, and a copy for reverting.
    var jac: Matrix
    var savedJac: Matrix
    /// √(IRLS weight) per residual.
    var sqrtW: [Double]
    var weighted = false

    var scale: [Double]
    var columnNorm: [Double]
    var gradient: [Double]
    var held: [Bool]
    var augmented: Matrix
    var rhs: [Double]
    var velocity: [Double]
    var acceleration: [Double]
    var trialX: [Double]
    var trialR: [Double]
    var trialRaw: [Double]
    var scratchR: [Double]
    var scratchRaw: [Double]
    /// Finite-difference probes (never shared with the trial point).
    var probeX: [Double]
    var probePlus: [Double]
    var probeMinus: [Double]
    var probeRaw: [Double]
    var work: [Double]

    var evaluations = 0
    var iterations = 0

    init(m: Int, n: Int, options: LevenbergMarquardt.Options, lower: [Double], upper: [Double], start: [Double]) {
        self.m = m
        self.n = n
        self.options = options
        self.lower = lower
        self.upper = upper
        x = start
        for j in 0..<n { x[j] = min(max(x[j], lower[j]), upper[j]) }
        r = [Double](repeating: 0, count: m)
        rawR = r
        jac = Matrix(rowCount: m, columnCount: n)
        savedJac = jac
        sqrtW = [Double](repeating: 1, count: m)
        scale = [Double](repeating: 0, count: n)
        columnNorm = scale
        gradient = scale
        held = [Bool](repeating: false, count: n)
        augmented = Matrix(rowCount: m + n, columnCount: n)
        rhs = [Double](repeating: 0, count: m + n)
        velocity = scale
        acceleration = scale
        trialX = x
        trialR = r
        trialRaw = r
        scratchR = r
        scratchRaw = r
        probeX = x
        probePlus = r
        probeMinus = r
        probeRaw = r
        work = r
    }

    var budgetLeft: Bool { evaluations < options.maxEvaluations && iterations < options.maxIterations }

    // MARK: Evaluation

    /// Evaluates the residuals at `point` into `raw` and the weighted `out`; false if any is
    /// non-finite. (Static so that callers can pass their own buffers; they count the evaluation.)
    static func evaluate(
        _ point: [Double], _ sqrtW: [Double], raw: inout [Double], out: inout [Double], _ residuals: Residuals
    ) -> Bool {
        let m = raw.count
        residuals(point, &raw)
        precondition(raw.count == m, "the residual function must leave exactly \(m) residuals")
        var finite = true
        for i in 0..<m {
            let value = raw[i] * sqrtW[i]
            if !value.isFinite { finite = false }
            out[i] = value
        }
        return finite
    }

    static func sumOfSquares(_ values: [Double]) -> Double {
        var sum = CompensatedSum()
        for v in values { sum.add(v * v) }
        return sum.value
    }

    /// Fills `jac` at `x` (weighted rows). Returns the first non-finite column, or nil.
    mutating func computeJacobian(_ residuals: Residuals, _ jacobian: JacobianFunction?) -> Int? {
        if let jacobian {
            jacobian(x, &jac)
            precondition(jac.rowCount == m && jac.columnCount == n, "the Jacobian must stay \(m) × \(n)")
            if weighted {
                for j in 0..<n { for i in 0..<m { jac[i, j] *= sqrtW[i] } }
            }
        } else {
            finiteDifferenceJacobian(residuals)
        }
        for j in 0..<n {
            for i in 0..<m where !jac[i, j].isFinite { return j }
        }
        return nil
    }

    mutating func finiteDifferenceJacobian(_ residuals: Residuals) {
        let epsilon = Double.ulpOfOne
        let central = options.finiteDifferences == .central
        let relative = central ? 6.055454452393343e-6 : epsilon.squareRoot()  // ε^(1/3) or ε^(1/2)
        for j in 0..<n {
            let xj = x[j]
            var h = relative * (xj == 0 ? 1 : abs(xj))
            // Step inward when the forward point leaves the box.
            if xj + h > upper[j] { h = -h }
            probeX = x
            if central, xj - abs(h) >= lower[j], xj + abs(h) <= upper[j] {
                let hp = (xj + abs(h)) - xj
                let hm = xj - (xj - abs(h))
                probeX[j] = xj + hp
                evaluations += 1
                _ = Self.evaluate(probeX, sqrtW, raw: &probeRaw, out: &probePlus, residuals)
                probeX[j] = xj - hm
                evaluations += 1
                _ = Self.evaluate(probeX, sqrtW, raw: &probeRaw, out: &probeMinus, residuals)
                let denominator = hp + hm
                for i in 0..<m { jac[i, j] = (probePlus[i] - probeMinus[i]) / denominator }
            } else {
                if xj + h < lower[j] { h = lower[j] - xj }  // a box narrower than the step
                let step = (xj + h) - xj
                probeX[j] = xj + step
                evaluations += 1
                _ = Self.evaluate(probeX, sqrtW, raw: &probeRaw, out: &probePlus, residuals)
                let inverse = step == 0 ? 0 : 1 / step
                for i in 0..<m { jac[i, j] = (probePlus[i] - r[i]) * inverse }
            }
        }
    }

    // MARK: Driver

    mutating func solve(residuals: Residuals, jacobian: JacobianFunction?) throws(FitError) -> LevenbergMarquardt.Result {
        evaluations += 1
        if !Self.evaluate(x, sqrtW, raw: &rawR, out: &r, residuals) {
            let index = rawR.firstIndex { !$0.isFinite } ?? 0
            throw .nonFiniteResidualAtStart(index: index, parameters: x)
        }
        let loss = options.robustLoss
        if !loss.isLeastSquares {
            setWeights(loss)
            for i in 0..<m { r[i] = rawR[i] * sqrtW[i] }
        }
        cost = Self.sumOfSquares(r)
        if let column = computeJacobian(residuals, jacobian) {
            throw .nonFiniteJacobianAtStart(parameter: column, parameters: x)
        }

        var termination: LevenbergMarquardt.Termination
        if loss.isLeastSquares {
            termination = runWithRestarts(residuals, jacobian)
        } else {
            // IRLS: plain LM runs at fixed weights, reweighting between them; restarts and the
            // Gauss–Newton polish only once, at the final weights.
            var objective = loss.objective(rawR)
            var rounds = 0
            while true {
                rounds += 1
                termination = run(residuals, jacobian)
                // Each round minimises a majoriser of the Huber objective at the previous point,
                // so the objective cannot rise (up to the inner tolerance).
                let newObjective = loss.objective(rawR)
                let improved = newObjective < objective * (1 - options.robustTolerance)
                objective = min(objective, newObjective)
                if !improved || rounds >= options.maxRobustRounds || !budgetLeft { break }
                // Reweight at the new point: rescale residuals and Jacobian rows in place.
                let oldWeights = sqrtW
                setWeights(loss)
                for i in 0..<m {
                    let factor = sqrtW[i] / oldWeights[i]
                    r[i] = rawR[i] * sqrtW[i]
                    for j in 0..<n { jac[i, j] *= factor }
                }
                cost = Self.sumOfSquares(r)
            }
            if termination.isConvergence && budgetLeft {
                termination = runWithRestarts(residuals, jacobian)
            }
        }

        // Unweighted Jacobian for the caller.
        var finalJacobian = jac
        if weighted {
            for i in 0..<m {
                let inverse = 1 / sqrtW[i]
                for j in 0..<n { finalJacobian[i, j] *= inverse }
            }
        }
        return LevenbergMarquardt.Result(
            parameters: x,
            residualSumOfSquares: Self.sumOfSquares(rawR),
            objective: loss.objective(rawR),
            iterations: iterations,
            evaluations: evaluations,
            converged: termination.isConvergence,
            termination: termination,
            jacobian: finalJacobian,
            residuals: rawR,
            weights: sqrtW.map { $0 * $0 })
    }

    mutating func setWeights(_ loss: RobustLoss) {
        weighted = true
        for i in 0..<m { sqrtW[i] = loss.weight(rawR[i]).squareRoot() }
    }

    /// One LM run, then restarts from its own converged point while they improve it, then a
    /// Gauss–Newton polish.
    mutating func runWithRestarts(_ residuals: Residuals, _ jacobian: JacobianFunction?) -> LevenbergMarquardt.Termination {
        var termination = run(residuals, jacobian)
        var restartsLeft = options.restarts
        while restartsLeft > 0, termination.isConvergence, termination != .zeroResidual, budgetLeft {
            restartsLeft -= 1
            let before = cost
            let beforeX = x
            termination = run(residuals, jacobian)
            var moved = false
            for j in 0..<n where abs(x[j] - beforeX[j]) > 1e-12 * max(abs(x[j]), abs(beforeX[j])) {
                moved = true
            }
            if !(cost < before * (1 - 1e-12)) && !moved { break }
        }
        polish(residuals, jacobian)
        return termination
    }

    // MARK: Levenberg–Marquardt iterations

    mutating func updateGradientAndScale(resetScale: Bool) {
        for j in 0..<n {
            var norm = 0.0, dot = 0.0
            for i in 0..<m {
                let value = jac[i, j]
                norm += value * value
                dot += value * r[i]
            }
            norm = norm.squareRoot()
            columnNorm[j] = norm
            gradient[j] = dot
            if resetScale {
                scale[j] = norm > 0 ? norm : 1
            } else {
                scale[j] = max(scale[j], norm)
            }
        }
    }

    /// Marks parameters at a bound whose descent direction (−gradient) leaves the box.
    mutating func updateHeld() {
        for j in 0..<n {
            held[j] = (x[j] <= lower[j] && gradient[j] > 0) || (x[j] >= upper[j] && gradient[j] < 0)
        }
    }

    /// Copies the Jacobian (held columns zero) into the top block of the augmented matrix.
    mutating func loadAugmentedJacobian() {
        for j in 0..<n {
            for i in 0..<m { augmented[i, j] = held[j] ? 0 : jac[i, j] }
        }
    }

    /// Solves `[J; √μ·D] s = [−b; 0]` (held parameters get 0); nil if LAPACK refuses.
    mutating func solveDamped(mu: Double, negatedRight b: [Double]) -> [Double]? {
        let root = mu.squareRoot()
        for j in 0..<n {
            for k in 0..<n { augmented[m + k, j] = 0 }
            augmented[m + j, j] = root * scale[j]
        }
        for i in 0..<m { rhs[i] = -b[i] }
        for k in 0..<n { rhs[m + k] = 0 }
        guard var solution = try? LeastSquares.solve(augmented, rhs) else { return nil }
        for j in 0..<n where held[j] { solution[j] = 0 }
        return solution
    }

    func scaledNorm(_ v: [Double]) -> Double {
        var sum = 0.0
        for j in 0..<n { let s = scale[j] * v[j]; sum += s * s }
        return sum.squareRoot()
    }

    /// `Σ (r + J·s)²` for the step `s` (held columns count as zero).
    mutating func linearModelCost(step: [Double]) -> Double {
        for i in 0..<m { work[i] = r[i] }
        for j in 0..<n where step[j] != 0 {
            let s = step[j]
            for i in 0..<m { work[i] += jac[i, j] * s }
        }
        return Self.sumOfSquares(work)
    }

    /// Moves to the trial point (`trialX`, `trialR`, `trialRaw`) and computes the Jacobian there;
    /// if that Jacobian is not finite, restores the previous point and returns false.
    mutating func acceptTrial(cost trialCost: Double, _ residuals: Residuals, _ jacobian: JacobianFunction?) -> Bool {
        swap(&savedJac, &jac)
        swap(&x, &trialX)
        swap(&r, &trialR)
        swap(&rawR, &trialRaw)
        let previousCost = cost
        cost = trialCost
        if computeJacobian(residuals, jacobian) == nil { return true }
        swap(&savedJac, &jac)
        swap(&x, &trialX)
        swap(&r, &trialR)
        swap(&rawR, &trialRaw)
        cost = previousCost
        return false
    }

    /// `‖J·v‖² + 2μ‖D·v‖²` for the current velocity `v`.
    mutating func dampedModelReduction(mu: Double) -> Double {
        for i in 0..<m { work[i] = 0 }
        for j in 0..<n where velocity[j] != 0 {
            let v = velocity[j]
            for i in 0..<m { work[i] += jac[i, j] * v }
        }
        let dv = scaledNorm(velocity)
        return Self.sumOfSquares(work) + 2 * mu * dv * dv
    }

    mutating func run(_ residuals: Residuals, _ jacobian: JacobianFunction?) -> LevenbergMarquardt.Termination {
        var mu = options.initialDamping
        var nu = 2.0
        var first = true
        let ftol = options.relativeTolerance
        let xtol = options.stepTolerance
        while true {
            if cost == 0 { return .zeroResidual }
            updateGradientAndScale(resetScale: first)
            first = false
            updateHeld()
            // Gradient test (MINPACK's gtol): cosine between r and each free column of J.
            let rNorm = cost.squareRoot()
            var cosine = 0.0
            for j in 0..<n where !held[j] && columnNorm[j] > 0 {
                cosine = max(cosine, abs(gradient[j]) / (columnNorm[j] * rNorm))
            }
            if cosine <= options.gradientTolerance { return .smallGradient }
            if iterations >= options.maxIterations { return .iterationLimit }
            loadAugmentedJacobian()

            // Inner loop: trial steps at increasing damping until one is accepted.
            while true {
                if evaluations >= options.maxEvaluations { return .evaluationLimit }
                if mu > 1e30 { return .dampingLimit }
                guard let solution = solveDamped(mu: mu, negatedRight: r) else {
                    // Cannot happen for μ > 0 (the damping rows have full rank); recover anyway.
                    mu = max(mu * 10, 1e-10)
                    continue
                }
                velocity = solution
                var refused = false
                for j in 0..<n { acceleration[j] = 0 }
                if options.geodesicAcceleration {
                    refused = !computeAcceleration(mu: mu, residuals)
                }
                // Trial point, projected onto the box; `acceleration` becomes the actual step.
                var stepNorm = 0.0
                var clipped = false
                for j in 0..<n {
                    let target = x[j] + velocity[j] + 0.5 * acceleration[j]
                    trialX[j] = min(max(target, lower[j]), upper[j])
                    if trialX[j] != target { clipped = true }
                    acceleration[j] = trialX[j] - x[j]
                    let s = scale[j] * acceleration[j]
                    stepNorm += s * s
                }
                stepNorm = stepNorm.squareRoot()
                let xNorm = scaledNorm(x)
                if stepNorm <= xtol * xNorm || stepNorm == 0 { return .smallStep }
                if refused {
                    mu *= nu
                    nu *= 2
                    continue
                }
                evaluations += 1
                let finite = Self.evaluate(trialX, sqrtW, raw: &trialRaw, out: &trialR, residuals)
                let trialCost = finite ? Self.sumOfSquares(trialR) : .infinity
                // Predicted reduction of the damped linear model along the velocity,
                // ‖J·v‖² + 2μ‖D·v‖² (exact and cancellation-free for the solved subproblem); a
                // clipped step is measured on the linear model directly.
                let predicted = clipped ? cost - linearModelCost(step: acceleration) : dampedModelReduction(mu: mu)
                let actual = cost - trialCost
                let ratio = predicted > 0 ? actual / predicted : (actual > 0 ? 1 : -1)
                let converging = abs(actual) <= ftol * cost && predicted <= ftol * cost && ratio <= 2
                if ratio > 1e-4 && finite {
                    // Accept: keep the old Jacobian in case the new one is not finite.
                    guard acceptTrial(cost: trialCost, residuals, jacobian) else {
                        mu *= nu
                        nu *= 2
                        continue
                    }
                    iterations += 1
                    let t = 2 * ratio - 1
                    mu *= max(1.0 / 3, 1 - t * t * t)
                    mu = max(mu, 1e-300)
                    nu = 2
                    if converging { return .smallReduction }
                    break
                }
                if converging { return .smallReduction }
                mu *= nu
                nu *= 2
            }
        }
    }

    /// Geodesic acceleration: `a` solves the damped system for `r''ᵥ ≈ (2/h)((r(x+h·v) − r)/h − J·v)`.
    /// Returns false when the step should be refused (acceleration too large relative to `v`).
    mutating func computeAcceleration(mu: Double, _ residuals: Residuals) -> Bool {
        let h = options.geodesicStep
        var inside = true
        for j in 0..<n {
            trialX[j] = x[j] + h * velocity[j]
            if trialX[j] < lower[j] || trialX[j] > upper[j] { inside = false }
        }
        // Outside the box the model may be undefined: no acceleration then.
        if !inside { return true }
        evaluations += 1
        guard Self.evaluate(trialX, sqrtW, raw: &scratchRaw, out: &scratchR, residuals) else { return true }
        // work = J·v
        for i in 0..<m { work[i] = 0 }
        for j in 0..<n where velocity[j] != 0 {
            let v = velocity[j]
            for i in 0..<m { work[i] += jac[i, j] * v }
        }
        let factor = 2 / h
        for i in 0..<m { scratchR[i] = factor * ((scratchR[i] - r[i]) / h - work[i]) }
        guard let solution = solveDamped(mu: mu, negatedRight: scratchR) else { return true }
        acceleration = solution
        let ratio = scaledNorm(acceleration) / scaledNorm(velocity)
        if !(ratio <= options.maxAccelerationRatio) {
            for j in 0..<n { acceleration[j] = 0 }
            return false
        }
        return true
    }

    /// Gauss–Newton polish: undamped steps by rank-revealing QR (LAPACK `dgelsy`) while they
    /// contract. Near the minimiser the change of `Σr²` is below its rounding noise, so a step is
    /// judged by its length (it must shrink) and by `Σr²` not rising by more than 1e-12 relative.
    mutating func polish(_ residuals: Residuals, _ jacobian: JacobianFunction?) {
        var previousStep = Double.infinity
        for _ in 0..<options.polishSteps {
            if cost == 0 || evaluations >= options.maxEvaluations { return }
            updateGradientAndScale(resetScale: false)
            updateHeld()
            var top = Matrix(rowCount: m, columnCount: n)
            for j in 0..<n where !held[j] { for i in 0..<m { top[i, j] = jac[i, j] } }
            for i in 0..<m { work[i] = -r[i] }
            guard let solution = try? LeastSquares.solveRankRevealing(top, work, rcond: 1e-14) else { return }
            var stepNorm = 0.0
            for j in 0..<n {
                let step = held[j] ? 0 : solution.solution[j]
                trialX[j] = min(max(x[j] + step, lower[j]), upper[j])
                let scaled = scale[j] * (trialX[j] - x[j])
                stepNorm += scaled * scaled
            }
            stepNorm = stepNorm.squareRoot()
            if stepNorm == 0 || !(stepNorm < previousStep) { return }
            previousStep = stepNorm
            evaluations += 1
            guard Self.evaluate(trialX, sqrtW, raw: &trialRaw, out: &trialR, residuals) else { return }
            let trialCost = Self.sumOfSquares(trialR)
            if !(trialCost <= cost * (1 + 1e-12)) { return }
            guard acceptTrial(cost: trialCost, residuals, jacobian) else { return }
            iterations += 1
            if stepNorm <= options.stepTolerance * scaledNorm(x) { return }
        }
    }
}

