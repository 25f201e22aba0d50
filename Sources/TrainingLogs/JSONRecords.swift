#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns JSON objects (a line of JSON lines, an entry of trainer_state.json's `log_history`) into
/// the values of a `SeriesCollector`, each object's step taken from its step key.
///
/// The step key is the one named in the options, else the best common step name present in the
/// first object that has one; an object without it is skipped and counted (`"no step"`).
/// Lines of one log repeat the same keys in the same order, so each leaf's key is first looked up
/// at the same position of the previous object, byte for byte, before any hashing.
struct JSONRecords: JSONLeafVisitor {
    var collector: SeriesCollector
    private(set) var stepKey: Int?
    var skips = SkipTally()
    /// True when the current object holds `train_runtime`: a trainer_state.json summary entry.
    private(set) var isSummaryEntry = false

    private let explicitStep: String?
    private let maximumStep: Int?
    private var pending: [(key: Int, newName: [UInt8]?, leaf: JSONLeaf)] = []
    private var keyByName: [[UInt8]: Int] = [:]
    private var previousKeys: [(name: [UInt8], key: Int)] = []

    private static let summaryKey = Array("train_runtime".utf8)
    /// 2^53: the largest step a JSON number (a double) holds exactly, with every smaller one.
    private static let largestExactStep = 9_007_199_254_740_992.0

    init(options: LogReadOptions) {
        collector = SeriesCollector(options: options)
        explicitStep = options.columns.step
        maximumStep = options.maximumStep
    }

    mutating func beginObject() {
        pending.removeAll(keepingCapacity: true)
        isSummaryEntry = false
    }

    mutating func visit(path: UnsafeBufferPointer<UInt8>, leaf: JSONLeaf) {
        let ordinal = pending.count
        if ordinal < previousKeys.count && Self.equal(previousKeys[ordinal].name, path) {
            pending.append((previousKeys[ordinal].key, nil, leaf))
            return
        }
        let name = Array(path)
        if name == Self.summaryKey { isSummaryEntry = true }
        if let key = keyByName[name] {
            remember(name, key: key, at: ordinal)
            pending.append((key, nil, leaf))
        } else {
            pending.append((-1, name, leaf))
        }
    }

    @inline(__always)
    private static func equal(_ name: [UInt8], _ path: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count == path.count else { return false }
        return name.withUnsafeBufferPointer { memcmp($0.baseAddress!, path.baseAddress!, path.count) == 0 }
    }

    private mutating func remember(_ name: [UInt8], key: Int, at ordinal: Int) {
        if ordinal < previousKeys.count {
            previousKeys[ordinal] = (name, key)
        } else if ordinal == previousKeys.count {
            previousKeys.append((name, key))
        }
    }

    /// Adds the current object's values at its step.
    ///
    /// - Parameters:
    ///   - line: where the object starts, for messages and skip counts.
    ///   - scanner: the scanner that read it, to quote a step given as a string.
    /// - Throws: `LogReadError` when the step is not a whole number ≥ 0.
    mutating func commitObject(line: Int, source: String, scanner: JSONScanner) throws(LogReadError) {
        for index in pending.indices {
            guard let newName = pending[index].newName else { continue }
            let key = collector.key(String(decoding: newName, as: UTF8.self))
            keyByName[newName] = key
            remember(newName, key: key, at: index)
            pending[index] = (key, nil, pending[index].leaf)
        }
        if stepKey == nil {
            let names = pending.map { collector.names[$0.key] }
            if let index = ColumnAliases.keyIndex(of: .step, in: names, explicitName: explicitStep, lossKind: .training) {
                stepKey = pending[index].key
            }
        }
        guard let stepKey, let stepEntry = pending.first(where: { $0.key == stepKey }) else {
            skips.record(.missingStep, line: line)
            return
        }
        let stepName = collector.names[stepKey]
        let step: Int
        switch stepEntry.leaf {
        case .number(let value):
            // Too large for an exact step (2^53): beyond any limit, rather than not whole. Smaller
            // steps beyond the limit are the collector's to report, for the loss and learning rate only.
            if value.isFinite, value > Self.largestExactStep {
                throw .stepBeyondLimit(file: source, location: .line(line), column: stepName, text: "\(value)",
                                       limit: min(maximumStep ?? .max, Int(Self.largestExactStep)))
            }
            guard value.isFinite, value.rounded(.towardZero) == value else {
                throw .stepNotWholeNumber(file: source, line: line, column: stepName, text: "\(value)")
            }
            guard value >= 0 else { throw .negativeStep(file: source, line: line, column: stepName, text: "\(value)") }
            step = Int(value)
        case .null:
            throw .emptyStep(file: source, line: line, column: stepName)
        case .string(let start, let end):
            throw .notANumber(file: source, line: line, column: stepName, text: "\"\(scanner.decodedString(start: start, end: end))\"")
        case .other:
            throw .notANumber(file: source, line: line, column: stepName, text: "a boolean or a list")
        }
        collector.countStep(stepKey, step: step)
        for entry in pending where entry.key != stepKey {
            switch entry.leaf {
            case .number(let value): collector.add(entry.key, step: step, value: value, at: .line(line))
            case .null: collector.addEmpty(entry.key, step: step, at: .line(line))
            case .string, .other: collector.addNonNumeric(entry.key)
            }
        }
    }
}
