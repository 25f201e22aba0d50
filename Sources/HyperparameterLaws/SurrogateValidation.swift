import Foundation

/// How well alternative surrogates predict runs they were not fitted to, within each group: the
/// evidence for the surrogate `OptimumLocator` uses.
///
/// For each group, every run the default surrogate uses (those within the default band of the
/// best) is left out in turn; each alternative is fitted to its own runs without it and predicts
/// its ln L. The score is the RMS of those errors (≈ relative error of the loss), pooled over all
/// groups, and its median over groups. The alternatives: quadratic and cubic, fitted to the runs
/// within 1 %, 2 %, 3 % and 5 % of the best.
public struct SurrogateValidation: Sendable, Equatable, Codable {
    /// One alternative surrogate and its held-out error.
    public struct Alternative: Sendable, Equatable, Codable {
        /// 2 (quadratic) or 3 (cubic).
        public var degree: Int
        /// Its runs: within this relative excess over the best (at least 2 per coefficient).
        public var band: Double
        /// RMS of the held-out ln-loss errors over every left-out run of every group.
        public var heldOutError: Double
        /// The median over groups of each group's RMS held-out error.
        public var medianGroupError: Double
        /// How many runs were predicted.
        public var predictions: Int
        /// Whether this is the surrogate the locator uses.
        public var isDefault: Bool

        /// E.g. `cubic, runs within 2 %`.
        public var name: String {
            "\(degree == 3 ? "cubic" : "quadratic"), runs within \(String(format: "%g", band * 100)) %"
        }
    }

    /// The alternatives, in the order compared.
    public var alternatives: [Alternative]

    /// The bands compared.
    static let bands = [0.01, 0.02, 0.03, 0.05]

    /// Compares the alternatives on every group of `sweep`; `settings.band` with a cubic is the default.
    public init(sweep: Sweep, settings: OptimumSettings = .init()) {
        var alternatives: [Alternative] = []
        for degree in [2, 3] {
            for band in Set(Self.bands + [settings.band]).sorted() {
                var all: [Double] = []
                var perGroup: [Double] = []
                for group in sweep.groups {
                    let errors = Self.heldOutErrors(group, degree: degree, band: band, evaluationBand: settings.band)
                    guard !errors.isEmpty else { continue }
                    all += errors
                    perGroup.append(Self.rootMeanSquare(errors))
                }
                guard !all.isEmpty else { continue }
                alternatives.append(Alternative(degree: degree, band: band, heldOutError: Self.rootMeanSquare(all),
                                                medianGroupError: perGroup.sorted()[perGroup.count / 2], predictions: all.count,
                                                isDefault: degree == 3 && band == settings.band))
            }
        }
        self.alternatives = alternatives
    }

    /// The held-out errors of ln L at the runs the default cubic would use.
    static func heldOutErrors(_ group: SweepGroup, degree: Int, band: Double, evaluationBand: Double) -> [Double] {
        guard case .success(let evaluated) = OptimumLocator.surrogateRuns(group, degree: 3, band: evaluationBand),
              case .success(let used) = OptimumLocator.surrogateRuns(group, degree: degree, band: band) else { return [] }
        var errors: [Double] = []
        for left in evaluated {
            let training = used.filter { $0 != left }
            let x = training.map { log(group.runs[$0].learningRate) }
            let y = training.map { log(group.runs[$0].batchSizeTokens) }
            let z = training.map { log(group.runs[$0].loss) }
            guard let fit = try? BivariatePolynomial.fit(x: x, y: y, z: z, degree: degree) else { continue }
            let run = group.runs[left]
            errors.append(fit.value(x: log(run.learningRate), y: log(run.batchSizeTokens)) - log(run.loss))
        }
        return errors
    }

    static func rootMeanSquare(_ values: [Double]) -> Double {
        (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
    }
}
