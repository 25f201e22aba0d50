import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit loss-curve laws jointly to one or more logged loss curves: by default a committee of four fits whose median predicts.",
        discussion: """
            The committee (default): the annealing law with λ fitted and with λ = 0.999, and the multi-power law with the
            drop amplitude B from the settled loss and fitted jointly; at each step it predicts the median of the four, with a
            95 % band of parameter noise, the members' spread and the law's calibrated error. --law, --lambda or --amplitude
            fit one law alone.
            annealing:   L(s) = L0 + A·S1(s)^(−α) − C·S2(s)  (Tissue et al. 2024, arXiv 2408.11029)
                         S1 is the area under the LR curve, S2 the annealing area with momentum λ.
            multi-power: L(t) = L0 + A·(S1 + S_W)^(−α) − LD(t)  (Luo et al. 2025, arXiv 2503.12811)
            --law exponential fits the AutoLRS forecast L(s) = a·e^(b·s/s_max) + c (Jin et al. 2021) to the
            last --recent fraction of each curve's points: a schedule-blind baseline.
            """)

    @OptionGroup var logs: LogOptions

    @Option(help: "The law to fit: committee (the default, unless --lambda or --amplitude/--hold ask for one law), annealing, multi-power, exponential (the AutoLRS forecast, schedule-blind: a baseline), or auto (annealing or multi-power, the lower leave-one-curve-out error; needs two or more logs).")
    var law: LawName?

    @Option(help: ArgumentHelp("The annealing momentum λ: a value in (0, 1), or `fit` (the default). Given alone, fits the annealing law alone.", valueName: "VALUE|fit"))
    var lambda: LambdaArgument?

    @Option(name: .customLong("lambda-prior"), help: ArgumentHelp(
        "A weak prior on a fitted λ: CENTER:DECADES (log-normal on 1 − λ), or none.", valueName: "CENTER:DECADES|none"))
    var lambdaPrior: String?

    @Option(help: "How warmup enters the areas: literal (the LR as applied) or peak (the paper's convention: warmup counted at the peak LR).")
    var warmup: WarmupConvention = .literal

    @Option(help: "Objective on log loss: huber (δ = 1e-3, the paper's) or least-squares.")
    var objective: ObjectiveName = .huber

    @Option(name: .customLong("huber-delta"), help: "δ of the Huber objective, on the log-loss residual.")
    var huberDelta: Double = 1e-3

    @Option(help: ArgumentHelp("Multi-power law: estimate the loss-drop amplitude B from the settled loss (default) or jointly with every other parameter (the paper's fit).", valueName: "settled|joint"))
    var amplitude: MultiPowerFitOptions.DropAmplitude?

    @Option(help: ArgumentHelp("Multi-power law: hold a shape parameter (alpha, C, beta, gamma) at a value instead of fitting it (repeatable), e.g. --hold gamma=0.6.", valueName: "NAME=VALUE"))
    var hold: [String] = []

    @Option(help: ArgumentHelp("Exponential law: fit the last FRACTION of each curve's logged points, in (0, 1] (also the window of the exponential baseline).", valueName: "FRACTION"))
    var recent: Double = ExponentialFitOptions.defaultRecentFraction

    @Option(help: ArgumentHelp("Also fit N bootstrap replicates (curves resampled, residuals in contiguous blocks) for prediction bands in predict and compare; 200 is a good choice. Default: 0, bands by the delta method.", valueName: "N"))
    var bootstrap: Int = 0

    @Option(name: .customLong("block-length"), help: ArgumentHelp("Residuals per bootstrap block (default: from the residuals' autocorrelation).", valueName: "POINTS"))
    var blockLength: Int?

    @Option(name: .customLong("seed"), help: "Seed of the bootstrap draws.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("no-baselines"), help: "Skip fitting the baselines (each curve alone; a power law in steps; the exponential forecast) that evaluate compares against.")
    var noBaselines = false

    @Flag(name: .customLong("no-ranking-check"), help: "One law only: skip the second fit (the annealing law at λ = 0.999, or with λ fitted when the main fit used 0.999) against which compare and plan check each ranking. A committee checks orders by its members.")
    var noRankingCheck = false

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the full result here (- for standard output; the summary then goes to standard error).", valueName: "FIT.json"))
    var output: String?

    @Flag(help: "Also draw the logged loss and the fitted law in the terminal.")
    var plot = false

    @Argument(help: ArgumentHelp("Logs to fit jointly (CSV, JSONL, W&B, Hugging Face trainer_state.json or TensorBoard; see the README).", valueName: "LOG"))
    var paths: [String]

    func validate() throws {
        if !(huberDelta > 0 && huberDelta.isFinite) {
            throw ValidationError("--huber-delta \(huberDelta): give a finite δ > 0 on the log-loss residual (the default 1e-3 is the paper's), or --objective least-squares")
        }
        if bootstrap < 0 { throw ValidationError("--bootstrap \(bootstrap): give a number of replicates ≥ 0 (200 is a good choice)") }
        if let blockLength, blockLength < 1 { throw ValidationError("--block-length \(blockLength): a block holds at least 1 residual") }
        if (amplitude != nil || !hold.isEmpty) && (chosenLaw == .annealing || chosenLaw == .exponential || chosenLaw == .committee) {
            throw ValidationError("--amplitude and --hold set up the multi-power law; add --law multi-power (or auto)")
        }
        if lambda != nil && chosenLaw != .annealing && chosenLaw != .auto {
            throw ValidationError("--lambda sets up the annealing law; add --law annealing (or auto)")
        }
        if !(recent > 0 && recent <= 1) {
            throw ValidationError("--recent \(recent): give the fraction of each curve's points to fit, in (0, 1], e.g. 0.5 for the last half")
        }
    }

    func run() throws {
        let loaded = try logs.loadCurves(paths)
        let curves = loaded.map(\.curve)
        let say = ResultPrinter(outputs: output)
        let bar = ProgressBar(label: "bootstrap")
        let outcome = try FullFit.run(curves, options: try fitOptions(), progress: { bar.update(done: $0, total: $1) })
        let result = outcome.result.recordingSources(of: loaded)
        if let sample = result.bootstrap {
            bar.finish()
            printNote("bootstrap: \(sample.replicates.count) of \(sample.requested) replicate fits (blocks of \(sample.blockLength) residuals\(sample.resampledCurves ? ", curves resampled" : ""); \(sample.redraws) draws redrawn because they could not determine the law)")
        }
        say(Tables.fitSummary(result, seconds: outcome.fitSeconds))
        if let identification = result.identification, !identification.identified {
            say("")
            say("NOT IDENTIFIED: \(identification.commandLineSummary).")
            say("predict and compare refuse this fit unless given --allow-unidentified.")
        }
        if plot {
            say()
            say(TerminalCharts.fit(Evaluation.scores(result, on: curves)))
        }
        if let output {
            try FitFile.write(result, to: output)
            say("wrote \(OutputFile.displayName(output))")
        }
    }

    /// The full fit's options these flags stand for.
    func fitOptions() throws -> FullFitOptions {
        var options = FullFitOptions()
        options.law = chosenLaw.choice
        options.annealing.lambda = lambda?.choice ?? AnnealingFitOptions.defaultLambda
        options.annealing.warmup = warmup
        if let lambdaPrior {
            if lambdaPrior == "none" {
                options.annealing.lambdaPrior = nil
            } else {
                let parts = lambdaPrior.split(separator: ":").compactMap { Double($0) }
                guard parts.count == 2, parts[0] > 0, parts[0] < 1, parts[1] > 0 else {
                    throw CommandError("--lambda-prior \(InputExcerpt.quoted(lambdaPrior)): give CENTER:DECADES with CENTER in (0, 1) and DECADES > 0, or none")
                }
                options.annealing.lambdaPrior = LambdaPrior(center: parts[0], decades: parts[1])
            }
        }
        options.annealing.objective = objective == .huber ? .huber(delta: huberDelta) : .leastSquares
        options.multiPower.warmup = warmup
        options.multiPower.objective = options.annealing.objective
        options.multiPower.fixed = try heldParameters()
        options.multiPowerAmplitude = amplitude
        options.exponential = ExponentialFitOptions(recentFraction: recent)
        if bootstrap > 0 { options.bootstrap = BlockBootstrap(resamples: bootstrap, blockLength: blockLength, seed: seed) }
        options.fitsRankingCheck = !noRankingCheck
        options.fitsBaselines = !noBaselines
        return options
    }
}

extension Fit {
    /// The law asked for: `--law`, else the one law `--lambda` or `--amplitude`/`--hold` set up, else the committee.
    var chosenLaw: LawName {
        if let law { return law }
        if lambda != nil { return .annealing }
        if amplitude != nil || !hold.isEmpty { return .multiPower }
        return .committee
    }

    /// `--hold NAME=VALUE` as the multi-power fitter's fixed parameters.
    func heldParameters() throws -> [MultiPowerLaw.Parameter: Double] {
        var held: [MultiPowerLaw.Parameter: Double] = [:]
        let shape = [MultiPowerLaw.Parameter.alpha, .c, .beta, .gamma]
        for item in hold {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let parameter = shape.first(where: { $0.rawValue.lowercased() == parts[0].lowercased() }),
                  let value = Double(parts[1]), value.isFinite else {
                throw CommandError("--hold \(InputExcerpt.quoted(item)): give NAME=VALUE with NAME one of \(shape.map(\.rawValue).joined(separator: ", ")) (L0, A and B are always fitted)")
            }
            held[parameter] = value
        }
        return held
    }
}
