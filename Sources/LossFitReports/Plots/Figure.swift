import Foundation

/// A panel of a figure: its own y axis and series, over the figure's shared x axis.
public struct FigurePanel: Sendable, Equatable {
    public var yAxis: PlotAxis
    public var series: [PlotSeries]
    /// This panel's share of the plotting height, relative to the other panels'.
    public var heightWeight: Double

    /// A panel drawing `series` against `yAxis`.
    /// - Parameter heightWeight: relative height (e.g. 3 for a main panel over a residual panel of 1).
    public init(yAxis: PlotAxis, series: [PlotSeries], heightWeight: Double = 1) {
        self.yAxis = yAxis
        self.series = series
        self.heightWeight = heightWeight
    }
}

/// A plot of one or more panels stacked over a shared x axis, with a title and a legend, drawn
/// as standalone SVG.
public struct Figure: Sendable, Equatable {
    public var title: String
    public var xAxis: PlotAxis
    public var panels: [FigurePanel]
    /// Width of the drawing in pixels.
    public var width: Double
    /// Height of the panels together (without title, axis labels and legend) in pixels.
    public var plotHeight: Double

    /// A figure titled `title`.
    /// - Parameters:
    ///   - xAxis: the axis every panel shares.
    ///   - panels: top to bottom.
    ///   - width: pixels.
    ///   - plotHeight: pixels taken by the panels.
    public init(title: String, xAxis: PlotAxis, panels: [FigurePanel], width: Double = 760, plotHeight: Double = 320) {
        self.title = title
        self.xAxis = xAxis
        self.panels = panels
        self.width = width
        self.plotHeight = plotHeight
    }

    /// The entries the legend shows: the first series of each name, in order.
    public var legendEntries: [PlotSeries] {
        var seen = Set<String>()
        return panels.flatMap(\.series).filter { series in
            guard let name = series.name else { return false }
            return seen.insert(name).inserted
        }
    }

    /// The figure as a standalone SVG document.
    /// - Parameter id: a prefix for the element ids inside (clip paths), unique within the page
    ///   that embeds several figures.
    public func svg(id: String) -> String {
        let prefix = String(id.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        let layout = FigureLayout(figure: self)
        var svg = SVGWriter()
        svg.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVGWriter.number(width))\" height=\"\(SVGWriter.number(layout.height))\" viewBox=\"0 0 \(SVGWriter.number(width)) \(SVGWriter.number(layout.height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">")
        svg.element("title", [:], text: title)
        svg.element("rect", ["x": "0", "y": "0", "width": SVGWriter.number(width), "height": SVGWriter.number(layout.height), "fill": "#ffffff"])
        svg.text(title, x: layout.left, y: 24, size: 15, weight: "bold")

        let x = xAxis.resolved(for: panels.flatMap { $0.series.flatMap(\.xExtent) }, tickTarget: 7, padsEdges: false)
        for (index, panel) in panels.enumerated() {
            let frame = layout.panelFrames[index]
            let y = panel.yAxis.resolved(for: panel.series.flatMap(\.yExtent), tickTarget: max(3, Int(frame.height / 50)))
            let mapping = PanelMapping(frame: frame, x: x, y: y)
            drawAxes(&svg, mapping: mapping, yLabel: panel.yAxis.label, labelsX: index == panels.count - 1)
            let clip = "\(prefix)-clip\(index)"
            svg.raw("<clipPath id=\"\(clip)\"><rect x=\"\(SVGWriter.number(frame.minX))\" y=\"\(SVGWriter.number(frame.minY))\" width=\"\(SVGWriter.number(frame.width))\" height=\"\(SVGWriter.number(frame.height))\"/></clipPath>")
            svg.raw("<g clip-path=\"url(#\(clip))\">")
            for series in panel.series.sorted(by: { $0.style.layer < $1.style.layer }) {
                draw(&svg, series, mapping: mapping)
            }
            svg.raw("</g>")
        }
        let bottom = layout.panelFrames.last?.maxY ?? layout.top
        svg.text(xAxis.label, x: layout.left + layout.plotWidth / 2, y: bottom + 40, anchor: "middle", size: 13)
        drawLegend(&svg, layout: layout)
        svg.raw("</svg>")
        return svg.markup
    }

