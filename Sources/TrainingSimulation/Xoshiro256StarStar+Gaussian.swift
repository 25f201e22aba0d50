import SeededRandom

/// Gaussian draws for the training simulator that are bit-identical on every machine: the ziggurat's
/// layer tables come from `PortableMath`, not the platform's `exp`.
extension Xoshiro256StarStar {
    /// A standard normal draw N(0, 1) by the 256-layer ziggurat method (Marsaglia & Tsang 2000).
    ///
    /// ```
    /// i = low 8 bits, u = uniform(−1, 1) from the top 52 bits, x = u · X[i]
    /// |x| < X[i+1]                                   → x         (≈ 98.8 % of draws)
    /// i = 0                                           → tail beyond R = 3.6541528853610088
    /// F[i+1] + (F[i] − F[i+1]) · U < exp(−x²/2)       → x         (wedge), else retry
    /// ```
    /// Reference: G. Marsaglia, W. W. Tsang, "The Ziggurat Method for Generating Random Variables",
    /// J. Stat. Software 5(8), 2000. Layer tables are computed with `PortableMath`, so the draws are
    /// identical on every machine.
    @inline(__always)
    public mutating func nextGaussian() -> Double {
        let table = ZigguratTable.shared
        return nextGaussian(x: table.x, f: table.f)
    }

    /// `nextGaussian()` with the table pointers hoisted out of a hot loop.
    @inline(__always)
    mutating func nextGaussian(x: UnsafePointer<Double>, f: UnsafePointer<Double>) -> Double {
        while true {
            let bits = next()
            let i = Int(truncatingIfNeeded: bits & 0xFF)
            // [1, 2) from the top 52 bits, mapped to [−1, 1).
            let u = 2 * Double(bitPattern: (bits >> 12) | 0x3FF0_0000_0000_0000) - 3
            let value = u * x[i]
            if abs(value) < x[i + 1] { return value }
            if i == 0 { return gaussianTail(negative: u < 0) }
            if f[i + 1] + (f[i] - f[i + 1]) * nextOpenUnit() < PortableMath.exp(-0.5 * value * value) {
                return value
            }
        }
    }

    /// Fills `output[0..<count]` with standard normal draws, faster than `count` calls of
    /// `nextGaussian()`: one pass draws a 64-bit word per position and keeps the ziggurat's fast
    /// accept (≈ 98.8 %); the positions it rejects are then completed in order, each by its own
    /// tail or wedge test and, if that fails too, the full ziggurat loop on the words that follow.
    /// Every position is an independent N(0, 1) draw; the stream is consumed in a different order
    /// than by repeated `nextGaussian()`.
    /// - Parameter pending: scratch for `2 · count` words.
    mutating func fillGaussians(_ output: UnsafeMutablePointer<Double>, count: Int,
                                pending: UnsafeMutablePointer<UInt64>,
                                x: UnsafePointer<Double>, f: UnsafePointer<Double>) {
        var state = self  // a local copy keeps the state in registers
        var rejected = 0
        for k in 0..<count {
            let bits = state.next()
            let i = Int(truncatingIfNeeded: bits & 0xFF)
            let value = (2 * Double(bitPattern: (bits >> 12) | 0x3FF0_0000_0000_0000) - 3) * x[i]
            output[k] = value
            if !(abs(value) < x[i + 1]) {
                pending[2 * rejected] = UInt64(truncatingIfNeeded: k)
                pending[2 * rejected + 1] = bits
                rejected += 1
            }
        }
        for r in 0..<rejected {
            let k = Int(truncatingIfNeeded: pending[2 * r])
            output[k] = state.completeGaussian(bits: pending[2 * r + 1], x: x, f: f)
        }
        self = state
    }

    /// Finishes a ziggurat draw whose first word `bits` missed the fast accept.
    @inline(never)
    private mutating func completeGaussian(bits: UInt64, x: UnsafePointer<Double>, f: UnsafePointer<Double>) -> Double {
        let i = Int(truncatingIfNeeded: bits & 0xFF)
        let u = 2 * Double(bitPattern: (bits >> 12) | 0x3FF0_0000_0000_0000) - 3
        let value = u * x[i]
        if i == 0 { return gaussianTail(negative: u < 0) }
        if f[i + 1] + (f[i] - f[i + 1]) * nextOpenUnit() < PortableMath.exp(-0.5 * value * value) {
            return value
        }
        return nextGaussian(x: x, f: f)
    }

    /// A draw from the normal tail beyond `R` (Marsaglia 1964): x = −ln U1 / R, y = −ln U2,
    /// accept when 2y ≥ x².
    private mutating func gaussianTail(negative: Bool) -> Double {
        let r = ZigguratTable.r
        while true {
            let x = -PortableMath.log(nextOpenUnit()) / r
            let y = -PortableMath.log(nextOpenUnit())
            if 2 * y >= x * x { return negative ? -(r + x) : r + x }
        }
    }
}

/// The layer boundaries `X[0…256]` and densities `F[i] = exp(−X[i]²/2)` of the 256-layer normal
/// ziggurat; `X[0] = V / f(R)` is the width of the base layer's rectangle of equal area `V`.
final class ZigguratTable: @unchecked Sendable {
    /// The right edge of the base layer.
    static let r = 3.6541528853610088
    /// The common area of each layer: `R·f(R) + ∫_R^∞ f` (computed to 40 digits with mpmath).
    static let v = 0.004928673233974655

    static let shared = ZigguratTable()

    /// Immutable after `init` and never freed (one shared instance), so sharing is safe.
    let x: UnsafeMutablePointer<Double>
    let f: UnsafeMutablePointer<Double>

    private init() {
        x = .allocate(capacity: 257)
        f = .allocate(capacity: 257)
        let r = Self.r, v = Self.v
        func density(_ t: Double) -> Double { PortableMath.exp(-0.5 * t * t) }
        x[0] = v / density(r)
        x[1] = r
        for i in 2..<256 {
            let y = v / x[i - 1] + density(x[i - 1])
            x[i] = (-2 * PortableMath.log(y)).squareRoot()
        }
        x[256] = 0
        for i in 0...256 { f[i] = density(x[i]) }
    }
}
