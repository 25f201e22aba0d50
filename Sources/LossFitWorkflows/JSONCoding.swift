import Foundation
import ScalingLaws

/// JSON as lossfit writes and reads it: sorted keys, pretty-printed, and numbers or null, never
/// strings for numbers: a number that is not finite (NaN, ±∞) is written as null. Files from
/// versions that wrote "nan", "inf" and "-inf" still read.
public enum JSONCoding {
    /// What the encoder writes for a non-finite number before `encode` turns it into null: a string
    /// no value of lossfit's holds (it starts with the control character U+0001).
    private static let nonFinite = "\u{1}lossfit-non-finite"

    /// The encoder behind `encode`; its output still holds placeholders for non-finite numbers.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: nonFinite, negativeInfinity: nonFinite, nan: nonFinite)
        return encoder
    }()

    /// The placeholder as the encoder writes it, quotes and escape included.
    private static let placeholder = Data(#""\u0001lossfit-non-finite""#.utf8)

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()

    /// Where the placeholder occurs in `data`. The generic `ranges(of:)` took a third of
    /// `optimize --json --top 100` (3 MB of output); `memchr` finds the placeholder's backslash,
    /// rare in JSON, and the rest is compared there.
    private static func placeholderRanges(in data: Data) -> [Range<Data.Index>] {
        data.withUnsafeBytes { raw in
            placeholder.withUnsafeBytes { placeholderBytes in
                let haystack = raw.bindMemory(to: UInt8.self), needle = placeholderBytes.bindMemory(to: UInt8.self)
                guard let start = haystack.baseAddress, let pattern = needle.baseAddress, needle.count > 1 else { return [] }
                var ranges: [Range<Data.Index>] = []
                var from = 1
                while from < haystack.count, let found = memchr(start + from, Int32(needle[1]), haystack.count - from) {
                    let position = start.distance(to: found.assumingMemoryBound(to: UInt8.self)) - 1
                    if position + needle.count <= haystack.count && memcmp(start + position, pattern, needle.count) == 0 {
                        ranges.append(data.startIndex + position ..< data.startIndex + position + needle.count)
                        from = position + needle.count + 1
                    } else {
                        from = position + 2
                    }
                }
                return ranges
            }
        }
    }

    /// `value` as pretty-printed JSON, every non-finite number as null.
    public static func encode(_ value: some Encodable) throws -> Data {
        let data = try encoder.encode(value)
        let ranges = placeholderRanges(in: data)
        guard !ranges.isEmpty else { return data }
        var nulled = Data(capacity: data.count)
        var rest = data.startIndex
        for range in ranges {
            nulled.append(data[rest..<range.lowerBound])
            nulled.append(contentsOf: "null".utf8)
            rest = range.upperBound
        }
        nulled.append(data[rest...])
        return nulled
    }

    /// `value` as pretty-printed JSON text, every non-finite number as null.
    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}

extension JSONCoding {
    /// `value` as JSON with the verdict of the fit it came from under `fitIdentification` (null
    /// for a fit from a version that did not judge it), so that scripts see an unidentified fit.
    public static func string(_ value: some Encodable, fitIdentification: FitIdentification?) throws -> String {
        try string(WithFitIdentification(value: value, identification: fitIdentification))
    }

    /// `values` as a JSON array whose elements are what `string(_:fitIdentification:)` writes for each.
    public static func string<Value: Encodable>(_ values: [Value], eachWith fitIdentification: FitIdentification?) throws -> String {
        try string(values.map { WithFitIdentification(value: $0, identification: fitIdentification) })
    }
}

/// An output with its fit's verdict beside its own keys.
private struct WithFitIdentification<Value: Encodable>: Encodable {
    var value: Value
    var identification: FitIdentification?

    private enum CodingKeys: String, CodingKey {
        case fitIdentification
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identification, forKey: .fitIdentification)
    }
}
