/// Something a reader noticed and worked around, so that nothing changes silently: damage it read
/// past, lines it skipped, entries it ignored on purpose, smoothing applied afterwards.
public enum LogNote: Sendable, Equatable, CustomStringConvertible {
    /// A TensorBoard event file ends inside a record (it was cut off, or is still being written);
    /// the records before it were kept.
    case truncatedRecord(file: String, byteOffset: Int, recordsKept: Int)
    /// A record's length field fails its CRC check, so nothing after it can be framed; the records
    /// before it were kept and the rest of the file ignored.
    case corruptRecordLength(file: String, byteOffset: Int, recordsKept: Int, bytesIgnored: Int)
    /// Records whose content fails its CRC check were skipped; reading went on after them.
    case corruptRecords(file: String, firstByteOffset: Int, count: Int)
    /// Records with a valid CRC that are not TensorBoard events were skipped.
    case undecodableRecords(file: String, firstByteOffset: Int, count: Int)
    /// Lines (or rows) that could not be read were skipped, as asked (`LogReadOptions.skipsBadLines`).
    case skippedBadLines(file: String, count: Int, firstLine: Int, firstProblem: String)
    /// A trainer_state.json's final summary entries (`train_runtime`, `train_loss`, …) were not read
    /// as logged steps.
    case ignoredSummaryEntries(file: String, count: Int)
    /// The loss was smoothed before use.
    case smoothedLoss(LossSmoothing)
    /// Only every `every`-th loss point (and the last) was kept: `kept` of `of`.
    case thinnedLoss(every: Int, kept: Int, of: Int)

    /// True for damage and skipped input, which a user should look at; false for deliberate choices.
    public var isWarning: Bool {
        switch self {
        case .truncatedRecord, .corruptRecordLength, .corruptRecords, .undecodableRecords, .skippedBadLines: return true
        case .ignoredSummaryEntries, .smoothedLoss, .thinnedLoss: return false
        }
    }

    public var description: String {
        switch self {
        case .truncatedRecord(let file, let offset, let kept):
            return "\(file): the file ends inside the record at byte \(offset) (cut off, or still being written); kept the \(kept) \(kept == 1 ? "record" : "records") before it"
        case .corruptRecordLength(let file, let offset, let kept, let ignored):
            return "\(file): the record header at byte \(offset) fails its CRC check, so the file is damaged there; kept the \(kept) \(kept == 1 ? "record" : "records") before it and ignored the remaining \(ignored) bytes"
        case .corruptRecords(let file, let offset, let count):
            return "\(file): \(count) \(count == 1 ? "record fails" : "records fail") the CRC check of its content (first at byte \(offset)); skipped \(count == 1 ? "it" : "them") and read on"
        case .undecodableRecords(let file, let offset, let count):
            return "\(file): \(count) \(count == 1 ? "record is" : "records are") not a TensorBoard event (first at byte \(offset)); skipped \(count == 1 ? "it" : "them") and read on"
        case .skippedBadLines(let file, let count, let line, let problem):
            return "\(file): skipped \(count) bad \(count == 1 ? "line" : "lines") (first at line \(line): \(problem))"
        case .ignoredSummaryEntries(let file, let count):
            return "\(file): ignored \(count) final summary \(count == 1 ? "entry" : "entries") of log_history (train_runtime, train_loss, …), which \(count == 1 ? "is" : "are") not logged steps"
        case .smoothedLoss(.exponential(let weight)):
            return "loss smoothed with an exponential moving average, weight \(weight) (debiased, as TensorBoard's smoothing slider)"
        case .smoothedLoss(.centredMean(let window)):
            return "loss averaged over centred windows of \(window) logged points"
        case .thinnedLoss(let every, let kept, let total):
            return "kept one loss point in every \(every), and the last: \(kept) of \(total)"
        }
    }
}
