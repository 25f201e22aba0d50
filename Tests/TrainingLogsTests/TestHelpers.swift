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