    private func drawAxes(_ svg: inout SVGWriter, mapping: PanelMapping, yLabel: String, labelsX: Bool) {
        let frame = mapping.frame
        for tick in mapping.x.ticks {
            let position = mapping.px(tick)
            svg.line(x1: position, y1: frame.minY, x2: position, y2: frame.maxY, stroke: "#e3e3e3")
            if labelsX {
                svg.line(x1: position, y1: frame.maxY, x2: position, y2: frame.maxY + 5, stroke: "#444444")
                svg.text(Ticks.label(tick), x: position, y: frame.maxY + 18, anchor: "middle", size: 11)
            }
        }
        for tick in mapping.y.ticks {
            let position = mapping.py(tick)
            svg.line(x1: frame.minX, y1: position, x2: frame.maxX, y2: position, stroke: "#e3e3e3")
            svg.line(x1: frame.minX - 5, y1: position, x2: frame.minX, y2: position, stroke: "#444444")
            svg.text(Ticks.label(tick), x: frame.minX - 8, y: position + 4, anchor: "end", size: 11)
        }
        svg.element("rect", ["x": SVGWriter.number(frame.minX), "y": SVGWriter.number(frame.minY), "width": SVGWriter.number(frame.width),
                             "height": SVGWriter.number(frame.height), "fill": "none", "stroke": "#444444"])
        svg.text(yLabel, x: 18, y: frame.midY, anchor: "middle", size: 13, rotate: -90)
    }

    private func draw(_ svg: inout SVGWriter, _ series: PlotSeries, mapping: PanelMapping) {
        let color = Palette.color(series.color)
        let count = min(series.x.count, series.y.count)
        func drawable(_ index: Int) -> Bool { xAxis.accepts(series.x[index]) && mapping.yAxis.accepts(series.y[index]) }
        switch series.style {
        case .line, .dashedLine:
            var path = ""
            var drawing = false
            for index in 0..<count {
                guard drawable(index) else { drawing = false; continue }
                path += (drawing ? "L" : "M") + SVGWriter.number(mapping.px(series.x[index])) + " " + SVGWriter.number(mapping.py(series.y[index]))
                drawing = true
            }
            guard !path.isEmpty else { return }
            let dash = series.style == .dashedLine ? " stroke-dasharray=\"7 4\"" : ""
            svg.raw("<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linejoin=\"round\"\(dash)/>")
        case .markers:
            for index in 0..<count where drawable(index) {
                svg.raw("<circle cx=\"\(SVGWriter.number(mapping.px(series.x[index])))\" cy=\"\(SVGWriter.number(mapping.py(series.y[index])))\" r=\"2.5\" fill=\"\(color)\" fill-opacity=\"0.75\"/>")
            }
        case .band:
            guard let upper = series.upper else { return }
            let indices = (0..<min(count, upper.count)).filter { drawable($0) && mapping.yAxis.accepts(upper[$0]) }
            guard indices.count >= 2 else { return }
            let top = indices.map { SVGWriter.number(mapping.px(series.x[$0])) + " " + SVGWriter.number(mapping.py(upper[$0])) }
            let bottom = indices.reversed().map { SVGWriter.number(mapping.px(series.x[$0])) + " " + SVGWriter.number(mapping.py(series.y[$0])) }
            svg.raw("<path d=\"M\((top + bottom).joined(separator: "L"))Z\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>")
        case .highlight:
            for index in 0..<count where drawable(index) {
                svg.raw("<path d=\"\(Self.diamond(x: mapping.px(series.x[index]), y: mapping.py(series.y[index]), size: 7))\" fill=\"\(color)\" stroke=\"#000000\" stroke-width=\"1.2\"/>")
            }
        case .verticalLine:
            for value in series.x where xAxis.accepts(value) {
                let position = mapping.px(value)
                svg.line(x1: position, y1: mapping.frame.minY, x2: position, y2: mapping.frame.maxY, stroke: color, width: 1.6, dash: "5 4")
            }
        case .horizontalLine:
            for value in series.y where mapping.yAxis.accepts(value) {
                let position = mapping.py(value)
                svg.line(x1: mapping.frame.minX, y1: position, x2: mapping.frame.maxX, y2: position, stroke: color, width: 1.2)
            }
        }
    }

