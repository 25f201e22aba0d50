import Foundation

/// Number formats shared by every table and CSV the tool prints.
public enum NumberFormat {
    /// `value` with `digits` significant digits, in plain or exponent notation, whichever reads better.
    public static func significant(_ value: Double, digits: Int = 6) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
            return String(format: "%.\(decimals)f", value)
        }
        return String(format: "%.\(max(0, digits - 1))e", value)
    }

    /// `value` as a fixed-point number with `decimals` decimals.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return String(format: "%.\(decimals)f", value)
    }

    /// A 95 % band for a table cell, `0.1585–0.1601`; empty without one.
    public static func band(_ band: ClosedRange<Double>?) -> String {
        band.map { fixed($0.lowerBound, decimals: 4) + "–" + fixed($0.upperBound, decimals: 4) } ?? ""
    }

    /// A difference with its 95 % interval: `+0.012 ± 0.004`, or `+0.012 (0.006 to 0.019)` when the
    /// interval is not symmetric (bootstrap); the difference to `digits` significant digits, the
    /// interval's half-width or ends to 2.
    public static func difference(_ value: Double, interval95 interval: ClosedRange<Double>?, digits: Int) -> String {
        let text = (value >= 0 ? "+" : "") + significant(value, digits: digits)
        guard let interval else { return text }
        let below = value - interval.lowerBound, above = interval.upperBound - value
        if abs(below - above) <= 1e-3 * max(below, above) { return text + " ± " + significant(above, digits: 2) }
        return text + " (" + significant(interval.lowerBound, digits: 2) + " to " + significant(interval.upperBound, digits: 2) + ")"
    }

    /// R² to 5 decimals, or `n/a` where it is undefined (a loss that does not vary).
    public static func rSquared(_ value: Double?) -> String {
        value.map { fixed($0, decimals: 5) } ?? "n/a"
    }

    /// A duration in seconds as `12.3 ms`, `4.56 s` or `789 µs`.
    public static func duration(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.2f s", seconds) }
        if seconds >= 1e-3 { return String(format: "%.2f ms", seconds * 1e3) }
        return String(format: "%.1f µs", seconds * 1e6)
    }
}
