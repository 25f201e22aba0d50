import Foundation
import Synchronization
import LossFitReports
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport

@Suite struct FullFitTests {
    static func trainingCurves() throws -> [TrainingCurve] {
        try CurveLoading.load(WorkflowFixtures.trainingRuns, options: CurveLoadingOptions()).map(\.curve)
    }

    /// The default full fit is the committee: its four members are the plain fitters' fits on the
    /// same curves, it predicts their median at every step, and it carries the baselines but no
    /// ranking check (the members check its orders).
    @Test func theDefaultFitIsTheCommitteeOfFourWithBaselines() throws {
        let curves = try Self.trainingCurves()
        let full = try FullFit.run(curves, options: FullFitOptions()).result
        let committee = try #require(full.committee)
        #expect(committee.members.map(\.key) == ["annealing", "annealing-lambda-0.999", "multi-power", "multi-power-joint"])
        var paper = AnnealingFitOptions()
        paper.lambda = .fixed(AnnealingFitOptions.paperLambda)
        var joint = MultiPowerFitOptions()
        joint.amplitude = .joint
        let bare = [try AnnealingFitter().fit(curves).law, try AnnealingFitter(options: paper).fit(curves).law,
                    try MultiPowerFitter().fit(curves).law, try MultiPowerFitter(options: joint).fit(curves).law]
        #expect(committee.members.map(\.fit.law) == bare)
        #expect(full.law == bare[0], "the committee's own law and parameters are its first member's")
        let rates = try Schedule(spec: "wsd:peak=0.6,warmup=200,total=20000,decay=0.2").learningRates()
        let steps = [1000, 10000, 18000, 20000]
        let predicted = full.predict(learningRates: rates, at: steps)
        for (index, point) in predicted.enumerated() {
            let losses = bare.map { $0.predictLoss(learningRates: rates, at: [steps[index]])[0] }.sorted()
            #expect(isClose(point.loss, (losses[1] + losses[2]) / 2, relativeTolerance: 1e-14))
            #expect(isClose(try #require(point.modelSpread), (losses[2] - losses[1]) / 2, relativeTolerance: 1e-9))
        }
        #expect(full.rankingCheck == nil)
        let baselines = try #require(full.baselines)
        #expect(baselines.perCurve.map(\.curve) == curves.map(\.name))
        #expect(full.bootstrap == nil && full.lawSelection == nil)
    }

    /// The baselines are fitted on the committee's threads, beside its members: they are exactly
    /// the baselines fitted on their own.
    @Test func baselinesFittedBesideTheCommitteeAreTheBaselinesAlone() throws {
        let curves = try Self.trainingCurves()
        #expect(curves.count > 1)
        let full = try FullFit.run(curves, options: FullFitOptions()).result
        #expect(full.baselines == FitBaselines.fit(curves, options: AnnealingFitOptions(), exponential: ExponentialFitOptions()))
    }

    /// With one curve, the baseline "the law fitted to this curve alone" is the joint fit of the
    /// committee's member with the same settings, taken from it; with settings no member has, it
    /// is fitted. Either way it is the plain fitter's fit of that curve.
    @Test(arguments: [LambdaChoice.fit, .fixed(AnnealingFitOptions.paperLambda), .fixed(0.99)])
    func aSingleCurvesOwnFitIsThePlainFit(lambda: LambdaChoice) throws {
        let curve = try #require(try Self.trainingCurves().first)
        var options = FullFitOptions()
        options.annealing.lambda = lambda
        let full = try FullFit.run([curve], options: options).result
        let alone = try #require(try AnnealingFitter(options: options.annealing).fit([curve]).annealing)
        let perCurve = try #require(full.baselines?.perCurve)
        #expect(perCurve.map(\.curve) == [curve.name])
        #expect(perCurve.map(\.law) == [alone])
    }

