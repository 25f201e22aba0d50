import Foundation

/// The loss-drop sums of the multi-power law at chosen steps of one schedule, without O(T²) work.
///
/// ```
/// D(t) = Σ_{k=1..t} (η_{k−1} − η_k) · G(η_k^(−γ) · S_k(t)),   S_k(t) = Σ_{τ=k..t} η_τ = F(t) − F(k−1)
/// G(x) = 1 − (C·x + 1)^(−β),                                 F(t) = Σ_{τ=1..t} η_τ
/// ```
/// Only steps where the learning rate changes contribute. A run is a stretch over which η moves
/// one way (its changes share one sign; steps without change may lie between them, as where
/// rates logged to a few digits form a staircase); each run is covered by dyadic blocks, chosen
/// per step t as coarse as three tests allow:
/// ```
/// |ln η_b − ln η_a| ≤ 1,   the block's quarters change η within a factor 2 of each other,
/// ln(S_a(t) / S_b(t)) ≤ ½
/// ```
/// for block a…b (all k ≤ t): ln x then varies by at most γ + ½ across it, and η is smooth on its
/// scale. A block is summed by the two-point Gauss rule of its own weights η_{k−1} − η_k (exact
/// for cubics in k; η and F are interpolated linearly between steps at the nodes), a block of one
/// or two changes, or of at most 8 with steps of no change among them, term by term. The rule's
/// error is of fourth order in the spread of ln x: on schedules with warmup, cosine, geometric,
/// 1 − √p and linear decays (to 0 too) and one-cycle, the sum differs from the definition by less than 2e-5 · Σ_k |η_{k−1} − η_k| for γ ≤ 1.5
/// (`MultiPowerLawTests`): for the published fits (B·Σ|Δη| ≈ 0.2) below 5e-6 in loss. With the
/// rates rounded to 3 significant digits (η jumps by up to 0.3 % at a stair) the bound is
/// 2e-4 · Σ|Δη|, below 4e-5 in loss. A piecewise-constant schedule whose runs hold at most 8
/// changes (constant, multi-step, two-stage) is summed exactly. Per step this costs O(log T)
/// blocks: 20–90 terms on the shared runs' schedules.
///
/// A step with η_k = 0 is its own term: G = 1 once the learning rate is positive again after it
/// (x → ∞) and G = 0 while it stays 0 (no progress, the limit η → 0 for γ < 1).
/// Luo et al. (2025), "A Multi-Power Law for Loss Curve Prediction Across Learning Rate
/// Schedules", arXiv 2503.12811, Eq. 4.
struct MultiPowerLossDrop: Sendable {
    /// The steps the sums are evaluated at, strictly increasing.
    let steps: [Int]
    /// F(t) = Σ_{τ=1..t} η_τ at `steps` (S1 + S_W of the law).
    let forwardArea: [Double]
    /// η_0 − η_t at `steps`: the sum with every term relaxed (G = 1).
    let totalChange: [Double]
    private let nodes: Nodes
    /// Terms of step i are `termStart[i]..<termStart[i + 1]`: a node and its area S_k(t).
    private let termStart: [Int]
    private let termNode: [Int32]
    private let termArea: [Double]

    /// How many quadrature terms the sums at every step take together.
    var termCount: Int { termNode.count }

    /// Quadrature nodes: exact changes and Gauss nodes of blocks.
    struct Nodes: Sendable {
        var weight: [Double] = []
        /// ln η at the node (0 where η = 0).
        var logRate: [Double] = []
        var rateIsZero: [Bool] = []
        /// F(k − 1) at the node.
        var areaBefore: [Double] = []

        var count: Int { weight.count }

        /// Appends a node of weight `w` at rate `rate` (ln η = `u`) after area `v`.
        mutating func append(weight w: Double, rate: Double, logRate u: Double, areaBefore v: Double) {
            weight.append(w)
            rateIsZero.append(rate == 0)
            logRate.append(rate == 0 ? 0 : u)
            areaBefore.append(v)
        }
    }

