/// Random numbers and elementary functions for the training simulator that give bit-identical
/// results on every machine.
///
/// Platform math libraries (glibc, Apple's libm) may round `log`, `exp` and `pow` differently in
/// the last bit, which would make a seeded simulation drift apart across machines. Everything here
/// is built from IEEE-754 operations that are exactly specified (`+ − × ÷`, `squareRoot()`,
/// scaling by powers of two), evaluated in a fixed order.

/// The xoshiro256** generator (Blackman & Vigna 2018), seeded through SplitMix64.
///
/// ```
/// result = rotl(s1 · 5, 7) · 9
/// t = s1 << 17;  s2 ^= s0;  s3 ^= s1;  s1 ^= s2;  s0 ^= s3;  s2 ^= t;  s3 = rotl(s3, 45)
/// ```
/// Period 2^256 − 1; passes BigCrush. The same seed gives the same sequence on every platform.
/// Reference: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS
/// 47 (2021); https://prng.di.unimi.it.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose 256-bit state is filled from `seed` by SplitMix64 (any seed, including 0,
    /// gives a valid non-zero state).
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform draw from the open interval (0, 1): `(k + ½) · 2^−53`, k = the top 53 bits.
    @inline(__always)
    public mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

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

/// `log`, `exp` and `pow` from exactly rounded IEEE operations only, so that they return the same
/// bits everywhere (accuracy: a few ulps, enough for sampling and for the model's spectrum).
enum PortableMath {
    private static let ln2Hi = 6.93147180369123816490e-01  // upper bits of ln 2 (fdlibm)
    private static let ln2Lo = 1.90821492927058770002e-10
    private static let invLn2 = 1.44269504088896338700e+00

    /// `2^n` for `−1022 ≤ n ≤ 1023`, built from its bit pattern.
    @inline(__always)
    private static func powerOfTwo(_ n: Int) -> Double {
        Double(bitPattern: UInt64(n + 1023) << 52)
    }

    /// Natural logarithm for finite `value > 0`:
    /// ```
    /// value = m · 2^k,  m ∈ [√½, √2),  s = (m − 1)/(m + 1)
    /// ln value = k·ln 2 + 2·(s + s³/3 + s⁵/5 + … + s²³/23)
    /// ```
    static func log(_ value: Double) -> Double {
        precondition(value > 0 && value.isFinite, "PortableMath.log needs a finite positive argument")
        var m = value.significand  // [1, 2), exact
        var k = Double(value.exponent)
        if m > 1.4142135623730951 {
            m *= 0.5
            k += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var series = 1.0 / 23
        var n = 21.0
        while n >= 3 {
            series = series * s2 + 1 / n
            n -= 2
        }
        series = series * s2 + 1
        return k * ln2Hi + (2 * s * series + k * ln2Lo)
    }

    /// Exponential:
    /// ```
    /// k = round(x / ln 2),  r = x − k·ln 2  (|r| ≤ ½ ln 2),  exp x = 2^k · Σ_{n≤14} rⁿ/n!
    /// ```
    static func exp(_ value: Double) -> Double {
        if value.isNaN { return value }
        if value > 709.782712893384 { return .infinity }
        if value < -745.2 { return 0 }
        let scaled = value * invLn2
        let k = Double(Int(scaled < 0 ? scaled - 0.5 : scaled + 0.5))  // round half away from 0
        let r = (value - k * ln2Hi) - k * ln2Lo
        // Horner on Σ_{n≤14} rⁿ/n!: 1 + r(1 + r/2(1 + r/3(…))), with 1/n as double constants.
        var sum = 1 + r * (1.0 / 14)
        sum = 1 + sum * r * (1.0 / 13)
        sum = 1 + sum * r * (1.0 / 12)
        sum = 1 + sum * r * (1.0 / 11)
        sum = 1 + sum * r * (1.0 / 10)
        sum = 1 + sum * r * (1.0 / 9)
        sum = 1 + sum * r * (1.0 / 8)
        sum = 1 + sum * r * (1.0 / 7)
        sum = 1 + sum * r * (1.0 / 6)
        sum = 1 + sum * r * (1.0 / 5)
        sum = 1 + sum * r * (1.0 / 4)
        sum = 1 + sum * r * (1.0 / 3)
        sum = 1 + sum * r * (1.0 / 2)
        sum = 1 + sum * r
        // × 2^k by exact powers of two (two factors keep each one a normal number).
        let n = Int(k)
        let half = n / 2
        return sum * powerOfTwo(half) * powerOfTwo(n - half)
    }

    /// `base^exponent` for `base > 0` as `exp(exponent · ln base)`.
    static func pow(_ base: Double, _ exponent: Double) -> Double {
        exp(exponent * log(base))
    }
}
