import ScalingLaws
import SeededRandom

/// The solvable model of neural scaling laws: linear regression on Gaussian features with a
/// power-law spectrum, trained by SGD or Adam on sampled minibatches. It lets the project make
/// training logs of its own whose loss curves behave like LLM curves (a power-law decrease and an
/// extra drop when the learning rate anneals) while every ingredient is known.
///
/// ```
/// features   x ∈ R^M,  x ~ N(0, diag λ),  λ_i = i^(−a)               (capacity a)
/// target     w*_i = i^((a − b)/2),  so  λ_i · w*_i² = i^(−b)            (source b)
/// label      y = Σ_{i≤M} w*_i x_i + [Σ_{i>M} w*_i x_i] + σ·ε,  ε ~ N(0, 1)
/// loss       L(w) = ½ E[(y − ⟨w, x⟩)²] = ½ Σ_{i≤M} λ_i (w_i − w*_i)² + ½ τ² + ½ σ²
/// tail       τ² = Σ_{i>M} i^(−b)  (target .infinite),  τ² = 0  (target .truncated)
/// ```
/// With `.infinite` the target continues beyond the model's `M` features: the unlearnable part
/// of the signal is an approximation error that falls as a power of the model size,
/// `½τ² ≈ ½ M^(1−b)/(b − 1)`, so `dimension` plays the role of model size N. The initial loss (at
/// w = 0) is then `½ ζ(b) + ½ σ²` whatever `M`.
///
/// Under gradient flow with LR η, mode i is learned after about `1/(η λ_i)` steps, so for
/// `1 ≪ η t ≪ M^a` the loss above the floor falls as a power of the LR area:
/// ```
/// L(t) − ½(σ² + τ²) ≈ ½ Σ_i i^(−b) e^(−2ηtλ_i) ≈ Γ((b − 1)/a) / (2a) · (2η t)^(−(b − 1)/a)
/// ```
/// and SGD noise adds a floor of roughly `η · tr λ / (2B) · L` at a constant LR, which annealing
/// removes.
///
/// References: C. Paquette, E. Paquette, L. Xiao, J. Pennington, "4+3 Phases of Compute-Optimal
/// Neural Scaling Laws", NeurIPS 2024 (arXiv 2405.15074); B. Bordelon, C. Pehlevan, "A Dynamical
/// Model of Neural Scaling Laws", ICML 2024 (arXiv 2402.01092); L. Lin, J. Wu, S. Kakade,
/// P. Bartlett, J. Lee, "Scaling Laws in Linear Regression: Compute, Parameters, and Data",
/// NeurIPS 2024 (arXiv 2406.08466).
public struct SolvableModel: Sendable, Codable, Equatable {
    /// Whether the target stops at the model's `M` features or continues beyond them.
    public enum Target: String, Sendable, Codable, CaseIterable {
        /// `w*_i` for `i ≤ M` only: the loss floor is `½σ²`.
        case truncated
        /// `w*_i` for every `i ≥ 1`; the part beyond `M` is unlearnable signal (approximation error,
        /// acting on the learner exactly like extra label noise of variance `τ²`).
        case infinite
    }

    /// Number of features `M` (the model size), ≥ 1; cost per step grows linearly with it.
    public var dimension: Int
    /// Capacity `a` > 0: the spectrum is `λ_i = i^(−a)` (1.5–2 is typical).
    public var capacity: Double
    /// Source `b`: `λ_i w*_i² = i^(−b)`; needs `b > 1` with the `.infinite` target (1.3–2 is typical).
    public var source: Double
    /// Label noise `σ` ≥ 0.
    public var noise: Double
    /// Where the target stops.
    public var target: Target

    /// A model; the defaults (M = 2000, a = 1.5, b = 1.6, σ = 0.5, infinite target) give LLM-like
    /// curves over ~20k steps with SGD at batch 16 and peak LR ≈ 0.6 (see `TrainingSimulator`).
    public init(dimension: Int = 2000, capacity: Double = 1.5, source: Double = 1.6, noise: Double = 0.5,
                target: Target = .infinite) {
        self.dimension = dimension
        self.capacity = capacity
        self.source = source
        self.noise = noise
        self.target = target
    }

