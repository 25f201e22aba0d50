import Foundation
import NonlinearLeastSquares
import Synchronization

/// Fits every member of a committee to the same curves, in parallel, and combines them.
///
/// The result is the first member's fit (its law, parameters and covariance describe the fit in
/// tables) with the committee attached: predictions, goodness of fit and orders of schedules come
/// from the committee. A member whose fit fails is left out with a note; the committee is then the
/// median of the others.
public struct CommitteeFitter: LossLawFitter {
    /// A member to fit: its key, its label and the fitter that makes it.
    public struct Candidate: Sendable {
        public var key: String
        public var label: String
        public var fitter: any LossLawFitter

        public init(key: String, label: String, fitter: any LossLawFitter) {
            self.key = key
            self.label = label
            self.fitter = fitter
        }
    }

    public var candidates: [Candidate]

    public init(candidates: [Candidate]) {
        self.candidates = candidates
    }

    /// lossfit's default committee: the annealing law with λ fitted (under `annealing`'s prior) and
    /// with the paper's λ = 0.999, and the multi-power law with the drop amplitude from the settled
    /// loss and fitted jointly. Everything else (warmup convention, objective, held parameters)
    /// comes from `annealing` and `multiPower`.
    ///
    /// Chosen on the four real families (MPL 25M and 100M, the 124M runs at peaks 2e-3 and 1e-4):
    /// the median of these four has the lowest mean held-out error and no family worse than 1.5×
    /// its best member (README, "Evidence behind the defaults").
    public static func standard(annealing: AnnealingFitOptions, multiPower: MultiPowerFitOptions) -> CommitteeFitter {
        var fitted = annealing
        fitted.lambda = .fit
        var paper = annealing
        paper.lambda = .fixed(AnnealingFitOptions.paperLambda)
        var settled = multiPower
        settled.amplitude = .settled
        var joint = multiPower
        joint.amplitude = .joint
        return CommitteeFitter(candidates: [
            Candidate(key: "annealing", label: "annealing law, λ fitted", fitter: AnnealingFitter(options: fitted)),
            Candidate(key: "annealing-lambda-0.999", label: "annealing law, λ = \(AnnealingFitOptions.paperLambda)", fitter: AnnealingFitter(options: paper)),
            Candidate(key: "multi-power", label: "multi-power law, B from the settled loss", fitter: MultiPowerFitter(options: settled)),
            Candidate(key: "multi-power-joint", label: "multi-power law, B fitted jointly", fitter: MultiPowerFitter(options: joint)),
        ])
    }

    /// Fits every candidate to `curves` and combines them.
    /// - Throws: the first candidate's `FitError` when every candidate fails.
    public func fit(_ curves: [TrainingCurve]) throws(FitError) -> FitResult {
        try fit(curves, alongside: [])
    }

    /// Fits every candidate to `curves` and combines them, running `work` on the same threads
    /// once every member has started (a `concurrentPerform` nested in another runs on one thread,
    /// so independent fits share this pool instead of waiting for it).
    /// - Throws: the first candidate's `FitError` when every candidate fails.
    public func fit(_ curves: [TrainingCurve], alongside work: [@Sendable () -> Void]) throws(FitError) -> FitResult {
        let outcomes = Mutex([Result<FitResult, FitError>?](repeating: nil, count: candidates.count))
        let candidates = self.candidates
        // Started last first: the standard committee lists its slowest fits (multi-power) last, and
        // starting them first keeps every core busy until the end.
        DispatchQueue.concurrentPerform(iterations: candidates.count + work.count) { started in
            guard started < candidates.count else { return work[started - candidates.count]() }
            let index = candidates.count - 1 - started
            let outcome: Result<FitResult, FitError>
            do throws(FitError) {
                outcome = .success(try candidates[index].fitter.fit(curves))
            } catch {
                outcome = .failure(error)
            }
            outcomes.withLock { $0[index] = outcome }
        }
        var members: [CommitteeMember] = []
        var failures: [String] = []
        var firstError: FitError?
        for (candidate, outcome) in zip(candidates, outcomes.withLock { $0 }) {
            switch outcome {
            case .success(let fit):
                members.append(CommitteeMember(key: candidate.key, label: candidate.label, fit: fit))
            case .failure(let error):
                failures.append("\(candidate.label): \(error)")
                firstError = firstError ?? error
            case nil:
                break
            }
        }
        guard var result = members.first?.fit else {
            throw firstError ?? .invalidArgument("a committee needs at least one candidate")
        }
        let committee = Committee(members: members)
        result.committee = committee
        result.curves = result.curves.map { fitted in
            guard let curve = curves.first(where: { $0.name == fitted.name }) else { return fitted }
            var scored = fitted
            let logged = curve.restricted(to: fitted.firstStep...fitted.lastStep).scoringSample()
            scored.metrics = PredictionMetrics(observed: logged.losses,
                                               predicted: committee.law.predictLoss(learningRates: logged.learningRates, at: logged.steps))
            return scored
        }
        if !result.curves.isEmpty { result.statistics.metrics = PredictionMetrics.mean(of: result.curves.map(\.metrics)) }
        result.notes = result.notes.map { "\(members[0].label): \($0)" }
        let identification = FitIdentification.committee(members)
        result.identification = identification
        if identification.identified, let affected = identification.members {
            result.notes.append("not identified, outvoted by the other members: \(affected.joined(separator: "; ")) (\(identification.problems.joined(separator: "; ")))")
        }
        for failure in failures {
            result.notes.append("left out of the committee: \(failure)")
        }
        return result
    }
}
