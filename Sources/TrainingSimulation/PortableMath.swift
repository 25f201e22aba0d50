/// Elementary functions for the training simulator that give bit-identical results on every
/// machine.
///
/// Platform math libraries (glibc, Apple's libm) may round `log`, `exp` and `pow` differently in
/// the last bit, which would make a seeded simulation drift apart across machines. Everything here
/// is built from IEEE-754 operations that are exactly specified (`+ − × ÷`, `squareRoot()`,
/// scaling by powers of two), evaluated in a fixed order.

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