    private func drawLegend(_ svg: inout SVGWriter, layout: FigureLayout) {
        for placed in layout.legend {
            let (x, y) = (placed.x, placed.y)
            let color = Palette.color(placed.series.color)
            switch placed.series.style {
            case .line, .dashedLine:
                svg.line(x1: x, y1: y, x2: x + 22, y2: y, stroke: color, width: 2, dash: placed.series.style == .dashedLine ? "7 4" : nil)
            case .markers:
                svg.raw("<circle cx=\"\(SVGWriter.number(x + 11))\" cy=\"\(SVGWriter.number(y))\" r=\"3.5\" fill=\"\(color)\"/>")
            case .band:
                svg.element("rect", ["x": SVGWriter.number(x), "y": SVGWriter.number(y - 6), "width": "22", "height": "12", "fill": color, "fill-opacity": "0.25"])
            case .highlight:
                svg.raw("<path d=\"\(Self.diamond(x: x + 11, y: y, size: 6))\" fill=\"\(color)\" stroke=\"#000000\" stroke-width=\"1.2\"/>")
            case .verticalLine:
                svg.line(x1: x + 11, y1: y - 7, x2: x + 11, y2: y + 7, stroke: color, width: 1.6, dash: "3 2")
            case .horizontalLine:
                svg.line(x1: x, y1: y, x2: x + 22, y2: y, stroke: color, width: 1.2)
            }
            svg.text(placed.series.name ?? "", x: x + 28, y: y + 4, size: 12)
        }
    }

    private static func diamond(x: Double, y: Double, size: Double) -> String {
        "M\(SVGWriter.number(x)) \(SVGWriter.number(y - size))L\(SVGWriter.number(x + size)) \(SVGWriter.number(y))L\(SVGWriter.number(x)) \(SVGWriter.number(y + size))L\(SVGWriter.number(x - size)) \(SVGWriter.number(y))Z"
    }
}

extension PlotSeries.Style {
    /// Drawing order: areas below lines, lines below points, highlights on top.
    var layer: Int {
        switch self {
        case .band: return 0
        case .horizontalLine, .verticalLine: return 1
        case .line, .dashedLine: return 2
        case .markers: return 3
        case .highlight: return 4
        }
    }
}

/// A rectangle in SVG pixels.
struct PixelFrame {
    var minX: Double, minY: Double, width: Double, height: Double
    var maxX: Double { minX + width }
    var maxY: Double { minY + height }
    var midY: Double { minY + height / 2 }
}

/// Maps data values of one panel to pixels.
struct PanelMapping {
    var frame: PixelFrame
    var x: ResolvedAxis
    var y: ResolvedAxis

    var yAxis: PlotAxis { PlotAxis("", scale: y.scale) }

    func px(_ value: Double) -> Double { frame.minX + x.fraction(value) * frame.width }
    func py(_ value: Double) -> Double { frame.maxY - y.fraction(value) * frame.height }
}

/// Where the panels and legend entries of a figure go.
struct FigureLayout {
    struct PlacedEntry {
        var series: PlotSeries
        var x: Double
        var y: Double
    }

    let left = 80.0, right = 24.0, top = 40.0, panelGap = 16.0
    let plotWidth: Double
    var panelFrames: [PixelFrame] = []
    var legend: [PlacedEntry] = []
    var height: Double

    /// Approximate width of 12-pixel text: enough to keep legend entries from overlapping.
    static func textWidth(_ text: String) -> Double { Double(text.count) * 7.0 }

    init(figure: Figure) {
        plotWidth = figure.width - left - right
        let gaps = panelGap * Double(max(0, figure.panels.count - 1))
        let totalWeight = figure.panels.map(\.heightWeight).reduce(0, +)
        var y = top
        for panel in figure.panels {
            let height = (figure.plotHeight - gaps) * panel.heightWeight / max(totalWeight, 1e-9)
            panelFrames.append(PixelFrame(minX: left, minY: y, width: plotWidth, height: height))
            y += height + panelGap
        }
        var cursorX = left, cursorY = y - panelGap + 64
        for entry in figure.legendEntries {
            let width = 28 + Self.textWidth(entry.name ?? "") + 20
            if cursorX > left && cursorX + width > left + plotWidth {
                cursorX = left
                cursorY += 20
            }
            legend.append(PlacedEntry(series: entry, x: cursorX, y: cursorY))
            cursorX += width
        }
        height = (legend.last?.y ?? cursorY - 20) + 16
    }
}
