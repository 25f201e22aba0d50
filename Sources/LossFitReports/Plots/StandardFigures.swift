/// A logged curve beside what a law makes of it, as plain numbers.
public struct ObservedCurve: Sendable, Equatable {
    public var name: String
    public var steps: [Double]
    public var observed: [Double]
    /// The law's loss at each step.
    public var fitted: [Double]
    /// The lower edge of the law's prediction band at each step (e.g. 95 %), when drawn.
    public var bandLower: [Double]?
    /// The upper edge of the band.
    public var bandUpper: [Double]?

    /// A curve `name` with the logged and fitted loss at each step.
    /// - Parameters:
    ///   - bandLower: the lower edge of a prediction band at each step, or nil for none.
    ///   - bandUpper: its upper edge.
    public init(name: String, steps: [Double], observed: [Double], fitted: [Double], bandLower: [Double]? = nil, bandUpper: [Double]? = nil) {
        self.name = name
        self.steps = steps
        self.observed = observed
        self.fitted = fitted
        self.bandLower = bandLower
        self.bandUpper = bandUpper
    }

    /// The band as a plot series, when the curve has one of its own length.
    func bandSeries(color: Int) -> PlotSeries? {
        guard let bandLower, let bandUpper, bandLower.count == steps.count, bandUpper.count == steps.count else { return nil }
        return PlotSeries(name: nil, x: steps, y: bandLower, upper: bandUpper, style: .band, color: color)
    }
}

/// A curve over steps with an optional band (a prediction, or a schedule's learning rate).
public struct StepCurve: Sendable, Equatable {
    public var name: String
    public var steps: [Double]
    public var values: [Double]
    /// The band's lower and upper edges at each step, when there is one.
    public var band: (lower: [Double], upper: [Double])?

    /// A curve `name` through (steps[i], values[i]).
    /// - Parameter band: lower and upper edges (e.g. the 95 % prediction band), or nil.
    public init(name: String, steps: [Double], values: [Double], band: (lower: [Double], upper: [Double])? = nil) {
        self.name = name
        self.steps = steps
        self.values = values
        self.band = band
    }

    public static func == (a: StepCurve, b: StepCurve) -> Bool {
        a.name == b.name && a.steps == b.steps && a.values == b.values && a.band?.lower == b.band?.lower && a.band?.upper == b.band?.upper
    }
}

/// The figures the reports show, built from plain numbers.
public enum StandardFigures {
    /// Fitted law against logged loss, with a panel of relative residuals (data − fit) / fit in %.
    /// - Parameters:
    ///   - curves: drawn in order, each with its band when it has one.
    ///   - fitWindow: the steps the fit was made on, marked by vertical lines at both ends; nil for none.
    public static func fitAgainstData(title: String, curves: [ObservedCurve], fitWindow: ClosedRange<Double>? = nil) -> Figure {
        var main: [PlotSeries] = fitWindow.map { [windowSeries($0)] } ?? []
        var residuals: [PlotSeries] = [PlotSeries(name: nil, x: [], y: [0], style: .horizontalLine, color: 6)]
        if let fitWindow { residuals.append(PlotSeries(name: nil, x: [fitWindow.lowerBound, fitWindow.upperBound], y: [], style: .verticalLine, color: 6)) }
        for (index, curve) in curves.enumerated() {
            if let band = curve.bandSeries(color: index) { main.append(band) }
            main.append(PlotSeries(name: "\(curve.name) (logged)", x: curve.steps, y: curve.observed, style: .markers, color: index))
            main.append(PlotSeries(name: "\(curve.name) (law)", x: curve.steps, y: curve.fitted, style: .line, color: index))
            let relative = zip(curve.observed, curve.fitted).map { 100 * ($0 - $1) / $1 }
            residuals.append(PlotSeries(name: nil, x: curve.steps, y: relative, style: .markers, color: index))
        }
        return Figure(title: title, xAxis: PlotAxis("step"), panels: [
            FigurePanel(yAxis: PlotAxis("loss"), series: main, heightWeight: 3),
            FigurePanel(yAxis: PlotAxis("residual %"), series: residuals, heightWeight: 1.2),
        ], plotHeight: 420)
    }

