import Foundation

/// Where the shared public data lives (`../shared` beside the package) and whether tests that need
/// it must run.
public enum SharedData {
    /// The package's root directory.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/TestSupport/SharedData.swift
        return url
    }()

    /// `../shared/data`, or `$LOSSFIT_SHARED/data` when that variable is set.
    public static let dataDirectory: URL = {
        if let custom = ProcessInfo.processInfo.environment["LOSSFIT_SHARED"] {
            return URL(fileURLWithPath: custom).appendingPathComponent("data")
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// True when `LOSSFIT_REQUIRE_SHARED=1`: tests that need the data then fail instead of skipping.
    public static let isRequired = ProcessInfo.processInfo.environment["LOSSFIT_REQUIRE_SHARED"] == "1"

    /// True when the shared data directory exists.
    public static let isPresent = FileManager.default.fileExists(atPath: dataDirectory.path)

    /// Whether tests that need the shared data should run: present, or required (then they fail
    /// loudly when it is missing). Use as `.enabled(if: SharedData.shouldRun)`.
    public static let shouldRun = isPresent || isRequired

    /// The URL of `relativePath` inside the shared data directory.
    public static func url(_ relativePath: String) -> URL {
        dataDirectory.appendingPathComponent(relativePath)
    }
}
