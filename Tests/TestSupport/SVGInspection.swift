import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What an SVG (or any XML) document holds, read with Foundation's XMLParser: proof that it is
/// well-formed, and its elements and text for the checks.
public struct SVGInspection {
    /// An element's name and attributes.
    public struct Element {
        public var name: String
        public var attributes: [String: String]
    }

    /// Why a document could not be read.
    public struct MalformedXML: Error, CustomStringConvertible {
        public var description: String
    }

    public private(set) var elements: [Element] = []
    /// The text of every `text` and `title` element, in document order.
    public private(set) var texts: [String] = []

    /// Parses `markup`.
    /// - Throws: `MalformedXML` when it is not well-formed XML.
    public init(_ markup: String) throws {
        let delegate = Collector()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            throw MalformedXML(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
        }
        elements = delegate.elements
        texts = delegate.texts
    }

    /// The elements named `name`.
    public func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// Line paths: paths drawn as strokes without fill.
    public var linePaths: [Element] { all("path").filter { $0.attributes["fill"] == "none" } }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var texts: [String] = []
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            elements.append(Element(name: name, attributes: attributes))
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" || name == "title" { texts.append(text) }
            text = ""
        }
    }
}
