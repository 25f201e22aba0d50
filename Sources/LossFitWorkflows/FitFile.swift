import Foundation
import ScalingLaws

/// FIT.json: a `FitResult` with its format number and the version that wrote it.
///
/// Format 0 (no `formatVersion` key) is what lossfit wrote before files were numbered; format 1
/// adds `formatVersion` and `writtenBy` and is otherwise the same. Both read.
public enum FitFile {
    /// The format this version writes; files up to it read.
    public static let formatVersion = 1

    /// `result` as FIT.json text.
    public static func encode(_ result: FitResult) throws -> Data {
        try JSONCoding.encoder.encode(VersionedContent(formatVersion: formatVersion, writtenBy: LossFitVersion.current, content: result))
    }

    /// The fit in FIT.json `data`; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws(WorkflowError) -> FitResult {
        let header: FormatHeader
        do {
            header = try JSONCoding.decoder.decode(FormatHeader.self, from: data)
        } catch {
            throw .invalidFitFile(path: path, reason: "not JSON")
        }
        if let format = header.formatVersion, format > formatVersion {
            throw .newerFitFile(path: path, format: format, writtenBy: header.writtenBy)
        }
        do {
            return try JSONCoding.decoder.decode(VersionedContent<FitResult>.self, from: data).content
        } catch let error as DecodingError {
            throw .invalidFitFile(path: path, reason: error.summary)
        } catch {
            throw .invalidFitFile(path: path, reason: "\(error)")
        }
    }

    public static func write(_ result: FitResult, to path: String) throws {
        try OutputFile.write(try encode(result), to: path)
    }

    public static func read(_ path: String) throws(WorkflowError) -> FitResult {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableFitFile(path: path) }
        return try decode(data, path: path)
    }
}

/// LAW.json: the laws of a sweep fit or a batch-size transfer fit, with the format number and the
/// version that wrote it. Format 0 (no `formatVersion` key) still reads.
public enum LawFile {
    /// The format this version writes; files up to it read.
    public static let formatVersion = 1

    public static func write(_ law: some Codable, to path: String) throws {
        try OutputFile.write(try JSONCoding.encoder.encode(VersionedContent(formatVersion: formatVersion, writtenBy: LossFitVersion.current, content: law)), to: path)
    }

    /// Reads a law of `type` from `path`.
    public static func read<Law: Codable>(_ type: Law.Type, from path: String) throws(WorkflowError) -> Law {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableLawFile(path: path, law: "\(Law.self)") }
        let header: FormatHeader
        do {
            header = try JSONCoding.decoder.decode(FormatHeader.self, from: data)
        } catch {
            throw .invalidLawFile(path: path, law: "\(Law.self)", reason: "not JSON")
        }
        if let format = header.formatVersion, format > formatVersion {
            throw .newerLawFile(path: path, format: format, writtenBy: header.writtenBy)
        }
        do {
            return try JSONCoding.decoder.decode(VersionedContent<Law>.self, from: data).content
        } catch let error as DecodingError {
            throw .invalidLawFile(path: path, law: "\(Law.self)", reason: error.summary)
        } catch {
            throw .invalidLawFile(path: path, law: "\(Law.self)", reason: "\(error)")
        }
    }

    /// Reads the laws of a sweep fit.
    public static func readSweepLaw(_ path: String) throws(WorkflowError) -> SweepLaw {
        try read(SweepLaw.self, from: path)
    }
}

extension DecodingError {
    /// Where and what, in a few words: `missing key "law"`, `wrong type at parameters[2].value`.
    var summary: String {
        func path(_ context: Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch self {
        case .keyNotFound(let key, let context):
            let at = path(context)
            return "missing key \"\(key.stringValue)\"" + (at.isEmpty ? "" : " in \(at)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong or missing value at \(path(context))"
        case .dataCorrupted(let context):
            let at = path(context)
            return at.isEmpty ? "not JSON" : "unreadable value at \(at)"
        @unknown default:
            return "unreadable"
        }
    }
}
