import Testing
import TrainingLogs

/// Messages quote a short, escaped excerpt of the file, and say how long the quoted text was: a
/// 10 MB header or a binary file read as text gives one short, printable line.
@Suite struct ErrorExcerptTests {
    /// True when every character of `text` prints: no control characters, no U+FFFD.
    private func isPrintable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) && $0.value != 0xFFFD }
    }

    @Test func aTenMegabyteHeaderIsQuotedShortWithItsLength() {
        let name = String(repeating: "x", count: 10_000_000)
        let error = parseError(name + ",loss\n1,2\n")
        #expect(error == .missingColumn(file: "run.csv", role: .log(.step), columns: [name, "loss"]))
        let message = error?.description ?? ""
        #expect(message.count < 300)
        #expect(message == "no step column in run.csv; columns found: \(String(repeating: "x", count: 80))… (10000000 characters), … 1 more (2 names, 10000006 characters in all); name the step column")
    }

    @Test func aLongCellIsQuotedShortWithItsLength() {
        let cell = String(repeating: "ab", count: 500_000)
        let message = parseError("step,loss\n1,\(cell)\n")?.description ?? ""
        #expect(message == "run.csv:2: column \"loss\": \"\(String(repeating: "ab", count: 40))… (1000000 characters)\" is not a number; fix or delete that row")
    }

    @Test func binaryContentIsEscaped() {
        // What a program's header looks like read as text: NULs, control bytes, bytes that are not
        // UTF-8, and a first line of several kilobytes.
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0xFF, 0xC3, 0x28, 0x1B, 0x9B]
        for index in 0..<8_000 { bytes.append(UInt8(truncatingIfNeeded: index * 7 + 1) | 0x01) }
        bytes.removeAll { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\"") }
        var message = ""
        do {
            _ = try TrainingLogReader.parse(bytes + Array("\n1,2\n".utf8), source: "ls", options: LogReadOptions(format: .csv))
            Issue.record("binary content read as a log")
        } catch {
            message = error.description
        }
        #expect(message.hasPrefix("no step column in ls; columns found: \\u{7f}ELF\\u{2}\\u{1}\\u{1}\\u{0}\\u{fffd}"), "\(message)")
        #expect(isPrintable(message), "\(message)")
        #expect(message.count < 1_000)
        #expect(message.contains("characters in all"))
    }

    @Test func shortTextIsQuotedWhole() {
        let message = LogReadError.notANumber(file: "run.csv", line: 2, column: "loss", text: String(repeating: "y", count: 80)).description
        #expect(message == "run.csv:2: column \"loss\": \"\(String(repeating: "y", count: 80))\" is not a number; fix or delete that row")
    }
}
