import Foundation
import LossFitWorkflows
import Testing
import TestSupport

/// JSON holds numbers or null, never "nan" or "inf" strings; files that have them still read (#17).
@Suite struct JSONNumberTests {
    struct Values: Codable, Equatable {
        var finite: Double
        var notANumber: Double?
        var infinite: Double?
    }

    @Test func nonFiniteNumbersAreWrittenAsNull() throws {
        let text = try JSONCoding.string(Values(finite: 1.5, notANumber: .nan, infinite: -.infinity))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["notANumber"] is NSNull && object["infinite"] is NSNull, "\(text)")
        #expect((object["finite"] as? Double).map { isClose($0, 1.5, relativeTolerance: 0) } == true)
        #expect(!text.contains("\"nan\"") && !text.contains("\"-inf\""), "\(text)")
        let older = #"{"finite": 1.5, "notANumber": "nan", "infinite": "-inf"}"#
        let read = try JSONCoding.decoder.decode(Values.self, from: Data(older.utf8))
        #expect(read.notANumber?.isNaN == true && read.infinite == -.infinity)
    }

    /// Strings with backslashes, quotes and control characters beside the non-finite numbers keep
    /// every character; only the numbers become null, wherever they stand.
    @Test func escapedStringsBesideNonFiniteNumbersStayWhole() throws {
        struct Row: Codable, Equatable {
            var name: String
            var value: Double?
        }
        let names = ["a\\u0001b", "\"quoted\"", "\u{1}lossfit-non", "tab\tand\\", ""]
        let rows = names.enumerated().map { Row(name: $1, value: $0 % 2 == 0 ? .nan : Double($0)) } + [Row(name: "∞", value: .infinity)]
        let text = try JSONCoding.string(rows)
        let read = try JSONCoding.decoder.decode([Row].self, from: Data(text.utf8))
        #expect(read.map(\.name) == rows.map(\.name))
        #expect(read.map { $0.value == nil } == [true, false, true, false, true, true], "\(text)")
        #expect(read[1].value.map { isClose($0, 1, relativeTolerance: 0) } == true)
        #expect(!text.contains("non-finite\""), "\(text)")
    }
}
