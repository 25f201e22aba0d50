import ArgumentParser
import Foundation
import HyperparameterLaws
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import TrainingLogs

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the main operations over repeated runs (build with -c release).")

    @Flag(help: "Print a JSON list of {name, medianSeconds, minSeconds, maxSeconds, runs}.")
    var json = false

    @Option(help: ArgumentHelp("Repetitions per operation.", valueName: "N"))
    var runs: Int = 15

    @Option(help: ArgumentHelp("Run only the operations whose name contains this text.", valueName: "TEXT"))
    var filter: String?

    @Option(name: .customLong("mpl-dir"), help: ArgumentHelp(
        "Directory of the shared multi-power-law 100M curves (default: ../shared/data/mpl/100 if present, else the bundled data/).",
        valueName: "DIR"))
    var mplDirectory: String?

    func run() throws {
        #if DEBUG
        printNote("this is a debug build: timings are not representative; use swift run -c release lossfit bench")
        #endif
        guard runs >= 1 else { throw CommandError("--runs must be at least 1") }
        var results: [BenchResult] = []

        let million = try ScalingLaws.Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=10000,total=1000000").learningRates()
        results.appendIfPresent(measure("areas S1+S2 at every step, 1,000,000-step cosine schedule") {
            LearningRateAreas.everyStep(rates: million, lambda: 0.999).annealingArea.last ?? 0
        })
        let everyHundredth = Array(stride(from: 0, through: million.count - 1, by: 100))
        results.appendIfPresent(measure("areas S1+S2 at every 100th step, 1,000,000-step cosine schedule") {
            LearningRateAreas(rates: million, at: everyHundredth).annealingArea(lambda: 0.999).last ?? 0
        })

        let (label, curves) = try benchmarkCurves()
        var fitOptions = AnnealingFitOptions()
        fitOptions.lambda = .fit
        let fitted = try AnnealingFitter(options: fitOptions).fit(curves)
        let law = try fitted.annealing.orThrow("the benchmark fit holds no annealing law")
        results.appendIfPresent(try measure("predict every 100th step of a 100,000-step WSD schedule (with 95 % bands)", setup: {
            try ScalingLaws.Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=2000,total=100000,decay=0.2,shape=1-sqrt")
        }) { schedule in
            fitted.predict(learningRates: schedule.learningRates(), at: Array(stride(from: 100, through: 100_000, by: 100))).last?.loss ?? .nan
        })
        let search = ScheduleSearch(law: law, totalSteps: 24000, peak: 3e-4, warmupSteps: 2160)
        results.appendIfPresent(measure("schedule search, cosine family (end LR), 24,000 steps") {
            (try? search.searchFamily(.cosine))?.best.finalLoss ?? .nan
        })
        results.appendIfPresent(measure("schedule search, WSD family (decay fraction × shape × end LR), 24,000 steps") {
            (try? search.searchFamily(.wsd))?.best.finalLoss ?? .nan
        })
        results.appendIfPresent(try measure("annealing fit, lambda fitted, 3 per-step curves of 100,000 points (binned)", setup: {
            try Self.perStepCurves(steps: 100_000)
        }) { dense in
            (try? AnnealingFitter(options: fitOptions).fit(dense))?.statistics.objective ?? .nan
        })
        results.appendIfPresent(try measure("fit 1M-point log, everything on (read, committee, baselines, FIT.json)", setup: {
            try BenchmarkData.denseLog(steps: 1_000_000)
        }) { log in
            Self.fitEverythingOn(log.path)
        })
        results.appendIfPresent(try measure("fit 1M-point log, learning rates logged to 6 digits (a staircase), everything on", setup: {
            try BenchmarkData.denseLog(steps: 1_000_000, rateDigits: 6)
        }) { log in
            Self.fitEverythingOn(log.path)
        })
        results.appendIfPresent(measure("predict a 1e9-step schedule (cosine, total=1e9): refused, naming the \(ScalingLaws.Schedule.maximumStepsText)-step limit") {
            do {
                _ = try ScalingLaws.Schedule(spec: "cosine:peak=6e-4,total=1e9")
                return .nan
            } catch {
                return "\(error)".contains(ScalingLaws.Schedule.maximumStepsText) ? 0 : .nan
            }
        })
        let runInProgress = try ScalingLaws.Schedule(spec: "constant:peak=3e-4,warmup=2000,total=100000").learningRates()
        let planner = CooldownPlanner(law: law, runRates: runInProgress)
        results.appendIfPresent(measure("cooldown plan, 10 checkpoints × 10 lengths × 4 shapes, 100,000-step budget") {
            let options = try? planner.options(
                checkpoints: Array(stride(from: 50000, through: 95000, by: 5000)), lengths: Array(stride(from: 2000, through: 20000, by: 2000)),
                shapes: [.linear, .oneMinusSqrt, .cosine, .geometric], endLearningRate: 3e-5, budget: 100_000)
            return options?.first?.finalLoss ?? .nan
        })
        results.appendIfPresent(measure("free-form schedule optimisation, 24,000 steps") {
            (try? search.searchFree())?.best.finalLoss ?? .nan
        })
        results.appendIfPresent(measure("multi-power fit, \(label)") {
            (try? MultiPowerFitter().fit(curves))?.statistics.objective ?? .nan
        })
        results.appendIfPresent(measure("annealing fit, lambda fitted, \(label)") {
            (try? AnnealingFitter(options: fitOptions).fit(curves))?.statistics.objective ?? .nan
        })
        let committeeFitter = CommitteeFitter.standard(annealing: fitOptions, multiPower: MultiPowerFitOptions())
        results.appendIfPresent(measure("committee fit (the default: 4 laws fitted in parallel), \(label)") {
            (try? committeeFitter.fit(curves))?.statistics.metrics.predE ?? .nan
        })
        if let committee = try? committeeFitter.fit(curves) {
            let wsd = try ScalingLaws.Schedule(spec: "wsd:peak=3e-4,end=3e-5,warmup=2000,total=100000,decay=0.2,shape=1-sqrt").learningRates()
            results.appendIfPresent(measure("predict every 100th step of a 100,000-step WSD schedule under the committee (bands, spread)") {
                committee.predict(learningRates: wsd, at: Array(stride(from: 100, through: 100_000, by: 100))).last?.loss ?? .nan
            })
            results.appendIfPresent(measure("predict every step of a 100,000-step WSD schedule under the committee (bands, spread)") {
                committee.predict(learningRates: wsd, at: Array(1...100_000)).last?.loss ?? .nan
            })
        }

        if let sweepPath = ["../shared/data/steplaw/dense_sweep.csv", "shared/data/steplaw/dense_sweep.csv"]
            .first(where: FileManager.default.fileExists(atPath:)) {
            let sweep = try SweepFileOptions.parse([]).load(sweepPath).sweep
            results.appendIfPresent(measure("sweep fit with 1000 bootstrap resamples, Step Law dense sweep (1,626 runs, 14 groups)") {
                (try? SweepLawFitter().fit(sweep))?.learningRate.law.exponents[0] ?? .nan
            })
        }
        results.appendIfPresent(measure("CSV parse, 2,000,000 rows", setup: { BenchmarkData.csv(rows: 2_000_000) }) { csv in
            Double((try? TrainingLogReader.parseCSV(csv, source: "bench.csv"))?.loss.count ?? 0)
        })
        results.appendIfPresent(measure("TensorBoard parse, 2,000,000 scalar records", setup: { BenchmarkData.tensorboard(records: 2_000_000) }) { bytes in
            Double((try? TrainingLogReader.parse(bytes, source: "events.out.tfevents.bench", options: LogReadOptions(format: .tensorboard)))?.first?.loss.count ?? 0)
        })
        results.appendIfPresent(measure("JSONL parse, 2,000,000 lines", setup: { BenchmarkData.jsonl(lines: 2_000_000) }) { bytes in
            Double((try? TrainingLogReader.parse(bytes, source: "bench.jsonl", options: LogReadOptions(format: .jsonl)))?.first?.loss.count ?? 0)
        })
        results.appendIfPresent(measure("refine 1,000,000 steps, 100,000-step median window", setup: { BenchmarkData.gradientNorms(steps: 1_000_000) }) { norms in
            let refined = try? RefinedSchedule(steps: norms.steps, norms: norms.values, totalSteps: norms.steps.count, peak: 3e-4,
                                               optimizer: .adam, smoothing: 0.1)
            return refined?.learningRates[0] ?? .nan
        })

        if json {
            print(try JSONCoding.string(results))
        } else {
            var table = TextTable(headers: ["operation", "median", "min", "max", "runs"])
            for result in results {
                table.append([result.name, NumberFormat.duration(result.medianSeconds), NumberFormat.duration(result.minSeconds),
                              NumberFormat.duration(result.maxSeconds), "\(result.runs)"])
            }
            print(table.render())
        }
    }

    private func measure(_ name: String, _ body: () -> Double) -> BenchResult? {
        measure(name, setup: {}, { _ in body() })
    }

    /// Times `body` on what `setup` made; `setup` runs once, untimed, and only if the operation is selected.
    private func measure<Input>(_ name: String, setup: () throws -> Input, _ body: (Input) -> Double) rethrows -> BenchResult? {
        if let filter, !name.localizedCaseInsensitiveContains(filter) { return nil }
        let input = try setup()
        var times: [Double] = []
        var sink = 0.0
        let clock = ContinuousClock()
        let progress = ProgressBar(label: name)
        for run in 0..<runs {
            let start = clock.now
            sink += body(input)
            times.append((clock.now - start).seconds)
            progress.update(done: run + 1, total: runs)
        }
        progress.finish()
        times.sort()
        // The sink keeps the optimiser from discarding the work.
        if sink.isNaN { printNote("\(name): the operation failed") }
        return BenchResult(name: name, medianSeconds: times[times.count / 2], minSeconds: times[0], maxSeconds: times[times.count - 1], runs: runs)
    }

    /// What `lossfit fit LOG -o FIT.json` does with every default on, short of writing the file:
    /// read the log, fit the committee with the ranking check and baselines, encode FIT.json.
    static func fitEverythingOn(_ path: String) -> Double {
        guard let command = try? Fit.parse([path]), let options = try? command.fitOptions(),
              let curves = try? command.logs.loadCurves([path]).map(\.curve),
              let outcome = try? FullFit.run(curves, options: options),
              let encoded = try? FitFile.encode(outcome.result) else { return .nan }
        return encoded.isEmpty ? .nan : outcome.result.statistics.metrics.predE
    }

    /// Three per-step curves (cosine, constant, WSD) from a known law with 1 % noise, as a per-step
    /// train loss looks.
    static func perStepCurves(steps: Int) throws -> [TrainingCurve] {
        let truth = AnnealingLaw(l0: 2.2, a: 0.8, alpha: 0.45, c: 1.6, lambda: 0.998, warmup: .literal)
        var state: UInt64 = 42
        func noise() -> Double {
            // Uniform on ±√3 (unit variance) from a 64-bit LCG: reproducible and cheap.
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) / Double(1 << 53) - 0.5) * 2 * 3.0.squareRoot()
        }
        return try ["cosine:peak=3e-4,end=3e-5,warmup=1000,total=\(steps)", "constant:peak=3e-4,warmup=1000,total=\(steps)",
                    "wsd:peak=3e-4,end=0,warmup=1000,total=\(steps),decay=0.2,shape=1-sqrt"].enumerated().map { index, spec in
            let schedule = try ScalingLaws.Schedule(spec: spec)
            let logged = Array(1...steps)
            let losses = truth.predictLoss(learningRates: schedule.learningRates(), at: logged).map { $0 * (1 + 0.01 * noise()) }
            return try TrainingCurve(name: "per-step \(index)", steps: logged, losses: losses, schedule: schedule)
        }
    }

    private func benchmarkCurves() throws -> (String, [TrainingCurve]) {
        let candidates = mplDirectory.map { [$0] } ?? ["../shared/data/mpl/100", "shared/data/mpl/100"]
        for directory in candidates where FileManager.default.fileExists(atPath: directory + "/cosine_24000.csv") {
            let names = ["cosine_24000", "constant_24000", "wsdcon_9"]
            let curves = try LogOptions.defaults().loadCurves(names.map { "\(directory)/\($0).csv" }).map(\.curve)
            return ("3 MPL 100M curves (\(names.joined(separator: ", ")))", curves)
        }
        if mplDirectory != nil { throw CommandError("--mpl-dir: no cosine_24000.csv in \(mplDirectory!)") }
        let bundled = try BundledData.trainingLogs()
        let curves = try LogOptions.defaults().loadCurves(bundled).map(\.curve)
        return ("\(curves.count) bundled data/ curves", curves)
    }
}

