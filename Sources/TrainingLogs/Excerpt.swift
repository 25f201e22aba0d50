/// Text quoted from a file into a message: short, on one line, and safe to print.
///
/// A header of 10 MB, or a binary file read as text, must not become 10 MB of raw bytes on a
/// terminal: a quotation keeps its first `maximumLength` characters and says how long it was;
/// control characters are written as escapes, and bytes that were not UTF-8 (decoded to U+FFFD)
/// as `\u{fffd}`.
enum Excerpt {
    /// The most characters of one quotation.
    static let maximumLength = 80
    /// The most characters of a list of names before the rest is counted instead.
    static let maximumListLength = 80

    /// `text` cut to `maximumLength` characters, with its length when cut, and escaped.
    static func quoted(_ text: String) -> String {
        guard text.count > maximumLength else { return escaped(text) }
        return "\(escaped(String(text.prefix(maximumLength))))… (\(text.count) characters)"
    }

    /// Names as "a, b, c", an empty name as "", or "(none)"; a long list is cut after about
    /// `maximumListLength` characters, counting the names left out and the characters of all.
    static func list(_ names: [String]) -> String {
        guard !names.isEmpty else { return "(none)" }
        var shown: [String] = []
        var length = 0
        for name in names {
            let item = name.isEmpty ? "\"\"" : quoted(name)
            if !shown.isEmpty && length + item.count > maximumListLength { break }
            shown.append(item)
            length += item.count + 2
        }
        let text = shown.joined(separator: ", ")
        guard shown.count < names.count else { return text }
        let characters = names.reduce(0) { $0 + $1.count } + 2 * (names.count - 1)
        return "\(text), … \(names.count - shown.count) more (\(names.count) names, \(characters) characters in all)"
    }

    /// `text` with line breaks, other control characters and U+FFFD written as escapes.
    static func escaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFD:
                escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