    /// Prepares the sums of per-step `rates` (index = step, all ≥ 0) at `steps` (each < `rates.count`).
    init(rates: [Double], at steps: [Int]) {
        precondition(steps.allSatisfy { $0 >= 0 && $0 < rates.count }, "MultiPowerLossDrop: a step lies outside the rates")
        var blocks = LossDropBlocks(rates: rates)
        var termStart = [0], termNode: [Int32] = [], termArea: [Double] = []
        termStart.reserveCapacity(steps.count + 1)
        for step in steps {
            blocks.forEachTerm(at: step) { node, area in
                termNode.append(Int32(node))
                termArea.append(area)
            }
            termStart.append(termNode.count)
        }
        self.steps = steps
        self.forwardArea = steps.map { blocks.forwardArea[$0] }
        self.totalChange = steps.map { rates[0] - rates[$0] }
        self.nodes = blocks.nodes
        self.termStart = termStart
        self.termNode = termNode
        self.termArea = termArea
    }

    /// Each term's `ln(1 + Cx)` and `(1 + Cx)^(−β) − 1` and each node's `η^(−γ)` at one (C, β, γ),
    /// kept by `sums(c:beta:gamma:keeping:)` so that the derivatives at the same point need no
    /// further logarithm or exponential.
    struct TermValues: Sendable {
        var logBase: [Double] = []
        var pending: [Double] = []
        var scale: [Double] = []
    }

    /// D(t) at every step for shape parameters (C, β, γ).
    func sums(c: Double, beta: Double, gamma: Double) -> [Double] {
        var unused = TermValues()
        return evaluate(c: c, beta: beta, gamma: gamma, keeping: false, terms: &unused)
    }

    /// D(t) at every step, keeping the term values in `terms` for `derivatives(c:beta:terms:)`.
    func sums(c: Double, beta: Double, gamma: Double, keeping terms: inout TermValues) -> [Double] {
        evaluate(c: c, beta: beta, gamma: gamma, keeping: true, terms: &terms)
    }

    /// D(t) and its derivatives with respect to C, β and γ at every step.
    func sumsAndDerivatives(c: Double, beta: Double, gamma: Double) -> LossDropDerivatives {
        var terms = TermValues()
        let value = evaluate(c: c, beta: beta, gamma: gamma, keeping: true, terms: &terms)
        var result = derivatives(c: c, beta: beta, terms: terms)
        result.value = value
        return result
    }

    /// ```
    /// w·G = −w·(exp(−β·ln(1 + Cx)) − 1)
    /// ```
    /// `exp` and `log` rather than `expm1` and `log1p`: they cost 40 % less, and their absolute
    /// error (≤ 2.3e-16 in G) is far below the quadrature's; the small terms they lose relative
    /// precision on are the small ones in the sum.
    private func evaluate(c: Double, beta: Double, gamma: Double, keeping: Bool, terms: inout TermValues) -> [Double] {
        var value = [Double](repeating: 0, count: steps.count)
        let scale = nodes.logRate.map { exp(-gamma * $0) }
        var keptLogBase: [Double] = [], keptPending: [Double] = []
        if keeping {
            swap(&keptLogBase, &terms.logBase)
            swap(&keptPending, &terms.pending)
            if keptLogBase.count != termArea.count {
                keptLogBase = [Double](repeating: 0, count: termArea.count)
                keptPending = keptLogBase
            }
            terms.scale = scale
        }
        defer {
            if keeping { (terms.logBase, terms.pending) = (keptLogBase, keptPending) }
        }
        scale.withUnsafeBufferPointer { scale in
        nodes.weight.withUnsafeBufferPointer { weight in
        nodes.rateIsZero.withUnsafeBufferPointer { rateIsZero in
        termNode.withUnsafeBufferPointer { termNode in
        termArea.withUnsafeBufferPointer { termArea in
        keptLogBase.withUnsafeMutableBufferPointer { keptLogBase in
        keptPending.withUnsafeMutableBufferPointer { keptPending in
            for i in steps.indices {
                var sum = 0.0
                for t in termStart[i]..<termStart[i + 1] {
                    let q = Int(termNode[t]), area = termArea[t], w = weight[q]
                    if rateIsZero[q] {
                        if area > 0 { sum += w }
                        continue
                    }
                    let x = scale[q] * area, cx = c * x
                    let logBase = log(1 + cx)
                    let pending = exp(-beta * logBase) - 1
                    sum -= w * pending
                    if keeping {
                        keptLogBase[t] = logBase
                        keptPending[t] = pending
                    }
                }
                value[i] = sum
            }
        }}}}}}}
        return value
    }

