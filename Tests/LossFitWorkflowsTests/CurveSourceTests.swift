import Foundation
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport
import TrainingLogs

/// Logs the tests write from the bundled runs, in formats that hold several loss series or runs.
enum SourceFixtures {
    /// The bundled run's `step`, `lr` and `loss` columns, parsed here rather than by the readers.
    static func rows(_ name: String) throws -> [(step: Int, lr: Double, loss: Double)] {
        let text = try String(contentsOfFile: WorkflowFixtures.bundled(name), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",").map(String.init) }
        let header = lines.removeFirst()
        let step = try #require(header.firstIndex(of: "step")), lr = try #require(header.firstIndex(of: "lr"))
        let loss = try #require(header.firstIndex(of: "loss"))
        return try lines.map { (try #require(Int($0[step])), try #require(Double($0[lr])), try #require(Double($0[loss]))) }
    }

    /// A Hugging Face trainer_state.json of the bundled cosine run: a training entry (`loss`) at
    /// every logged step and an evaluation entry (`eval_loss`, 5 % above) at every 10th, then the
    /// final summary entry.
    static func trainerState(in directory: URL) throws -> (path: String, evaluationSteps: [Int]) {
        var history: [[String: Any]] = []
        var evaluationSteps: [Int] = []
        for (index, row) in try rows("cosine_20000").enumerated() {
            history.append(["step": row.step, "learning_rate": row.lr, "loss": row.loss, "epoch": Double(row.step) / 20000])
            if index % 10 == 9 {
                history.append(["step": row.step, "eval_loss": row.loss * 1.05, "eval_runtime": 1.5])
                evaluationSteps.append(row.step)
            }
        }
        history.append(["step": 20000, "train_loss": 0.3, "train_runtime": 100.0])
        let path = directory.appendingPathComponent("trainer_state.json").path
        try JSONSerialization.data(withJSONObject: ["global_step": 20000, "log_history": history]).write(to: URL(fileURLWithPath: path))
        return (path, evaluationSteps)
    }

    /// A W&B panel export of two runs without learning rates: `run-a` is the bundled cosine run's
    /// loss, `run-b` the constant run's.
    static func panel(in directory: URL) throws -> String {
        let cosine = try rows("cosine_20000"), constant = try rows("constant_20000")
        var lines = [#""Step","run-a - train/loss","run-a - train/loss__MIN","run-a - train/loss__MAX","run-b - train/loss","run-b - train/loss__MIN","run-b - train/loss__MAX""#]
        for (a, b) in zip(cosine, constant) where a.step == b.step {
            lines.append("\(a.step),\(a.loss),\(a.loss),\(a.loss),\(b.loss),\(b.loss),\(b.loss)")
        }
        let path = directory.appendingPathComponent("panel.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite struct CurveSourceTests {
    static let cosineSpec = "cosine:peak=0.6,end=0.06,warmup=200,total=20000"
    static let constantSpec = "constant:peak=0.6,warmup=200,total=20000"

    /// A log with a training and a validation loss: the training loss is fitted by default, the
    /// validation loss when asked, and each time the curve says which one and what else was there.
    @Test func aLogWithBothLossesSaysWhichWasFitted() throws {
        let (path, evaluationSteps) = try SourceFixtures.trainerState(in: try WorkflowFixtures.temporaryDirectory())
        var events: [CurveLoadingEvent] = []
        let training = try #require(try CurveLoading.load([path], options: CurveLoadingOptions(), report: { events.append($0) }).first)
        let source = try #require(training.source)
        #expect(source.lossKey == "loss" && source.lossKind == .training)
        #expect(source.otherLosses == [.init(key: "eval_loss", kind: .evaluation)])
        #expect(events.contains(.lossChosen(source)))

        var options = CurveLoadingOptions()
        options.read.loss = .evaluation
        let evaluation = try #require(try CurveLoading.load([path], options: options).first)
        let evaluationSource = try #require(evaluation.source)
        #expect(evaluationSource.lossKey == "eval_loss" && evaluationSource.lossKind == .evaluation)
        #expect(evaluationSource.otherLosses == [.init(key: "loss", kind: .training)])
        // Every evaluation step is past the warmup (step 200), so all of them are fitted.
        #expect(evaluation.curve.steps == evaluationSteps)
        #expect(evaluationSource.pointsUsed == evaluationSteps.count && evaluationSource.pointsBefore == 0)
    }

    /// A log with training losses only (`loss` and a minibatch `train_loss`) records both, but the
    /// choice between two training losses is not announced.
    @Test func twoTrainingLossesAreRecordedQuietly() throws {
        var events: [CurveLoadingEvent] = []
        let loaded = try #require(try CurveLoading.load([WorkflowFixtures.bundled("cosine_20000")], options: CurveLoadingOptions(),
                                                        report: { events.append($0) }).first)
        #expect(loaded.source?.otherLosses == [.init(key: "train_loss", kind: .training)])
        #expect(!events.contains { if case .lossChosen = $0 { return true } else { return false } })
    }

    /// The window's counts: logged every 100 steps from 100 to 20000, a window 500…15000 uses
    /// 146 points and leaves 4 before it and 50 after it out.
    @Test func theSourceCountsThePointsTheWindowCut() throws {
        var events: [CurveLoadingEvent] = []
        let path = WorkflowFixtures.bundled("cosine_20000")
        let loaded = try #require(try CurveLoading.load([path], options: CurveLoadingOptions(fromStep: 500, toStep: 15000),
                                                        report: { events.append($0) }).first)
        let source = try #require(loaded.source)
        #expect(source.path == path && source.run == nil)
        #expect(source.fromStep == 500 && source.toStep == 15000)
        #expect(source.pointsUsed == 146 && source.pointsBefore == 4 && source.pointsAfter == 50 && source.rowsSkipped == 0)
        #expect(events.contains(.windowCut(source: path, from: 500, fromWarmupEnd: false, to: 15000, before: 4, after: 50)))
    }

