/// Text from a formula, a request or a sweep quoted into a message: at most `limit` characters, its
/// length when longer, and control characters escaped, so that a long or binary value does not
/// flood the terminal. The same rule as ScalingLaws' `InputExcerpt` (which the command-line tool
/// also uses); the two libraries stand apart, so each has its own.
enum InputExcerpt {
    static let limit = 60

    static func quoted(_ text: some StringProtocol) -> String {
        let shown = text.prefix(limit).unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFD
                ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
        return text.count > limit ? "\(shown)… (\(text.count) characters)" : shown
    }
}
