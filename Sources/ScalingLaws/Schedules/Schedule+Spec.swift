extension Schedule {
    /// The schedule families a spec can name.
    public static let families = ["constant", "cosine", "linear", "wsd", "two-stage", "multi-step", "rex", "inverse-sqrt", "onecycle", "power", "table"]

    private static let commonKeys = ["peak", "total", "warmup", "start"]

    private static func keys(of family: String) -> [String] {
        switch family {
        case "cosine", "linear": return commonKeys + ["end"]
        case "wsd": return commonKeys + ["decay", "shape", "end"]
        case "two-stage": return commonKeys + ["switch", "second"]
        case "multi-step": return commonKeys + ["milestones", "factor"]
        case "rex": return commonKeys + ["end", "variant"]
        case "inverse-sqrt": return commonKeys + ["timescale"]
        case "onecycle": return ["peak", "total", "rise", "div", "final-div"]
        case "power": return commonKeys + ["batch", "seq", "a", "b", "decay", "end-factor"]
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
    /// `multi-step`: `milestones` (steps separated by `/`), `factor` (alias `gamma`, default 0.1).
    /// `rex`: `end` (default 0), `variant` (`paper`: (1−p)/(1−p/2), default; `common`: (1−p)/(0.1+0.9(1−p))).
    /// `inverse-sqrt`: `timescale` τ in steps (default the warmup): η = peak/√(1 + (s−W)/τ).
    /// `onecycle`: `rise` (fraction, default 0.3), `div` (default 25), `final-div` (default 1e4); no warmup.
    /// `power`: `batch` (sequences), `seq` (tokens per sequence, default 4096), `a` (4), `b` (−0.51),
    /// `decay` (fraction, default 0.1), `end-factor` (default 1e-3); `peak` is η_max.
    /// `table:FILE`: a CSV of `step,lr` (header optional), linear between listed steps, from step 0
    /// to the last listed step.
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
        var family = familyPart.lowercased().replacingOccurrences(of: "_", with: "-")
        let aliases = ["twostage": "two-stage", "multistep": "multi-step", "step": "multi-step", "inverse-square-root": "inverse-sqrt",
                       "invsqrt": "inverse-sqrt", "one-cycle": "onecycle"]
        family = aliases[family] ?? family
        guard Self.families.contains(family) else { throw .unknownFamily(String(familyPart), known: Self.families) }
        if family == "table" {
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
        case "multi-step":
            guard let text = values["milestones"] else { throw .missingKey("milestones", family: family) }
            var milestones: [Int] = []
            for item in text.split(separator: "/") {
                guard let step = Int(item.trimmingWhitespace()) else { throw .notANumber(key: "milestones", value: text) }
                milestones.append(step)
            }
            body = .multiStep(milestones: milestones, factor: try number("factor", default: 0.1))
        case "rex":
            let name = values["variant"] ?? RexVariant.paper.rawValue
            guard let variant = RexVariant(rawValue: name.lowercased()) else {
                throw .inconsistent("unknown REX variant \"\(name)\"; use paper or common")
            }
            body = .rex(end: try number("end", default: 0), variant: variant)
        case "inverse-sqrt":
            body = .inverseSqrt(timescale: try steps("timescale", default: max(warmup, 0)))
        case "onecycle":
            body = .oneCycle(riseFraction: try number("rise", default: 0.3), divFactor: try number("div", default: 25),
                             finalDivFactor: try number("final-div", default: 1e4))
        case "power":
            body = .power(PowerSchedule(
                batch: try steps("batch"), sequenceLength: try steps("seq", default: 4096), a: try number("a", default: 4),
                b: try number("b", default: -0.51), decayFraction: try number("decay", default: 0.1),
                endFactor: try number("end-factor", default: 1e-3)))
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
        case .multiStep(let milestones, let factor):
            family = "multi-step"
            items += ["milestones=" + milestones.map(String.init).joined(separator: "/"), "factor=\(factor)"]
        case .rex(let end, let variant):
            family = "rex"
            items += ["end=\(end)", "variant=\(variant.rawValue)"]
        case .inverseSqrt(let timescale):
            family = "inverse-sqrt"
            items.append("timescale=\(timescale)")
        case .oneCycle(let rise, let div, let finalDiv):
            family = "onecycle"
            items += ["rise=\(rise)", "div=\(div)", "final-div=\(finalDiv)"]
        case .power(let power):
            family = "power"
            items += ["batch=\(power.batch)", "seq=\(power.sequenceLength)", "a=\(power.a)", "b=\(power.b)",
                      "decay=\(power.decayFraction)", "end-factor=\(power.endFactor)"]
        case .table(_, let source):
            return "table:" + source
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