    /// ∂D/∂C, ∂D/∂β, ∂D/∂γ at every step from the term values kept by `sums(c:beta:gamma:keeping:)`
    /// at the same (C, β, γ); `value` is left empty.
    /// ```
    /// w·∂G/∂C = w·β·x·(1 + Cx)^(−β−1)      w·∂G/∂β = w·(1 + Cx)^(−β)·ln(1 + Cx)
    /// w·∂G/∂γ = −ln η · Cx · w·β·(1 + Cx)^(−β−1)
    /// ```
    func derivatives(c: Double, beta: Double, terms: TermValues) -> LossDropDerivatives {
        var result = LossDropDerivatives(count: steps.count, derivatives: true)
        result.value = []
        terms.scale.withUnsafeBufferPointer { scale in
        nodes.weight.withUnsafeBufferPointer { weight in
        nodes.logRate.withUnsafeBufferPointer { logRate in
        nodes.rateIsZero.withUnsafeBufferPointer { rateIsZero in
        termNode.withUnsafeBufferPointer { termNode in
        termArea.withUnsafeBufferPointer { termArea in
        terms.logBase.withUnsafeBufferPointer { keptLogBase in
        terms.pending.withUnsafeBufferPointer { keptPending in
            for i in steps.indices {
                var dc = 0.0, dbeta = 0.0, dgamma = 0.0
                for t in termStart[i]..<termStart[i + 1] {
                    let q = Int(termNode[t])
                    if rateIsZero[q] { continue }
                    let area = termArea[t], w = weight[q]
                    let x = scale[q] * area, cx = c * x
                    let logBase = keptLogBase[t]
                    let remaining = 1 + keptPending[t]
                    let slope = w * beta * remaining / (1 + cx)
                    dc += slope * x
                    dbeta += w * remaining * logBase
                    dgamma -= slope * cx * logRate[q]
                }
                result.c[i] = dc
                result.beta[i] = dbeta
                result.gamma[i] = dgamma
            }
        }}}}}}}}
        return result
    }

    /// D(t) at `steps` of `rates` in one pass, without keeping the terms: for single predictions of
    /// long schedules, where storing every step's terms would cost more memory than it saves.
    static func sums(rates: [Double], at steps: [Int], c: Double, beta: Double, gamma: Double) -> [Double] {
        precondition(steps.allSatisfy { $0 >= 0 && $0 < rates.count }, "MultiPowerLossDrop: a step lies outside the rates")
        var blocks = LossDropBlocks(rates: rates)
        var scale: [Double] = []
        var terms: [(node: Int, area: Double)] = []
        return steps.map { step in
            terms.removeAll(keepingCapacity: true)
            blocks.forEachTerm(at: step) { terms.append(($0, $1)) }
            let nodes = blocks.nodes
            while scale.count < nodes.count { scale.append(exp(-gamma * nodes.logRate[scale.count])) }
            var sum = 0.0
            for (q, area) in terms {
                if nodes.rateIsZero[q] {
                    if area > 0 { sum += nodes.weight[q] }
                } else {
                    sum -= nodes.weight[q] * (exp(-beta * log(1 + c * scale[q] * area)) - 1)
                }
            }
            return sum
        }
    }
}

/// D(t) of `MultiPowerLossDrop` and its derivatives ∂D/∂C, ∂D/∂β, ∂D/∂γ at every step.
struct LossDropDerivatives: Sendable {
    var value: [Double]
    var c: [Double]
    var beta: [Double]
    var gamma: [Double]

    /// Zeros; the derivative arrays stay empty unless `derivatives`.
    init(count: Int, derivatives: Bool) {
        value = [Double](repeating: 0, count: count)
        c = derivatives ? value : []
        beta = c
        gamma = c
    }
}

