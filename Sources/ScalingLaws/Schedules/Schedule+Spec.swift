extension Schedule {
    /// The schedule families a spec can name.
    public static let families = ["constant", "cosine", "linear", "wsd", "two-stage"]

    private static let commonKeys = ["peak", "total", "warmup", "start"]

    private static func keys(of family: String) -> [String] {
        switch family {
        case "cosine", "linear": return commonKeys + ["end"]
        case "wsd": return commonKeys + ["decay", "shape", "end"]
        case "two-stage": return commonKeys + ["switch", "second"]
        default: return commonKeys
        }
    }

    /// Reads a schedule from a spec such as `cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000`.
    ///
    /// ```
    /// SPEC   = FAMILY ":" KEY "=" VALUE ("," KEY "=" VALUE)*
    /// FAMILY = constant | cosine | linear | wsd | two-stage
    /// ```
    /// Keys every family takes: `peak` (alias `lr`, required), `total` (last step, required),
    /// `warmup` (steps, default 0), `start` (warmup's first LR, default 0).
    /// `cosine`, `linear`: `end` (final LR, default 0).
    /// `wsd`: `decay` (steps when ≥ 1, fraction of `total` when < 1; required), `shape`
    /// (`linear` default, `cosine`, `geometric`, `1-sqrt`, `1-square`), `end` (default 0).
    /// `two-stage`: `switch` (first step of the second stage), `second` (its LR).
    public init(spec: String) throws(ScheduleError) {
        let trimmed = spec.trimmingWhitespace()
        let (familyPart, itemsPart): (Substring, Substring)
        if let colon = trimmed.firstIndex(of: ":") {
            familyPart = trimmed[..<colon]
            itemsPart = trimmed[trimmed.index(after: colon)...]
        } else {
            familyPart = trimmed[...]
            itemsPart = ""
        }
        var family = familyPart.lowercased()
        if family == "twostage" || family == "two_stage" { family = "two-stage" }
        guard Self.families.contains(family) else { throw .unknownFamily(String(familyPart), known: Self.families) }

        var values: [String: String] = [:]
        for item in itemsPart.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw .malformedItem(String(item)) }
            var key = parts[0].trimmingWhitespace().lowercased()
            if key == "lr" { key = "peak" }
            guard Self.keys(of: family).contains(key) else {
                throw .unknownKey(key, family: family, valid: Self.keys(of: family))
            }
            values[key] = parts[1].trimmingWhitespace()
        }

        func number(_ key: String, default fallback: Double? = nil) throws(ScheduleError) -> Double {
            guard let text = values[key] else {
                if let fallback { return fallback }
                throw .missingKey(key, family: family)
            }
            guard let value = Double(text), value.isFinite else { throw .notANumber(key: key, value: text) }
            return value
        }
        func steps(_ key: String, default fallback: Int? = nil) throws(ScheduleError) -> Int {
            let value = try number(key, default: fallback.map(Double.init))
            guard value == value.rounded(), abs(value) < 1e15 else {
                throw .notANumber(key: key, value: values[key] ?? "\(value)")
            }
            return Int(value)
        }

        let peak = try number("peak")
        let total = try steps("total")
        let warmup = try steps("warmup", default: 0)
        let start = try number("start", default: 0)
        let body: Body
        switch family {
        case "cosine": body = .cosine(end: try number("end", default: 0))
        case "linear": body = .linear(end: try number("end", default: 0))
        case "wsd":
            let decay = try number("decay")
            let decaySteps: Int
            if decay > 0 && decay < 1 {
                decaySteps = Int((decay * Double(total)).rounded())
            } else {
                decaySteps = try steps("decay")
            }
            let shapeName = values["shape"] ?? DecayShape.linear.rawValue
            guard let shape = DecayShape(rawValue: shapeName.lowercased()) else {
                throw .unknownShape(shapeName, known: DecayShape.allCases.map(\.rawValue))
            }
            body = .wsd(decaySteps: decaySteps, shape: shape, end: try number("end", default: 0))
        case "two-stage":
            body = .twoStage(switchStep: try steps("switch"), second: try number("second"))
        default:
            body = .constant
        }
        try self.init(peak: peak, totalSteps: total, warmupSteps: warmup, warmupStart: start, body: body)
    }

    /// The spec that reads back as this schedule.
    public var spec: String {
        var items = ["peak=\(peak)"]
        if warmupSteps > 0 { items.append("warmup=\(warmupSteps)") }
        if warmupStart != 0 { items.append("start=\(warmupStart)") }
        items.append("total=\(totalSteps)")
        let family: String
        switch body {
        case .constant: family = "constant"
        case .cosine(let end): family = "cosine"; items.append("end=\(end)")
        case .linear(let end): family = "linear"; items.append("end=\(end)")
        case .wsd(let decaySteps, let shape, let end):
            family = "wsd"
            items += ["decay=\(decaySteps)", "shape=\(shape.rawValue)", "end=\(end)"]
        case .twoStage(let switchStep, let second):
            family = "two-stage"
            items += ["switch=\(switchStep)", "second=\(second)"]
        }
        return family + ":" + items.joined(separator: ",")
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
