import LossFitReports
import LossFitWorkflows

extension AnalysisReport {
    /// The page or notebook of an analysis.
    init(_ analysis: Analysis) {
        self.init(fit: analysis.fit, fitted: analysis.fitted, heldOut: analysis.heldOut,
                  forecasts: analysis.forecasts.map { ScheduleForecast(spec: $0.spec, points: $0.points) },
                  sweep: analysis.sweep, recommendations: analysis.recommendations)
    }
}
