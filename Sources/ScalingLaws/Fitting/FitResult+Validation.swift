/// Why a decoded fit cannot predict: a value that no fit produces, so the file holding it was
/// damaged or edited by hand. Each message names the key as it is in FIT.json.
public enum FitValidationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A law's parameter lies outside its range; `key` is where the law is stored (`annealing`,
    /// `rankingCheck.law`, `baselines.perCurve[1].law`).
    case lawParameter(key: String, LawParameterError)
    /// The covariance names something that is not a parameter of the law, or a parameter twice.
    case covarianceParameter(name: String, law: FittedLaw.Kind, parameters: [String])
    /// The covariance matrix does not have one row, and in each row one column, per named parameter.
    case covarianceShape(rows: [Int], parameters: Int)
    /// A covariance entry is NaN or infinite.
    case covarianceNotFinite(row: String, column: String)
    /// A variance below zero.
    case negativeVariance(parameter: String, value: Double)
    /// Entries (i, j) and (j, i) differ, or give a correlation beyond ±1: no covariance matrix has them.
    case notACovariance(row: String, column: String)
    /// The bootstrap's parameter names are not the law's.
    case bootstrapParameters(names: [String], law: [String])
    /// A bootstrap replicate does not hold one value per parameter.
    case bootstrapReplicateLength(index: Int, count: Int, parameters: Int)
    /// A bootstrap replicate's law has a parameter outside its range.
    case bootstrapReplicate(index: Int, LawParameterError)
    /// A fitted curve's first step is below zero or after its last.
    case curveSteps(index: Int, first: Int, last: Int)
    /// A committee member's own fit fails one of these checks.
    indirect case committeeMember(index: Int, FitValidationError)

    public var description: String {
        switch self {
        case .lawParameter(let key, let problem):
            return "\(key): \(problem)"
        case .covarianceParameter(let name, let law, let parameters):
            return "covariance.parameters: \"\(name)\" is not a parameter of the \(law.rawValue) law, or is named twice (parameters: \(parameters.joined(separator: ", ")))"
        case .covarianceShape(let rows, let parameters):
            return "covariance.matrix: \(rows.count) row\(rows.count == 1 ? "" : "s") of \(rows.map(String.init).joined(separator: ", ")) entries, where \(parameters) parameters need \(parameters) rows of \(parameters)"
        case .covarianceNotFinite(let row, let column):
            return "covariance.matrix: the entry of \(row) and \(column) is not a finite number"
        case .negativeVariance(let parameter, let value):
            return "covariance.matrix: the variance of \(parameter) is \(value), below zero"
        case .notACovariance(let row, let column):
            return "covariance.matrix: the entries of \(row) and \(column) are not symmetric or give a correlation beyond ±1"
        case .bootstrapParameters(let names, let law):
            return "bootstrap.parameterNames: \(names.joined(separator: ", ")) are not the law's parameters \(law.joined(separator: ", "))"
        case .bootstrapReplicateLength(let index, let count, let parameters):
            return "bootstrap.replicates[\(index)]: \(count) values for \(parameters) parameters"
        case .bootstrapReplicate(let index, let problem):
            return "bootstrap.replicates[\(index)]: \(problem)"
        case .curveSteps(let index, let first, let last):
            return "curves[\(index)]: steps \(first)–\(last) are not a range of steps ≥ 0"
        case .committeeMember(let index, let problem):
            return "committee.members[\(index)].fit.\(problem)"
        }
    }
}

extension FitResult {
    /// Throws for the first value that would make predictions wrong or impossible: a parameter of
    /// the law, its ranking check, baselines or bootstrap replicates outside the law's ranges
    /// (`LossLaw.validate()`), a covariance that is not one (not square over distinct parameters of
    /// the law, not finite, a negative variance, asymmetric or a correlation beyond ±1), bootstrap
    /// replicates that do not match the law, a fitted curve's steps out of order, or any of these in a
    /// committee member's fit.
    ///
    /// A full positive-semidefiniteness test is not made: fitted covariances are singular (zero
    /// rows of undetermined parameters) and correlations reach 1 − 1e-15, where a factorisation
    /// fails on rounding; the 2 × 2 principal minors are checked instead, with a relative slack of 1e-9.
    public func validate() throws(FitValidationError) {
        try Self.check(law.lossLaw, key: law.codingKey)
        try validateCovariance()
        try validateBootstrap()
        if let rankingCheck { try Self.check(rankingCheck.law, key: "rankingCheck.law") }
        if let baselines {
            for (index, named) in baselines.perCurve.enumerated() {
                try Self.check(named.law, key: "baselines.perCurve[\(index)].law")
            }
            if let law = baselines.powerLawInSteps { try Self.check(law, key: "baselines.powerLawInSteps") }
            if let law = baselines.exponential { try Self.check(law, key: "baselines.exponential") }
        }
        for (index, curve) in curves.enumerated() where curve.firstStep < 0 || curve.lastStep < curve.firstStep {
            throw .curveSteps(index: index, first: curve.firstStep, last: curve.lastStep)
        }
        for (index, member) in (committee?.members ?? []).enumerated() {
            do {
                try member.fit.validate()
            } catch {
                throw .committeeMember(index: index, error)
            }
        }
    }

    private static func check(_ law: some LossLaw, key: String) throws(FitValidationError) {
        do {
            try law.validate()
        } catch {
            throw .lawParameter(key: key, error)
        }
    }

    private func validateCovariance() throws(FitValidationError) {
        guard let covariance else { return }
        let names = covariance.parameters
        let lawNames = law.parameterNames
        for (index, name) in names.enumerated() where !lawNames.contains(name) || names[..<index].contains(name) {
            throw .covarianceParameter(name: name, law: law.kind, parameters: lawNames)
        }
        let matrix = covariance.matrix
        guard matrix.count == names.count, matrix.allSatisfy({ $0.count == names.count }) else {
            throw .covarianceShape(rows: matrix.map(\.count), parameters: names.count)
        }
        for i in names.indices {
            for j in names.indices where !matrix[i][j].isFinite {
                throw .covarianceNotFinite(row: names[i], column: names[j])
            }
        }
        for i in names.indices where matrix[i][i] < 0 {
            throw .negativeVariance(parameter: names[i], value: matrix[i][i])
        }
        let slack = 1e-9
        for i in names.indices {
            for j in names.indices where j > i {
                let scale = (matrix[i][i] * matrix[j][j]).squareRoot()
                let (upper, lower) = (matrix[i][j], matrix[j][i])
                if abs(upper - lower) > slack * scale || abs(upper) > (1 + slack) * scale {
                    throw .notACovariance(row: names[i], column: names[j])
                }
            }
        }
    }

    private func validateBootstrap() throws(FitValidationError) {
        guard let bootstrap else { return }
        guard bootstrap.parameterNames == law.parameterNames else {
            throw .bootstrapParameters(names: bootstrap.parameterNames, law: law.parameterNames)
        }
        for (index, values) in bootstrap.replicates.enumerated() {
            guard values.count == law.parameterNames.count else {
                throw .bootstrapReplicateLength(index: index, count: values.count, parameters: law.parameterNames.count)
            }
            do {
                try law.withParameterValues(values).validate()
            } catch {
                throw .bootstrapReplicate(index: index, error)
            }
        }
    }
}