    /// Checks that the parameters describe a model with finite loss.
    public func validate() throws(SimulationError) {
        guard dimension >= 1 else { throw .invalidModel("dimension=\(dimension) must be at least 1") }
        guard capacity.isFinite && capacity > 0 else {
            throw .invalidModel("capacity=\(capacity) must be a positive number (λ_i = i^(−capacity); 1.5–2 is typical)")
        }
        guard source.isFinite else { throw .invalidModel("source=\(source) must be a finite number") }
        if target == .infinite && !(source > 1) {
            throw .invalidModel("source=\(source) must exceed 1 with the infinite target (the tail Σ i^(−source) must converge); use a larger source or the truncated target")
        }
        guard noise.isFinite && noise >= 0 else { throw .invalidModel("noise=\(noise) must be ≥ 0") }
    }

    /// The spectrum `λ_i = i^(−a)`, i = 1…M (index 0 holds λ_1 = 1).
    public func eigenvalues() -> [Double] {
        (1...dimension).map { PortableMath.pow(Double($0), -capacity) }
    }

    /// The target weights `w*_i = i^((a − b)/2)`, i = 1…M.
    public func targetWeights() -> [Double] {
        let exponent = 0.5 * (capacity - source)
        return (1...dimension).map { PortableMath.pow(Double($0), exponent) }
    }

    /// The signal beyond the model, `τ² = Σ_{i>M} i^(−b)` (0 for the truncated target), summed
    /// directly to i = 63 and by Euler–Maclaurin beyond (error < 1e−15 relative).
    public var tailSignal: Double {
        guard target == .infinite else { return 0 }
        return Self.powerTail(from: dimension + 1, exponent: source)
    }

    /// The loss no training can remove: `½(σ² + τ²)`.
    public var irreducibleLoss: Double { 0.5 * (noise * noise + tailSignal) }

    /// The loss at initialisation `w = 0`: `½ Σ_{i≤M} λ_i w*_i² + ½(σ² + τ²)`.
    public var initialLoss: Double { loss(weights: [Double](repeating: 0, count: dimension)) }

    /// The population loss `½ Σ λ_i (w_i − w*_i)² + ½(σ² + τ²)` of weights `w` (M entries).
    public func loss(weights: [Double]) -> Double {
        precondition(weights.count == dimension, "SolvableModel.loss: expected \(dimension) weights, got \(weights.count)")
        let lambda = eigenvalues(), target = targetWeights()
        var sum = 0.0
        for i in 0..<dimension {
            let e = weights[i] - target[i]
            sum += lambda[i] * e * e
        }
        return 0.5 * sum + irreducibleLoss
    }

    /// The largest constant SGD learning rate at which the expected loss stays bounded, for
    /// Gaussian features and batch size `B`: the root in `(0, 2B/(B+1))` of
    /// ```
    /// (η / B) · Σ_i λ_i / (2 − η λ_i (1 + 1/B)) = 1
    /// ```
    /// (the spectral radius of the second-moment recursion of `expectedSGDLoss` reaches 1). For
    /// small `η λ_1` this is `η ≈ 2B / tr λ`; for large `B` it tends to `2/λ_1 = 2`. Stay well
    /// below it (a factor 2–3) for clean curves.
    public func maximumStableSGDLearningRate(batchSize: Int) -> Double {
        precondition(batchSize >= 1, "maximumStableSGDLearningRate: batch size must be ≥ 1")
        let lambda = eigenvalues()
        let b = Double(batchSize), factor = 1 + 1 / b
        var low = 0.0, high = 2 / factor
        for _ in 0..<100 {
            let eta = 0.5 * (low + high)
            var sum = 0.0
            for l in lambda { sum += l / (2 - eta * l * factor) }
            if eta / b * sum < 1 { low = eta } else { high = eta }
        }
        return low
    }