    /// A committee's bootstrap resamples its first member; each band is that member's band moved
    /// to the committee's prediction, so its width is the member's.
    @Test func aCommitteesBootstrapBandIsItsFirstMembersMoved() throws {
        var options = FullFitOptions()
        options.fitsBaselines = false
        options.bootstrap = BlockBootstrap(resamples: 20, seed: 3)
        let fit = try FullFit.run(try Self.trainingCurves(), options: options).result
        let committee = try #require(fit.committee)
        var first = committee.members[0].fit
        first.bootstrap = fit.bootstrap
        let rates = try Schedule(spec: "wsd:peak=0.6,warmup=200,total=20000,decay=0.2").learningRates()
        let steps = [5000, 20000]
        let combined = fit.predict(learningRates: rates, at: steps)
        let alone = first.predict(learningRates: rates, at: steps)
        for (point, member) in zip(combined, alone) {
            let band = try #require(point.bootstrapBand95), memberBand = try #require(member.bootstrapBand95)
            #expect(isClose(band.upperBound - band.lowerBound, memberBand.upperBound - memberBand.lowerBound, relativeTolerance: 1e-9))
            #expect(isClose(band.lowerBound - point.loss, memberBand.lowerBound - member.loss, relativeTolerance: 1e-9))
        }
    }

    /// One annealing law alone carries the ranking check, as before the committee.
    @Test func theAnnealingLawAloneCarriesTheCheck() throws {
        var options = FullFitOptions()
        options.law = .annealing
        options.fitsBaselines = false
        let single = try FullFit.run(try Self.trainingCurves(), options: options).result
        #expect(single.committee == nil)
        let check = try #require(single.rankingCheck)
        #expect(isClose(check.law.lambda, AnnealingFitOptions.paperLambda, relativeTolerance: 1e-15))
    }

    /// Each law choice fits its law; auto scores both candidates on every left-out curve.
    @Test func eachLawChoiceFitsItsLaw() throws {
        let curves = try Self.trainingCurves()
        var options = FullFitOptions()
        options.fitsBaselines = false
        options.law = .multiPower
        #expect(try FullFit.run(curves, options: options).result.law.kind == .multiPower)
        options.law = .exponential
        let exponential = try FullFit.run(curves, options: options).result
        #expect(exponential.law.kind == .exponential)
        #expect(exponential.rankingCheck == nil, "a schedule-blind law ranks nothing, so it has no check")
        options.law = .auto
        let auto = try FullFit.run(curves, options: options).result
        let selection = try #require(auto.lawSelection)
        #expect(selection.scores.allSatisfy { $0.folds.count == curves.count })
        #expect(auto.law.kind == selection.chosen.law)
    }