    /// The fit window as dashed vertical lines at its first and last step, for a legend entry.
    static func windowSeries(_ window: ClosedRange<Double>) -> PlotSeries {
        PlotSeries(name: "fit window: steps \(Ticks.label(window.lowerBound))–\(Ticks.label(window.upperBound))",
                   x: [window.lowerBound, window.upperBound], y: [], style: .verticalLine, color: 6)
    }

    /// The share of the last steps a tail figure shows.
    public static let tailFraction = 0.2

    /// The last `tailFraction` of runs that share a horizon, on axes fitted to that part: the
    /// schedules' final losses differ there by hundredths, which a plot of the whole run flattens.
    ///
    /// ```
    /// x ∈ [(1 − tailFraction)·T, T],   y ∈ [min − 8 % of span, max + 8 % of span] over the points, laws and bands with x in it
    /// ```
    /// - Parameters:
    ///   - horizon: T, the runs' last step.
    ///   - curves: the runs, each with its law (and band, when it has one).
    ///   - fitWindow: the steps the fit was made on, marked where it falls in the tail; nil for none.
    public static func tail(title: String, horizon: Double, curves: [ObservedCurve], fitWindow: ClosedRange<Double>? = nil) -> Figure {
        let start = horizon * (1 - tailFraction)
        var values: [Double] = []
        for curve in curves {
            for index in curve.steps.indices where curve.steps[index] >= start && curve.steps[index] <= horizon {
                values += [curve.observed[index], curve.fitted[index]]
                if let lower = curve.bandLower, let upper = curve.bandUpper, lower.count == curve.steps.count, upper.count == curve.steps.count {
                    values += [lower[index], upper[index]]
                }
            }
        }
        let finite = values.filter(\.isFinite)
        var lossRange: ClosedRange<Double>?
        if let low = finite.min(), let high = finite.max() {
            // A flat tail still gets a visible span.
            let pad = max(0.08 * (high - low), 1e-4 * max(abs(high), 1e-12))
            lossRange = (low - pad)...(high + pad)
        }
        var series: [PlotSeries] = []
        if let fitWindow {
            let inside = [fitWindow.lowerBound, fitWindow.upperBound].filter { $0 >= start && $0 <= horizon }
            if !inside.isEmpty {
                var marks = windowSeries(fitWindow)
                marks.x = inside
                series.append(marks)
            }
        }
        for (index, curve) in curves.enumerated() {
            if let band = curve.bandSeries(color: index) { series.append(band) }
            series.append(PlotSeries(name: "\(curve.name) (logged)", x: curve.steps, y: curve.observed, style: .markers, color: index))
            series.append(PlotSeries(name: "\(curve.name) (law)", x: curve.steps, y: curve.fitted, style: .line, color: index))
        }
        return Figure(title: title, xAxis: PlotAxis("step", range: start...horizon),
                      panels: [FigurePanel(yAxis: PlotAxis("loss", range: lossRange), series: series)], plotHeight: 300)
    }

    /// Predicted loss curves of several schedules, each with its band when it has one.
    public static func predictions(title: String, curves: [StepCurve], yLabel: String = "predicted loss") -> Figure {
        var series: [PlotSeries] = []
        for (index, curve) in curves.enumerated() {
            if let band = curve.band {
                series.append(PlotSeries(name: nil, x: curve.steps, y: band.lower, upper: band.upper, style: .band, color: index))
            }
            series.append(PlotSeries(name: curve.name, x: curve.steps, y: curve.values, style: .line, color: index))
        }
        return Figure(title: title, xAxis: PlotAxis("step"), panels: [FigurePanel(yAxis: PlotAxis(yLabel), series: series)])
    }

    /// Learning rate against step for each schedule.
    public static func schedules(title: String, curves: [StepCurve]) -> Figure {
        let series = curves.enumerated().map { index, curve in
            PlotSeries(name: curve.name, x: curve.steps, y: curve.values, style: index % 2 == 0 ? .line : .dashedLine, color: index)
        }
        return Figure(title: title, xAxis: PlotAxis("step"), panels: [FigurePanel(yAxis: PlotAxis("learning rate"), series: series)],
                      plotHeight: 260)
    }

