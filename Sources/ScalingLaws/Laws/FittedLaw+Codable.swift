/// A fitted law in JSON: its kind under `law` and its parameters under a key of their own, as
/// FIT.json has always stored the law:
///
/// ```
/// { "law": "annealing", "annealing": { "l0": …, "a": …, … } }
/// ```
/// Encoded into the container of whatever holds it, so a fit (and, later, each member of a
/// committee's member fit) keeps these two keys beside its own.
extension FittedLaw: Codable {
    private enum CodingKeys: String, CodingKey {
        case law, annealing, multiPower, exponential
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .law)
        guard let kind = Kind(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .law, in: container, debugDescription:
                "unknown law \"\(name.prefix(40))\"; this version reads \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        switch kind {
        case .annealing: self = .annealing(try container.decode(AnnealingLaw.self, forKey: .annealing))
        case .multiPower: self = .multiPower(try container.decode(MultiPowerLaw.self, forKey: .multiPower))
        case .exponential: self = .exponential(try container.decode(ExponentialLaw.self, forKey: .exponential))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .law)
        switch self {
        case .annealing(let law): try container.encode(law, forKey: .annealing)
        case .multiPower(let law): try container.encode(law, forKey: .multiPower)
        case .exponential(let law): try container.encode(law, forKey: .exponential)
        }
    }
}

extension FittedLaw {
    /// The key the law's parameters are stored under (`annealing`, `multiPower`, `exponential`).
    var codingKey: String {
        let key: CodingKeys
        switch self {
        case .annealing: key = .annealing
        case .multiPower: key = .multiPower
        case .exponential: key = .exponential
        }
        return key.stringValue
    }
}
