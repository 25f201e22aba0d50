import Foundation

extension FitIdentification {
    /// What the assessment knows of one fitted parameter's law.
    struct Rule {
        /// The parameter's name in `FitResult.parameters`.
        var name: String
        /// The law needs it ≥ 0 (a level, an amplitude or a drop that only lowers the loss).
        var nonNegative = false
        /// The fitter's search range, when it has one.
        var bounds: ClosedRange<Double>?
        /// A standard error above the value's magnitude makes the fit unidentified.
        var checksError = false
    }

    /// The verdict on `parameters` under `rules`, with the cause judged from `curves` (the fitted
    /// curves, each cut to its window in `fitted`). Fixed and undetermined parameters are not judged:
    /// the fit says so already.
    static func assess(parameters: [FittedParameter], rules: [Rule], curves: [TrainingCurve], fitted: [FittedCurve]) -> FitIdentification {
        var problems: [String] = []
        for rule in rules {
            guard let parameter = parameters.first(where: { $0.name == rule.name }), parameter.status == .fitted else { continue }
            let value = parameter.value
            var findings: [String] = []
            if rule.nonNegative && value < 0 { findings.append("below 0") }
            if let bounds = rule.bounds {
                let margin = 1e-6 * (bounds.upperBound - bounds.lowerBound)
                if value <= bounds.lowerBound + margin || value >= bounds.upperBound - margin {
                    findings.append("at the bound of its range \(format(bounds.lowerBound))…\(format(bounds.upperBound))")
                }
            }
            if rule.checksError, let error = parameter.standardError, error > abs(value) {
                findings.append("standard error \(format(error)) larger than the value")
            }
            if !findings.isEmpty { problems.append("\(rule.name) = \(format(value)): \(findings.joined(separator: ", "))") }
        }
        guard !problems.isEmpty else { return .identified }
        let parameterCount = parameters.filter { $0.status == .fitted }.count
        var verdict = cause(curves: curves, fitted: fitted, parameterCount: parameterCount)
        verdict.problems = problems
        return verdict
    }

    /// A committee's verdict from its members': not identified when most of them are not. The
    /// median leaves out a member that is off, so a minority is only listed.
    static func committee(_ members: [CommitteeMember]) -> FitIdentification {
        let unidentified = members.filter { $0.fit.identification?.identified == false }
        guard !unidentified.isEmpty else { return .identified }
        let problems = unidentified.map { "\($0.label): \($0.fit.identification?.problems.joined(separator: "; ") ?? "")" }
        let first = unidentified[0].fit.identification
        return FitIdentification(
            identified: 2 * unidentified.count <= members.count, problems: problems, cause: first?.cause,
            explanation: first?.explanation, advice: first?.advice, lowestLossStep: first?.lowestLossStep,
            members: unidentified.map(\.label))
    }

    /// The likely cause, from the shape of each fitted curve: the loss in up to ten consecutive
    /// chunks of its points (the chunk's median), against the point-to-point noise.
    private static func cause(curves: [TrainingCurve], fitted: [FittedCurve], parameterCount: Int) -> FitIdentification {
        var unidentified = FitIdentification(identified: false, problems: [])
        var flat: String?
        for window in fitted {
            guard let source = curves.first(where: { $0.name == window.name }) else { continue }
            let curve = source.restricted(to: window.firstStep...window.lastStep).scoringSample()
            guard curve.steps.count >= 6 else { continue }
            let shape = CurveShape(curve)
            if let rise = shape.rise {
                unidentified.cause = .risingLoss
                unidentified.explanation = "the loss of \(curve.name) rises from \(format(rise.lowest)) near step \(rise.lowestStep) to \(format(rise.last)) at step \(curve.steps[curve.steps.count - 1]): overfitting, or repeated epochs (the laws describe a loss that keeps falling as training goes on)"
                unidentified.advice = "fit only the steps up to \(rise.lowestStep), before the loss turns up"
                unidentified.lowestLossStep = rise.lowestStep
                return unidentified
            }
            if shape.isFlat && flat == nil {
                flat = "the loss of \(curve.name) does not fall over the fitted steps \(window.firstStep)–\(window.lastStep) (from \(format(shape.first)) to \(format(shape.last)))"
            }
        }
        if let flat {
            unidentified.cause = .notDecreasing
            unidentified.explanation = flat + ": the loss is not decreasing yet, or the series is not the loss"
            unidentified.advice = "fit a window where the loss falls (log more steps, or start after an initial plateau), and check that the series read is the loss"
            return unidentified
        }
        let points = fitted.reduce(0) { $0 + $1.points }
        if points < 5 * parameterCount {
            unidentified.cause = .tooFewPoints
            unidentified.explanation = "\(points) fitted point\(points == 1 ? "" : "s") for \(parameterCount) parameters"
            unidentified.advice = "log the loss more often or fit more curves, or hold parameters at known values"
            return unidentified
        }
        unidentified.cause = .curvesTooSimilar
        unidentified.explanation = "the curves fall, but do not separate the law's parameters"
        unidentified.advice = "add curves with other schedules or lengths (a run with a cooldown, a longer run), or hold parameters at known values"
        return unidentified
    }

    /// A number to 3 significant digits for messages.
    static func format(_ value: Double) -> String { String(format: "%.3g", value) }
}

/// The coarse shape of one curve: its loss by chunks of consecutive points, and the noise.
private struct CurveShape {
    /// The first and last chunks' median losses.
    var first: Double
    var last: Double
    /// The lowest chunk before the last, when the last lies clearly above it.
    var rise: (lowest: Double, lowestStep: Int, last: Double)?
    /// The loss falls by no more than its noise from the first chunk to the lowest.
    var isFlat: Bool

    init(_ curve: TrainingCurve) {
        let n = curve.losses.count
        let chunkCount = min(10, n / 3)
        let bounds = (0...chunkCount).map { $0 * n / chunkCount }
        let medians = (0..<chunkCount).map { Self.median(Array(curve.losses[bounds[$0]..<bounds[$0 + 1]])) }
        let middles = (0..<chunkCount).map { curve.steps[(bounds[$0] + bounds[$0 + 1] - 1) / 2] }
        // σ of one point from the differences of neighbours (robust: 1.4826·MAD / √2); a chunk's
        // median has about σ·√(π/2)/√size of noise, and a difference of two such medians √2 times that.
        let differences = zip(curve.losses.dropFirst(), curve.losses).map { $0 - $1 }
        let center = Self.median(differences)
        let sigma = 1.4826 * Self.median(differences.map { abs($0 - center) }) / 2.squareRoot()
        let chunkNoise = sigma * (Double.pi / 2).squareRoot() / Double(n / chunkCount).squareRoot() * 2.squareRoot()
        let threshold = max(3 * chunkNoise, 1e-3 * abs(medians.min() ?? 0))
        first = medians[0]
        last = medians[chunkCount - 1]
        let lowest = medians.dropLast().indices.min { medians[$0] < medians[$1] } ?? 0
        rise = last - medians[lowest] > threshold ? (medians[lowest], middles[lowest], last) : nil
        isFlat = first - (medians.min() ?? first) <= threshold
    }

    private static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
