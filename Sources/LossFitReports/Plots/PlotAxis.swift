import Foundation

/// One axis of a plot: its label, scale and (optionally) a fixed range.
public struct PlotAxis: Sendable, Equatable {
    /// How values map to positions along the axis.
    public enum Scale: Sendable, Equatable {
        case linear
        /// Base-10 logarithmic; values ≤ 0 are left out.
        case logarithmic
    }

    /// The axis title, e.g. `step` or `loss`.
    public var label: String
    public var scale: Scale
    /// A fixed range; nil fits the data (widened to nice ticks on linear axes).
    public var range: ClosedRange<Double>?

    /// An axis titled `label`.
    /// - Parameters:
    ///   - scale: linear (default) or logarithmic.
    ///   - range: fixed limits; nil to fit the data.
    public init(_ label: String, scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }

    /// Whether `value` can be drawn on this axis (finite, and positive on a log axis).
    func accepts(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// The range shown and its ticks, for data spanning `values`.
    /// - Parameter padsEdges: leave room when data lies on a linear range's end (for y axes,
    ///   where a line along the frame would hide; x ranges such as steps end where the data does).
    func resolved(for values: [Double], tickTarget: Int, padsEdges: Bool = true) -> ResolvedAxis {
        let usable = values.filter(accepts)
        var domain: ClosedRange<Double>
        if let range {
            domain = range
        } else if let low = usable.min(), let high = usable.max() {
            switch scale {
            case .linear:
                domain = Ticks.niceDomain(low, high, target: tickTarget)
                // Data on the frame's edge hides under it: leave half a tick step of room.
                let step = Ticks.niceStep(span: domain.upperBound - domain.lowerBound, target: tickTarget)
                let edge = padsEdges ? (domain.upperBound - domain.lowerBound) * 0.01 : -.infinity
                if high > domain.upperBound - edge { domain = domain.lowerBound...(domain.upperBound + step / 2) }
                // Positive data keeps a zero lower end: a step or a learning rate has no negative side.
                if low < domain.lowerBound + edge && !(low >= 0 && domain.lowerBound - step / 2 < 0) {
                    domain = (domain.lowerBound - step / 2)...domain.upperBound
                }
            case .logarithmic:
                // 4 % of the logarithmic span on each side keeps points off the frame.
                let (a, b) = low < high ? (log10(low), log10(high)) : (log10(low) - 0.15, log10(high) + 0.15)
                let pad = (b - a) * 0.04
                domain = pow(10, a - pad)...pow(10, b + pad)
            }
        } else {
            domain = scale == .linear ? 0...1 : 1...10
        }
        let ticks = scale == .linear ? Ticks.linear(domain, target: tickTarget) : Ticks.logarithmic(domain)
        return ResolvedAxis(scale: scale, domain: domain, ticks: ticks)
    }
}

/// An axis with its range settled: maps values to a fraction of its length.
struct ResolvedAxis {
    var scale: PlotAxis.Scale
    var domain: ClosedRange<Double>
    var ticks: [Double]

    /// Where `value` lies along the axis: 0 at the lower end, 1 at the upper.
    func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear:
            return (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        case .logarithmic:
            return (log10(value) - log10(domain.lowerBound)) / (log10(domain.upperBound) - log10(domain.lowerBound))
        }
    }
}
