import Foundation
import HyperparameterLaws
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport

/// What `predict --format json` printed: the fixtures' expected predictions.
private struct RecordedPrediction: Decodable {
    struct Point: Decodable {
        var step: Int
        var learningRate: Double
        var loss: Double
        var standardError: Double?
        var bootstrapBand95: [Double]?
    }
    var law: String
    var schedule: String
    var points: [Point]
}

@Suite struct FitFileTests {
    static let schedule = "wsd:peak=0.6,end=0.06,warmup=200,total=20000,decay=4000,shape=linear"

    /// FIT.json files from before the format number load into the law type, and predict what the
    /// version that wrote them printed, to 1e-12 relative (loss, delta-method error, bootstrap band).
    /// Multi-power predictions to 1e-8: the drop sums are a quadrature whose rules may change within
    /// its error bound (`MultiPowerLossDrop`; the staircase rules moved them by ≤ 1.4e-9), while a
    /// parameter read wrongly moves them by far more.
    @Test(arguments: [("annealing", FittedLaw.Kind.annealing), ("multi-power", .multiPower), ("exponential", .exponential),
                      ("auto", .multiPower), ("bootstrap", .annealing)])
    func filesFromBeforeTheFormatNumberPredictAsBefore(name: String, kind: FittedLaw.Kind) throws {
        let fit = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-\(name).json").path)
        #expect(fit.law.kind == kind)
        let data = try Data(contentsOf: WorkflowFixtures.baseDirectory.appendingPathComponent("predict-\(name).json"))
        let recorded = try JSONCoding.decoder.decode(RecordedPrediction.self, from: data)
        #expect(recorded.law == fit.law.name)
        let schedule = try Schedule(spec: Self.schedule)
        let predicted = fit.predict(learningRates: schedule.learningRates(), at: recorded.points.map(\.step))
        #expect(predicted.count == recorded.points.count && !predicted.isEmpty)
        let tolerance = kind == .multiPower ? 1e-8 : 1e-12
        for (point, expected) in zip(predicted, recorded.points) {
            #expect(point.step == expected.step)
            #expect(isClose(point.loss, expected.loss, relativeTolerance: tolerance), "\(name) step \(point.step): \(point.loss) vs \(expected.loss)")
            #expect((point.standardError == nil) == (expected.standardError == nil))
            if let error = point.standardError, let expectedError = expected.standardError {
                #expect(isClose(error, expectedError, relativeTolerance: tolerance), "\(name) step \(point.step) standard error")
            }
            #expect((point.bootstrapBand95 == nil) == (expected.bootstrapBand95 == nil))
            if let band = point.bootstrapBand95, let expectedBand = expected.bootstrapBand95 {
                #expect(isClose([band.lowerBound, band.upperBound], expectedBand, relativeTolerance: tolerance), "\(name) step \(point.step) band")
            }
        }
        if name == "bootstrap" { #expect(fit.bootstrap?.replicates.count ?? 0 > 0) }
        if name == "auto" { #expect(fit.lawSelection != nil) }
    }

    /// A fit written and read back is the same fit, and the file says its format and writer.
    @Test func roundTripKeepsEveryFieldAndRecordsTheFormat() throws {
        let original = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-bootstrap.json").path)
        let directory = try WorkflowFixtures.temporaryDirectory()
        let path = directory.appendingPathComponent("fit.json").path
        try FitFile.write(original, to: path)
        #expect(try FitFile.read(path) == original)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(object["formatVersion"] as? Int == FitFile.formatVersion)
        #expect(object["writtenBy"] as? String == LossFitVersion.current)
        #expect(object["law"] as? String == "annealing")
    }

    /// Every law kind keeps its parameters under its own key through a round trip.
    @Test(arguments: ["annealing", "multi-power", "exponential"])
    func eachLawRoundTrips(name: String) throws {
        let original = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-\(name).json").path)
        let decoded = try FitFile.decode(try FitFile.encode(original), path: "memory")
        #expect(decoded == original)
        #expect(decoded.law.parameterValues == original.law.parameterValues)
    }

    /// A law on its own codes as its kind and its parameters, the two keys FIT.json has always held,
    /// so that other holders (members of a committee) can store laws the same way.
    @Test(arguments: ["annealing", "multi-power", "exponential"])
    func aLawCodesAsItsKindAndParameters(name: String) throws {
        let law = try FitFile.read(WorkflowFixtures.baseDirectory.appendingPathComponent("fit-\(name).json").path).law
        let data = try JSONCoding.encode(law)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let key = ["annealing": "annealing", "multi-power": "multiPower", "exponential": "exponential"][name] ?? ""
        #expect(Set(object.keys) == ["law", key])
        #expect(object["law"] as? String == name)
        #expect(try JSONCoding.decoder.decode(FittedLaw.self, from: data) == law)
    }

    @Test func aNewerFormatIsReportedAsSuch() throws {
        let text = #"{"formatVersion": 99, "writtenBy": "9.0.0", "law": "annealing"}"#
        #expect(throws: WorkflowError.newerFitFile(path: "new.json", format: 99, writtenBy: "9.0.0")) {
            try FitFile.decode(Data(text.utf8), path: "new.json")
        }
    }

    @Test func aBrokenFileNamesWhatIsMissing() throws {
        #expect(throws: WorkflowError.invalidFitFile(path: "bad.json", reason: "not JSON")) {
            try FitFile.decode(Data("{ not json".utf8), path: "bad.json")
        }
        #expect(throws: WorkflowError.invalidFitFile(path: "bad.json", reason: "missing key \"annealing\"")) {
            try FitFile.decode(Data(#"{"law": "annealing"}"#.utf8), path: "bad.json")
        }
        #expect(throws: WorkflowError.unreadableFitFile(path: "/nonexistent/fit.json")) {
            try FitFile.read("/nonexistent/fit.json")
        }
    }

    /// LAW.json: a sweep law written and read back is the same law; a LAW.json without a format
    /// number (from before) still reads.
    @Test func lawFilesRoundTripAndOlderOnesRead() throws {
        let loaded = try SweepLoading.load(WorkflowFixtures.bundled("sweep"))
        var settings = SweepLawSettings()
        settings.bootstrap.resamples = 20
        let law = try SweepLoading.fitLaws(loaded, settings: settings)
        let directory = try WorkflowFixtures.temporaryDirectory()
        let path = directory.appendingPathComponent("law.json").path
        try LawFile.write(law, to: path)
        #expect(try LawFile.readSweepLaw(path) == law)
        let unversioned = directory.appendingPathComponent("old-law.json").path
        try JSONCoding.encode(law).write(to: URL(fileURLWithPath: unversioned))
        #expect(try LawFile.readSweepLaw(unversioned) == law)
        #expect(throws: WorkflowError.unreadableLawFile(path: "/nonexistent/law.json", law: "SweepLaw")) {
            try LawFile.readSweepLaw("/nonexistent/law.json")
        }
    }
}
