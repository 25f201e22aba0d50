import Foundation
import NonlinearLeastSquares
import ScalingLaws
import Testing
import TestSupport

/// A fit that does not describe its runs says so (issue #18): parameters at a bound, of the wrong
/// sign or smaller than their standard errors mark it as not identified, with the likely cause.
@Suite struct FitIdentificationTests {
    /// A fine-tune's evaluation loss: a power law in steps under a linear decay from 5e-5 to 0 (the
    /// Hugging Face default), which turns up after step 3000 as the model overfits (the issue's
    /// example rises from epoch 6 of 10). Logged every 100 steps with ±0.002 of seeded noise.
    static func risingCurve() throws -> TrainingCurve {
        var generator = SeededGenerator(seed: 18)
        let steps = Array(stride(from: 100, through: 5000, by: 100))
        let losses = steps.map { step -> Double in
            let overfit = step > 3000 ? 0.12 * pow(Double(step - 3000) / 2000, 2) : 0
            return 1.6 + 0.9 * pow(Double(step) / 100, -0.5) + overfit + Double.random(in: -0.002...0.002, using: &generator)
        }
        let rates = (0...5000).map { 5e-5 * (1 - Double($0) / 5000) }
        return try TrainingCurve(name: "finetune", steps: steps, losses: losses, learningRates: rates, source: .interpolated(points: 50))
    }

    /// Two runs of the annealing law itself (a constant and a cosine schedule) with ±0.1 % noise.
    static func lawCurves() throws -> [TrainingCurve] {
        let law = AnnealingLaw(l0: 2.0, a: 1.2, alpha: 0.5, c: 0.8, lambda: 0.999, warmup: .literal)
        var generator = SeededGenerator(seed: 7)
        return try [("constant", Schedule(spec: "constant:peak=3e-4,warmup=500,total=20000")),
                    ("cosine", Schedule(spec: "cosine:peak=3e-4,end=3e-5,warmup=500,total=20000"))].map { name, schedule in
            let steps = Array(stride(from: 500, through: 20000, by: 100))
            let clean = law.predictLoss(learningRates: schedule.learningRates(), at: steps)
            let noisy = clean.map { $0 * (1 + Double.random(in: -0.001...0.001, using: &generator)) }
            return try TrainingCurve(name: name, steps: steps, losses: noisy, schedule: schedule)
        }
    }

    @Test func aLossThatRisesAgainIsNotIdentifiedAndTheCauseSaysSo() throws {
        let fit = try AnnealingFitter().fit([Self.risingCurve()])
        let identification = try #require(fit.identification)
        #expect(!identification.identified)
        #expect(identification.cause == .risingLoss)
        // The loss is lowest near step 3400 (where 0.0045·(s/100)^−1.5 = 0.24·(s − 3000)/2000²);
        // the lowest chunk of five points is centred within 500 steps of it.
        let turn = try #require(identification.lowestLossStep)
        #expect((2900...3900).contains(turn), "lowest near step \(turn)")
        #expect(identification.advice?.contains("up to \(turn)") == true, "\(identification.advice ?? "")")
        #expect(identification.explanation?.contains("overfitting") == true)
        // The issue's symptoms: a level or amplitude below 0, or α at its bound.
        #expect(identification.problems.contains { $0.hasPrefix("L0 = -") || $0.hasPrefix("C = -") || $0.hasPrefix("A = -") || $0.contains("at the bound") },
                "\(identification.problems)")
    }

    @Test func theDefaultCommitteeOfARisingLossIsNotIdentifiedAndListsItsMembers() throws {
        let fit = try CommitteeFitter.standard(annealing: AnnealingFitOptions(), multiPower: MultiPowerFitOptions()).fit([Self.risingCurve()])
        let identification = try #require(fit.identification)
        #expect(!identification.identified)
        #expect(identification.cause == .risingLoss)
        let members = try #require(identification.members)
        #expect(members.count >= 3, "a majority of the four: \(members)")
        #expect(identification.summary.contains("committee member"))
        for member in try #require(fit.committee).members {
            #expect(member.fit.identification != nil, "\(member.key) judged")
        }
    }

    @Test func curvesOfTheLawItselfAreIdentified() throws {
        let curves = try Self.lawCurves()
        let annealing = try AnnealingFitter().fit(curves)
        #expect(annealing.identification == .identified, "\(annealing.identification?.summary ?? "nil")")
        let committee = try CommitteeFitter.standard(annealing: AnnealingFitOptions(), multiPower: MultiPowerFitOptions()).fit(curves)
        #expect(committee.identification?.identified == true, "\(committee.identification?.summary ?? "nil")")
    }

    /// A fitter whose fit is marked as not identified, to count committee votes.
    struct Unidentified: LossLawFitter {
        var base: AnnealingFitter

        func fit(_ curves: [TrainingCurve]) throws(FitError) -> FitResult {
            var result = try base.fit(curves)
            result.identification = FitIdentification(identified: false, problems: ["L0 = -1: below 0"], cause: .curvesTooSimilar)
            return result
        }
    }

    /// Two members of four not identified: the median rests on the other two, and the fit says which
    /// are left out; three of four: the committee is not identified.
    @Test(arguments: [(1, true), (2, true), (3, false), (4, false)])
    func aCommitteeIsNotIdentifiedWhenMostOfItsMembersAreNot(unidentified: Int, identified: Bool) throws {
        let candidates = (0..<4).map { index -> CommitteeFitter.Candidate in
            let fitter: any LossLawFitter = index < unidentified ? Unidentified(base: AnnealingFitter()) : AnnealingFitter()
            return CommitteeFitter.Candidate(key: "member-\(index)", label: "member \(index)", fitter: fitter)
        }
        let fit = try CommitteeFitter(candidates: candidates).fit(Self.lawCurves())
        let identification = try #require(fit.identification)
        #expect(identification.identified == identified)
        #expect(identification.members == (0..<unidentified).map { "member \($0)" })
        #expect(identification.problems.count == unidentified)
        if identified {
            #expect(fit.notes.contains { $0.contains("outvoted") && $0.contains("member 0") }, "\(fit.notes)")
        }
    }

    @Test func theVerdictRoundTripsThroughJSONAndAFitWithoutOneReads() throws {
        var fit = try AnnealingFitter().fit([Self.risingCurve()])
        let data = try JSONEncoder().encode(fit)
        #expect(try JSONDecoder().decode(FitResult.self, from: data) == fit)
        fit.identification = nil
        let older = try JSONEncoder().encode(fit)
        #expect(!String(decoding: older, as: UTF8.self).contains("identification"))
        #expect(try JSONDecoder().decode(FitResult.self, from: older).identification == nil)
    }
}
