/// Text from a spec or a schedule file quoted into a message: at most `limit` characters, its
/// length when longer, and control characters escaped, so that a long or binary line does not
/// flood the terminal. (TrainingLogs quotes log files the same way; the two libraries stand apart.)
/// The command-line tool quotes command-line values with it too.
package enum InputExcerpt {
    package static let limit = 60

    package static func quoted(_ text: some StringProtocol) -> String {
        let shown = text.prefix(limit).unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFD
                ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
        return text.count > limit ? "\(shown)… (\(text.count) characters)" : shown
    }
}