    /// The exact expected population loss of SGD from `w = 0` (averaged over all minibatch draws),
    /// without sampling: for Gaussian features the diagonal second moments `c_i = E[(w_i − w*_i)²]`
    /// follow a closed recursion, O(M) per step.
    /// ```
    /// c_i ← c_i (1 − 2ηλ_i + η²λ_i²(1 + 1/B)) + (η²/B) λ_i (Σ_j λ_j c_j + σ² + τ²),  c_i(0) = w*_i²
    /// E L = ½ Σ λ_i c_i + ½(σ² + τ²)
    /// ```
    /// - Parameters:
    ///   - learningRates: the LR at every step `0…T` (index = step); update `s = 1…T` uses
    ///     `learningRates[s]`, `learningRates[0]` is unused (as in the annealing law's `S1`).
    ///   - batchSize: `B ≥ 1`.
    ///   - logEvery: report every `logEvery`-th step (≥ 1) and the last step `T`.
    public func expectedSGDLoss(learningRates: [Double], batchSize: Int, logEvery: Int) throws(SimulationError) -> ExpectedLossCurve {
        try validate()
        try TrainingSimulator.checkRun(learningRates: learningRates, batchSize: batchSize, logEvery: logEvery)
        let lambda = eigenvalues(), target = targetWeights()
        let floor = irreducibleLoss, noisePower = 2 * floor
        let inverseBatch = 1 / Double(batchSize)
        var moments = target.map { $0 * $0 }
        var curve = ExpectedLossCurve(steps: [], learningRates: [], loss: [])
        let total = learningRates.count - 1
        for step in 1...total {
            let eta = learningRates[step]
            var weighted = 0.0
            for i in 0..<dimension { weighted += lambda[i] * moments[i] }
            let drive = eta * eta * inverseBatch * (weighted + noisePower)
            for i in 0..<dimension {
                let l = lambda[i]
                moments[i] = moments[i] * (1 - 2 * eta * l + eta * eta * l * l * (1 + inverseBatch)) + drive * l
            }
            if step % logEvery == 0 || step == total {
                var sum = 0.0
                for i in 0..<dimension { sum += lambda[i] * moments[i] }
                let loss = 0.5 * sum + floor
                guard loss.isFinite else {
                    throw .diverged(step: step, loss: loss, hint: TrainingSimulator.divergenceHint(model: self, optimizer: .sgd, batchSize: batchSize))
                }
                curve.steps.append(step)
                curve.learningRates.append(eta)
                curve.loss.append(loss)
            }
        }
        return curve
    }

    /// `Σ_{i≥n} i^(−b)` for `b > 1`: direct sum to 63, then Euler–Maclaurin at `N = max(n, 64)`:
    /// ```
    /// Σ_{i≥N} i^(−b) ≈ N^(1−b)/(b−1) + ½N^(−b) + (b/12)N^(−b−1) − b(b+1)(b+2)/720 · N^(−b−3)
    ///                 + b(b+1)(b+2)(b+3)(b+4)/30240 · N^(−b−5)
    /// ```
    static func powerTail(from n: Int, exponent b: Double) -> Double {
        let start = max(n, 64)
        let nd = Double(start)
        let p = PortableMath.pow(nd, -b)
        var tail = nd * p / (b - 1) + 0.5 * p + b / 12 * p / nd
        let n3 = nd * nd * nd
        tail -= b * (b + 1) * (b + 2) / 720 * p / n3
        tail += b * (b + 1) * (b + 2) * (b + 3) * (b + 4) / 30240 * p / (n3 * nd * nd)
        if n < start {
            // Smallest terms first.
            for i in stride(from: start - 1, through: n, by: -1) { tail += PortableMath.pow(Double(i), -b) }
        }
        return tail
    }
}

/// The expected (sampling-averaged) loss curve of SGD on a `SolvableModel`.
public struct ExpectedLossCurve: Sendable, Equatable, Codable {
    /// Logged steps (number of updates done), increasing, ending at `T`.
    public var steps: [Int]
    /// The learning rate of the update at each logged step.
    public var learningRates: [Double]
    /// The expected population loss after that update.
    public var loss: [Double]
}

/// The optimizer of a simulated run.
public enum Optimizer: String, Sendable, Codable, CaseIterable {
    /// Plain minibatch SGD: `w ← w − η g`.
    case sgd
    /// Adam (Kingma & Ba 2015) with β1 = 0.9, β2 = 0.95, ε = 1e−8 and bias correction:
    /// `m ← β1 m + (1−β1) g`, `v ← β2 v + (1−β2) g²`, `w ← w − η (m/(1−β1^t)) / (√(v/(1−β2^t)) + ε)`.
    case adam
}

