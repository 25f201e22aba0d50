import Foundation
import TestSupport
import Testing

/// An error about a 10,000-character command-line value (a spec value, a step list, a formula, a
/// covariate, a flag's value argument-parser rejects) quotes at most a short escaped excerpt and
/// says how long the value was: standard error stays under 500 bytes and the exit status is non-zero.
/// Paths are quoted whole.
@Suite struct LongValueCLITests {
    static let long = String(repeating: "x", count: 10_000)
    static let longNumber = String(repeating: "1", count: 10_000)
    static let fit = SharedData.packageRoot.appendingPathComponent("Tests/LossFitWorkflowsTests/Fixtures/base/fit-annealing.json").path
    static let log = SharedData.packageRoot.appendingPathComponent("data/cosine_20000.csv").path
    static let sweep = SharedData.packageRoot.appendingPathComponent("data/sweep.csv").path
    static let spec = "cosine:peak=0.6,total=1000"

    @Test(arguments: [
        ["predict", "--fit", fit, "--schedule", "cosine:peak=\(long),total=100"],
        ["predict", "--fit", fit, "--schedule", "cosine:peak=0.6,total=\(longNumber)"],
        ["predict", "--fit", fit, "--schedule", "\(long):peak=0.6,total=100"],
        ["predict", "--fit", fit, "--schedule", spec, "--at", long],
        ["predict", "--fit", fit, "--schedule", spec, "--at", "1,2,\(longNumber)"],
        ["predict", "--fit", fit, "--schedule", spec, "--every", long],
        ["predict", "--fit", fit, "--schedule", spec, "--format", long],
        ["predict", "--fit", fit, "--schedule", spec, "--format=\(long)"],
        ["schedule", spec, "--at", long],
        ["compare", "--fit", fit, spec, "wsd:peak=0.6,total=1000,decay=\(long)"],
        ["optimize", "--fit", fit, "--total", long, "--peak", "0.6"],
        ["plan", "--fit", fit, "--peak", "0.6", "--budget", "1000", "--checkpoints", long],
        ["simulate", "--constant", "0.6", "--steps", longNumber],
        ["fit", log, "--to-step", long],
        ["fit", log, "--smooth", long],
        ["fit", log, "--law", long],
        ["fit", log, "--lambda-prior", long],
        ["fit", log, "--hold", long],
        ["report", log, "--sweep", sweep, "--recommend-at", long],
        ["report", log, "--sweep", sweep, "--recommend-at", "7B:\(long)"],
        ["sweep", "fit", sweep, "--lr-formula", "lr ~ N + \(long)"],
        ["sweep", "fit", sweep, "--lr-formula", "\(long) ~ N"],
        ["sweep", "fit", sweep, "--batch-formula", "bs ~ \(long) ~ D"],
        ["recommend", "--preset", "steplaw", "--params", "1e9", "--tokens", "1e11", "--with", "\(long)=1"],
        ["recommend", "--preset", "steplaw", "--params", "1e9", "--tokens", "1e11", "--with", "h=\(long)"],
        ["recommend", "--preset", "steplaw", "--params", long, "--tokens", "1e11"],
        ["transfer", "--lr", "1e-3", "--batch", long, "--to-batch", "512"],
        [long],
        ["fit", log, "--\(long)"],
    ])
    func anErrorQuotesAnExcerpt(arguments: [String]) throws {
        let output = try CLIRunner.run(arguments)
        let shown = arguments.map { $0.count > 80 ? "\($0.prefix(20))…" : $0 }.joined(separator: " ")
        #expect(output.status != 0, "lossfit \(shown): status \(output.status)")
        #expect(output.stderr.utf8.count < 500, "lossfit \(shown): \(output.stderr.utf8.count) bytes of stderr: \(output.stderr.prefix(300))")
        #expect(output.stderr.contains("characters)"), "lossfit \(shown): \(output.stderr.prefix(300))")
        #expect(!output.stderr.contains(String(repeating: "x", count: 100)) && !output.stderr.contains(String(repeating: "1", count: 100)))
    }

    /// Control characters in a value are written as escapes, not sent to the terminal.
    @Test func controlCharactersAreEscaped() throws {
        let value = "0.6\u{1b}[31m\u{7}"
        for arguments in [["simulate", "--constant", value, "--steps", "100"], ["predict", "--fit", Self.fit, "--schedule", "cosine:peak=\(value),total=100"]] {
            let output = try CLIRunner.run(arguments)
            #expect(output.status != 0)
            #expect(!output.stderr.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x7 }, "\(output.stderr)")
            #expect(output.stderr.contains("\\u{1b}[31m\\u{7}"), "\(output.stderr)")
        }
    }
}
