import Foundation
import TestSupport
import Testing

/// The example logs bundled in the package's data/ directory.
enum BundledLogs {
    static let training = ["cosine_20000", "constant_20000", "twostage_0.2"]
    static let unseen = ["cosine_40000", "wsd_linear_20000", "wsd_1-sqrt_20000", "twostage_0.06", "linear_20000"]
    /// The simulated hyperparameter sweep (data/sweep.csv).
    static let sweep = "sweep"
    /// Everything `lossfit demo` reads.
    static let demoInputs = training + unseen + [sweep]

    static func url(_ name: String) -> URL {
        SharedData.packageRoot.appendingPathComponent("data/\(name).csv")
    }

    /// The absolute paths of `names`, after checking that each file exists.
    static func paths(_ names: [String]) throws -> [String] {
        try names.map { name in
            let path = url(name).path
            try #require(FileManager.default.fileExists(atPath: path), "missing bundled log \(path)")
            return path
        }
    }
}

/// The multi-power-law curves in the shared data (`../shared/data/mpl/<size>/`).
enum MPLCurves {
    static let training = ["cosine_24000", "constant_24000", "wsdcon_9"]
    static let unseen = ["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]

    /// The absolute paths of `names` for model size `size` ("100" or "25"), after checking that each exists.
    static func paths(_ names: [String], size: String) throws -> [String] {
        try names.map { name in
            let path = SharedData.url("mpl/\(size)/\(name).csv").path
            try #require(FileManager.default.fileExists(atPath: path), "missing shared curve \(path)")
            return path
        }
    }
}

/// A training log parsed by the test itself (independently of the tool): the step, lr and loss columns.
struct LogTable {
    var steps: [Int] = []
    var learningRates: [Double] = []
    var losses: [Double] = []

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try self.init(csv: text)
    }

    init(csv text: String) throws {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let step = try #require(header.firstIndex(of: "step"))
        let lr = header.firstIndex(of: "lr")
        let loss = header.firstIndex(of: "loss")
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            steps.append(try #require(Int(fields[step]), "step in \(line)"))
            if let lr { learningRates.append(try #require(Double(fields[lr]), "lr in \(line)")) }
            if let loss { losses.append(try #require(Double(fields[loss]), "loss in \(line)")) }
        }
    }
}

/// Decodes `text` (what a command printed) as JSON of type `T`.
func decodeJSON<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(text.utf8))
}

/// Parses `text` as a JSON object.
func jsonObject(_ text: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(value as? [String: Any], "not a JSON object: \(text.prefix(200))")
}

/// Parses the file at `url` as a JSON object.
func jsonObject(contentsOf url: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: url)
    let value = try JSONSerialization.jsonObject(with: data)
    return try #require(value as? [String: Any], "not a JSON object: \(url.path)")
}

/// The lines of standard error that are not notes.
func errorLines(_ output: CLIRunner.Output) -> [Substring] {
    output.stderr.split(separator: "\n").filter { !$0.hasPrefix("note:") }
}

/// The lines of `text` split into whitespace-separated tokens, for reading the tool's tables.
func tableRows(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { $0.split(whereSeparator: { $0 == " " }).map(String.init) }
}

/// Runs `body` with a fresh temporary directory that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// Runs `lossfit` and requires exit status 0, reporting standard error otherwise.
@discardableResult
func runSucceeding(_ arguments: [String], in directory: URL? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIRunner.Output {
    let output = try CLIRunner.run(arguments, in: directory)
    try #require(output.status == 0, "lossfit \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)",
                 sourceLocation: sourceLocation)
    return output
}

/// The JSON `lossfit evaluate --json` prints.
struct EvaluationJSON: Decodable {
    struct Curve: Decodable {
        var name: String
        var points: Int
        var r2: Double
        var mae: Double
        var rmse: Double
        var predE: Double
        var worstE: Double
        var finalStep: Int
        var finalLoss: Double
        var predictedFinalLoss: Double
    }

    struct Mean: Decodable {
        var r2: Double
        var mae: Double
        var rmse: Double
        var predE: Double
        var worstE: Double
    }

    var curves: [Curve]
    var mean: Mean
}

/// The JSON `lossfit predict --format json` prints.
struct PredictionJSON: Decodable {
    struct Point: Decodable {
        var step: Int
        var learningRate: Double
        var loss: Double
    }

    var schedule: String
    var law: String
    var points: [Point]
}

/// The part of the JSON `lossfit recommend --json` prints that the tests read.
struct RecommendationJSON: Decodable {
    var learningRate: Double
    var batchSizeTokens: Double
}