/// How a minibatch gradient is drawn. Both give trajectories with the same probability law; they
/// differ in cost and so in the exact numbers a seed produces. Below, `σ' = √(σ² + τ²)`: label
/// noise plus the signal beyond the model's features, which the learner sees as noise.
public enum MinibatchSampling: String, Sendable, Codable, CaseIterable {
    /// Every example is drawn: `x_b = √λ ⊙ z_b`, `z_b ~ N(0, I_M)`, then
    /// `g = (1/B) Σ_b x_b (⟨w − w*, x_b⟩ − σ' ε_b)`. Cost O(B·M) per step.
    case perExample = "per-example"
    /// The same gradient distribution from M + 2B normals. With `v = √λ ⊙ (w − w*)`, `v̂ = v/|v|`:
    /// ```
    /// r_b = |v| ξ_b − σ' ε_b,   g = (1/B) √λ ⊙ ( v̂ Σ_b r_b ξ_b + |r| (ζ − v̂ ⟨v̂, ζ⟩) )
    /// ```
    /// with ξ, ε ~ N(0, I_B), ζ ~ N(0, I_M) — exact in law because `Σ_b r_b P z_b` given `r` is
    /// `N(0, |r|² P)` for the projection `P = I − v̂v̂ᵀ`. Cost O(M + B) per step, so large batches are cheap.
    case projected
}

/// One simulated training run, logged every `logEvery` steps and at the last step.
public struct SimulatedRun: Sendable, Equatable, Codable {
    /// Logged steps (number of updates done), increasing, ending at `T`.
    public var steps: [Int]
    /// The learning rate of the update at each logged step.
    public var learningRates: [Double]
    /// Exact population loss `L(w)` after the update (no sampling noise).
    public var loss: [Double]
    /// The population loss averaged over the steps since the previous logged step (after each
    /// update), like a trainer that logs a mean over its logging interval: it removes the fast
    /// step-to-step jitter of the leading modes under SGD noise.
    public var meanLoss: [Double]
    /// The loss of the minibatch drawn at that step, `(1/2B) Σ_b (⟨w, x_b⟩ − y_b)²` at the weights
    /// before the update (what a training loop logs); an unbiased, noisy estimate of `L`.
    public var trainLoss: [Double]
    /// ℓ2 norm `‖g‖₂` of that step's minibatch gradient.
    public var gradientNorm: [Double]
    /// ℓ1 norm `‖g‖₁` of that step's minibatch gradient (the norm Defazio et al. 2023 use for Adam).
    public var gradientNormL1: [Double]
    /// The model's irreducible loss `½(σ² + τ²)`.
    public var irreducibleLoss: Double
}

/// Why a simulation cannot run or stopped.
public enum SimulationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Model parameters out of range.
    case invalidModel(String)
    /// Batch size, learning rates or logging interval out of range.
    case invalidSetting(String)
    /// The loss became non-finite or exploded: the learning rate is too high.
    case diverged(step: Int, loss: Double, hint: String)

    public var description: String {
        switch self {
        case .invalidModel(let message): return "invalid model: \(message)"
        case .invalidSetting(let message): return message
        case .diverged(let step, let loss, let hint):
            return "training diverged at step \(step) (loss \(loss)); \(hint)"
        }
    }
}

/// Trains a `SolvableModel` from `w = 0` on freshly sampled minibatches with a given per-step
/// learning rate, deterministically from a seed.
///
/// ```
/// for s = 1…T:  draw a minibatch of B examples,  g = (1/B) Σ_b x_b (⟨w, x_b⟩ − y_b)
///               w ← w − η_s g                (SGD)   or the Adam update with η_s
/// ```
/// Random numbers come from xoshiro256** and a ziggurat normal sampler, with the model's spectrum
/// computed by portable arithmetic, so a seed gives bit-identical runs on every machine (for a
/// given `sampling`). Per step the draws are, in order: `.perExample` — for each example its M
/// feature normals then its noise normal; `.projected` — ξ_1…ξ_B, ε_1…ε_B, then ζ_1…ζ_M.
///
/// Suggested settings with the default model (M = 2000, a = 1.5, b = 1.6, σ = 0.5): SGD with
/// B = 16 and peak LR 0.6 (the mean-square stability limit is ≈ 1.77, see
/// `SolvableModel.maximumStableSGDLearningRate(batchSize:)`); Adam with peak LR ≈ 0.003–0.01.
/// Cost: `.perExample` draws B·M normals per step; `.projected` M + 2B.
public struct TrainingSimulator: Sendable {
    /// Adam's β1.
    public static let adamBeta1 = 0.9
    /// Adam's β2.
    public static let adamBeta2 = 0.95
    /// Adam's ε.
    public static let adamEpsilon = 1e-8
    /// The batch size the default model was tuned with.
    public static let defaultBatchSize = 16

