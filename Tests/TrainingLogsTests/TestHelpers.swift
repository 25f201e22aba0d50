import Foundation
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

    nonisolated(unsafe) private static let expected: [String: Any] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("expected.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }()

    /// A list of numbers from expected.json, e.g. `doubles("tbx", "loss")`. They are stored as
    /// Python's shortest round-trip text and converted by `Double(String)`, which rounds correctly.
    static func doubles(_ section: String, _ key: String) -> [Double] {
        ((expected[section] as? [String: Any])?[key] as? [Any] ?? []).compactMap { ($0 as? String).flatMap(Double.init) }
    }

    /// A list of whole numbers from expected.json.
    static func integers(_ section: String, _ key: String) -> [Int] {
        ((expected[section] as? [String: Any])?[key] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.intValue }
    }

    /// What TensorBoard's EventAccumulator read back from a fixture: steps and values of `tag`.
    static func readBack(_ section: String, _ tag: String, key: String = "read_back") -> (steps: [Int], values: [Double]) {
        let pairs = ((expected[section] as? [String: Any])?[key] as? [String: Any])?[tag] as? [[Any]] ?? []
        return (pairs.compactMap { ($0.first as? NSNumber)?.intValue }, pairs.compactMap { ($0.last as? String).flatMap(Double.init) })
    }
}
