/// Where a fitted curve's points came from: the log, the loss series in it, and the window of
/// steps that entered the fit, so that a fit can be traced back to its data.
public struct CurveSource: Sendable, Equatable, Codable {
    /// Whether a loss series holds the training or the evaluation (validation) loss.
    public enum LossKind: String, Sendable, Equatable, Codable {
        case training
        case evaluation
    }

    /// The log's path as the user gave it.
    public var path: String
    /// The run inside the file, when the file holds several (a W&B panel export); nil otherwise.
    public var run: String?
    /// The column, key or tag the losses came from, as the log spells it.
    public var lossKey: String
    /// Which loss that is, when its name tells (nil for a name that is neither a common training
    /// nor a common evaluation loss name).
    public var lossKind: LossKind?
    /// A loss series of the log that was not fitted.
    public struct OtherLoss: Sendable, Equatable, Codable {
        /// Its column, key or tag.
        public var key: String
        /// Which loss it is, when its name tells.
        public var kind: LossKind?

        public init(key: String, kind: LossKind?) {
            self.key = key
            self.kind = kind
        }
    }

    /// Other loss series the log holds, which were not fitted, in file order.
    public var otherLosses: [OtherLoss]
    /// The first step of the window (the end of warmup by default).
    public var fromStep: Int
    /// The last step of the window, nil when it runs to the end of the log.
    public var toStep: Int?
    /// Logged points inside the window.
    public var pointsUsed: Int
    /// Logged points before `fromStep`, left out.
    public var pointsBefore: Int
    /// Logged points after `toStep`, left out.
    public var pointsAfter: Int
    /// Rows of the log skipped while reading it (no usable loss, unreadable lines).
    public var rowsSkipped: Int

    public init(path: String, run: String? = nil, lossKey: String, lossKind: LossKind?, otherLosses: [OtherLoss] = [],
                fromStep: Int, toStep: Int?, pointsUsed: Int, pointsBefore: Int, pointsAfter: Int, rowsSkipped: Int) {
        self.path = path
        self.run = run
        self.lossKey = lossKey
        self.lossKind = lossKind
        self.otherLosses = otherLosses
        self.fromStep = fromStep
        self.toStep = toStep
        self.pointsUsed = pointsUsed
        self.pointsBefore = pointsBefore
        self.pointsAfter = pointsAfter
        self.rowsSkipped = rowsSkipped
    }

    /// Whether the log holds a loss of another kind than the one fitted (a validation loss beside
    /// the training loss, or the reverse), so that which one was fitted matters.
    public var hasLossOfAnotherKind: Bool {
        otherLosses.contains { $0.kind != lossKind }
    }
}
