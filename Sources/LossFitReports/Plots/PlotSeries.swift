/// One thing drawn in a plot panel from plain numbers: a line, markers, a shaded band, a
/// highlighted point or a reference line.
public struct PlotSeries: Sendable, Equatable {
    /// How the series is drawn.
    public enum Style: Sendable, Equatable {
        /// A solid line through the points in order.
        case line
        /// A dashed line through the points in order.
        case dashedLine
        /// A small circle at each point.
        case markers
        /// A shaded area between `y` (lower edge) and `upper`.
        case band
        /// A large diamond at each point, outlined in black: an optimum or a recommendation.
        case highlight
        /// A dashed vertical line across the panel at each x (y is ignored).
        case verticalLine
        /// A thin horizontal line across the panel at each y (x is ignored), e.g. zero residual.
        case horizontalLine
    }

    /// The legend entry; nil leaves the series out of the legend.
    public var name: String?
    public var x: [Double]
    public var y: [Double]
    /// The upper edge of a band (same length as `y`).
    public var upper: [Double]?
    public var style: Style
    /// An index into the palette, so related series (data and fit of one run) share a colour.
    public var color: Int

    /// A series of `style` through the points (x[i], y[i]).
    /// - Parameters:
    ///   - name: the legend entry, or nil for none.
    ///   - upper: the band's upper edge, for `.band`.
    ///   - color: palette index (wraps around).
    public init(name: String?, x: [Double], y: [Double], upper: [Double]? = nil, style: Style, color: Int) {
        self.name = name
        self.x = x
        self.y = y
        self.upper = upper
        self.style = style
        self.color = color
    }

    /// The values this series puts on the x axis (none for horizontal lines).
    var xExtent: [Double] { style == .horizontalLine ? [] : x }

    /// The values this series puts on the y axis (none for vertical lines).
    var yExtent: [Double] {
        switch style {
        case .verticalLine: return []
        case .band: return y + (upper ?? [])
        default: return y
        }
    }
}

/// Colours for series, chosen to stay distinguishable for common colour-vision deficiencies
/// (Okabe–Ito, without its yellow, which vanishes on white).
public enum Palette {
    public static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]

    /// The colour of palette index `index` (wrapping around).
    public static func color(_ index: Int) -> String {
        colors[((index % colors.count) + colors.count) % colors.count]
    }
}