/// A log file in a directory of its own, removed when the last copy goes.
final class TemporaryLog {
    let directory: URL
    var path: String { directory.appendingPathComponent("dense.csv").path }

    init(directory: URL) { self.directory = directory }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

struct BenchResult: Encodable {
    var name: String
    var medianSeconds: Double
    var minSeconds: Double
    var maxSeconds: Double
    var runs: Int
}

enum BenchmarkData {
    /// A TensorBoard event file of `records` scalar records (loss and learning rate per step).
    static func tensorboard(records: Int) -> [UInt8] {
        var writer = TensorBoardEventWriter(wallTime: 1.7e9)
        let steps = records / 2
        for step in 1...steps {
            writer.addScalar(tag: "train/loss", value: Float(2.5 + 3 / (1 + Double(step).squareRoot() * 0.05)), step: Int64(step), wallTime: 1.7e9 + Double(step))
            writer.addScalar(tag: "train/learning_rate", value: Float(3e-4 * (1 - Double(step) / Double(steps + 1))), step: Int64(step), wallTime: 1.7e9 + Double(step))
        }
        return writer.bytes
    }

    /// Gradient norms at steps 1…`steps`: a decay from 3 towards 1 with ±20 % noise from a fixed
    /// linear congruential sequence, so that the median filter sees unsorted, untied values.
    static func gradientNorms(steps: Int) -> LogSeries {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var values: [Double] = []
        values.reserveCapacity(steps)
        for step in 1...steps {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let uniform = Double(state >> 11) / Double(1 << 53)
            values.append((1 + 2 / (1 + Double(step) / 1e4)) * (0.8 + 0.4 * uniform))
        }
        return LogSeries(steps: Array(1...steps), values: values)
    }

