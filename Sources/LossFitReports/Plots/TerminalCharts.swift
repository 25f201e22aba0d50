import ScalingLaws

/// The terminal charts of the commands, from their results.
public enum TerminalCharts {
    /// Logged loss (points) over the fitted law (lines) for each curve, one glyph per series.
    public static func fit(_ evaluations: [CurveEvaluation]) -> String {
        // Logged points first, so they show over the laws.
        let laws = evaluations.map { curve in
            PlotSeries(name: "\(curve.name) (law)", x: curve.steps.map(Double.init), y: curve.predicted, style: .line, color: 0)
        }
        let logged = evaluations.map { curve in
            PlotSeries(name: "\(curve.name) (logged)", x: curve.steps.map(Double.init), y: curve.observed, style: .markers, color: 0)
        }
        return TerminalChart(xAxis: PlotAxis("step"), yAxis: PlotAxis("loss"), series: logged + laws).render()
    }
}