    /// A sweep's final loss against learning rate, one line per batch size, with the located
    /// optimum and the recommended learning rate.
    /// - Parameters:
    ///   - lines: one per batch size: its label and (learning rate, loss) points.
    ///   - optimum: the located optimum (learning rate, loss) and its label.
    ///   - recommendation: the recommended learning rate and its label.
    ///   - lossRange: the losses shown (diverged runs far above the optimum would flatten the rest), or nil for all.
    public static func sweepLandscape(title: String, lines: [(label: String, learningRates: [Double], losses: [Double])],
                                      optimum: (learningRate: Double, loss: Double, label: String)?,
                                      recommendation: (learningRate: Double, label: String)?,
                                      lossRange: ClosedRange<Double>? = nil) -> Figure {
        var series: [PlotSeries] = []
        for (index, line) in lines.enumerated() {
            series.append(PlotSeries(name: line.label, x: line.learningRates, y: line.losses, style: .line, color: index))
            series.append(PlotSeries(name: nil, x: line.learningRates, y: line.losses, style: .markers, color: index))
        }
        if let optimum {
            series.append(PlotSeries(name: optimum.label, x: [optimum.learningRate], y: [optimum.loss], style: .highlight, color: 5))
        }
        if let recommendation {
            series.append(PlotSeries(name: recommendation.label, x: [recommendation.learningRate], y: [], style: .verticalLine, color: 6))
        }
        return Figure(title: title, xAxis: PlotAxis("peak learning rate", scale: .logarithmic),
                      panels: [FigurePanel(yAxis: PlotAxis("final loss", range: lossRange), series: series)])
    }

    /// A fitted power law on log–log axes with its band, over the observations it was fitted to.
    /// - Parameters:
    ///   - observed: the fitted points (x, y) and their legend label.
    ///   - law: the law's line (x, y) with band edges, and its legend label.
    public static func powerLaw(title: String, xLabel: String, yLabel: String,
                                observed: (label: String, x: [Double], y: [Double]),
                                law: (label: String, x: [Double], y: [Double], lower: [Double], upper: [Double])) -> Figure {
        Figure(title: title, xAxis: PlotAxis(xLabel, scale: .logarithmic), panels: [FigurePanel(yAxis: PlotAxis(yLabel, scale: .logarithmic), series: [
            PlotSeries(name: "\(law.label): 95 % band", x: law.x, y: law.lower, upper: law.upper, style: .band, color: 0),
            PlotSeries(name: law.label, x: law.x, y: law.y, style: .line, color: 0),
            PlotSeries(name: observed.label, x: observed.x, y: observed.y, style: .highlight, color: 1),
        ])], plotHeight: 300)
    }

    /// A law of several variables checked against the points it was fitted to, on log–log axes:
    /// each group's located optimum (y) against the law's prediction for that group (x), with the
    /// line y = x where the law would be exact. The vertical distance to the line is the group's residual.
    /// - Parameters:
    ///   - quantity: what the law predicts, e.g. "peak learning rate".
    ///   - points: per group its label, the law's value and the located optimum (both > 0).
    public static func lawAgainstOptima(title: String, quantity: String, points: [(label: String, law: Double, located: Double)]) -> Figure {
        let values = points.flatMap { [$0.law, $0.located] }.filter { $0 > 0 && $0.isFinite }
        let low = values.min() ?? 1, high = values.max() ?? 1
        // The diagonal spans every point, a little beyond.
        let diagonal = [low / 1.1, high * 1.1]
        return Figure(title: title, xAxis: PlotAxis("law's \(quantity)", scale: .logarithmic), panels: [FigurePanel(yAxis: PlotAxis("located optimum", scale: .logarithmic), series: [
            PlotSeries(name: "law = located optimum", x: diagonal, y: diagonal, style: .dashedLine, color: 0),
            PlotSeries(name: "group optima (\(points.count) groups)", x: points.map(\.law), y: points.map(\.located), style: .highlight, color: 1),
        ])], plotHeight: 300)
    }
}