    /// Each run of a W&B panel export follows the schedule given for its name; a name that is
    /// neither a file nor a run is an error listing the runs.
    @Test func eachRunOfAPanelFollowsItsOwnSchedule() throws {
        let path = try SourceFixtures.panel(in: try WorkflowFixtures.temporaryDirectory())
        let assignment = try ScheduleAssignment(["run-a=" + Self.cosineSpec, "run-b=" + Self.constantSpec], paths: [path])
        var events: [CurveLoadingEvent] = []
        let loaded = try CurveLoading.load([path], options: CurveLoadingOptions(schedules: assignment), report: { events.append($0) })
        #expect(loaded.map(\.curve.name) == ["run-a", "run-b"])
        #expect(loaded.map { $0.source?.run } == ["run-a", "run-b"])
        let cosine = try Schedule(spec: Self.cosineSpec), constant = try Schedule(spec: Self.constantSpec)
        #expect(loaded[0].curve.learningRateSource == .schedule(spec: cosine.spec))
        #expect(loaded[1].curve.learningRateSource == .schedule(spec: constant.spec))
        #expect(isClose(loaded[0].curve.learningRates[15000], cosine.learningRates()[15000], relativeTolerance: 1e-15))
        #expect(isClose(loaded[1].curve.learningRates[15000], 0.6, relativeTolerance: 1e-15))
        #expect(events.contains(.scheduleGiven(log: "\(path) (run \"run-a\")", spec: cosine.spec, ignoredSidecar: nil)))

        let unknown = try ScheduleAssignment(["run-c=" + Self.cosineSpec], paths: [path])
        #expect(throws: WorkflowError.scheduleForUnknownRun(name: "run-c", runs: ["run-a", "run-b"])) {
            try CurveLoading.load([path], options: CurveLoadingOptions(schedules: unknown))
        }
    }

    /// FIT.json (format 3) keeps each curve's source; files of formats 0–2, which have none, still
    /// read as the same fit without sources.
    @Test func fitFilesRecordEachCurvesSourceAndOlderFormatsStillRead() throws {
        let loaded = try CurveLoading.load(WorkflowFixtures.trainingRuns, options: CurveLoadingOptions(toStep: 15000))
        var options = FullFitOptions()
        options.law = .annealing
        options.fitsBaselines = false
        let result = try FullFit.run(loaded.map(\.curve), options: options).result.recordingSources(of: loaded)
        #expect(result.curves.map(\.source) == loaded.map(\.source))
        #expect(result.curves.allSatisfy { $0.source?.toStep == 15000 })

        let data = try FitFile.encode(result)
        #expect(try FitFile.decode(data, path: "fit.json") == result)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["formatVersion"] as? Int == 3)
        let curves = try #require(object["curves"] as? [[String: Any]])
        let firstSource = try #require(curves[0]["source"] as? [String: Any])
        #expect(firstSource["path"] as? String == WorkflowFixtures.trainingRuns[0])
        #expect(firstSource["lossKey"] as? String == "loss" && firstSource["pointsAfter"] as? Int == 50)

        var withoutSources = result
        for index in withoutSources.curves.indices { withoutSources.curves[index].source = nil }
        object["curves"] = curves.map { $0.filter { $0.key != "source" } }
        for format in [2, 1, nil] as [Int?] {
            object["formatVersion"] = format
            let old = try JSONSerialization.data(withJSONObject: object)
            #expect(try FitFile.decode(old, path: "old.json") == withoutSources, "format \(format ?? 0)")
        }
    }

    /// A fit of training losses flags the curves it scores on a validation loss; a fit from before
    /// FIT.json recorded sources flags none.
    @Test func aFitFlagsCurvesOfAnotherLossKind() throws {
        let (path, _) = try SourceFixtures.trainerState(in: try WorkflowFixtures.temporaryDirectory())
        var options = CurveLoadingOptions()
        options.read.loss = .evaluation
        let validation = try CurveLoading.load([path], options: options)
        let training = try CurveLoading.load([path], options: CurveLoadingOptions())

        let old = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-annealing.json").path)
        #expect(old.fittedLossKinds.isEmpty && old.curvesOfAnotherLossKind(validation).isEmpty)
        var fit = old
        for index in fit.curves.indices {
            fit.curves[index].source = CurveSource(path: fit.curves[index].name, lossKey: "loss", lossKind: .training, fromStep: 200, toStep: nil,
                                                   pointsUsed: fit.curves[index].points, pointsBefore: 1, pointsAfter: 0, rowsSkipped: 0)
        }
        #expect(fit.fittedLossKinds == [.training])
        #expect(fit.curvesOfAnotherLossKind(validation).map(\.lossKey) == ["eval_loss"])
        #expect(fit.curvesOfAnotherLossKind(training).isEmpty)
    }
}
