/// FIT.json's layout: the law's name under `law` and its parameters under a key of their own
/// (`annealing`, `multiPower` or `exponential`, `FittedLaw`'s coding), beside the fit's other keys,
/// as every version has written them.
extension FitResult: Codable {
    private enum CodingKeys: String, CodingKey {
        case lawSelection, parameters, settings, statistics, curves, notes, covariance, baselines, bootstrap, rankingCheck, committee, identification
    }

    public init(from decoder: any Decoder) throws {
        law = try FittedLaw(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lawSelection = try container.decodeIfPresent(LawSelection.Outcome.self, forKey: .lawSelection)
        parameters = try container.decode([FittedParameter].self, forKey: .parameters)
        settings = try container.decode(FitSettings.self, forKey: .settings)
        statistics = try container.decode(FitStatistics.self, forKey: .statistics)
        curves = try container.decode([FittedCurve].self, forKey: .curves)
        notes = try container.decode([String].self, forKey: .notes)
        covariance = try container.decodeIfPresent(ParameterCovariance.self, forKey: .covariance)
        baselines = try container.decodeIfPresent(FitBaselines.self, forKey: .baselines)
        bootstrap = try container.decodeIfPresent(BootstrapSample.self, forKey: .bootstrap)
        rankingCheck = try container.decodeIfPresent(RankingCheck.self, forKey: .rankingCheck)
        committee = try container.decodeIfPresent(Committee.self, forKey: .committee)
        identification = try container.decodeIfPresent(FitIdentification.self, forKey: .identification)
    }

    public func encode(to encoder: any Encoder) throws {
        try law.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(lawSelection, forKey: .lawSelection)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(settings, forKey: .settings)
        try container.encode(statistics, forKey: .statistics)
        try container.encode(curves, forKey: .curves)
        try container.encode(notes, forKey: .notes)
        try container.encodeIfPresent(covariance, forKey: .covariance)
        try container.encodeIfPresent(baselines, forKey: .baselines)
        try container.encodeIfPresent(bootstrap, forKey: .bootstrap)
        try container.encodeIfPresent(rankingCheck, forKey: .rankingCheck)
        try container.encodeIfPresent(committee, forKey: .committee)
        try container.encodeIfPresent(identification, forKey: .identification)
    }
}