/// The dyadic blocks of a schedule's monotone runs, and the quadrature nodes made from them on
/// demand (each block's nodes are made once and shared by every step).
///
/// A run is a stretch of steps over which η only moves one way: its changes share one sign, with
/// steps of no change between them allowed, so that a smooth schedule logged with rounded rates (a
/// staircase of equal values) is one run rather than as many as it has stairs. A block of one or
/// two changes, or of at most `exactChanges` with steps of no change among them, is summed term by
/// term: piecewise-constant schedules are summed exactly. Larger blocks take the Gauss rule when their quarters change η by amounts within a
/// factor `changeRatio` of each other, besides the tests of ln η and ln S.
struct LossDropBlocks {
    /// A run: steps `first...last`, whose nonzero changes η_{k−1} − η_k share one sign; the
    /// first and last change.
    private struct Run {
        var first: Int
        var last: Int
        /// Dyadic depth: the root block covers `first ..< first + 2^depth`.
        var depth: Int
        /// Offset of this run's block table in `blockNodes`.
        var table: Int
        /// Offset of this run's table of large blocks' moments in `largeBlockMoments`.
        var momentTable: Int
    }

    /// Largest ratio of the rates at a block's ends: e, a change of ln η by 1.
    static let rateRatio = exp(1.0)
    /// Largest ratio S_a(t)/S_b(t) across a block a…b: e^½.
    static let areaRatio = exp(0.5)
    /// Largest ratio of the changes of η over two quarters of a block.
    static let changeRatio = 2.0
    /// Blocks with at most this many changes, some steps without one among them, are summed term
    /// by term (blocks of one or two changes always are).
    static let exactChanges = 8

    private let rates: [Double]
    /// F(t) = Σ_{τ=1..t} η_τ at every step.
    let forwardArea: [Double]
    private let runs: [Run]
    /// The steps whose rate differs from the step before, increasing.
    private let changedSteps: [Int32]
    /// Per step k: how many of `changedSteps` are ≤ k.
    private let changesThrough: [Int32]
    /// Per block (heap order within each run's table): index of its first node, or −1 before it is made.
    private var blockNodes: [Int32]
    /// Per step: index of the exact node of its change, or −1 before it is made.
    private var leafNodes: [Int32]
    /// Per block of more than `directMomentSteps` steps (heap order within each run's table): its
    /// weights' moments, merged from its halves', or nil before they are needed.
    private var largeBlockMoments: [BlockMoments?]
    private var stack: [(heap: Int, first: Int, size: Int)] = []
    private(set) var nodes = MultiPowerLossDrop.Nodes()

    init(rates: [Double]) {
        self.rates = rates
        var area = [Double](repeating: 0, count: rates.count)
        var changed: [Int32] = []
        var through = [Int32](repeating: 0, count: rates.count)
        for s in rates.indices.dropFirst() {
            area[s] = area[s - 1] + rates[s]
            if rates[s - 1] != rates[s] { changed.append(Int32(s)) }
            through[s] = Int32(changed.count)
        }
        forwardArea = area
        changedSteps = changed
        changesThrough = through
        var runs: [Run] = []
        var tableSize = 0, momentTableSize = 0
        var index = 0
        while index < changed.count {
            let first = Int(changed[index])
            let rising = rates[first] > rates[first - 1]
            var last = first
            index += 1
            while index < changed.count {
                let k = Int(changed[index])
                guard (rates[k] > rates[k - 1]) == rising else { break }
                last = k
                index += 1
            }
            var depth = 0
            while (1 << depth) < last - first + 1 { depth += 1 }
            runs.append(Run(first: first, last: last, depth: depth, table: tableSize, momentTable: momentTableSize))
            tableSize += 2 << depth
            momentTableSize += Self.largeBlockSlots(depth: depth)
        }
        self.runs = runs
        blockNodes = [Int32](repeating: -1, count: tableSize)
        largeBlockMoments = [BlockMoments?](repeating: nil, count: momentTableSize)
        leafNodes = [Int32](repeating: -1, count: rates.count)
    }

