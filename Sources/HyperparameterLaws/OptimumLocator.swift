import Foundation

/// Locates the optimum (η*, B*) of one (N, D) group between its grid points.
///
/// With `.surrogate`: a cubic (else quadratic) polynomial surrogate of ln L over (ln η, ln B)
/// fitted to the runs near the best, minimised inside the range of those runs (see
/// `OptimumSettings` for the checks). With `.nearBest`: Step Law's runs within 0.25 % of the best.
public struct OptimumLocator: Sendable {
    /// The settings in use.
    public var settings: OptimumSettings

    /// A locator with these settings.
    public init(settings: OptimumSettings = .init()) {
        self.settings = settings
    }

    /// Runs per coefficient a surrogate needs, so that the noise of single runs averages out.
    static let runsPerCoefficient = 2

    /// Locates the optimum of `group`.
    /// - Throws: `.tooFewLearningRates` or `.tooFewBatchSizes` when the group's grid cannot place
    ///   an optimum in both directions.
    public func locate(_ group: SweepGroup, source: String) throws(SweepError) -> GroupOptimum {
        try settings.validate()
        let learningRates = Set(group.runs.map(\.learningRate)).count
        let batchSizes = Set(group.runs.map(\.batchSizeTokens)).count
        guard learningRates >= 3 else { throw .tooFewLearningRates(source: source, group: group.label, count: learningRates) }
        guard batchSizes >= 3 else { throw .tooFewBatchSizes(source: source, group: group.label, count: batchSizes) }
        switch settings.estimator {
        case .nearBest: return nearBestRuns(group)
        case .surrogate: return surrogateOptimum(group)
        }
    }

    /// Step Law's rule: the runs within the tolerance of the best; the reported optimum is their
    /// geometric mean.
    private func nearBestRuns(_ group: SweepGroup) -> GroupOptimum {
        let best = group.bestLoss
        let used = group.runs.indices.filter { group.runs[$0].loss <= best * (1 + settings.nearBestTolerance) }
        let points = used.map { [log(group.runs[$0].learningRate), log(group.runs[$0].batchSizeTokens)] }
        let meanX = points.map { $0[0] }.reduce(0, +) / Double(points.count)
        let meanY = points.map { $0[1] }.reduce(0, +) / Double(points.count)
        return GroupOptimum(learningRate: exp(meanX), batchSizeTokens: exp(meanY), loss: best, method: .nearBestRuns,
                            usedRuns: used, regressionPoints: points)
    }

    private func surrogateOptimum(_ group: SweepGroup) -> GroupOptimum {
        var rejections: [String] = []
        for degree in [3, 2] {
            switch Self.fitSurrogate(group, degree: degree, band: settings.band) {
            case .success(let candidate):
                return candidate.optimum(method: degree == 3 ? .cubicSurrogate : .quadraticSurrogate,
                                         note: rejections.isEmpty ? nil : rejections.joined(separator: "; "))
            case .failure(let reason):
                rejections.append("\(degree == 3 ? "cubic" : "quadratic") rejected: \(reason.description)")
            }
        }
        let best = group.runs.indices.min { group.runs[$0].loss < group.runs[$1].loss }!
        let run = group.runs[best]
        return GroupOptimum(learningRate: run.learningRate, batchSizeTokens: run.batchSizeTokens, loss: run.loss,
                            method: .bestRun, note: rejections.joined(separator: "; "), usedRuns: [best],
                            regressionPoints: [[log(run.learningRate), log(run.batchSizeTokens)]])
    }

    /// Why a surrogate was not accepted.
    enum Rejection: Error, CustomStringConvertible {
        case tooFewRuns(needed: Int, available: Int)
        case undetermined
        case optimumAtEdge
        case notConvex

        var description: String {
            switch self {
            case .tooFewRuns(let needed, let available): return "needs \(needed) runs, the group has \(available)"
            case .undetermined: return "the runs used do not determine every coefficient"
            case .optimumAtEdge: return "its minimum lies at the edge of the runs used (the optimum may be outside the grid)"
            case .notConvex: return "it is not convex at its minimum"
            }
        }
    }

    /// A fitted surrogate with the runs it used.
    struct Candidate {
        var group: SweepGroup
        var used: [Int]
        var polynomial: BivariatePolynomial
        var minimum: [Double]

        func optimum(method: OptimumMethod, note: String?) -> GroupOptimum {
            let x = used.map { log(group.runs[$0].learningRate) }
            let y = used.map { log(group.runs[$0].batchSizeTokens) }
            let z = used.map { log(group.runs[$0].loss) }
            var squares = 0.0
            for i in used.indices {
                let r = polynomial.value(x: x[i], y: y[i]) - z[i]
                squares += r * r
            }
            let heldOut = OptimumLocator.leaveOneOutError(x: x, y: y, z: z, degree: polynomial.degree)
            return GroupOptimum(learningRate: exp(minimum[0]), batchSizeTokens: exp(minimum[1]),
                                loss: exp(polynomial.value(x: minimum[0], y: minimum[1])), method: method, note: note,
                                usedRuns: used, surrogate: polynomial, fitError: (squares / Double(used.count)).squareRoot(),
                                heldOutError: heldOut, regressionPoints: [minimum])
        }
    }