    /// A peak LR that gives LLM-like curves with the default model and batch size.
    public static func suggestedPeakLearningRate(for optimizer: Optimizer) -> Double {
        optimizer == .sgd ? 0.6 : 0.01
    }

    public var model: SolvableModel
    public var optimizer: Optimizer
    /// Examples per minibatch, ≥ 1.
    public var batchSize: Int
    public var seed: UInt64
    public var sampling: MinibatchSampling

    public init(model: SolvableModel, optimizer: Optimizer, batchSize: Int, seed: UInt64,
                sampling: MinibatchSampling = .perExample) {
        self.model = model
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.seed = seed
        self.sampling = sampling
    }

    /// Runs `schedule` (all its steps `1…totalSteps`).
    public func run(schedule: Schedule, logEvery: Int) throws(SimulationError) -> SimulatedRun {
        try run(learningRates: schedule.learningRates(), logEvery: logEvery)
    }

    /// Trains for `T = learningRates.count − 1` updates.
    /// - Parameters:
    ///   - learningRates: the LR at every step `0…T` (index = step, like `Schedule.learningRates()`
    ///     and `TrainingCurve.learningRates`); update `s = 1…T` uses `learningRates[s]`;
    ///     `learningRates[0]` is not applied. All finite and ≥ 0; at least 2 entries.
    ///   - logEvery: log every `logEvery`-th step (≥ 1) and the last step `T`.
    /// - Throws: `SimulationError.diverged` when the loss becomes non-finite or exceeds 10¹² times
    ///   its initial value; `.invalidModel` / `.invalidSetting` for bad inputs.
    public func run(learningRates: [Double], logEvery: Int) throws(SimulationError) -> SimulatedRun {
        try model.validate()
        try Self.checkRun(learningRates: learningRates, batchSize: batchSize, logEvery: logEvery)
        var engine = Engine(simulator: self)
        defer { engine.deallocate() }
        let total = learningRates.count - 1
        let initial = model.initialLoss
        var run = SimulatedRun(steps: [], learningRates: [], loss: [], meanLoss: [], trainLoss: [], gradientNorm: [],
                               gradientNormL1: [], irreducibleLoss: model.irreducibleLoss)
        let capacity = total / logEvery + 1
        run.steps.reserveCapacity(capacity)
        var windowSum = 0.0, windowCount = 0
        for step in 1...total {
            let batchLoss = engine.drawGradient()
            guard batchLoss.isFinite && batchLoss <= 1e12 * initial else {
                throw .diverged(step: step, loss: batchLoss, hint: Self.divergenceHint(model: model, optimizer: optimizer, batchSize: batchSize))
            }
            let logged = step % logEvery == 0 || step == total
            if logged {
                let (l2, l1) = engine.gradientNorms()
                run.trainLoss.append(batchLoss)
                run.gradientNorm.append(l2)
                run.gradientNormL1.append(l1)
            }
            engine.update(learningRate: learningRates[step])
            let loss = engine.populationLoss()
            windowSum += loss
            windowCount += 1
            if logged {
                guard loss.isFinite && loss <= 1e12 * initial else {
                    throw .diverged(step: step, loss: loss, hint: Self.divergenceHint(model: model, optimizer: optimizer, batchSize: batchSize))
                }
                run.steps.append(step)
                run.learningRates.append(learningRates[step])
                run.loss.append(loss)
                run.meanLoss.append(windowSum / Double(windowCount))
                windowSum = 0
                windowCount = 0
            }
        }
        return run
    }

