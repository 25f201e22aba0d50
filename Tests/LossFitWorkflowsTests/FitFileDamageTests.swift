import Foundation
import LossFitWorkflows
import ScalingLaws
import Testing
import TestSupport

/// A damaged or hand-edited FIT.json gets a typed error naming the key and what is wrong, before
/// anything predicts from it: each test damages one value of a fixture in memory.
@Suite struct FitFileDamageTests {
    static let path = "damaged.json"

    /// The fixture `fit-<name>.json` as a JSON object, changed by `damage`, then read as a fit.
    static func read(_ name: String = "annealing", damage: (inout [String: Any]) throws -> Void) throws -> FitResult {
        let url = WorkflowFixtures.baseDirectory.appendingPathComponent("fit-\(name).json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        try damage(&object)
        return try FitFile.decode(try JSONSerialization.data(withJSONObject: object), path: path)
    }

    /// `object[key][field] = value`.
    static func set(_ object: inout [String: Any], _ key: String, _ field: String, _ value: Any) throws {
        var inner = try #require(object[key] as? [String: Any], "no \(key) in the fixture")
        inner[field] = value
        object[key] = inner
    }

    static func covarianceMatrix(_ object: [String: Any]) throws -> [[Double]] {
        let covariance = try #require(object["covariance"] as? [String: Any])
        return try #require(covariance["matrix"] as? [[Double]])
    }

    static func lawError(_ key: String, _ parameter: String, _ value: Double, _ range: ParameterRange) -> WorkflowError {
        .invalidFitValues(path: path, problem: .lawParameter(key: key, LawParameterError(parameter: parameter, value: value, range: range)))
    }

    /// Every fixture, as the fitter wrote it, passes.
    @Test(arguments: ["annealing", "multi-power", "exponential", "auto", "bootstrap"])
    func undamagedFixturesRead(name: String) throws {
        _ = try Self.read(name) { _ in }
    }

    @Test(arguments: [2, 1, 0, -0.5])
    func lambdaOutsideTheOpenUnitInterval(lambda: Double) throws {
        #expect(throws: Self.lawError("annealing", "lambda", lambda, .openUnitInterval)) {
            try Self.read { try Self.set(&$0, "annealing", "lambda", lambda) }
        }
    }

