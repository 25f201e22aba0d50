import Foundation
import HyperparameterLaws
import ScalingLaws

/// LAW.json: the laws of a sweep fit or a batch-size transfer fit, with the format number and the
/// version that wrote it. Format 0 (no `formatVersion` key) still reads.
public enum LawFile {
    /// The format this version writes; files up to it read.
    public static let formatVersion = 1

    public static func write(_ law: some Codable, to path: String) throws {
        try OutputFile.write(try JSONCoding.encode(VersionedContent(formatVersion: formatVersion, writtenBy: LossFitVersion.current, content: law)), to: path)
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