    /// Calls `body(node, S_k(t))` for every quadrature node of D(t); D(t) = Σ w_node · G(η_node^(−γ)·S).
    mutating func forEachTerm(at t: Int, _ body: (_ node: Int, _ area: Double) -> Void) {
        let areaAtT = forwardArea[t]
        for run in runs {
            if run.first > t { break }
            let end = min(run.last, t)
            stack.append((1, run.first, 1 << run.depth))
            while let block = stack.popLast() {
                let a = block.first
                if a > end { continue }
                let b = min(a + block.size - 1, run.last)
                if b <= end {
                    let changes = Int(changesThrough[b] - changesThrough[a - 1])
                    if changes <= 2 || (changes <= Self.exactChanges && changes < b - a + 1) {
                        for index in Int(changesThrough[a - 1])..<Int(changesThrough[b]) {
                            let k = Int(changedSteps[index])
                            body(leaf(k), areaAtT - forwardArea[k - 1])
                        }
                        continue
                    }
                    if accepts(a, b, areaAtT: areaAtT) && isEven(a, b) {
                        let first = blockNode(run: run, heap: block.heap, a: a, size: block.size)
                        for q in first..<(first + 2) { body(q, areaAtT - nodes.areaBefore[q]) }
                        continue
                    }
                }
                let half = block.size / 2
                stack.append((2 * block.heap + 1, a + half, half))
                stack.append((2 * block.heap, a, half))
            }
        }
    }

    /// Whether block a…b (all before or at the step with area `areaAtT`) varies little enough in
    /// ln η and in ln S_k(t) for its nodes.
    private func accepts(_ a: Int, _ b: Int, areaAtT: Double) -> Bool {
        let low = min(rates[a], rates[b]), high = max(rates[a], rates[b])
        guard low > 0 && high <= Self.rateRatio * low else { return false }
        let nearest = areaAtT - forwardArea[b - 1], farthest = areaAtT - forwardArea[a - 1]
        return nearest > 0 && farthest <= Self.areaRatio * nearest
    }

    /// Whether the four quarters of block a…b (at least 4 steps, or it is not) change η by
    /// amounts within a factor `changeRatio` of each other. Where they differ more, η is not smooth
    /// on the block's scale (as at the start of a 1 − √p decay, whose slope is infinite), and the
    /// Gauss rule, exact for cubics, loses its order. Quarters rather than single steps, so that
    /// rates rounded to a few digits (changes of 0 and of one rounding unit in turn) still count
    /// as smooth where the schedule is.
    private func isEven(_ a: Int, _ b: Int) -> Bool {
        let quarter = (b - a + 1) / 4
        guard quarter > 0 else { return false }
        var smallest = Double.infinity, largest = 0.0
        for index in 0..<4 {
            let from = a + index * quarter, to = index == 3 ? b : from + quarter - 1
            let change = abs(rates[from - 1] - rates[to])
            smallest = min(smallest, change)
            largest = max(largest, change)
        }
        return largest <= Self.changeRatio * smallest
    }

    /// The exact node of the change at step k.
    private mutating func leaf(_ k: Int) -> Int {
        if leafNodes[k] >= 0 { return Int(leafNodes[k]) }
        nodes.append(weight: rates[k - 1] - rates[k], rate: rates[k], logRate: rates[k] > 0 ? log(rates[k]) : 0,
                     areaBefore: forwardArea[k - 1])
        leafNodes[k] = Int32(nodes.count - 1)
        return nodes.count - 1
    }

    /// The first of the two Gauss nodes of the block of `size` steps from `a` (clipped at the run's
    /// end), of the measure Σ (η_{k−1} − η_k)·δ_k.
    private mutating func blockNode(run: Run, heap: Int, a: Int, size: Int) -> Int {
        let slot = run.table + heap
        if blockNodes[slot] >= 0 { return Int(blockNodes[slot]) }
        blockNodes[slot] = Int32(nodes.count)
        let b = min(a + size - 1, run.last)
        for (position, weight) in Self.gaussNodes(blockMoments(run: run, heap: heap, a: a, size: size), origin: a) {
            // Linear interpolation between steps: η, and F(k − 1) whose slope is η_k.
            let k = min(a + Int(position.rounded(.down)), b - 1)
            let fraction = Double(a) + position - Double(k)
            let rate = rates[k] + fraction * (rates[k + 1] - rates[k])
            nodes.append(weight: weight, rate: rate, logRate: log(rate), areaBefore: forwardArea[k - 1] + fraction * rates[k])
        }
        return Int(blockNodes[slot])
    }

