import Foundation
import ScalingLaws

/// Which law a full fit fits.
public enum LawChoice: String, Sendable, Equatable, CaseIterable {
    /// The median of the annealing law (λ fitted and λ = 0.999) and the multi-power law (B settled
    /// and joint): `CommitteeFitter.standard`.
    case committee
    case annealing
    case multiPower = "multi-power"
    /// The AutoLRS forecast: schedule-blind, a baseline.
    case exponential
    /// The annealing or the multi-power law, whichever predicts left-out curves better (two or
    /// more curves).
    case auto
}

/// Everything a full fit does, with the settings of each part.
public struct FullFitOptions: Sendable {
    public var law: LawChoice = .committee
    public var annealing = AnnealingFitOptions()
    /// Settings of the multi-power law; with `law == .auto`, the chosen candidate sets the drop
    /// amplitude unless `multiPowerAmplitude` does.
    public var multiPower = MultiPowerFitOptions()
    /// The drop amplitude asked for, overriding the one chosen with `law == .auto`.
    public var multiPowerAmplitude: MultiPowerFitOptions.DropAmplitude?
    /// Settings of the exponential forecast, also of the exponential baseline.
    public var exponential = ExponentialFitOptions()
    /// Replicate fits for prediction bands (nil: none; bands by the delta method).
    public var bootstrap: BlockBootstrap?
    /// Whether to fit the ranking check (fits of one law; a committee's members check its orders).
    public var fitsRankingCheck = true
    /// Whether to fit the baselines that evaluation compares against.
    public var fitsBaselines = true

    public init() {}
}

/// A full fit and what it took.
public struct FullFitOutcome: Sendable {
    /// The fit with its law selection, bootstrap, ranking check and baselines.
    public var result: FitResult
    /// Seconds the main fit took (law selection included, and a committee's baselines, which are
    /// fitted alongside its members; bootstrap and check not).
    public var fitSeconds: Double
}

/// The fit a user gets from `fit`, `report` and `demo`: the law (chosen by leave-one-curve-out with
/// `.auto`), its bootstrap replicates, the ranking check and the baselines, on the same curves.
public enum FullFit {
    /// Fits `curves` as `options` ask.
    /// - Parameter progress: Told the bootstrap replicates done and requested, from any thread.
    /// - Throws: `WorkflowError.tooFewCurvesToChoose` for `.auto` with one curve; the fitters'
    ///   `FitError`.
    public static func run(_ curves: [TrainingCurve], options: FullFitOptions,
                           progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> FullFitOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        var selection: LawSelection.Outcome?
        var multiPower = options.multiPower
        if options.law == .auto {
            guard curves.count >= 2 else { throw WorkflowError.tooFewCurvesToChoose(count: curves.count) }
            let outcome = try LawSelection(annealing: options.annealing, multiPower: options.multiPower).select(curves)
            selection = outcome
            if let amplitude = options.multiPowerAmplitude ?? outcome.chosen.amplitude { multiPower.amplitude = amplitude }
        } else if let amplitude = options.multiPowerAmplitude {
            multiPower.amplitude = amplitude
        }
        let fitter = fitter(for: options.law, chosen: selection?.chosen, options: options, multiPower: multiPower)
        // The baselines share the committee's threads: fitted after it, they would leave a core idle
        // while its slowest member finishes. With one curve, the baseline fit of the annealing law
        // to that curve alone is the committee's member of the same options: taken from it, not
        // fitted twice.
        let committee = fitter as? CommitteeFitter
        let aloneMember = curves.count == 1
            ? committee?.candidates.first { ($0.fitter as? AnnealingFitter)?.options == options.annealing }?.key
            : nil
        let baselines = options.fitsBaselines
            ? FitBaselines.Jobs(curves, options: options.annealing, exponential: options.exponential, fitsEachCurve: aloneMember == nil)
            : nil
        var result: FitResult
        if let committee, let baselines {
            result = try committee.fit(curves, alongside: (0..<baselines.count).map { job in { baselines.run(job) } })
        } else {
            result = try fitter.fit(curves)
        }
        result.lawSelection = selection
        let elapsed = clock.now - start
        if let bootstrap = options.bootstrap, bootstrap.resamples > 0 {
            let total = bootstrap.resamples
            var replicatesDone: (@Sendable (Int) -> Void)?
            if let progress { replicatesDone = { progress($0, total) } }
            // A committee's bands come from its first member's replicates, moved to the committee's prediction.
            let refitter = (fitter as? CommitteeFitter)?.candidates.first?.fitter ?? fitter
            result.bootstrap = bootstrap.run(fit: result, curves: curves, refit: { try refitter.fit($0) }, progress: replicatesDone)
        }
        if options.fitsRankingCheck && result.committee == nil {
            result.rankingCheck = try RankingCheck.fit(curves, main: result, options: options.annealing)
        }
        if let baselines {
            if committee == nil { DispatchQueue.concurrentPerform(iterations: baselines.count) { baselines.run($0) } }
            let fittedAlone = aloneMember.flatMap { key in result.committee?.members.first { $0.key == key }?.fit.annealing }
            result.baselines = baselines.result(fittedAlone: fittedAlone)
        }
        let parts = elapsed.components
        return FullFitOutcome(result: result, fitSeconds: Double(parts.seconds) + Double(parts.attoseconds) * 1e-18)
    }

    /// The fitter of the law asked for, or of the candidate chosen by leave-one-curve-out.
    static func fitter(for law: LawChoice, chosen: LawSelection.Candidate?, options: FullFitOptions,
                       multiPower: MultiPowerFitOptions) -> any LossLawFitter {
        switch law {
        case .committee: return CommitteeFitter.standard(annealing: options.annealing, multiPower: multiPower)
        case .annealing: return AnnealingFitter(options: options.annealing)
        case .multiPower: return MultiPowerFitter(options: multiPower)
        case .exponential: return ExponentialFitter(options: options.exponential)
        case .auto:
            return chosen?.law == .multiPower ? MultiPowerFitter(options: multiPower) : AnnealingFitter(options: options.annealing)
        }
    }
}
