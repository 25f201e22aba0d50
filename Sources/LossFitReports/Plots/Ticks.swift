import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten on linear axes, powers of ten (with
/// 2 and 5 between them on short ranges) on logarithmic ones.
public enum Ticks {
    /// The 1-2-5 step that cuts `span` into about `target` intervals.
    public static func niceStep(span: Double, target: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, target))
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// `lower…upper` widened to whole multiples of its nice step, so the axis ends on a tick.
    public static func niceDomain(_ lower: Double, _ upper: Double, target: Int = 5) -> ClosedRange<Double> {
        let (low, high) = lower < upper ? (lower, upper) : widened(lower)
        let step = niceStep(span: high - low, target: target)
        return (floor(low / step + 1e-9) * step)...(ceil(high / step - 1e-9) * step)
    }

    /// Linear ticks at multiples of the nice step inside `domain`.
    public static func linear(_ domain: ClosedRange<Double>, target: Int = 5) -> [Double] {
        let step = niceStep(span: domain.upperBound - domain.lowerBound, target: target)
        let first = ceil(domain.lowerBound / step - 1e-9)
        let last = floor(domain.upperBound / step + 1e-9)
        guard first <= last else { return [] }
        // Multiplying the index (rather than adding steps) keeps 0.1·3 from drifting to 0.30000000000000004.
        return stride(from: first, through: last, by: 1).map { index in
            let value = index * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    /// Logarithmic ticks inside `domain` (positive): powers of ten; adds 2× and 5× when fewer than
    /// three fit, and falls back to linear nice ticks when the range is under a factor of ten.
    public static func logarithmic(_ domain: ClosedRange<Double>) -> [Double] {
        let lower = domain.lowerBound, upper = domain.upperBound
        guard lower > 0, upper > lower else { return [] }
        let decades = Int(floor(log10(lower)))...Int(ceil(log10(upper)))
        let (low, high) = (lower * (1 - 1e-9), upper * (1 + 1e-9))
        func inside(_ mantissas: [Double]) -> [Double] {
            var ticks: [Double] = []
            for exponent in decades {
                let power: Double = pow(10, Double(exponent))
                for mantissa in mantissas where mantissa * power >= low && mantissa * power <= high {
                    ticks.append(mantissa * power)
                }
            }
            return ticks
        }
        var ticks = inside([1])
        if ticks.count > 8 {
            // Many decades: every second or third power of ten keeps labels apart.
            let every = (ticks.count + 7) / 8
            ticks = ticks.enumerated().filter { $0.offset % every == 0 }.map(\.element)
        }
        if ticks.count < 3 { ticks = inside([1, 2, 5]) }
        if ticks.count < 3 { ticks = linear(domain, target: 4).filter { $0 > 0 } }
        return ticks
    }

    /// The shortest plain label that reads back as `value` (`0.002`, `20000`), or short exponent
    /// notation (`2e-5`, `5e5`) far from 1.
    public static func label(_ value: Double) -> String {
        guard value.isFinite else { return NumberFormat.significant(value) }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e5 {
            for decimals in 0...9 {
                let text = String(format: "%.\(decimals)f", value)
                if abs(Double(text)! - value) <= magnitude * 1e-6 { return text }
            }
        }
        let exponent = Int(floor(log10(magnitude)))
        let mantissa = value / pow(10, Double(exponent))
        return label(Double(String(format: "%.3g", mantissa))!) + "e\(exponent)"
    }

    private static func widened(_ value: Double) -> (Double, Double) {
        let half = value == 0 ? 1 : abs(value) * 0.05
        return (value - half, value + half)
    }
}
