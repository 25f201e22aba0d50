extension Schedule {
    /// The schedule family names a spec can give (`ScheduleFamily`).
    public static var families: [String] { ScheduleFamily.allCases.map(\.rawValue) }

    /// Reads a schedule from a spec such as `cosine:peak=3e-4,end=3e-5,warmup=2160,total=24000`.
    ///
    /// The grammar, the families and their keys are `ScheduleFamily`'s: `commonKeys` for every
    /// family but `onecycle` and `table`, and each family's `keys` and `keysHelp`.
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
        guard let family = ScheduleFamily(name: familyPart) else { throw .unknownFamily(String(familyPart), known: Self.families) }
        if family == .table {
            var path = itemsPart.trimmingWhitespace()
            if path.hasPrefix("file=") { path.removeFirst(5) }
            try self.init(tableFile: path)
            return
        }

        var values: [String: String] = [:]
        for item in itemsPart.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw .malformedItem(String(item)) }
            var key = parts[0].trimmingWhitespace().lowercased()
            if key == "lr" { key = "peak" }
            if key == "gamma" { key = "factor" }
            guard family.keys.contains(key) else {
                throw .unknownKey(key, family: family.rawValue, valid: family.keys)
            }
            guard values[key] == nil else { throw .repeatedKey(key, family: family.rawValue) }
            values[key] = parts[1].trimmingWhitespace()
        }

        /// A rate, fraction or factor: a plain number (e-notation allowed); a k/M/B suffix is an error.
        func number(_ key: String, default fallback: Double? = nil) throws(ScheduleError) -> Double {
            try value(key, default: fallback, allowsSuffix: false)
        }
        /// A step or a count: a plain number or one with a suffix k, M, B (or G), T.
        func count(_ key: String, default fallback: Double? = nil) throws(ScheduleError) -> Double {
            try value(key, default: fallback, allowsSuffix: true)
        }
        func value(_ key: String, default fallback: Double?, allowsSuffix: Bool) throws(ScheduleError) -> Double {
            guard let text = values[key] else {
                if let fallback { return fallback }
                throw .missingKey(key, family: family.rawValue)
            }
            if let value = Double(text), value.isFinite { return value }
            guard let scaled = Self.scaledCount(text) else { throw .notANumber(key: key, value: text) }
            guard allowsSuffix else { throw .suffixOnNonCount(key: key, value: text) }
            return scaled
        }
        func steps(_ key: String, default fallback: Int? = nil) throws(ScheduleError) -> Int {
            let value = try count(key, default: fallback.map(Double.init))
            guard abs(value) <= Double(Self.maximumSteps) else { throw .tooManySteps(key: key, value: values[key] ?? "\(value)") }
            guard value == value.rounded() else { throw .notWholeSteps(key: key, value: values[key] ?? "\(value)") }
            return Int(value)
        }

        /// A count that is not a step (a batch size, a sequence length): whole, below 1e15.
        func wholeCount(_ key: String, default fallback: Int? = nil) throws(ScheduleError) -> Int {
            let value = try count(key, default: fallback.map(Double.init))
            guard value == value.rounded(), abs(value) < 1e15 else {
                throw .inconsistent("\(key)=\(InputExcerpt.quoted(values[key] ?? "\(value)")) is not a whole number below 1e15; give a count such as \(key)=512")
            }
            return Int(value)
        }

        let peak = try number("peak")
        if let text = values["total"], let value = Double(text) ?? Self.scaledCount(text), value > Double(Self.maximumSteps) {
            throw .tooManySteps(key: "total", value: text)
        }
        let total = try steps("total")
        let warmup = try steps("warmup", default: 0)
        let start = try number("start", default: 0)
        let body: Body
        switch family {
        case .constant, .table: body = .constant
        case .cosine: body = .cosine(end: try number("end", default: 0))
        case .linear: body = .linear(end: try number("end", default: 0))
        case .wsd:
            let decay = try count("decay")
            let decaySteps: Int
            if decay > 0 && decay < 1 {
                decaySteps = Int((decay * Double(total)).rounded())
            } else if decay != decay.rounded() {
                throw .inconsistent("decay=\(InputExcerpt.quoted(values["decay"] ?? "")) is neither a fraction of the run in (0, 1) nor a whole number of steps; give e.g. decay=0.2 or decay=4000")
            } else {
                decaySteps = try steps("decay")
            }
            let shapeName = values["shape"] ?? DecayShape.linear.rawValue
            guard let shape = DecayShape(rawValue: shapeName.lowercased()) else {
                throw .unknownShape(shapeName, known: DecayShape.allCases.map(\.rawValue))
            }
            body = .wsd(decaySteps: decaySteps, shape: shape, end: try number("end", default: 0))
        case .twoStage:
            body = .twoStage(switchStep: try steps("switch"), second: try number("second"))
        case .multiStep:
            guard let text = values["milestones"] else { throw .missingKey("milestones", family: family.rawValue) }
            var milestones: [Int] = []
            for item in text.split(separator: "/") {
                let item = item.trimmingWhitespace()
                guard let value = Double(item) ?? Self.scaledCount(item), value.isFinite else { throw .notANumber(key: "milestones", value: text) }
                guard abs(value) <= Double(Self.maximumSteps) else { throw .tooManySteps(key: "milestones", value: String(item)) }
                guard value == value.rounded() else { throw .notWholeSteps(key: "milestones", value: String(item)) }
                milestones.append(Int(value))
            }
            body = .multiStep(milestones: milestones, factor: try number("factor", default: 0.1))
        case .rex:
            let name = values["variant"] ?? RexVariant.paper.rawValue
            guard let variant = RexVariant(rawValue: name.lowercased()) else {
                throw .inconsistent("unknown REX variant \"\(InputExcerpt.quoted(name))\"; use paper or common")
            }
            body = .rex(end: try number("end", default: 0), variant: variant)
        case .inverseSqrt:
            body = .inverseSqrt(timescale: try steps("timescale", default: max(warmup, 0)))
        case .oneCycle:
            body = .oneCycle(riseFraction: try number("rise", default: 0.3), divFactor: try number("div", default: 25),
                             finalDivFactor: try number("final-div", default: 1e4))
        case .power:
            body = .power(PowerSchedule(
                batch: try wholeCount("batch"), sequenceLength: try wholeCount("seq", default: 4096), a: try number("a", default: 4),
                b: try number("b", default: -0.51), decayFraction: try number("decay", default: 0.1),
                endFactor: try number("end-factor", default: 1e-3)))
        case .uba:
            body = .uba(phi: try number("phi"), end: try number("end", default: 0))
        }
        try self.init(peak: peak, totalSteps: total, warmupSteps: warmup, warmupStart: start, body: body)
    }

    /// A step or count written with a suffix k (or K) = 1e3, M = 1e6, B or G = 1e9, T = 1e12, as
    /// `35k` or `1.5M`; nil for a plain number or anything else.
    static func scaledCount(_ text: String) -> Double? {
        let multipliers: [Character: Double] = ["k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12]
        guard let last = text.last, let multiplier = multipliers[last], let number = Double(text.dropLast()), number.isFinite else {
            return nil
        }
        return number * multiplier
    }

    /// The spec that reads back as this schedule.
    public var spec: String {
        var items = ["peak=\(peak)"]
        if warmupSteps > 0 { items.append("warmup=\(warmupSteps)") }
        if warmupStart != 0 { items.append("start=\(warmupStart)") }
        items.append("total=\(totalSteps)")
        switch body {
        case .constant: break
        case .cosine(let end), .linear(let end): items.append("end=\(end)")
        case .wsd(let decaySteps, let shape, let end): items += ["decay=\(decaySteps)", "shape=\(shape.rawValue)", "end=\(end)"]
        case .twoStage(let switchStep, let second): items += ["switch=\(switchStep)", "second=\(second)"]
        case .multiStep(let milestones, let factor):
            items += ["milestones=" + milestones.map(String.init).joined(separator: "/"), "factor=\(factor)"]
        case .rex(let end, let variant): items += ["end=\(end)", "variant=\(variant.rawValue)"]
        case .inverseSqrt(let timescale): items.append("timescale=\(timescale)")
        case .oneCycle(let rise, let div, let finalDiv): items += ["rise=\(rise)", "div=\(div)", "final-div=\(finalDiv)"]
        case .power(let power):
            items += ["batch=\(power.batch)", "seq=\(power.sequenceLength)", "a=\(power.a)", "b=\(power.b)",
                      "decay=\(power.decayFraction)", "end-factor=\(power.endFactor)"]
        case .uba(let phi, let end): items += ["phi=\(phi)", "end=\(end)"]
        case .table(_, let source): return "table:" + source
        }
        return body.family.rawValue + ":" + items.joined(separator: ",")
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
