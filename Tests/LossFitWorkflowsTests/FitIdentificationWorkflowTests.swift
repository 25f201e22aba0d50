import Foundation
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport

/// Runs whose loss falls as the laws describe are not flagged as unidentified (issue #18): the
/// default fit of every real family on its protocol, and of the simulated runs of data/.
@Suite struct FitIdentificationWorkflowTests {
    /// The default fit (the committee) of `family`'s fitted logs in its window.
    static func defaultFit(_ family: EvidenceFamily) throws -> FitResult {
        let curves = try CurveLoading.load(family.fitted.map(family.path),
                                           options: CurveLoadingOptions(fromStep: family.fitFromStep, toStep: family.fitToStep), report: { _ in })
        var options = FullFitOptions()
        options.fitsBaselines = false
        return try FullFit.run(curves.map(\.curve), options: options).result
    }

    static func expectIdentified(_ fit: FitResult, _ name: String) throws {
        let identification = try #require(fit.identification, "\(name): no verdict")
        #expect(identification.identified, "\(name): \(identification.summary)")
        // Members the median outvotes are listed, never a majority of them.
        let members = try #require(fit.committee).members
        let unidentified = members.filter { $0.fit.identification?.identified == false }
        #expect(2 * unidentified.count <= members.count, "\(name): \(unidentified.map(\.key))")
        #expect((identification.members ?? []) == unidentified.map(\.label))
    }

    @Test func theSimulatedRunsAreIdentified() throws {
        let family = EvidenceFamily.simulated(directory: SharedData.packageRoot.appendingPathComponent("data").path)
        let fit = try Self.defaultFit(family)
        try Self.expectIdentified(fit, family.name)
        // Every member too: the simulated runs are the laws' home ground.
        for member in try #require(fit.committee).members {
            #expect(member.fit.identification == .identified, "\(member.key): \(member.fit.identification?.summary ?? "nil")")
        }
    }

    @Test(.enabled(if: SharedData.shouldRun), arguments: ["MPL 25M", "MPL 100M", "124M 2e-3", "124M 1e-4"])
    func everyRealFamilyIsIdentified(name: String) throws {
        let family = try #require(EvidenceFamily.real(sharedData: SharedData.dataDirectory.path).first { $0.name == name })
        try Self.expectIdentified(try Self.defaultFit(family), name)
    }
}
