/// Decimal numbers parsed straight from the bytes of a file, giving exactly what `Double(String)`
/// gives but without building a `String` per cell, which would dominate the cost of reading a log.
///
/// The fast paths cover plain decimal and exponent notation (`3.7755`, `-1e-05`, `2.5E+3`, `.5`,
/// `5.`) and the special values `nan` and `inf`/`infinity` in any letter case with an optional
/// sign. Anything else, and the rare inputs the fast paths cannot round with certainty, goes to
/// `Double(String)` itself, so the accepted forms and the results are always those of
/// `Double(String)`.
enum NumberParsing {
    /// The value of the number in `bytes[start..<end]`, or nil when that text is not a number.
    @inline(__always)
    static func parseDouble(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var index = start
        guard index < end else { return nil }
        var isNegative = false
        if bytes[index] == UInt8(ascii: "-") {
            isNegative = true
            index += 1
        } else if bytes[index] == UInt8(ascii: "+") {
            index += 1
        }

        // Up to 19 significant digits fit in a UInt64; later ones only matter for rounding, which
        // the truncated path below settles.
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var isTruncated = false
        var digitCount = 0
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            if digit > 9 { break }
            if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                if mantissa != 0 { significantDigits += 1 }
            } else {
                exponent += 1
                if digit != 0 { isTruncated = true }
            }
            digitCount += 1
            index += 1
        }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                if digit > 9 { break }
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    if mantissa != 0 { significantDigits += 1 }
                    exponent -= 1
                } else if digit != 0 {
                    isTruncated = true
                }
                digitCount += 1
                index += 1
            }
        }
        guard digitCount > 0 else { return parseSpecialValue(bytes, start, end) }

        if index < end && bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var isExponentNegative = false
            if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
                isExponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var explicitExponent = 0
            var exponentDigits = 0
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                if digit > 9 { break }
                // Past this size every input is 0 or infinite; capping avoids overflow.
                if explicitExponent < 100_000 { explicitExponent = explicitExponent * 10 + Int(digit) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return parseWithStandardLibrary(bytes, start, end) }
            exponent += isExponentNegative ? -explicitExponent : explicitExponent
        }
        guard index == end else { return parseWithStandardLibrary(bytes, start, end) }

        if mantissa == 0 { return isNegative ? -0.0 : 0.0 }
        if !isTruncated {
            // Clinger's fast path: both operands are exact doubles, so one IEEE operation rounds once.
            if mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
                let value = Double(mantissa)
                let scaled = exponent >= 0 ? value * exactPowerOfTen(exponent) : value / exactPowerOfTen(-exponent)
                return isNegative ? -scaled : scaled
            }
            if let value = eiselLemire(mantissa: mantissa, exponent: exponent, isNegative: isNegative) {
                return value
            }
        } else if let lower = eiselLemire(mantissa: mantissa, exponent: exponent, isNegative: isNegative),
                  let upper = eiselLemire(mantissa: mantissa + 1, exponent: exponent, isNegative: isNegative),
                  lower.bitPattern == upper.bitPattern {
            // The true value lies between the two truncations; when both round alike, so does it.
            return lower
        }
        return parseWithStandardLibrary(bytes, start, end)
    }

    /// `nan`, `inf` or `infinity` (any letter case, optional sign), else whatever
    /// `Double(String)` makes of the text.
    private static func parseSpecialValue(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var index = start
        var isNegative = false
        if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
            isNegative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        if matchesLowercased(bytes, index, end, "nan") { return .nan }
        if matchesLowercased(bytes, index, end, "inf") || matchesLowercased(bytes, index, end, "infinity") {
            return isNegative ? -.infinity : .infinity
        }
        return parseWithStandardLibrary(bytes, start, end)
    }

    private static func matchesLowercased(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ word: StaticString) -> Bool {
        guard end - start == word.utf8CodeUnitCount else { return false }
        let letters = word.utf8Start
        for offset in 0..<word.utf8CodeUnitCount where bytes[start + offset] | 0x20 != letters[offset] {
            return false
        }
        return true
    }

    @inline(never)
    private static func parseWithStandardLibrary(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        Double(String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self))
    }

    /// 10^exponent for 0 ≤ exponent ≤ 22, the powers of ten that a Double holds exactly.
    @inline(__always)
    private static func exactPowerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// mantissa · 10^exponent correctly rounded, or nil when the algorithm cannot decide (then the
    /// caller falls back to a slower exact method).
    ///
    /// The Eisel–Lemire algorithm (Lemire 2021, "Number parsing at a gigabyte per second"; here as
    /// in Go's strconv): multiply the normalized mantissa by a 128-bit truncated power of ten and
    /// round, giving up when the truncation could change the rounding. It also gives up on results
    /// that are subnormal, overflow, or have exponents outside the table.
    @inline(__always)
    static func eiselLemire(mantissa: UInt64, exponent: Int, isNegative: Bool) -> Double? {
        guard exponent >= -348 && exponent <= 347 else { return nil }
        let leadingZeros = mantissa.leadingZeroBitCount
        let normalized = mantissa << UInt64(leadingZeros)
        // 217706 / 2^16 ≈ log2(10): the binary exponent of 10^exponent, plus the IEEE bias.
        var binaryExponent = UInt64(truncatingIfNeeded: ((217_706 &* exponent) >> 16) &+ 64 &+ 1023) &- UInt64(leadingZeros)
        let tableIndex = (exponent + 348) &* 2
        let (high, low) = powersOfTenSignificands.withUnsafeBufferPointer { ($0[tableIndex], $0[tableIndex &+ 1]) }

        var (productHigh, productLow) = normalized.multipliedFullWidth(by: high)
        if productHigh & 0x1FF == 0x1FF && productLow &+ normalized < normalized {
            let (extraHigh, extraLow) = normalized.multipliedFullWidth(by: low)
            var mergedHigh = productHigh
            let mergedLow = productLow &+ extraHigh
            if mergedLow < productLow { mergedHigh &+= 1 }
            if mergedHigh & 0x1FF == 0x1FF && mergedLow &+ 1 == 0 && extraLow &+ normalized < normalized {
                return nil
            }
            productHigh = mergedHigh
            productLow = mergedLow
        }

        let topBit = productHigh >> 63
        var significand = productHigh >> (topBit &+ 9)
        binaryExponent &-= 1 ^ topBit
        // Exactly halfway between two doubles at this precision: ties need the exact value.
        if productLow == 0 && productHigh & 0x1FF == 0 && significand & 3 == 1 { return nil }

        significand &+= significand & 1
        significand >>= 1
        if significand >> 53 > 0 {
            significand >>= 1
            binaryExponent &+= 1
        }
        if binaryExponent &- 1 >= 0x7FF - 1 { return nil }
        var bits = binaryExponent << 52 | significand & 0x000F_FFFF_FFFF_FFFF
        if isNegative { bits |= 1 << 63 }
        return Double(bitPattern: bits)
    }

    /// How a step cell reads.
    enum StepValue {
        case value(Int)
        case notANumber
        case notWholeNumber
        case negative
    }

    /// The step in `bytes[start..<end]` (not empty): whole numbers only, written as integers or as
    /// integral decimals (`100`, `100.0`, `1e3`).
    @inline(__always)
    static func parseStep(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> StepValue {
        if end - start <= 18 {
            var value = 0
            var index = start
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                if digit > 9 { break }
                value = value &* 10 &+ Int(digit)
                index += 1
            }
            if index == end { return .value(value) }
        }
        guard let number = parseDouble(bytes, start, end) else { return .notANumber }
        guard number.isFinite, number.rounded(.towardZero) == number else { return .notWholeNumber }
        if number < 0 { return .negative }
        // Integers above 2^53 are not all representable, so a step that large is not trusted.
        guard number <= 9_007_199_254_740_992 else { return .notWholeNumber }
        return .value(Int(number))
    }
}
