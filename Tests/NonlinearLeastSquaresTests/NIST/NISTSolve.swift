import Foundation
import NonlinearLeastSquares
import TestSupport

/// The outcome of one NIST problem from one start point, scored by log relative error (LRE).
struct NISTOutcome: Sendable {
    let problem: String
    let start: Int
    /// Minimum LRE over the parameters (significant digits that agree with the certified values).
    let parameterLRE: Double
    /// LRE of the residual sum of squares.
    let residualSumOfSquaresLRE: Double
    let iterations: Int
    let evaluations: Int
    let converged: Bool
    let termination: LevenbergMarquardt.Termination
    let parameters: [Double]
}

enum NISTSolve {
    /// Fits `problem` from start 1 or 2 with the analytic Jacobian and the default options.
    static func run(
        _ problem: NISTProblem, start: Int, solver: LevenbergMarquardt, analyticJacobian: Bool = true
    ) throws -> NISTOutcome {
        guard let model = NISTModel.named(problem.name) else {
            throw NISTProblem.ParseError.malformed(problem.name, "no model implemented for this data set")
        }
        precondition(model.parameterCount == problem.certified.count, "\(problem.name): parameter count mismatch")
        let xs = problem.predictors
        let ys = model.logResponse ? problem.responses.map { log($0) } : problem.responses
        let m = ys.count
        var gradient = [Double](repeating: 0, count: model.parameterCount)
        let startPoint = start == 1 ? problem.start1 : problem.start2
        let residuals = { (b: [Double], r: inout [Double]) in
            for i in 0..<m { r[i] = model.value(b, xs[i]) - ys[i] }
        }
        let result = analyticJacobian
            ? try solver.minimize(
                start: startPoint, residualCount: m, residuals: residuals,
                jacobian: { b, j in
                    for i in 0..<m {
                        model.gradient(b, xs[i], &gradient)
                        for k in 0..<gradient.count { j[i, k] = gradient[k] }
                    }
                })
            : try solver.minimize(start: startPoint, residualCount: m, residuals: residuals)
        let parameterLRE = zip(result.parameters, problem.certified)
            .map { logRelativeError($0, certified: $1) }
            .min() ?? 0
        let rssLRE = logRelativeError(result.residualSumOfSquares, certified: problem.certifiedResidualSumOfSquares)
        return NISTOutcome(
            problem: problem.name, start: start, parameterLRE: parameterLRE, residualSumOfSquaresLRE: rssLRE,
            iterations: result.iterations, evaluations: result.evaluations, converged: result.converged,
            termination: result.termination, parameters: result.parameters)
    }

    /// The 27 data sets in the order NIST lists them (lower, average, higher difficulty).
    static let names = [
        "Misra1a", "Chwirut2", "Chwirut1", "Lanczos3", "Gauss1", "Gauss2", "DanWood", "Misra1b",
        "Kirby2", "Hahn1", "Nelson", "MGH17", "Lanczos1", "Lanczos2", "Gauss3", "Misra1c", "Misra1d",
        "Roszman1", "ENSO",
        "MGH09", "Thurber", "BoxBOD", "Rat42", "MGH10", "Eckerle4", "Rat43", "Bennett5",
    ]

    /// A fixed-width table row.
    static func format(_ name: String, _ first: NISTOutcome, _ second: NISTOutcome) -> String {
        func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
        func cell(_ o: NISTOutcome) -> String {
            pad(String(format: "%5.1f %5.1f %4d %5d %@", o.parameterLRE, o.residualSumOfSquaresLRE, o.iterations, o.evaluations, o.converged ? "y" : "n"), 26)
        }
        return pad(name, 10) + cell(first) + "| " + cell(second)
    }

    static let header = "problem   LRE_b LRE_S  it  nfev c  | LRE_b LRE_S  it  nfev c"
}
