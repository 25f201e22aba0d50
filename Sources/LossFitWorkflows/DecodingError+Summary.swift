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
            let why = context.debugDescription.isEmpty ? "" : ": " + context.debugDescription.prefix(160)
            return at.isEmpty ? "not JSON" : "unreadable value at \(at)\(why)"
        @unknown default:
            return "unreadable"
        }
    }
}
