import ScalingLaws

/// Error messages quote command-line values only as short escaped excerpts (`InputExcerpt`): the
/// tool's own messages do so where they name a value, and this catches the rest, above all
/// argument-parser's, which echoes a rejected value whole ("The value '…' is invalid for
/// '--total <T>'") and would print 10 KB for a 10,000-character argument. Paths are quoted whole.
enum ArgumentQuoting {
    /// The longest path a system call takes (Linux's PATH_MAX): a longer value is no path.
    static let longestPath = 4096

    /// `message` with every argument, or value of a `--flag=value` argument, that holds a control
    /// character, or is longer than `InputExcerpt.limit` and no path, replaced by its excerpt. When
    /// one was, argument-parser's "Help:" line (the option's help, as `--help` prints it) is left
    /// out too, so that the message stays a few lines.
    static func shortened(_ message: String, arguments: some Sequence<String>) -> String {
        var values: Set<String> = []
        for argument in arguments {
            values.insert(argument)
            if argument.hasPrefix("-"), let equals = argument.firstIndex(of: "=") {
                values.insert(String(argument[argument.index(after: equals)...]))
            }
        }
        var shortened = message
        // Longest first: an argument's excerpt must not be cut into by a shorter one it contains.
        for value in values.filter(needsExcerpt).sorted(by: { $0.count > $1.count }) where shortened.contains(value) {
            shortened = shortened.replacingOccurrences(of: value, with: InputExcerpt.quoted(value))
        }
        guard shortened != message else { return message }
        return shortened.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Help:  ") }.joined(separator: "\n")
    }

    private static func needsExcerpt(_ value: String) -> Bool {
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0xFFFD }) { return true }
        let couldBePath = value.contains("/") && value.utf8.count <= longestPath
        return value.count > InputExcerpt.limit && !couldBePath
    }
}
