import Foundation

/// Builds SVG markup: escaped text, coordinates with one decimal, so output is stable byte for byte.
struct SVGWriter {
    private(set) var markup = ""

    /// `text` safe inside XML character data and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A coordinate with one decimal (a tenth of a pixel is finer than any screen shows).
    static func number(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return text == "-0.0" ? "0.0" : text
    }

    mutating func raw(_ text: String) {
        markup += text
        markup += "\n"
    }

    /// An element with attributes (escaped) and optional text content (escaped).
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil) {
        var line = "<" + name
        for (key, value) in attributes { line += " \(key)=\"\(Self.escape(value))\"" }
        if let text {
            line += ">" + Self.escape(text) + "</\(name)>"
        } else {
            line += "/>"
        }
        raw(line)
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        var attributes = "x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
        if let dash { attributes += " stroke-dasharray=\"\(dash)\"" }
        raw("<line \(attributes)/>")
    }

    /// Text at (x, y); `anchor` is start, middle or end; `rotate` turns it about its anchor point.
    mutating func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Double = 12,
                       weight: String? = nil, rotate: Double? = nil, fill: String = "#222222") {
        var attributes = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" font-size=\"\(Self.number(size))\" fill=\"\(fill)\""
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let rotate { attributes += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\"" }
        raw("<text \(attributes)>\(Self.escape(content))</text>")
    }
}
