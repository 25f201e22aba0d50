import Foundation
import ScalingLaws

/// FIT.json: a `FitResult` with its format number and the version that wrote it.
///
/// Format 0 (no `formatVersion` key) is what lossfit wrote before files were numbered; format 1
/// adds `formatVersion` and `writtenBy` and is otherwise the same; format 2 adds `committee` (the
/// members and how their predictions combine, `Committee+Codable`); format 3 adds each curve's
/// `source` (the log as given, its run, the loss series fitted and the others present, the window
/// and the points it used and left out: `CurveSource`). All four read.
public enum FitFile {
    /// The format this version writes; files up to it read.
    public static let formatVersion = 3

    /// `result` as FIT.json text.
    public static func encode(_ result: FitResult) throws -> Data {
        try JSONCoding.encode(VersionedContent(formatVersion: formatVersion, writtenBy: LossFitVersion.current, content: result))
    }

    /// The fit in FIT.json `data`; `path` names it in errors.
    ///
    /// - Throws: `.invalidFitFile` for what is not JSON of a fit, `.newerFitFile` for a newer format,
    ///   `.invalidFitValues` for values no fit writes (`FitResult.validate()`), which would make
    ///   predictions wrong or impossible.
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
        let result: FitResult
        do {
            result = try JSONCoding.decoder.decode(VersionedContent<FitResult>.self, from: data).content
        } catch let error as DecodingError {
            throw .invalidFitFile(path: path, reason: error.summary)
        } catch {
            throw .invalidFitFile(path: path, reason: "\(error)")
        }
        do {
            try result.validate()
        } catch {
            throw .invalidFitValues(path: path, problem: error)
        }
        return result
    }

    public static func write(_ result: FitResult, to path: String) throws {
        try OutputFile.write(try encode(result), to: path)
    }

    public static func read(_ path: String) throws(WorkflowError) -> FitResult {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableFitFile(path: path) }
        return try decode(data, path: path)
    }
}