    /// Blocks of at most this many steps have their moments summed step by step; larger ones merge
    /// their halves' moments, kept once made, so that making the blocks of a run costs O(T) rather
    /// than O(T log T).
    static let directMomentSteps = 64

    /// How many heap slots of a run of dyadic depth `depth` hold blocks of more than
    /// `directMomentSteps` steps: the heap indices below 2^(depth − log₂ directMomentSteps).
    private static func largeBlockSlots(depth: Int) -> Int {
        let levels = depth - directMomentSteps.trailingZeroBitCount
        return levels > 0 ? 1 << levels : 0
    }

    /// The moments of the weights η_{k−1} − η_k over the block of `size` steps from `a`, clipped
    /// at the run's end (empty past it).
    private mutating func blockMoments(run: Run, heap: Int, a: Int, size: Int) -> BlockMoments {
        let b = min(a + size - 1, run.last)
        guard a <= b else { return BlockMoments() }
        guard size > Self.directMomentSteps, heap < Self.largeBlockSlots(depth: run.depth) else {
            return BlockMoments(summing: a...b) { rates[$0 - 1] - rates[$0] }
        }
        let slot = run.momentTable + heap
        if let known = largeBlockMoments[slot] { return known }
        let half = size / 2
        let merged = blockMoments(run: run, heap: 2 * heap, a: a, size: half)
            .merged(with: blockMoments(run: run, heap: 2 * heap + 1, a: a + half, size: half))
        largeBlockMoments[slot] = merged
        return merged
    }

    /// The two-point Gauss rule of a block's discrete measure Σ_k w_k·δ_k (all w_k of one sign):
    /// positions (steps after `origin`) and weights exact for cubics. The positions are the roots
    /// of the measure's orthogonal polynomial y² − (κ₃/σ²)·y − σ², y = k − mean.
    static func gaussNodes(_ moments: BlockMoments, origin: Int) -> [(position: Double, weight: Double)] {
        let variance = moments.m2 / moments.total, third = moments.m3 / moments.total
        let skew = third / variance
        let root = (skew * skew + 4 * variance).squareRoot()
        let low = (skew - root) / 2, high = (skew + root) / 2
        let highWeight = moments.total * -low / (high - low)
        let mean = moments.mean - Double(origin)
        return [(mean + low, moments.total - highWeight), (mean + high, highWeight)]
    }
}

/// The total, mean and second and third central moments of weights w_k at steps k:
/// ```
/// W = Σ w_k,   μ = Σ w_k·k / W,   M₂ = Σ w_k·(k − μ)²,   M₃ = Σ w_k·(k − μ)³
/// ```
/// Halves merge exactly (Chan et al. 1979; Pébay 2008, "Formulas for robust, one-pass parallel
/// computation of covariances and arbitrary-order statistical moments", SAND2008-6212), without the
/// cancellation of raw moments at large k.
struct BlockMoments: Sendable {
    var total = 0.0
    var mean = 0.0
    var m2 = 0.0
    var m3 = 0.0

    init() {}

    /// The moments of `weight(k)` over `steps`, in two passes.
    init(summing steps: ClosedRange<Int>, weight: (_ k: Int) -> Double) {
        var first = 0.0
        for k in steps {
            let w = weight(k)
            total += w
            first += w * Double(k - steps.lowerBound)
        }
        guard total != 0 else { return }
        let offset = first / total
        for k in steps {
            let y = Double(k - steps.lowerBound) - offset, wy2 = weight(k) * y * y
            m2 += wy2
            m3 += wy2 * y
        }
        mean = Double(steps.lowerBound) + offset
    }

    /// The moments of the union of two disjoint sets of steps.
    func merged(with other: BlockMoments) -> BlockMoments {
        if total == 0 { return other }
        if other.total == 0 { return self }
        var merged = BlockMoments()
        merged.total = total + other.total
        let delta = other.mean - mean, share = other.total / merged.total
        merged.mean = mean + delta * share
        let cross = total * other.total / merged.total
        merged.m2 = m2 + other.m2 + delta * delta * cross
        merged.m3 = m3 + other.m3 + delta * delta * delta * cross * (total - other.total) / merged.total
            + 3 * delta * (total * other.m2 - other.total * m2) / merged.total
        return merged
    }
}