    static func checkRun(learningRates: [Double], batchSize: Int, logEvery: Int) throws(SimulationError) {
        guard batchSize >= 1 else { throw .invalidSetting("batch size \(batchSize) must be at least 1") }
        guard logEvery >= 1 else { throw .invalidSetting("log-every \(logEvery) must be at least 1") }
        guard learningRates.count >= 2 else {
            throw .invalidSetting("need learning rates for steps 0…T with T ≥ 1 (got \(learningRates.count) values)")
        }
        for (step, rate) in learningRates.enumerated() where !(rate.isFinite && rate >= 0) {
            throw .invalidSetting("learning rate \(rate) at step \(step) is not a finite number ≥ 0")
        }
    }

    static func divergenceHint(model: SolvableModel, optimizer: Optimizer, batchSize: Int) -> String {
        switch optimizer {
        case .sgd:
            let limit = model.maximumStableSGDLearningRate(batchSize: batchSize)
            return "SGD with batch size \(batchSize) is stable only below LR ≈ \(limit.formatted3); lower the learning rate or raise the batch size"
        case .adam:
            return "lower the learning rate (Adam on this model works at ≈ 0.003–0.01)"
        }
    }
}

extension Double {
    fileprivate var formatted3: String {
        let scaled = (self * 1000).rounded(.down) / 1000
        return "\(scaled)"
    }
}

/// The mutable state of one run: weights error `e = w − w*`, optimizer moments, the current
/// gradient, and the random stream. Buffers are manually managed for speed and freed by `deallocate()`.
private struct Engine {
    let dimension: Int
    let batchSize: Int
    let optimizer: Optimizer
    let sampling: MinibatchSampling
    /// √(σ² + τ²): label noise plus the unlearnable tail signal.
    let noiseScale: Double
    let floor: Double
    var random: Xoshiro256StarStar
    let zigguratX: UnsafePointer<Double>
    let zigguratF: UnsafePointer<Double>
    let lambda: UnsafeMutablePointer<Double>
    let rootLambda: UnsafeMutablePointer<Double>
    /// e = w − w*.
    let error: UnsafeMutablePointer<Double>
    let gradient: UnsafeMutablePointer<Double>
    let scratch: UnsafeMutablePointer<Double>
    let firstMoment: UnsafeMutablePointer<Double>
    let secondMoment: UnsafeMutablePointer<Double>
    let batchScratch: UnsafeMutablePointer<Double>
    /// Scratch for `fillGaussians`: 2·max(M, 2B) words.
    let pending: UnsafeMutablePointer<UInt64>
    var beta1Power = 1.0
    var beta2Power = 1.0

    init(simulator: TrainingSimulator) {
        let model = simulator.model
        dimension = model.dimension
        batchSize = simulator.batchSize
        optimizer = simulator.optimizer
        sampling = simulator.sampling
        floor = model.irreducibleLoss
        noiseScale = (2 * floor).squareRoot()
        random = Xoshiro256StarStar(seed: simulator.seed)
        let table = ZigguratTable.shared
        zigguratX = UnsafePointer(table.x)
        zigguratF = UnsafePointer(table.f)
        let m = dimension
        lambda = .allocate(capacity: m)
        rootLambda = .allocate(capacity: m)
        error = .allocate(capacity: m)
        gradient = .allocate(capacity: m)
        scratch = .allocate(capacity: m)
        firstMoment = .allocate(capacity: m)
        secondMoment = .allocate(capacity: m)
        batchScratch = .allocate(capacity: 2 * batchSize)
        pending = .allocate(capacity: 2 * max(m, 2 * batchSize))
        let eigen = model.eigenvalues(), target = model.targetWeights()
        for i in 0..<m {
            lambda[i] = eigen[i]
            rootLambda[i] = eigen[i].squareRoot()
            error[i] = -target[i]
            gradient[i] = 0
        }
        firstMoment.initialize(repeating: 0, count: m)
        secondMoment.initialize(repeating: 0, count: m)
    }

    func deallocate() {
        for pointer in [lambda, rootLambda, error, gradient, scratch, firstMoment, secondMoment, batchScratch] {
            pointer.deallocate()
        }
        pending.deallocate()
    }