    /// The runs a surrogate of `degree` uses: those within `band` of the best, or the best
    /// `2 × coefficients` when the band holds fewer; a rejection when the group has too few runs.
    static func surrogateRuns(_ group: SweepGroup, degree: Int, band: Double) -> Result<[Int], Rejection> {
        let needed = runsPerCoefficient * BivariatePolynomial.coefficientCount(degree: degree)
        guard group.runs.count >= needed else { return .failure(.tooFewRuns(needed: needed, available: group.runs.count)) }
        let order = group.runs.indices.sorted { group.runs[$0].loss < group.runs[$1].loss }
        let best = group.runs[order[0]].loss
        let inBand = order.prefix { group.runs[$0].loss <= best * (1 + band) }
        return .success(inBand.count >= needed ? Array(inBand) : Array(order.prefix(needed)))
    }

    /// Fits a surrogate of `degree` and finds its minimum, or says why it is not acceptable.
    static func fitSurrogate(_ group: SweepGroup, degree: Int, band: Double) -> Result<Candidate, Rejection> {
        let used: [Int]
        switch surrogateRuns(group, degree: degree, band: band) {
        case .success(let runs): used = runs
        case .failure(let rejection): return .failure(rejection)
        }
        let x = used.map { log(group.runs[$0].learningRate) }
        let y = used.map { log(group.runs[$0].batchSizeTokens) }
        let z = used.map { log(group.runs[$0].loss) }
        guard Set(x).count > degree && Set(y).count > degree,
              let polynomial = try? BivariatePolynomial.fit(x: x, y: y, z: z, degree: degree) else {
            return .failure(.undetermined)
        }
        switch interiorMinimum(of: polynomial) {
        case .success(let minimum):
            return .success(Candidate(group: group, used: used, polynomial: polynomial, minimum: minimum))
        case .failure(let rejection):
            return .failure(rejection)
        }
    }

    /// The minimum of `polynomial` over the square its data fill (scaled coordinates in [−1, 1]²):
    /// the best of a 41 × 41 grid, refined by Newton's method, accepted only strictly inside the
    /// square with a positive-definite Hessian.
    static func interiorMinimum(of polynomial: BivariatePolynomial) -> Result<[Double], Rejection> {
        let steps = 40
        var bestPoint = [0.0, 0.0]
        var bestValue = Double.infinity
        for i in 0...steps {
            for j in 0...steps {
                let x = polynomial.center[0] + polynomial.scale[0] * (-1 + 2 * Double(i) / Double(steps))
                let y = polynomial.center[1] + polynomial.scale[1] * (-1 + 2 * Double(j) / Double(steps))
                let value = polynomial.value(x: x, y: y)
                if value < bestValue {
                    bestValue = value
                    bestPoint = [x, y]
                }
            }
        }
        // The grid's best point sits on the edge when the surface keeps falling beyond the data.
        let (gridU, gridV) = polynomial.scaled(bestPoint[0], bestPoint[1])
        guard abs(gridU) < 1 - 1e-9 && abs(gridV) < 1 - 1e-9 else { return .failure(.optimumAtEdge) }
        var point = bestPoint
        for _ in 0..<50 {
            let g = polynomial.gradient(x: point[0], y: point[1])
            let h = polynomial.hessian(x: point[0], y: point[1])
            let determinant = h[0] * h[2] - h[1] * h[1]
            guard h[0] > 0 && determinant > 0 else { return .failure(.notConvex) }
            let step = [-(h[2] * g[0] - h[1] * g[1]) / determinant, -(h[0] * g[1] - h[1] * g[0]) / determinant]
            point = [point[0] + step[0], point[1] + step[1]]
            let (u, v) = polynomial.scaled(point[0], point[1])
            guard abs(u) < 1 && abs(v) < 1 else { return .failure(.optimumAtEdge) }
            if abs(step[0]) < 1e-10 * polynomial.scale[0] && abs(step[1]) < 1e-10 * polynomial.scale[1] { break }
        }
        let h = polynomial.hessian(x: point[0], y: point[1])
        guard h[0] > 0 && h[0] * h[2] - h[1] * h[1] > 0 else { return .failure(.notConvex) }
        return .success(point)
    }

    /// RMS of the leave-one-out errors of a polynomial of `degree` fitted to (x, y, z); nil when
    /// no point can be left out without losing a coefficient.
    static func leaveOneOutError(x: [Double], y: [Double], z: [Double], degree: Int) -> Double? {
        var squares = 0.0
        var count = 0
        for left in x.indices {
            let keep = x.indices.filter { $0 != left }
            guard let fit = try? BivariatePolynomial.fit(x: keep.map { x[$0] }, y: keep.map { y[$0] }, z: keep.map { z[$0] }, degree: degree) else {
                continue
            }
            let r = fit.value(x: x[left], y: y[left]) - z[left]
            squares += r * r
            count += 1
        }
        return count == 0 ? nil : (squares / Double(count)).squareRoot()
    }
}
