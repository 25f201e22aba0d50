import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitWorkflows
import ScalingLaws
import TrainingSimulation

extension Optimizer: ExpressibleByArgument {}
extension MinibatchSampling: ExpressibleByArgument {}
extension SolvableModel.Target: ExpressibleByArgument {}

/// `lossfit simulate`: a real stochastic training run of the solvable linear-regression model,
/// written as a training log (CSV `step,lr,loss,train_loss,grad_norm`).
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a training run of the solvable scaling-law model and write its log.",
        discussion: """
            Trains linear regression on Gaussian features with spectrum λ_i = i^(−capacity) and \
            target λ_i·w*_i² = i^(−source) by SGD or Adam on sampled minibatches, from a seed \
            (bit-identical on every machine). Give the learning rate of every step by exactly one of \
            --schedule, --lr-table or --constant with --steps. Update s = 1…T uses the LR of step s.
            Defaults give LLM-like curves with SGD, batch 16, peak LR ≈ 0.6 over ~20k steps; \
            Adam works at peak ≈ 0.003–0.01.
            Output columns: loss = exact population loss after the step's update (or its mean since \
            the previous log with --loss interval-mean); train_loss = the loss of that step's minibatch; grad_norm = that minibatch gradient's norm (ℓ2 for SGD, \
            ℓ1 for Adam unless --grad-norm says otherwise).
            With --sweep, runs a hyperparameter sweep instead: every model size (features M) × token budget \
            (a token is one example; steps = tokens / batch) × batch size, each at a ladder of peak LRs \
            (ratio^k, from --lr-low to --lr-high × SGD's stability limit, so the largest diverge), with warmup \
            over 2 % of the steps and a cosine to 10 % of the peak; written as a sweep (N,D,lr,bs,steps,loss,smooth_loss) \
            for lossfit sweep fit. All runs share --seed and use projected sampling unless --sampling says otherwise.
            Examples:
              lossfit simulate --schedule cosine:peak=0.6,end=0.06,warmup=200,total=20000 -o sim_cosine.csv
              lossfit simulate --sweep --dimensions 250,1000 --tokens 32768,131072 --batch-sizes 4,16,64 --seed 1 -o sweep.csv
              lossfit simulate --constant 0.6 --steps 20000 --seed 1 -o sim_constant.csv
              lossfit simulate --lr-table rates.csv --optimizer adam -o sim_adam.csv
            """)

    enum NormKind: String, ExpressibleByArgument, CaseIterable { case l2, l1 }
    enum LossKind: String, ExpressibleByArgument, CaseIterable {
        case population
        case intervalMean = "interval-mean"
    }

    @Option(help: ArgumentHelp("Learning-rate schedule, e.g. wsd:peak=0.6,warmup=200,total=20000,decay=0.2,shape=linear.", valueName: "SPEC"))
    var schedule: String?

    @Option(name: .customLong("lr-table"), help: ArgumentHelp("CSV of step,lr rows (a header row is optional), linear between the listed steps; the run ends at the last listed step (the same table as --schedule table:FILE).", valueName: "FILE"))
    var lrTable: String?

    @Option(help: ArgumentHelp("A constant learning rate (needs --steps).", valueName: "LR"))
    var constant: Double?

    @Option(help: ArgumentHelp("Number of steps T with --constant.", valueName: "T"))
    var steps: Int?

    @Option(help: "Number of features M (model size).")
    var dimension: Int = 2000

    @Option(help: "Capacity a: λ_i = i^(−a).")
    var capacity: Double = 1.5

    @Option(help: "Source b: λ_i·w*_i² = i^(−b).")
    var source: Double = 1.6

    @Option(help: "Label noise σ.")
    var noise: Double = 0.5

    @Option(help: "Target beyond the model's features: infinite (approximation error ∝ M^(1−b)) or truncated.")
    var target: SolvableModel.Target = .infinite

    @Option(help: "Optimizer: sgd or adam (β1 0.9, β2 0.95, ε 1e-8).")
    var optimizer: Optimizer = .sgd

    @Option(name: .customLong("batch-size"), help: "Examples per minibatch.")
    var batchSize: Int = TrainingSimulator.defaultBatchSize

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Minibatch sampling: per-example (draws every example, O(B·M) per step) or projected (same distribution, O(M + B)); default per-example, projected with --sweep.")
    var sampling: MinibatchSampling?

    @OptionGroup(title: "Sweep") var sweepOptions: SimulatedSweepOptions

    @Option(name: .customLong("log-every"), help: "Log every N-th step (and the last).")
    var logEvery: Int = 100

    @Option(name: .customLong("grad-norm"), help: "Gradient norm to log: l2 or l1 (default: l2 for sgd, l1 for adam).")
    var gradNorm: NormKind?

    @Option(help: "The loss column: population (exact population loss at the logged step) or interval-mean (its mean over the steps since the previous log, which removes SGD's step-to-step jitter).")
    var loss: LossKind = .population

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the CSV here instead of standard output (- is standard output).", valueName: "OUT.csv"))
    var output: String?

    func validate() throws {
        if sweepOptions.sweep {
            guard schedule == nil && lrTable == nil && constant == nil && steps == nil else {
                throw ValidationError("--sweep sets every run's schedule itself; leave out --schedule, --lr-table, --constant and --steps")
            }
            guard optimizer == .sgd else { throw ValidationError("--sweep places its learning rates around SGD's stability limit; use --optimizer sgd") }
            return
        }
        let sources = [schedule != nil, lrTable != nil, constant != nil].filter { $0 }.count
        guard sources == 1 else {
            throw ValidationError("give the learning rates by exactly one of --schedule SPEC, --lr-table FILE or --constant LR --steps T")
        }
        if constant != nil && steps == nil { throw ValidationError("--constant needs --steps T") }
        if constant == nil && steps != nil { throw ValidationError("--steps goes with --constant; a schedule or table sets its own length") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
    }

    func run() throws {
        if sweepOptions.sweep {
            let model = SolvableModel(dimension: dimension, capacity: capacity, source: source, noise: noise, target: target)
            return try sweepOptions.run(model: model, seed: seed, sampling: sampling ?? .projected, output: output)
        }
        let rates = try learningRates()
        let model = SolvableModel(dimension: dimension, capacity: capacity, source: source, noise: noise, target: target)
        let simulator = TrainingSimulator(model: model, optimizer: optimizer, batchSize: batchSize, seed: seed, sampling: sampling ?? .perExample)
        let started = Date()
        let run = try simulator.run(learningRates: rates, logEvery: logEvery)
        let elapsed = Date().timeIntervalSince(started)
        let norms = (gradNorm ?? (optimizer == .sgd ? .l2 : .l1)) == .l2 ? run.gradientNorm : run.gradientNormL1
        let losses = loss == .population ? run.loss : run.meanLoss
        var csv = "step,lr,loss,train_loss,grad_norm\n"
        for k in run.steps.indices {
            csv += "\(run.steps[k]),\(run.learningRates[k]),\(losses[k]),\(run.trainLoss[k]),\(norms[k])\n"
        }
        // `-o -` is standard output, where the CSV goes without -o.
        guard let output, output != OutputFile.standardOutput else {
            print(csv, terminator: "")
            return
        }
        try OutputFile.write(csv, to: output)
        let final = losses.last ?? .nan
        print("wrote \(output): \(run.steps.count) rows, \(rates.count - 1) steps in \(String(format: "%.2f", elapsed)) s")
        print("final loss \(final)  (irreducible \(run.irreducibleLoss), initial \(model.initialLoss))")
    }

    /// The LR of every step 0…T.
    private func learningRates() throws -> [Double] {
        if let schedule {
            return try Schedule(spec: schedule).learningRates()
        }
        if let constant, let steps {
            guard constant.isFinite && constant >= 0 else { throw ValidationError("--constant \(constant) must be a finite learning rate ≥ 0") }
            try Schedule.checkStepCount(steps, key: "steps")
            return try Schedule(peak: constant, totalSteps: steps, body: .constant).learningRates()
        }
        return try Schedule(tableFile: lrTable ?? "").learningRates()
    }
}
