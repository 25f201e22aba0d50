import Foundation
import Testing
import TrainingLogs

/// Parses `text` as a CSV log named `run.csv` unless told otherwise.
func parseLog(_ text: String, source: String = "run.csv", columns: ColumnChoice = .init()) throws(LogReadError) -> TrainingLog {
    try TrainingLogReader.parseCSV(text, source: source, columns: columns)
}

/// The error that parsing `text` throws, or nil when it parses.
func parseError(_ text: String, source: String = "run.csv", columns: ColumnChoice = .init()) -> LogReadError? {
    do {
        _ = try parseLog(text, source: source, columns: columns)
        return nil
    } catch {
        return error
    }
}

/// Bit-for-bit equality, for values that must come through parsing unchanged.
func sameBits(_ actual: [Double], _ expected: [Double]) -> Bool {
    actual.map(\.bitPattern) == expected.map(\.bitPattern)
}

/// The committed fixtures (Tests/TrainingLogsTests/Fixtures, made by make_fixtures.py) and what
/// their writers wrote (expected.json).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The path of a fixture file or directory.
    static func path(_ relativePath: String) -> String {
        directory.appendingPathComponent(relativePath).path
    }

    /// The bytes of a fixture file.
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }

    /// expected.json, or why it could not be read.
    nonisolated(unsafe) private static let expected: Result<[String: Any], FixtureError> = {
        let url = directory.appendingPathComponent("expected.json")
        guard let data = try? Data(contentsOf: url) else { return .failure(FixtureError(message: "cannot read \(url.path)")) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .failure(FixtureError(message: "\(url.path) is not a JSON object"))
        }
        return .success(object)
    }()

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The list at `section.key` of expected.json; a missing file, section or key, or an entry that
    /// `convert` refuses, is a test failure (not an empty list that a reader's empty result matches).
    private static func list<T>(_ section: String, _ key: String, sourceLocation: SourceLocation,
                                _ convert: (Any) -> T?) -> [T] {
        let object: [String: Any]
        switch expected {
        case .failure(let error):
            Issue.record("expected.json: \(error)", sourceLocation: sourceLocation)
            return []
        case .success(let found):
            object = found
        }
        guard let entries = (object[section] as? [String: Any])?[key] as? [Any] else {
            Issue.record("expected.json has no list \(section).\(key)", sourceLocation: sourceLocation)
            return []
        }
        let converted = entries.compactMap(convert)
        if converted.count != entries.count {
            Issue.record("expected.json: \(entries.count - converted.count) entries of \(section).\(key) are not what they should be",
                         sourceLocation: sourceLocation)
        }
        return converted
    }

    /// A list of numbers from expected.json, e.g. `doubles("tbx", "loss")`. They are stored as
    /// Python's shortest round-trip text and converted by `Double(String)`, which rounds correctly.
    static func doubles(_ section: String, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Double] {
        list(section, key, sourceLocation: sourceLocation) { ($0 as? String).flatMap(Double.init) }
    }

    /// A list of whole numbers from expected.json.
    static func integers(_ section: String, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Int] {
        list(section, key, sourceLocation: sourceLocation) { ($0 as? NSNumber)?.intValue }
    }

    /// What TensorBoard's EventAccumulator read back from a fixture: steps and values of `tag`.
    static func readBack(_ section: String, _ tag: String, key: String = "read_back",
                         sourceLocation: SourceLocation = #_sourceLocation) -> (steps: [Int], values: [Double]) {
        let pairs: [[Any]]
        switch expected {
        case .failure(let error):
            Issue.record("expected.json: \(error)", sourceLocation: sourceLocation)
            return ([], [])
        case .success(let object):
            guard let found = ((object[section] as? [String: Any])?[key] as? [String: Any])?[tag] as? [[Any]] else {
                Issue.record("expected.json has no \(section).\(key).\(tag)", sourceLocation: sourceLocation)
                return ([], [])
            }
            pairs = found
        }
        let steps = pairs.compactMap { ($0.first as? NSNumber)?.intValue }
        let values = pairs.compactMap { ($0.last as? String).flatMap(Double.init) }
        if steps.count != pairs.count || values.count != pairs.count {
            Issue.record("expected.json: \(section).\(key).\(tag) holds pairs that are not (step, value)", sourceLocation: sourceLocation)
        }
        return (steps, values)
    }
}
