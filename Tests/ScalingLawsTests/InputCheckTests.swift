import Foundation
import NonlinearLeastSquares
import ScalingLaws
import Testing
import TestSupport

/// Values the library refused to misread (issue #17): each is a typed error or an undefined value.
@Suite struct InputCheckTests {
    @Test func rSquaredIsUndefinedForALossThatDoesNotVary() throws {
        // 2.7 summed 50 times is not 50·2.7 in binary: the mean's rounding must not pass for variance.
        let flat = PredictionMetrics(observed: Array(repeating: 2.7, count: 50), predicted: Array(repeating: 2.7 + 1e-15, count: 50))
        #expect(flat.r2 == nil)
        #expect(flat.predE < 1e-14)
        let varying = PredictionMetrics(observed: [1, 2, 3], predicted: [1, 2, 4])
        // 1 − 1/2 by hand.
        #expect(isClose(try #require(varying.r2), 0.5, relativeTolerance: 1e-15))
        let mean = PredictionMetrics.mean(of: [flat, varying])
        #expect(isClose(try #require(mean.r2), 0.5, relativeTolerance: 1e-15), "the mean over the curves that have one")
        #expect(PredictionMetrics.mean(of: [flat, flat]).r2 == nil)
    }

    @Test func specKeysGivenTwiceAndStepsThatAreNotWholeAreErrors() throws {
        #expect(throws: ScheduleError.repeatedKey("peak", family: "cosine")) { try Schedule(spec: "cosine:peak=1,lr=2,total=100") }
        #expect(throws: ScheduleError.repeatedKey("total", family: "constant")) { try Schedule(spec: "constant:peak=1,total=100,total=200") }
        #expect(throws: ScheduleError.notWholeSteps(key: "warmup", value: "2.5")) { try Schedule(spec: "cosine:peak=1,warmup=2.5,total=100") }
        #expect(throws: ScheduleError.tooManySteps(key: "switch", value: "1e20")) { try Schedule(spec: "twostage:peak=1,total=100,switch=1e20,second=0.1") }
        #expect(throws: ScheduleError.notWholeSteps(key: "milestones", value: "20.5")) { try Schedule(spec: "multistep:peak=1,total=100,milestones=10/20.5") }
    }

    @Test func aHuberThresholdOfZeroIsRefusedBeforeFitting() throws {
        var options = AnnealingFitOptions()
        options.objective = .huber(delta: 0)
        let schedule = try Schedule(spec: "cosine:peak=3e-4,total=2000")
        let steps = Array(stride(from: 100, through: 2000, by: 100))
        let curve = try TrainingCurve(name: "c", steps: steps, losses: steps.map { 2 + 1 / Double($0).squareRoot() }, schedule: schedule)
        #expect(throws: FitError.invalidArgument("the Huber threshold δ must be finite and positive, got 0.0")) { try AnnealingFitter(options: options).fit([curve]) }
    }
}
