/// Walks the fields of delimited text (RFC 4180 style) in place, without copying: fields are
/// returned as byte ranges.
///
/// Accepted: `"…"` quoted fields with `""` for a quote inside (they may span lines), spaces before
/// an opening and after a closing quote, LF, CRLF and lone CR line ends, and lines holding only
/// spaces, which count as blank.
struct FieldScanner {
    /// A field's content: inside the quotes when quoted.
    struct Field {
        var start: Int
        var end: Int
        var isQuoted: Bool

        static let missing = Field(start: 0, end: 0, isQuoted: false)
    }

    enum QuoteProblem {
        case unterminated
        case textAfterClosingQuote
    }

    static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    let bytes: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    /// The next byte to read.
    var position: Int
    /// The 1-based line that `position` is on.
    var line: Int

    /// Moves past blank lines to the start of the next row; false when the input ends first.
    mutating func skipBlankLines() -> Bool {
        while position < end {
            var index = position
            while index < end && isPadding(bytes[index]) { index += 1 }
            if index == end {
                position = end
                return false
            }
            switch bytes[index] {
            case Self.lineFeed:
                position = index + 1
                line += 1
            case Self.carriageReturn:
                position = index + 1
                if position < end && bytes[position] == Self.lineFeed { position += 1 }
                line += 1
            default:
                return true
            }
        }
        return false
    }

    /// Reads one field, leaving `position` at the delimiter or line end that follows it.
    @inline(__always)
    mutating func nextField() -> (Field, QuoteProblem?) {
        let fieldStart = position
        var index = position
        while index < end && bytes[index] == Self.space { index += 1 }
        if index < end && bytes[index] == Self.quote {
            return nextQuotedField(openingQuote: index)
        }
        index = fieldStart
        while index < end {
            let byte = bytes[index]
            if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn { break }
            index += 1
        }
        position = index
        return (Field(start: fieldStart, end: index, isQuoted: false), nil)
    }

    private mutating func nextQuotedField(openingQuote: Int) -> (Field, QuoteProblem?) {
        let contentStart = openingQuote + 1
        var index = contentStart
        var linesInside = 0
        while true {
            guard index < end else {
                position = end
                return (Field(start: contentStart, end: end, isQuoted: true), .unterminated)
            }
            let byte = bytes[index]
            if byte == Self.quote {
                if index + 1 < end && bytes[index + 1] == Self.quote {
                    index += 2
                    continue
                }
                break
            }
            if byte == Self.lineFeed || (byte == Self.carriageReturn && !(index + 1 < end && bytes[index + 1] == Self.lineFeed)) {
                linesInside += 1
            }
            index += 1
        }
        let field = Field(start: contentStart, end: index, isQuoted: true)
        index += 1
        while index < end && isPadding(bytes[index]) { index += 1 }
        position = index
        line += linesInside
        if index < end {
            let byte = bytes[index]
            if byte != delimiter && byte != Self.lineFeed && byte != Self.carriageReturn {
                return (field, .textAfterClosingQuote)
            }
        }
        return (field, nil)
    }

    /// Moves past the delimiter after a field; false at a line end or the end of the input.
    @inline(__always)
    mutating func consumeDelimiter() -> Bool {
        if position < end && bytes[position] == delimiter {
            position += 1
            return true
        }
        return false
    }

    /// Moves past the line end after a row's last field.
    @inline(__always)
    mutating func finishRow() {
        if position < end {
            if bytes[position] == Self.carriageReturn {
                position += 1
                if position < end && bytes[position] == Self.lineFeed { position += 1 }
            } else if bytes[position] == Self.lineFeed {
                position += 1
            }
        }
        line += 1
    }

    /// Moves past the rest of the physical line and its line end, after a row that cannot be read.
    mutating func skipRestOfLine() {
        while position < end && bytes[position] != Self.lineFeed && bytes[position] != Self.carriageReturn { position += 1 }
        finishRow()
    }

    /// The field with surrounding spaces and tabs removed.
    @inline(__always)
    func trimmed(_ field: Field) -> Field {
        var start = field.start
        var end = field.end
        while start < end && (bytes[start] == Self.space || bytes[start] == Self.tab) { start += 1 }
        while end > start && (bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab) { end -= 1 }
        return Field(start: start, end: end, isQuoted: field.isQuoted)
    }

    /// The field's text as written, trimmed, with `""` inside quotes read as one quote.
    func text(of field: Field) -> String {
        let trimmedField = trimmed(field)
        var content: [UInt8] = []
        var index = trimmedField.start
        while index < trimmedField.end {
            content.append(bytes[index])
            let isEscapedQuote = field.isQuoted && bytes[index] == Self.quote && index + 1 < trimmedField.end && bytes[index + 1] == Self.quote
            index += isEscapedQuote ? 2 : 1
        }
        return String(decoding: content, as: UTF8.self)
    }

    /// Spaces, and tabs unless tabs delimit fields.
    @inline(__always)
    private func isPadding(_ byte: UInt8) -> Bool {
        byte == Self.space || (byte == Self.tab && delimiter != Self.tab)
    }

    /// The delimiter of the row starting at `start`: whichever of tab, comma and semicolon occurs
    /// most often outside quotes (ties in that order), comma when none occurs.
    static func detectDelimiter(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> UInt8 {
        var tabs = 0, commas = 0, semicolons = 0
        var isInsideQuotes = false
        var index = start
        scan: while index < end {
            let byte = bytes[index]
            if byte == quote {
                isInsideQuotes.toggle()
            } else if !isInsideQuotes {
                switch byte {
                case lineFeed, carriageReturn: break scan
                case tab: tabs += 1
                case UInt8(ascii: ","): commas += 1
                case UInt8(ascii: ";"): semicolons += 1
                default: break
                }
            }
            index += 1
        }
        if tabs > 0 && tabs >= commas && tabs >= semicolons { return tab }
        if semicolons > commas { return UInt8(ascii: ";") }
        return UInt8(ascii: ",")
    }
}
