import Foundation

/// A family of runs and its protocol: which logs are fitted in which window, and which held-out
/// logs are predicted from which step. The real families decide lossfit's defaults; the simulated
/// runs of `data/` only test the machinery (issue #15).
public struct EvidenceFamily: Sendable, Equatable {
    /// The logs predicted after the fit.
    public enum HeldOut: Sendable, Equatable {
        /// These logs (names without `.csv`), in this order.
        case listed([String])
        /// Every `.csv` log of the directory whose name starts with `prefix`, sorted by name, except
        /// re-runs (`…_rerun`, the noise floor) and the names in `excluding`.
        case everyOther(prefix: String, excluding: [String])
    }

    /// The family's name in tables, e.g. `MPL 25M`.
    public var name: String
    /// The directory holding its logs.
    public var directory: String
    /// The logs fitted (names without `.csv`).
    public var fitted: [String]
    public var heldOut: HeldOut
    /// The fitting window: first and last step fitted (nil: the end of warmup; the end of the log).
    public var fitFromStep: Int?
    public var fitToStep: Int?
    /// The first step scored on the held-out logs (nil: the end of warmup); they are scored to their end.
    public var scoreFromStep: Int?
    /// Whether the family decides defaults: real runs do, the project's simulated runs do not.
    public var decides: Bool

    public init(name: String, directory: String, fitted: [String], heldOut: HeldOut, fitFromStep: Int? = nil,
                fitToStep: Int? = nil, scoreFromStep: Int? = nil, decides: Bool) {
        self.name = name
        self.directory = directory
        self.fitted = fitted
        self.heldOut = heldOut
        self.fitFromStep = fitFromStep
        self.fitToStep = fitToStep
        self.scoreFromStep = scoreFromStep
        self.decides = decides
    }

    /// The path of log `name` in the family's directory.
    public func path(_ name: String) -> String { "\(directory)/\(name).csv" }

    /// The four real families in `sharedData` (`../shared/data`), by their published protocols.
    ///
    /// MPL 25M and 100M (Luo et al. 2025, arXiv 2503.12811): fit cosine_24000, constant_24000 and
    /// wsdcon_9 on their logged LRs, predict the other six, windows from the end of warmup.
    /// 124M at peaks 2e-3 and 1e-4 (Schaipp et al. 2025, arXiv 2501.18965): fit constant_50000 cut
    /// at step 25000 plus wsd_linear_0.2_25000 from step 2000, predict every other run but the
    /// re-runs from step 2000, the constant run whole (33 runs at 2e-3, 19 at 1e-4).
    public static func real(sharedData: String) -> [EvidenceFamily] {
        [mpl(size: "25", sharedData: sharedData), mpl(size: "100", sharedData: sharedData),
         epfl124m(peak: "2e-3", sharedData: sharedData), epfl124m(peak: "1e-4", sharedData: sharedData)]
    }

    /// MPL runs of `size` million parameters ("25" or "100") on the published protocol.
    public static func mpl(size: String, sharedData: String) -> EvidenceFamily {
        EvidenceFamily(name: "MPL \(size)M", directory: "\(sharedData)/mpl/\(size)",
                       fitted: ["cosine_24000", "constant_24000", "wsdcon_9"],
                       heldOut: .listed(["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]),
                       decides: true)
    }

    /// The 124M runs at `peak` ("2e-3" or "1e-4") on the protocol of `../shared/README.md`.
    public static func epfl124m(peak: String, sharedData: String) -> EvidenceFamily {
        let cooldown = "lr\(peak)_wsd_linear_0.2_25000"
        return EvidenceFamily(name: "124M \(peak)", directory: "\(sharedData)/epfl124m",
                              fitted: ["lr\(peak)_constant_50000", cooldown],
                              heldOut: .everyOther(prefix: "lr\(peak)_", excluding: [cooldown]),
                              fitFromStep: 2000, fitToStep: 25000, scoreFromStep: 2000, decides: true)
    }

    /// The project's simulated runs (`data/`) on the demo's protocol: they decide nothing.
    public static func simulated(directory: String) -> EvidenceFamily {
        EvidenceFamily(name: "simulated", directory: directory, fitted: DemoRun.training,
                       heldOut: .listed(DemoRun.unseen), decides: false)
    }

    /// The held-out logs' names, or the first reason the family cannot run: its directory or a
    /// log is missing, or no log is left to predict.
    func heldOutNames() -> Result<[String], EvidenceFamily.Missing> {
        switch heldOut {
        case .listed(let names):
            return .success(names)
        case .everyOther(let prefix, let excluding):
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                return .failure(Missing(path: directory))
            }
            let names = files.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".csv") }
                .map { String($0.dropLast(".csv".count)) }
                .filter { !$0.hasSuffix("_rerun") && !excluding.contains($0) }
                .sorted()
            return names.isEmpty ? .failure(Missing(path: "\(directory)/\(prefix)*.csv")) : .success(names)
        }
    }

    /// A file or directory a family needs that is not there.
    struct Missing: Error {
        var path: String
    }
}
