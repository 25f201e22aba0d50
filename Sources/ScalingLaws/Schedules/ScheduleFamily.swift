import Foundation

/// The schedule families a spec can name: the one list that the spec parser (`Schedule(spec:)`),
/// `Schedule.spec`, the command-line help and the docs read from.
///
/// ```
/// SPEC   = FAMILY ":" KEY "=" VALUE ("," KEY "=" VALUE)*   |   "table:" FILE
/// FAMILY = a case's raw value or one of its `aliases` (any case, "_" for "-")
/// KEY    = one of the family's `keys`;  "lr" stands for "peak", "gamma" for "factor"
/// VALUE  = a number (e-notation allowed); steps and counts (total, warmup, decay steps, switch,
///          milestones, timescale, batch, seq) also take a suffix k, M, B (or G), T: total=35k
/// ```
/// Every family but `onecycle` and `table` takes `commonKeys`; `keysHelp` describes the rest.
public enum ScheduleFamily: String, Sendable, Equatable, CaseIterable {
    /// The peak LR until the end.
    case constant
    /// Half a cosine down to `end`.
    case cosine
    /// A straight line down to `end`.
    case linear
    /// Warmup–stable–decay.
    case wsd
    /// The peak, then a second constant LR.
    case twoStage = "two-stage"
    /// The peak multiplied by a factor at each milestone.
    case multiStep = "multi-step"
    /// REX (Chen et al. 2021), in the paper's or the common form.
    case rex
    /// Inverse square root after the warmup.
    case inverseSqrt = "inverse-sqrt"
    /// PyTorch's cosine OneCycle.
    case oneCycle = "onecycle"
    /// The power scheduler (Shen et al. 2024).
    case power
    /// UBA (Tang et al. 2025) in a third-party form, see `Schedule.Body.uba`.
    case uba
    /// Per-step rates from a `step,lr` CSV file.
    case table

    /// The keys every family but `onecycle` and `table` takes: `peak` (required), `total` (the last
    /// step, required), `warmup` (steps, default 0), `start` (the warmup's first LR, default 0).
    public static let commonKeys = ["peak", "total", "warmup", "start"]

    /// One line on `commonKeys`, for help and docs.
    public static let commonKeysHelp = "peak (or lr; required), total (last step; required), warmup (steps, default 0), start (warmup's first LR, default 0); steps and counts take a suffix k, M, B (total=35k)"

    /// The keys a spec of this family takes (none for `table`, which takes a file).
    public var keys: [String] {
        switch self {
        case .constant: Self.commonKeys
        case .cosine, .linear: Self.commonKeys + ["end"]
        case .wsd: Self.commonKeys + ["decay", "shape", "end"]
        case .twoStage: Self.commonKeys + ["switch", "second"]
        case .multiStep: Self.commonKeys + ["milestones", "factor"]
        case .rex: Self.commonKeys + ["end", "variant"]
        case .inverseSqrt: Self.commonKeys + ["timescale"]
        case .oneCycle: ["peak", "total", "rise", "div", "final-div"]
        case .power: Self.commonKeys + ["batch", "seq", "a", "b", "decay", "end-factor"]
        case .uba: Self.commonKeys + ["phi", "end"]
        case .table: []
        }
    }

    /// Other names a spec may give the family.
    public var aliases: [String] {
        switch self {
        case .twoStage: ["twostage"]
        case .multiStep: ["multistep", "step"]
        case .inverseSqrt: ["inverse-square-root", "invsqrt"]
        case .oneCycle: ["one-cycle"]
        default: []
        }
    }

    /// One line on the family's own keys (besides `commonKeys`) and its formula or source.
    public var keysHelp: String {
        switch self {
        case .constant:
            "no keys of its own"
        case .cosine, .linear:
            "end (final LR, default 0)"
        case .wsd:
            "decay (steps, or a fraction of total when < 1; required), shape (\(DecayShape.allCases.map(\.rawValue).joined(separator: ", ")); default linear), end (default 0)"
        case .twoStage:
            "switch (first step of the second stage), second (its LR)"
        case .multiStep:
            "milestones (steps separated by /), factor (alias gamma, default 0.1)"
        case .rex:
            "end (default 0), variant = paper (Chen et al.'s β = 1: (1−p)/(1−p/2), the default) or common (β = 0.9 as in common code: (1−p)/(0.1+0.9(1−p)))"
        case .inverseSqrt:
            "timescale τ in steps (default the warmup): η = peak/√(1 + (s−W)/τ)"
        case .oneCycle:
            "rise (fraction, default 0.3), div (default 25), final-div (default 1e4); PyTorch's cosine OneCycle; no warmup or start"
        case .power:
            "batch (sequences; required), seq (tokens per sequence, default 4096), a (4), b (−0.51), decay (fraction, 0.1), end-factor (1e-3); Shen et al. 2024 eq. 7 with peak as η_max"
        case .uba:
            "phi (φ > 0; required; 2 gives cosine), end (default 0): η = end + (peak − end)·2(1 + cos πp)/(2φ + (2 − φ)(1 + cos πp)); "
                + "UBA (Tang et al. 2025, arXiv 2505.24452) as a third-party implementation writes it, not checked against the paper"
        case .table:
            "no keys: the spec is table:FILE, a CSV of step,lr (header optional), linear between listed steps, from step 0 to the last listed step"
        }
    }

    /// The family a spec names, from its name or an alias, in any case and with `_` for `-`.
    public init?(name: some StringProtocol) {
        let normalised = name.lowercased().replacingOccurrences(of: "_", with: "-")
        guard let family = Self.allCases.first(where: { $0.rawValue == normalised || $0.aliases.contains(normalised) }) else { return nil }
        self = family
    }
}

extension Schedule.Body {
    /// The family whose spec writes this body.
    public var family: ScheduleFamily {
        switch self {
        case .constant: .constant
        case .cosine: .cosine
        case .linear: .linear
        case .wsd: .wsd
        case .twoStage: .twoStage
        case .multiStep: .multiStep
        case .rex: .rex
        case .inverseSqrt: .inverseSqrt
        case .oneCycle: .oneCycle
        case .power: .power
        case .uba: .uba
        case .table: .table
        }
    }
}