    @inline(__always)
    mutating func gaussian() -> Double {
        random.nextGaussian(x: zigguratX, f: zigguratF)
    }

    /// Draws a minibatch, stores its gradient in `gradient`, returns its loss `(1/2B) Σ r_b²`.
    mutating func drawGradient() -> Double {
        switch sampling {
        case .perExample: return drawPerExample()
        case .projected: return drawProjected()
        }
    }

    private mutating func drawPerExample() -> Double {
        let m = dimension
        for i in 0..<m { gradient[i] = 0 }
        var squares = 0.0
        let x = scratch
        for _ in 0..<batchSize {
            random.fillGaussians(x, count: m, pending: pending, x: zigguratX, f: zigguratF)
            for i in 0..<m { x[i] *= rootLambda[i] }
            let residual = Self.dot(error, x, count: m) - noiseScale * gaussian()
            squares += residual * residual
            for i in 0..<m { gradient[i] += residual * x[i] }
        }
        let inverse = 1 / Double(batchSize)
        for i in 0..<m { gradient[i] *= inverse }
        return 0.5 * squares * inverse
    }

    private mutating func drawProjected() -> Double {
        let m = dimension, b = batchSize
        var normSquared = 0.0
        for i in 0..<m {
            let v = rootLambda[i] * error[i]
            normSquared += v * v
        }
        let norm = normSquared.squareRoot()
        let xi = batchScratch, eps = batchScratch + b
        random.fillGaussians(batchScratch, count: 2 * b, pending: pending, x: zigguratX, f: zigguratF)
        var residualDotXi = 0.0, squares = 0.0
        for k in 0..<b {
            let residual = norm * xi[k] - noiseScale * eps[k]
            residualDotXi += residual * xi[k]
            squares += residual * residual
        }
        let residualNorm = squares.squareRoot()
        random.fillGaussians(scratch, count: m, pending: pending, x: zigguratX, f: zigguratF)
        var vDotZeta = 0.0
        for i in 0..<m { vDotZeta += rootLambda[i] * error[i] * scratch[i] }
        // g_i = √λ_i (c·v_i + |r| ζ_i)/B with c = (Σ r_b ξ_b − |r| ⟨v, ζ⟩/|v|)/|v|.
        let coefficient = norm > 0 ? (residualDotXi - residualNorm * vDotZeta / norm) / norm : 0
        let inverse = 1 / Double(b)
        for i in 0..<m {
            let v = rootLambda[i] * error[i]
            gradient[i] = rootLambda[i] * (coefficient * v + residualNorm * scratch[i]) * inverse
        }
        return 0.5 * squares * inverse
    }

    /// `Σ a_i b_i` with four interleaved partial sums (a fixed order, so still bit-reproducible).
    @inline(__always)
    static func dot(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += a[i] * b[i]
            s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]
            s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < count {
            s0 += a[i] * b[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    func gradientNorms() -> (l2: Double, l1: Double) {
        var squares = 0.0, absolute = 0.0
        for i in 0..<dimension {
            squares += gradient[i] * gradient[i]
            absolute += abs(gradient[i])
        }
        return (squares.squareRoot(), absolute)
    }

    mutating func update(learningRate eta: Double) {
        let m = dimension
        switch optimizer {
        case .sgd:
            for i in 0..<m { error[i] -= eta * gradient[i] }
        case .adam:
            let beta1 = TrainingSimulator.adamBeta1, beta2 = TrainingSimulator.adamBeta2
            let epsilon = TrainingSimulator.adamEpsilon
            beta1Power *= beta1
            beta2Power *= beta2
            let correction1 = 1 - beta1Power, correction2 = 1 - beta2Power
            for i in 0..<m {
                let g = gradient[i]
                firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g
                secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g
                let mHat = firstMoment[i] / correction1
                let vHat = secondMoment[i] / correction2
                error[i] -= eta * mHat / (vHat.squareRoot() + epsilon)
            }
        }
    }

    func populationLoss() -> Double {
        var sum = 0.0
        for i in 0..<dimension { sum += lambda[i] * error[i] * error[i] }
        return 0.5 * sum + floor
    }
}
