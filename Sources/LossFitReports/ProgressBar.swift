import Foundation
import Synchronization

/// Progress of work that takes seconds, on standard error.
///
/// On a terminal, a one-line bar redrawn in place; elsewhere (a log file, a pipe, CI), a line at
/// every tenth of the work, e.g. `bootstrap: 40 % (80/200)`, so that logs of scripted runs show
/// it. Either appears only once the work has taken half a second (the environment variable
/// `LOSSFIT_PROGRESS_DELAY`, in seconds, changes that), so fast runs print nothing.
public final class ProgressBar: Sendable {
    private let label: String
    private let width: Int
    private let start = ContinuousClock.now
    private let delay: Duration
    private let isTerminal: Bool
    /// The number of filled cells last drawn, or of tenths last printed (−1: nothing drawn yet).
    private let drawnCells = Mutex(-1)

    /// - Parameters:
    ///   - label: What is being counted, e.g. "bootstrap".
    ///   - width: Cells of the bar.
    public init(label: String, width: Int = 30) {
        self.label = label
        self.width = width
        isTerminal = isatty(STDERR_FILENO) == 1
        delay = Self.delay(ProcessInfo.processInfo.environment["LOSSFIT_PROGRESS_DELAY"])
    }

    /// The delay before progress shows: `text` in seconds when it is a number ≥ 0, else half a second.
    static func delay(_ text: String?) -> Duration {
        guard let text, let seconds = Double(text), seconds >= 0, seconds <= 86_400 else { return .milliseconds(500) }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The bar as text for `done` of `total`, e.g. `bootstrap [#######·····] 45/200`.
    public func rendering(done: Int, total: Int) -> String {
        let cells = total > 0 ? min(width, width * max(done, 0) / total) : width
        return "\(label) [" + String(repeating: "#", count: cells) + String(repeating: "·", count: width - cells) + "] \(done)/\(total)"
    }

    /// The line printed when standard error is not a terminal, e.g. `bootstrap: 40 % (80/200)`.
    public func line(done: Int, total: Int) -> String {
        let percent = total > 0 ? min(100, 100 * max(done, 0) / total) : 100
        return "\(label): \(percent) % (\(done)/\(total))"
    }

    /// Records progress; draws only when a cell fills (a terminal) or a tenth of the work is done
    /// (elsewhere), so frequent calls from any thread cost little.
    public func update(done: Int, total: Int) {
        guard (ContinuousClock.now - start) >= delay else { return }
        let units = isTerminal ? width : 10
        let reached = total > 0 ? min(units, units * max(done, 0) / total) : units
        let draw = drawnCells.withLock { drawn in
            // Lines are printed once per tenth, bars redrawn whenever a cell fills.
            guard isTerminal ? reached != drawn : reached > max(drawn, 0) else { return false }
            drawn = reached
            return true
        }
        guard draw else { return }
        if isTerminal {
            StandardStreams.writeError("\r" + rendering(done: done, total: total))
        } else {
            StandardStreams.writeError(line(done: done, total: total) + "\n")
        }
    }

    /// Clears the bar's line if one was drawn (a terminal; printed lines stay).
    public func finish() {
        if isTerminal && drawnCells.withLock({ $0 >= 0 }) { StandardStreams.writeError("\r\u{1B}[K") }
    }
}
