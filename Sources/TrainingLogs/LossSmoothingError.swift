/// Why a loss smoothing cannot be used: messages speak of weights, windows and points, never of a
/// program's options.
public enum LossSmoothingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Neither a weight in [0, 1) nor a whole number of points.
    case notAWeightOrWindow(String)
    /// A centred window of an even number of points has no centre point.
    case evenWindow(Int)
    /// A window of one point averages nothing.
    case windowTooSmall(Int)
    /// The window is wider than the log has loss points.
    case windowWiderThanLog(source: String, window: Int, points: Int)

    public var description: String {
        switch self {
        case .notAWeightOrWindow(let text):
            return "\"\(Excerpt.quoted(text))\" is neither a weight nor a whole number of points: give a weight at least 0 and below 1 for an exponential average (TensorBoard's slider: 0.6 is its default, 0.9 strong), or an odd whole number of points ≥ 3 for a centred window"
        case .evenWindow(let window):
            return "a centred window of \(window) points has no centre point; give an odd number of points (\(window - 1 >= 3 ? "\(window - 1) or " : "")\(window + 1))"
        case .windowTooSmall(let window):
            return "a centred window of \(window) point\(window == 1 ? "" : "s") leaves the loss as logged; give an odd number of points ≥ 3, or no smoothing"
        case .windowWiderThanLog(let source, let window, let points):
            let widest = points % 2 == 1 ? points : points - 1
            return "\(source): a centred window of \(window) points is wider than the log's \(points) loss point\(points == 1 ? "" : "s"); give an odd window of at most \(widest) points"
        }
    }
}