    /// A JSONL log of `lines` lines with step, loss, lr and grad_norm.
    static func jsonl(lines: Int) -> [UInt8] {
        var text = ""
        text.reserveCapacity(lines * 90)
        for step in 1...lines {
            text += "{\"step\": \(step), \"loss\": \(2.5 + 3 / (1 + Double(step).squareRoot() * 0.05)), \"lr\": \(3e-4 * (1 - Double(step) / Double(lines + 1))), \"grad_norm\": 1.25}\n"
        }
        return Array(text.utf8)
    }

    /// A per-step CSV log (step, lr, loss) of `steps` steps in a temporary directory, removed
    /// with the returned value: a cosine schedule with warmup, the loss from a known annealing law
    /// with 1 % noise, as a per-step train loss looks. With `rateDigits`, the learning rates are
    /// written to that many significant digits, as logs printing `%g` hold them.
    static func denseLog(steps: Int, rateDigits: Int? = nil) throws -> TemporaryLog {
        let schedule = try ScalingLaws.Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=10000,total=\(steps)")
        let rates = schedule.learningRates()
        let truth = AnnealingLaw(l0: 2.2, a: 0.8, alpha: 0.45, c: 1.6, lambda: 0.998, warmup: .literal)
        let logged = Array(1...steps)
        let losses = truth.predictLoss(learningRates: rates, at: logged)
        var state: UInt64 = 7
        var text = "step,lr,loss\n"
        text.reserveCapacity(steps * 40)
        for (step, loss) in zip(logged, losses) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let uniform = Double(state >> 11) / Double(1 << 53)
            let rate = rateDigits.map { String(format: "%.\($0)g", rates[step]) } ?? "\(rates[step])"
            text += "\(step),\(rate),\(loss * (1 + 0.01 * 3.0.squareRoot() * (2 * uniform - 1)))\n"
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lossfit-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = TemporaryLog(directory: directory)
        try text.write(to: URL(fileURLWithPath: log.path), atomically: false, encoding: .utf8)
        return log
    }

    /// A CSV of `rows` rows of step, lr, loss, as a training script would log it.
    static func csv(rows: Int) -> [UInt8] {
        var text = "step,lr,loss\n"
        text.reserveCapacity(rows * 32)
        for step in 1...rows {
            let lr = 3e-4 * (1 - Double(step) / Double(rows + 1))
            let loss = 2.5 + 3 / (1 + Double(step).squareRoot() * 0.05)
            text += "\(step),\(lr),\(loss)\n"
        }
        return Array(text.utf8)
    }
}

extension Array {
    mutating func appendIfPresent(_ element: Element?) {
        if let element { append(element) }
    }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw CommandError(message) }
        return self
    }
}
