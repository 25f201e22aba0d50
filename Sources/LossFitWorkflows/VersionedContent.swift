/// A file's content with its format number and the version that wrote it, side by side with the
/// content's own keys at the top level:
///
/// ```
/// { "formatVersion": 1, "writtenBy": "0.1.0", …the content's keys… }
/// ```
/// Files from before the format carried a number have neither key and read as format 0.
struct VersionedContent<Content: Codable>: Codable {
    var formatVersion: Int
    var writtenBy: String?
    var content: Content

    private enum CodingKeys: String, CodingKey { case formatVersion, writtenBy }

    init(formatVersion: Int, writtenBy: String?, content: Content) {
        self.formatVersion = formatVersion
        self.writtenBy = writtenBy
        self.content = content
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decodeIfPresent(Int.self, forKey: .formatVersion) ?? 0
        writtenBy = try container.decodeIfPresent(String.self, forKey: .writtenBy)
        content = try Content(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try content.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encodeIfPresent(writtenBy, forKey: .writtenBy)
    }
}

/// Only the version keys of a file, read before its content so that a newer format is reported as
/// such rather than as a broken file.
struct FormatHeader: Decodable {
    var formatVersion: Int?
    var writtenBy: String?
}
