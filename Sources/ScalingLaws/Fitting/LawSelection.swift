import NonlinearLeastSquares

/// Chooses the law that best predicts curves it was not fitted on, by leave-one-curve-out.
///
/// ```
/// score(law) = (1/n) Σ_i PredE(law fitted on every curve but i, curve i),   n ≥ 2 curves
/// ```
/// The candidate with the lowest score is chosen (the earlier in `candidates` on a tie,
/// the simpler). A fold whose fit fails, or whose left-out curve cannot be predicted at any point,
/// is recorded with the reason and leaves its candidate without a score. DESIGN §3; the candidates
/// are the annealing law (Tissue et al. 2024, `AnnealingFitter`) and the multi-power law (Luo et
/// al. 2025, `MultiPowerFitter`) with its drop amplitude B from the settled loss and fitted jointly:
/// the settled B predicts the shared LLM runs better, the joint B curves whose drops relax slowly
/// over the logged steps, and the held-out curves tell which applies.
public struct LawSelection: Sendable {
    /// A law, with the way it is fitted, that can be chosen.
    public enum Candidate: String, Sendable, Equatable, Codable, CaseIterable {
        case annealing
        /// The multi-power law, B from the settled loss (`MultiPowerFitOptions.DropAmplitude.settled`).
        case multiPower = "multi-power"
        /// The multi-power law, B fitted with the other parameters (`.joint`).
        case multiPowerJointAmplitude = "multi-power-joint"

        /// The kind of law the candidate fits.
        public var law: FittedLaw.Kind {
            self == .annealing ? .annealing : .multiPower
        }

        /// How a multi-power candidate estimates B; nil for the annealing law.
        public var amplitude: MultiPowerFitOptions.DropAmplitude? {
            switch self {
            case .annealing: return nil
            case .multiPower: return .settled
            case .multiPowerJointAmplitude: return .joint
            }
        }
    }

    /// One left-out curve.
    public struct Fold: Sendable, Equatable, Codable {
        /// The name of the curve left out of the fit and predicted.
        public var leftOut: String
        /// Its PredE (mean |L̂ − L|/L over its points), nil when the fold failed.
        public var predE: Double?
        /// Why the fold failed.
        public var failure: String?
    }

    /// One law's folds and their mean.
    public struct Score: Sendable, Equatable, Codable {
        public var law: Candidate
        public var folds: [Fold]
        /// The mean PredE over folds, nil when some fold failed.
        public var meanPredE: Double?
    }

    /// The comparison, for printing and for FIT.json.
    public struct Outcome: Sendable, Equatable, Codable {
        public var chosen: Candidate
        /// One entry per candidate, in the order of `LawSelection.candidates`.
        public var scores: [Score]
    }

    public var annealingOptions: AnnealingFitOptions
    /// Options of both multi-power candidates; each sets its own `amplitude`.
    public var multiPowerOptions: MultiPowerFitOptions
    /// The candidates scored, in order of preference on a tie.
    public var candidates: [Candidate]

    public init(annealing: AnnealingFitOptions = .init(), multiPower: MultiPowerFitOptions = .init(),
                candidates: [Candidate] = Candidate.allCases) {
        annealingOptions = annealing
        multiPowerOptions = multiPower
        self.candidates = candidates
    }

    /// Scores every candidate on `curves` by leave-one-curve-out and picks the lower mean PredE.
    /// - Throws: `FitError.invalidArgument` with fewer than two curves, or when no law could be
    ///   scored on every fold.
    public func select(_ curves: [TrainingCurve]) throws(FitError) -> Outcome {
        guard curves.count >= 2 else {
            throw .invalidArgument("choosing a law by leave-one-curve-out needs at least two curves, got \(curves.count); choose the law yourself")
        }
        guard !candidates.isEmpty else { throw .invalidArgument("no candidate law to choose from") }
        let scores = candidates.map { law in
            let folds = curves.indices.map { i in fold(law, training: curves.indices.filter { $0 != i }.map { curves[$0] }, leftOut: curves[i]) }
            let predEs = folds.compactMap(\.predE)
            return Score(law: law, folds: folds, meanPredE: predEs.count == folds.count ? predEs.reduce(0, +) / Double(predEs.count) : nil)
        }
        guard let best = scores.filter({ $0.meanPredE != nil }).min(by: { $0.meanPredE! < $1.meanPredE! }) else {
            let reasons = scores.flatMap { score in
                score.folds.compactMap { fold in fold.failure.map { "\(score.law.rawValue) without \(fold.leftOut): \($0)" } }
            }
            throw .invalidArgument("no law could be fitted with each curve left out in turn: \(reasons.joined(separator: "; "))")
        }
        return Outcome(chosen: best.law, scores: scores)
    }

    private func fold(_ law: Candidate, training: [TrainingCurve], leftOut: TrainingCurve) -> Fold {
        let fitted: FittedLaw
        do throws(FitError) {
            if let amplitude = law.amplitude {
                var options = multiPowerOptions
                options.amplitude = amplitude
                fitted = try MultiPowerFitter(options: options).fit(training).law
            } else {
                fitted = try AnnealingFitter(options: annealingOptions).fit(training).law
            }
        } catch {
            return Fold(leftOut: leftOut.name, predE: nil, failure: error.description)
        }
        guard let evaluation = CurveEvaluation(law: fitted.lossLaw, curve: leftOut) else {
            return Fold(leftOut: leftOut.name, predE: nil, failure: "no point of the left-out curve could be predicted")
        }
        return Fold(leftOut: leftOut.name, predE: evaluation.metrics.predE, failure: nil)
    }
}