    @Test func negativeAlpha() throws {
        #expect(throws: Self.lawError("annealing", "alpha", -1, .positive)) {
            try Self.read { try Self.set(&$0, "annealing", "alpha", -1) }
        }
    }

    /// Non-finite numbers are written as the strings "nan", "inf" and "-inf"; no fit has one as a parameter.
    @Test func nonFiniteParameters() throws {
        #expect(throws: Self.lawError("annealing", "A", .infinity, .finite)) {
            try Self.read { try Self.set(&$0, "annealing", "a", "inf") }
        }
        #expect(throws: Self.lawError("annealing", "C", -.infinity, .finite)) {
            try Self.read { try Self.set(&$0, "annealing", "c", "-inf") }
        }
        do {
            _ = try Self.read { try Self.set(&$0, "annealing", "l0", "nan") }
            Issue.record("an L0 of NaN was read")
        } catch WorkflowError.invalidFitValues(let path, .lawParameter(let key, let problem)) {
            #expect(path == Self.path && key == "annealing")
            #expect(problem.parameter == "L0" && problem.value.isNaN && problem.range == .finite)
        }
    }

    /// L0 below zero is not damage: fits of a short window or of one constant-LR run write one
    /// (L0 ≈ −200 with A ≈ 200 and α at its lower bound). It reads, and shifts every prediction by
    /// exactly the change of L0.
    @Test func negativeL0IsReadAsWritten() throws {
        let original = try Self.read { _ in }
        let shifted = try Self.read { try Self.set(&$0, "annealing", "l0", -5.0) }
        let law = try #require(original.annealing)
        #expect(shifted.annealing?.l0 == -5)
        let rates = try Schedule(spec: "cosine:peak=0.6,end=0.06,warmup=200,total=20000").learningRates()
        let before = original.predict(learningRates: rates, at: [1000, 20000]).map(\.loss)
        let after = shifted.predict(learningRates: rates, at: [1000, 20000]).map(\.loss)
        for (old, new) in zip(before, after) {
            #expect(isClose(new - old, -5 - law.l0, relativeTolerance: 1e-12))
        }
    }

    @Test func missingLawKey() throws {
        #expect(throws: WorkflowError.invalidFitFile(path: Self.path, reason: "missing key \"annealing\"")) {
            try Self.read { $0["annealing"] = nil }
        }
    }

    @Test func unknownLawName() throws {
        #expect(throws: WorkflowError.invalidFitFile(path: Self.path, reason: "unreadable value at law: unknown law \"quadratic\"; this version reads annealing, multi-power, exponential")) {
            try Self.read { $0["law"] = "quadratic" }
        }
    }

    @Test func covarianceWithTooFewRows() throws {
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .covarianceShape(rows: [5, 5, 5], parameters: 5))) {
            try Self.read { object in
                let matrix = try Self.covarianceMatrix(object)
                try Self.set(&object, "covariance", "matrix", Array(matrix.prefix(3)))
            }
        }
    }

    @Test func covarianceWithAShortRow() throws {
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .covarianceShape(rows: [5, 5, 4, 5, 5], parameters: 5))) {
            try Self.read { object in
                var matrix = try Self.covarianceMatrix(object)
                matrix[2].removeLast()
                try Self.set(&object, "covariance", "matrix", matrix)
            }
        }
    }

    @Test func covarianceNamesThatAreNotTheLaws() throws {
        let names = ["L0", "A", "alpha", "C", "lambda"]
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .covarianceParameter(name: "beta", law: .annealing, parameters: names))) {
            try Self.read { try Self.set(&$0, "covariance", "parameters", ["L0", "A", "alpha", "C", "beta"]) }
        }
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .covarianceParameter(name: "A", law: .annealing, parameters: names))) {
            try Self.read { try Self.set(&$0, "covariance", "parameters", ["L0", "A", "alpha", "A", "lambda"]) }
        }
    }

    @Test func negativeVariance() throws {
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .negativeVariance(parameter: "alpha", value: -1))) {
            try Self.read { object in
                var matrix = try Self.covarianceMatrix(object)
                matrix[2][2] = -1
                try Self.set(&object, "covariance", "matrix", matrix)
            }
        }
    }

    /// A correlation beyond ±1, or (i, j) ≠ (j, i), cannot come from any covariance.
    @Test func entriesNoCovarianceHas() throws {
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .notACovariance(row: "L0", column: "A"))) {
            try Self.read { object in
                var matrix = try Self.covarianceMatrix(object)
                let beyond = 1.01 * (matrix[0][0] * matrix[1][1]).squareRoot()
                (matrix[0][1], matrix[1][0]) = (beyond, beyond)
                try Self.set(&object, "covariance", "matrix", matrix)
            }
        }
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .notACovariance(row: "alpha", column: "lambda"))) {
            try Self.read { object in
                var matrix = try Self.covarianceMatrix(object)
                matrix[4][2] = -matrix[2][4]
                try Self.set(&object, "covariance", "matrix", matrix)
            }
        }
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .covarianceNotFinite(row: "C", column: "C"))) {
            try Self.read { object in
                var matrix: [[Any]] = try Self.covarianceMatrix(object)
                matrix[3][3] = "inf"
                try Self.set(&object, "covariance", "matrix", matrix)
            }
        }
    }

    /// The ranking check, the baselines and the bootstrap replicates predict too, so their laws are checked.
    @Test func lawsBesideTheFit() throws {
        #expect(throws: Self.lawError("rankingCheck.law", "lambda", 1.5, .openUnitInterval)) {
            try Self.read { object in
                var check = try #require(object["rankingCheck"] as? [String: Any])
                try Self.set(&check, "law", "lambda", 1.5)
                object["rankingCheck"] = check
            }
        }
        #expect(throws: Self.lawError("baselines.perCurve[1].law", "alpha", 0, .positive)) {
            try Self.read { object in
                var baselines = try #require(object["baselines"] as? [String: Any])
                var perCurve = try #require(baselines["perCurve"] as? [[String: Any]])
                try Self.set(&perCurve[1], "law", "alpha", 0)
                baselines["perCurve"] = perCurve
                object["baselines"] = baselines
            }
        }
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .bootstrapReplicateLength(index: 3, count: 4, parameters: 5))) {
            try Self.read("bootstrap") { object in
                var bootstrap = try #require(object["bootstrap"] as? [String: Any])
                var replicates = try #require(bootstrap["replicates"] as? [[Double]])
                replicates[3].removeLast()
                bootstrap["replicates"] = replicates
                object["bootstrap"] = bootstrap
            }
        }
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .bootstrapReplicate(
            index: 0, LawParameterError(parameter: "lambda", value: 1, range: .openUnitInterval)))) {
            try Self.read("bootstrap") { object in
                var bootstrap = try #require(object["bootstrap"] as? [String: Any])
                var replicates = try #require(bootstrap["replicates"] as? [[Double]])
                replicates[0][4] = 1
                bootstrap["replicates"] = replicates
                object["bootstrap"] = bootstrap
            }
        }
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .bootstrapParameters(
            names: ["L0", "A", "alpha", "C", "gamma"], law: ["L0", "A", "alpha", "C", "lambda"]))) {
            try Self.read("bootstrap") { object in
                try Self.set(&object, "bootstrap", "parameterNames", ["L0", "A", "alpha", "C", "gamma"])
            }
        }
    }

    @Test func multiPowerAndExponentialRanges() throws {
        #expect(throws: Self.lawError("multiPower", "C", 0, .positive)) {
            try Self.read("multi-power") { try Self.set(&$0, "multiPower", "c", 0) }
        }
        #expect(throws: Self.lawError("multiPower", "beta", -1, .positive)) {
            try Self.read("multi-power") { try Self.set(&$0, "multiPower", "beta", -1) }
        }
        #expect(throws: Self.lawError("exponential", "b", 0.5, .negative)) {
            try Self.read("exponential") { try Self.set(&$0, "exponential", "b", 0.5) }
        }
        #expect(throws: Self.lawError("exponential", "stepScale", 0, .positive)) {
            try Self.read("exponential") { try Self.set(&$0, "exponential", "stepScale", 0) }
        }
    }

    @Test func curveStepsOutOfOrder() throws {
        #expect(throws: WorkflowError.invalidFitValues(path: Self.path, problem: .curveSteps(index: 0, first: -1, last: 20000))) {
            try Self.read { object in
                var curves = try #require(object["curves"] as? [[String: Any]])
                curves[0]["firstStep"] = -1
                object["curves"] = curves
            }
        }
    }

    /// The message names the file, the key and the parameter, and says to refit.
    @Test func theMessageSaysWhereAndWhatToDo() throws {
        #expect(Self.lawError("annealing", "lambda", 2, .openUnitInterval).description
                == "damaged.json: annealing: lambda = 2.0 must be in (0, 1); no fit writes that, so the file was damaged or edited: refit to make a new one")
    }
}
