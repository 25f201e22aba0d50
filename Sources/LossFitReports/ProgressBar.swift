import Foundation
import Synchronization

/// A one-line progress bar on standard error, redrawn in place, for work that takes seconds.
///
/// Drawn only when standard error is a terminal and the work has already taken half a second, so
/// that fast runs, logs and pipes get no carriage returns.
public final class ProgressBar: Sendable {
    private let label: String
    private let width: Int
    private let start = ContinuousClock.now
    private let isTerminal: Bool
    /// The number of filled cells last drawn (−1: nothing drawn yet).
    private let drawnCells = Mutex(-1)

    /// - Parameters:
    ///   - label: What is being counted, e.g. "bootstrap".
    ///   - width: Cells of the bar.
    public init(label: String, width: Int = 30) {
        self.label = label
        self.width = width
        isTerminal = isatty(STDERR_FILENO) == 1
    }

    /// The bar as text for `done` of `total`, e.g. `bootstrap [#######·····] 45/200`.
    public func rendering(done: Int, total: Int) -> String {
        let cells = total > 0 ? min(width, width * max(done, 0) / total) : width
        return "\(label) [" + String(repeating: "#", count: cells) + String(repeating: "·", count: width - cells) + "] \(done)/\(total)"
    }

    /// Records progress; redraws only when a cell fills, so frequent calls from any thread cost little.
    public func update(done: Int, total: Int) {
        guard isTerminal, (ContinuousClock.now - start) > .milliseconds(500) else { return }
        let cells = total > 0 ? min(width, width * done / total) : width
        let redraw = drawnCells.withLock { drawn in
            guard cells != drawn else { return false }
            drawn = cells
            return true
        }
        if redraw { StandardStreams.writeError("\r" + rendering(done: done, total: total)) }
    }

    /// Clears the bar's line if one was drawn.
    public func finish() {
        if drawnCells.withLock({ $0 >= 0 }) { StandardStreams.writeError("\r\u{1B}[K") }
    }
}
