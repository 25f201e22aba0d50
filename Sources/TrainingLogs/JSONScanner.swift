/// Why JSON text is not well-formed, and where (a byte offset in the scanned buffer).
struct JSONProblem: Error {
    var message: String
    var position: Int
}

/// A leaf value of a JSON object: what the readers care about is numbers; the rest is told apart
/// only so that it can be counted or named in a message.
enum JSONLeaf {
    case number(Double)
    case null
    /// A string, as the byte range of its content (escapes not decoded).
    case string(start: Int, end: Int)
    /// `true`, `false`, or a list, as the byte range of its text.
    case other(start: Int, end: Int)
}

/// Receives the leaves of an object as `JSONScanner.walkObject` finds them.
protocol JSONLeafVisitor {
    /// A leaf at `path`: the keys from the walked object down, joined by `/`.
    mutating func visit(path: UnsafeBufferPointer<UInt8>, leaf: JSONLeaf)
}

/// A strict JSON (RFC 8259) scanner over bytes in place, accepting also the `NaN`, `Infinity` and
/// `-Infinity` that Python's `json` module writes. Nesting is limited, so hostile input cannot
/// exhaust the stack.
struct JSONScanner {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    /// The next byte to read.
    var position: Int
    /// The 1-based line of `position`, and the offset where that line starts (for columns).
    var line = 1
    var lineStart: Int

    static let maximumDepth = 64

    /// A scanner of `bytes[start..<end]`.
    init(bytes: UnsafePointer<UInt8>, start: Int, end: Int) {
        self.bytes = bytes
        self.end = end
        self.position = start
        self.lineStart = start
    }

    /// The 1-based column of byte offset `offset` on the current line.
    func column(of offset: Int) -> Int { offset - lineStart + 1 }

    mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: "\n"):
                position += 1
                line += 1
                lineStart = position
            default:
                return
            }
        }
    }

    /// True (and moves past it) when the next non-space byte is `byte`.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if position < end && bytes[position] == byte {
            position += 1
            return true
        }
        return false
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONProblem) {
        guard consume(byte) else { throw problem("expected \(what)") }
    }

    func problem(_ message: String) -> JSONProblem {
        if position >= end { return JSONProblem(message: message + " before the end", position: position) }
        return JSONProblem(message: message + ", found \(describeByte(bytes[position]))", position: position)
    }

    private func describeByte(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == UInt8(ascii: " ") { return "a space" }
        if byte == UInt8(ascii: "\n") { return "the line end" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    /// Walks the object starting at `position`, calling `visitor` for each leaf; nested objects'
    /// keys are joined to the path with `/`.
    mutating func walkObject<Visitor: JSONLeafVisitor>(_ visitor: inout Visitor, path: inout [UInt8], depth: Int = 0) throws(JSONProblem) {
        try expect(UInt8(ascii: "{"), "'{'")
        guard depth < Self.maximumDepth else { throw JSONProblem(message: "objects nested deeper than \(Self.maximumDepth) levels", position: position - 1) }
        if consume(UInt8(ascii: "}")) { return }
        let pathLength = path.count
        while true {
            skipWhitespace()
            guard position < end && bytes[position] == UInt8(ascii: "\"") else { throw problem("expected a key in quotes") }
            let key = try scanString()
            try expect(UInt8(ascii: ":"), "':' after the key")
            skipWhitespace()
            appendKey(key, to: &path)
            if position < end && bytes[position] == UInt8(ascii: "{") {
                path.append(UInt8(ascii: "/"))
                try walkObject(&visitor, path: &path, depth: depth + 1)
            } else {
                let leaf = try scanLeaf(depth: depth + 1)
                path.withUnsafeBufferPointer { visitor.visit(path: $0, leaf: leaf) }
            }
            path.removeSubrange(pathLength...)
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { return }
            throw problem("expected ',' or '}' after a value")
        }
    }

    private func appendKey(_ key: (start: Int, end: Int, hasEscapes: Bool), to path: inout [UInt8]) {
        if key.hasEscapes {
            path.append(contentsOf: decodedString(start: key.start, end: key.end).utf8)
        } else {
            path.append(contentsOf: UnsafeBufferPointer(start: bytes + key.start, count: key.end - key.start))
        }
    }

    /// A value that is not an object: a number, null, a string, a boolean, or a list (skipped).
    mutating func scanLeaf(depth: Int) throws(JSONProblem) -> JSONLeaf {
        skipWhitespace()
        guard position < end else { throw problem("expected a value") }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "\""):
            let string = try scanString()
            return .string(start: string.start, end: string.end)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            try skipValue(depth: depth)
            return .other(start: start, end: position)
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .other(start: start, end: position)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .other(start: start, end: position)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return .null
        default:
            return .number(try scanNumber())
        }
    }

    /// Moves past any value, checking that it is well-formed.
    mutating func skipValue(depth: Int) throws(JSONProblem) {
        skipWhitespace()
        guard position < end else { throw problem("expected a value") }
        guard depth < Self.maximumDepth else { throw JSONProblem(message: "values nested deeper than \(Self.maximumDepth) levels", position: position) }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            if consume(UInt8(ascii: "}")) { return }
            while true {
                skipWhitespace()
                guard position < end && bytes[position] == UInt8(ascii: "\"") else { throw problem("expected a key in quotes") }
                _ = try scanString()
                try expect(UInt8(ascii: ":"), "':' after the key")
                try skipValue(depth: depth + 1)
                if consume(UInt8(ascii: ",")) { continue }
                if consume(UInt8(ascii: "}")) { return }
                throw problem("expected ',' or '}' after a value")
            }
        case UInt8(ascii: "["):
            position += 1
            if consume(UInt8(ascii: "]")) { return }
            while true {
                try skipValue(depth: depth + 1)
                if consume(UInt8(ascii: ",")) { continue }
                if consume(UInt8(ascii: "]")) { return }
                throw problem("expected ',' or ']' after a list element")
            }
        default:
            _ = try scanLeaf(depth: depth)
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONProblem) {
        let count = word.utf8CodeUnitCount
        guard end - position >= count else { throw problem("expected a value") }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] {
            throw problem("expected a value")
        }
        position += count
    }

    /// A number, or Python's `NaN`, `Infinity`, `-Infinity`.
    mutating func scanNumber() throws(JSONProblem) -> Double {
        let start = position
        if bytes[position] == UInt8(ascii: "N") {
            try expectWord("NaN")
            return .nan
        }
        if bytes[position] == UInt8(ascii: "I") {
            try expectWord("Infinity")
            return .infinity
        }
        if bytes[position] == UInt8(ascii: "-") && position + 1 < end && bytes[position + 1] == UInt8(ascii: "I") {
            position += 1
            try expectWord("Infinity")
            return -.infinity
        }
        // The JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end, isDigit(bytes[position]) else {
            position = start
            throw problem("expected a value")
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < end && isDigit(bytes[position]) { position += 1 }
        }
        if position < end && bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < end, isDigit(bytes[position]) else { throw problem("expected a digit after the decimal point") }
            while position < end && isDigit(bytes[position]) { position += 1 }
        }
        if position < end && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
            position += 1
            if position < end && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) { position += 1 }
            guard position < end, isDigit(bytes[position]) else { throw problem("expected a digit in the exponent") }
            while position < end && isDigit(bytes[position]) { position += 1 }
        }
        // The grammar above is a subset of what the byte parser reads, so it cannot fail here.
        return NumberParsing.parseDouble(bytes, start, position) ?? .nan
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// A string at `position` (which holds its opening quote): the byte range of its content and
    /// whether it holds escapes. Escapes and UTF-8 are checked; raw control characters are errors.
    mutating func scanString() throws(JSONProblem) -> (start: Int, end: Int, hasEscapes: Bool) {
        position += 1
        let start = position
        var hasEscapes = false
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let stringEnd = position
                position += 1
                return (start, stringEnd, hasEscapes)
            }
            if byte < 0x20 { throw problem("unescaped control character in a string") }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 1
                guard position < end else { break }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    for _ in 0..<4 {
                        guard position < end, hexValue(bytes[position]) != nil else { throw problem("expected four hex digits after \\u") }
                        position += 1
                    }
                default:
                    throw problem("invalid escape in a string")
                }
                continue
            }
            position += 1
        }
        throw JSONProblem(message: "a string is never closed", position: start - 1)
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The text of a string already checked by `scanString`, escapes decoded; unpaired surrogates
    /// and invalid UTF-8 become U+FFFD.
    func decodedString(start: Int, end stringEnd: Int) -> String {
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flushRaw() {
            if !raw.isEmpty {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
        }
        var index = start
        var pendingHighSurrogate: UInt32?
        while index < stringEnd {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < stringEnd else {
                if pendingHighSurrogate != nil {
                    scalars.append("\u{FFFD}")
                    pendingHighSurrogate = nil
                }
                raw.append(byte)
                index += 1
                continue
            }
            flushRaw()
            let escaped = bytes[index + 1]
            index += 2
            var scalar: UInt32
            switch escaped {
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                scalar = 0
                for offset in 0..<4 where index + offset < stringEnd {
                    scalar = scalar << 4 | (hexValue(bytes[index + offset]) ?? 0)
                }
                index += 4
            default: scalar = UInt32(escaped)
            }
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00)
                } else {
                    scalars.append("\u{FFFD}")
                }
            }
            if scalar >= 0xD800 && scalar < 0xDC00 {
                pendingHighSurrogate = scalar
                continue
            }
            scalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")
        }
        flushRaw()
        if pendingHighSurrogate != nil { scalars.append("\u{FFFD}") }
        return String(scalars)
    }
}
