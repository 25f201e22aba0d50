import Foundation

/// Text fields of the CSV the tool prints.
public enum CSVText {
    /// `text` as one CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break,
    /// each quote doubled; otherwise as it is.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
