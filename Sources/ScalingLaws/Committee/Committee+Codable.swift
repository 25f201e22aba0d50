/// FIT.json's `committee`: `{"combination": "median", "members": [{"key", "label", "fit"}, …]}`,
/// each member's `fit` laid out as a whole FIT.json fit. A committee without members, with an
/// unknown combination or with two members of one key is rejected with a message naming the key.
extension Committee: Codable {
    private enum CodingKeys: String, CodingKey {
        case combination, members
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .combination)
        guard let combination = Combination(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .combination, in: container, debugDescription:
                "unknown combination \"\(name.prefix(40))\"; this version combines by \(Combination.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let members = try container.decode([CommitteeMember].self, forKey: .members)
        guard !members.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .members, in: container, debugDescription: "a committee needs at least one member")
        }
        if let repeated = Dictionary(grouping: members, by: \.key).first(where: { $0.value.count > 1 })?.key {
            throw DecodingError.dataCorruptedError(forKey: .members, in: container, debugDescription: "member \"\(repeated.prefix(40))\" appears twice")
        }
        if let nested = members.first(where: { $0.fit.committee != nil }) {
            throw DecodingError.dataCorruptedError(forKey: .members, in: container, debugDescription: "member \"\(nested.key.prefix(40))\" is itself a committee")
        }
        self.init(members: members, combination: combination)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(combination, forKey: .combination)
        try container.encode(members, forKey: .members)
    }
}