    @Test func autoNeedsTwoCurves() throws {
        var options = FullFitOptions()
        options.law = .auto
        #expect(throws: WorkflowError.tooFewCurvesToChoose(count: 1)) {
            try FullFit.run(Array(try Self.trainingCurves().prefix(1)), options: options)
        }
    }

    /// The bootstrap's replicates hold the law's parameters and progress counts up to the request.
    @Test func bootstrapReplicatesTheLaw() throws {
        let curves = try Self.trainingCurves()
        var options = FullFitOptions()
        options.fitsBaselines = false
        options.fitsRankingCheck = false
        options.bootstrap = BlockBootstrap(resamples: 8, seed: 3)
        let seen = Mutex(0)
        let result = try FullFit.run(curves, options: options, progress: { done, total in
            #expect(total == 8)
            seen.withLock { value in value = max(value, done) }
        }).result
        let sample = try #require(result.bootstrap)
        #expect(sample.parameterNames == result.law.parameterNames)
        #expect(sample.replicates.count == 8)
        #expect(seen.withLock { $0 } == 8)
        #expect(result.replicateLaws.count == 8)
    }

    /// `fit` then `report --fit`, and `report` straight from the logs, give the same fit, the same
    /// scores and the same tables: both go through the full fit, and FIT.json keeps every field.
    @Test func reportFromLogsEqualsFitThenReportFromTheFile() throws {
        let paths = WorkflowFixtures.trainingRuns + ["cosine_40000", "wsd_linear_20000"].map(WorkflowFixtures.bundled)
        let logs = try CurveLoading.load(paths, options: CurveLoadingOptions())
        let predictions = ["cosine:peak=0.6,end=0,warmup=200,total=20000", "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.2,shape=1-sqrt"]

        var fromLogs = Analysis.Request()
        fromLogs.logs = logs
        fromLogs.predictions = predictions
        let direct = try Analysis(fromLogs)

        // `fit` on the training runs, written and read back, then `report --fit` on every log.
        let trained = try FullFit.run(Array(logs.prefix(3)).map(\.curve), options: FullFitOptions()).result.recordingSources(of: Array(logs.prefix(3)))
        let path = try WorkflowFixtures.temporaryDirectory().appendingPathComponent("fit.json").path
        try FitFile.write(trained, to: path)
        var fromFile = Analysis.Request()
        fromFile.logs = Array(logs.prefix(3))
        fromFile.fit = try FitFile.read(path)
        fromFile.predictions = predictions
        let viaFile = try Analysis(fromFile)

        // Fitting all five logs directly is another fit; fitting the same three must match.
        var sameLogs = fromLogs
        sameLogs.logs = Array(logs.prefix(3))
        let directOnThree = try Analysis(sameLogs)
        #expect(directOnThree.fit == viaFile.fit)
        #expect(directOnThree.fitted == viaFile.fitted)
        #expect(Tables.fitSummary(try #require(directOnThree.fit), seconds: 0) == Tables.fitSummary(try #require(viaFile.fit), seconds: 0))
        #expect(Self.html(directOnThree) == Self.html(viaFile))
        #expect(direct.fit?.curves.count == 5 && direct.heldOut.isEmpty)
    }

    static func html(_ analysis: Analysis) -> String {
        HTMLReport.render(AnalysisReport(
            fit: analysis.fit, fitted: analysis.fitted, heldOut: analysis.heldOut,
            forecasts: analysis.forecasts.map { AnalysisReport.ScheduleForecast(spec: $0.spec, points: $0.points) },
            sweep: analysis.sweep, recommendations: analysis.recommendations).document(title: "t"))
    }
}

/// What a fit records about its curves, checked against the logs themselves.
@Suite struct FittedCurvesTests {
    /// With the window opening at step 500, each curve enters with exactly the logged points from
    /// 500 on, its learning rate interpolated from the log, and L0 below every observed loss.
    @Test func theFitRecordsEachCurveAsLoggedInsideTheWindow() throws {
        let loaded = try CurveLoading.load(WorkflowFixtures.trainingRuns, options: CurveLoadingOptions(fromStep: 500))
        let fit = try FullFit.run(loaded.map(\.curve), options: FullFitOptions()).result
        #expect(fit.curves.map(\.name) == ["cosine_20000", "constant_20000", "twostage_0.2"])
        var lowest = Double.infinity
        for (curve, item) in zip(fit.curves, loaded) {
            let kept = item.log.loss.steps.indices.filter { item.log.loss.steps[$0] >= 500 }
            #expect(curve.points == kept.count, "\(curve.name)")
            #expect(curve.firstStep == item.log.loss.steps[kept[0]])
            #expect(curve.lastStep == item.log.loss.steps.last)
            #expect(curve.learningRateSource == .interpolated(points: item.log.learningRate?.count ?? 0))
            lowest = min(lowest, kept.map { item.log.loss.values[$0] }.min() ?? .infinity)
        }
        let annealing = try #require(fit.annealing)
        #expect(annealing.l0 < lowest)
        #expect(fit.parameters.map(\.name) == ["L0", "A", "alpha", "C", "lambda"])
        for parameter in fit.parameters {
            #expect(parameter.status == .fitted)
            let error = try #require(parameter.standardError, "\(parameter.name) has no standard error")
            #expect(error > 0 && error < parameter.value, "\(parameter.name): ±\(error) vs \(parameter.value)")
        }
        let r2 = try #require(fit.statistics.metrics.r2)
        #expect(fit.statistics.converged && r2 > 0.98)
    }
}
