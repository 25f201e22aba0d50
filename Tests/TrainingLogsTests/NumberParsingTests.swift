import Foundation
import Testing
import TestSupport
@testable import TrainingLogs

/// The byte parser must give exactly what `Double(String)` gives, so the results are compared bit
/// for bit (NaN only as NaN, since its payload carries no meaning).
@Suite struct NumberParsingTests {
    private func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8) + [0]  // a valid pointer even for the empty string
        return bytes.withUnsafeBufferPointer { NumberParsing.parseDouble($0.baseAddress!, 0, $0.count - 1) }
    }

    private func expectSameAsStandardLibrary(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = Double(text)
        let actual = parse(text)
        if let expected, expected.isNaN {
            #expect(actual?.isNaN == true, "\(text)", sourceLocation: sourceLocation)
        } else {
            #expect(actual?.bitPattern == expected?.bitPattern, "\(text): \(String(describing: actual)) vs \(String(describing: expected))",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func ordinaryNotations() {
        let inputs = [
            "0", "-0", "+0", "0.0", "-0.0", "00012", "1", "-1", "+1.5", ".5", "5.", "-.25", "3.7755",
            "0.0003", "0.0002999771173709568", "3.0060421641727054e-05", "0.00029990847724108225",
            "1e3", "1E3", "1e+3", "1e-3", "2.5E-10", "6.02214076e23", "1e22", "1e23", "9007199254740993",
            "9007199254740992", "18446744073709551615", "18446744073709551616", "123456789012345678901234567890",
            "0.1", "0.2", "0.3", "1.7976931348623157e308", "1.7976931348623158e308", "1e309", "-1e309",
            "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324", "2e-324", "1e-400", "0e999",
            "0.000000000000000000000000000000000000000001", "1" + String(repeating: "0", count: 40),
            "7.2057594037927933e16", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
        ]
        for text in inputs { expectSameAsStandardLibrary(text) }
    }

    @Test func specialValues() {
        for text in ["nan", "NaN", "NAN", "-nan", "+nan", "inf", "-inf", "+inf", "Inf", "INF", "infinity", "Infinity", "-Infinity", "INFINITY"] {
            expectSameAsStandardLibrary(text)
        }
        #expect(parse("nan")?.isNaN == true)
        #expect(parse("-inf") == -.infinity)
        #expect(parse("Infinity") == .infinity)
    }

    @Test func rejectsWhatTheStandardLibraryRejects() {
        for text in ["", "abc", "1e", "e5", "1.2.3", "--1", "+-1", ".", "-", "+", "1e+", "1,5", "1 000", "nana", "infinit", "0x", "12abc"] {
            expectSameAsStandardLibrary(text)
            #expect(parse(text) == nil, "\(text)")
        }
        // Other spellings the standard library knows (hexadecimal) go through it unchanged.
        for text in ["0x1p3", "0x1.8p1", "-0x10"] { expectSameAsStandardLibrary(text) }
    }

    @Test func shortestRepresentationsOfRandomDoubles() {
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<100_000 {
            let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random(using: &generator) ? 1 : -1)
            let text = "\(value)"
            #expect(parse(text)?.bitPattern == value.bitPattern, "\(text)")
            expectSameAsStandardLibrary(text)
        }
    }

    @Test func loggedMagnitudesWithSeventeenDigits() {
        // Losses and learning rates as training code prints them: %.17g, %.6g and Python's repr.
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<50_000 {
            let value = Double.random(in: 1e-7..<20, using: &generator)
            for text in [String(format: "%.17g", value), String(format: "%.6g", value), String(format: "%.6e", value), "\(value)"] {
                expectSameAsStandardLibrary(text)
            }
        }
    }

    @Test func randomDecimalStrings() {
        // Random digit strings of up to 30 digits exercise truncation past 19 digits, ties and the
        // slow fallback, with exponents across the whole range.
        var generator = SeededGenerator(seed: 3)
        let digits = Array("0123456789")
        for _ in 0..<100_000 {
            let digitCount = Int.random(in: 1...30, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            let pointPosition = Int.random(in: 0...digitCount, using: &generator)
            for position in 0..<digitCount {
                if position == pointPosition && position > 0 { text.append(".") }
                text.append(digits[Int.random(in: 0...9, using: &generator)])
            }
            switch Int.random(in: 0...2, using: &generator) {
            case 0: break
            case 1: text += "e\(Int.random(in: -30...30, using: &generator))"
            default: text += "e\(Int.random(in: -340...320, using: &generator))"
            }
            expectSameAsStandardLibrary(text)
        }
    }

    @Test func halfwayCases() {
        // Decimal values exactly halfway between two neighbouring doubles, and a hair either side:
        // the round-half-to-even ties that the fast paths must not get wrong. The halfway point of
        // m·2^(k+1) and (m+1)·2^(k+1) is (2m+1)·2^k, written exactly as (2m+1)·2^k (k ≥ 0) or
        // (2m+1)·5^−k · 10^k (k < 0) with decimal digit arithmetic.
        var generator = SeededGenerator(seed: 4)
        for _ in 0..<20_000 {
            let odd = 2 * UInt64.random(in: (1 << 52)..<(1 << 53), using: &generator) + 1
            let power = Int.random(in: -80...20, using: &generator)
            var digits = DecimalDigits(odd)
            for _ in 0..<abs(power) { digits.multiply(by: power >= 0 ? 2 : 5) }
            let exponentSuffix = power >= 0 ? "" : "e-\(-power)"
            let halfway = digits.text
            expectSameAsStandardLibrary(halfway + exponentSuffix)
            let above = halfway + "000001" + (power >= 0 ? "e-6" : "e-\(-power + 6)")
            expectSameAsStandardLibrary(above)
            var below = DecimalDigits(digits)
            for _ in 0..<6 { below.multiply(by: 10) }
            below.decrement()
            expectSameAsStandardLibrary(below.text + (power >= 0 ? "e-6" : "e-\(-power + 6)"))
        }
        for text in ["9007199254740993", "9007199254740995", "9007199254740993.0000000001", "4503599627370496.5", "4503599627370497.5"] {
            expectSameAsStandardLibrary(text)
        }
    }

    @Test func steps() {
        func step(_ text: String) -> NumberParsing.StepValue {
            let bytes = Array(text.utf8) + [0]
            return bytes.withUnsafeBufferPointer { NumberParsing.parseStep($0.baseAddress!, 0, $0.count - 1) }
        }
        for (text, expected) in [("0", 0), ("42", 42), ("100.0", 100), ("1e3", 1000), ("2.4e4", 24000), ("-0", 0), ("+7", 7)] {
            guard case .value(let value) = step(text) else {
                Issue.record("\(text) should read as \(expected)")
                continue
            }
            #expect(value == expected, "\(text)")
        }
        for text in ["100.5", "1e-3", "inf", "nan", "1e30"] {
            guard case .notWholeNumber = step(text) else {
                Issue.record("\(text) should not be a whole number")
                continue
            }
        }
        guard case .negative = step("-3") else { Issue.record("-3 should be negative"); return }
        guard case .notANumber = step("abc") else { Issue.record("abc should not be a number"); return }
    }
}

/// A non-negative integer as decimal digits (least significant first), for exact test inputs.
private struct DecimalDigits {
    private var digits: [UInt8]

    init(_ value: UInt64) {
        var value = value
        digits = []
        repeat {
            digits.append(UInt8(value % 10))
            value /= 10
        } while value > 0
    }

    init(_ other: DecimalDigits) { digits = other.digits }

    mutating func multiply(by factor: UInt8) {
        var carry = 0
        for index in digits.indices {
            let product = Int(digits[index]) * Int(factor) + carry
            digits[index] = UInt8(product % 10)
            carry = product / 10
        }
        while carry > 0 {
            digits.append(UInt8(carry % 10))
            carry /= 10
        }
    }

    /// Subtracts one (the value must be positive).
    mutating func decrement() {
        var index = 0
        while digits[index] == 0 {
            digits[index] = 9
            index += 1
        }
        digits[index] -= 1
        while digits.count > 1 && digits[digits.count - 1] == 0 { digits.removeLast() }
    }

    var text: String { String(digits.reversed().map { Character(String($0)) }) }
}
