import Testing
@testable import LossFitReports

/// The texts progress shows: a bar on a terminal, a line per tenth elsewhere.
@Suite struct ProgressBarTests {
    @Test func lineAndBarTexts() {
        let bar = ProgressBar(label: "bootstrap", width: 10)
        #expect(bar.line(done: 80, total: 200) == "bootstrap: 40 % (80/200)")
        #expect(bar.line(done: 200, total: 200) == "bootstrap: 100 % (200/200)")
        #expect(bar.line(done: 3, total: 0) == "bootstrap: 100 % (3/0)")
        #expect(bar.rendering(done: 45, total: 100) == "bootstrap [####······] 45/100")
    }

    /// LOSSFIT_PROGRESS_DELAY in seconds; anything else keeps the half second.
    @Test func delayFromTheEnvironment() {
        #expect(ProgressBar.delay("0") == .zero)
        #expect(ProgressBar.delay("2.5") == .milliseconds(2500))
        for text in [nil, "", "soon", "-1", "nan", "1e300"] {
            #expect(ProgressBar.delay(text) == .milliseconds(500), "\(text ?? "nil")")
        }
    }
}
