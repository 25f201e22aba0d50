import Foundation
import LinearAlgebra

/// The data of one law's regression: per group, the logarithms of the formula's variables and
/// the logarithms of the target at each of the group's regression points.
struct PowerLawRegression {
    let formula: HyperparameterFormula
    /// Per group: ln xⱼ for each term, centred on the mean over groups.
    let centredLogVariables: [[Double]]
    /// The mean over groups of each ln xⱼ.
    let logVariableMeans: [Double]
    /// Per group: ln y at each regression point.
    let logTargets: [[Double]]

    /// The regression of `formula` over the groups and their optima.
    init(formula: HyperparameterFormula, groups: [SweepGroup], optima: [GroupOptimum]) {
        self.formula = formula
        let logVariables = groups.map { group in
            formula.terms.map { log(HyperparameterFormula.value(of: $0, parameters: group.parameters, tokens: group.tokens, covariates: group.covariates)!) }
        }
        let means = formula.terms.indices.map { term in logVariables.map { $0[term] }.reduce(0, +) / Double(groups.count) }
        logVariableMeans = means
        centredLogVariables = logVariables.map { row in zip(row, means).map { $0 - $1 } }
        let targetIndex = formula.target == .learningRate ? 0 : 1
        logTargets = optima.map { optimum in optimum.regressionPoints.map { $0[targetIndex] } }
    }

    /// The law's coefficients (ln c₀, a₁, …) fitted by least squares to the points of `groups`
    /// (indices, repeats allowed, as a bootstrap draws them); nil when they do not determine
    /// every coefficient.
    ///
    /// ```
    /// min Σ_g Σ_points (ln y − b₀ − Σⱼ aⱼ (ln xⱼ − mean ln xⱼ))²,   ln c₀ = b₀ − Σⱼ aⱼ mean ln xⱼ
    /// ```
    /// Solved by column-pivoted QR (LAPACK `dgelsy`); centring makes a variable that does not
    /// vary a zero column, which the rank test catches.
    func coefficients(groups: [Int]) -> [Double]? {
        coefficients(groups: groups, termCount: formula.terms.count)
    }

    private func coefficients(groups: [Int], termCount: Int) -> [Double]? {
        var rows: [[Double]] = []
        var rhs: [Double] = []
        for group in groups {
            for target in logTargets[group] {
                rows.append([1] + centredLogVariables[group].prefix(termCount))
                rhs.append(target)
            }
        }
        guard rows.count > termCount,
              let solution = try? LeastSquares.solveRankRevealing(Matrix(rows: rows), rhs, rcond: 1e-10),
              !solution.isRankDeficient else { return nil }
        var result = solution.solution
        for term in 0..<termCount { result[0] -= result[term + 1] * logVariableMeans[term] }
        return result
    }

    /// The law with coefficients (ln c₀, a₁, …).
    func law(coefficients: [Double]) -> HyperparameterLaw {
        HyperparameterLaw(formula: formula, logPrefactor: coefficients[0], exponents: Array(coefficients.dropFirst()))
    }

    /// The first term that the groups cannot separate from the terms before it (and the
    /// intercept), or nil when every coefficient is determined.
    func firstUndeterminedTerm(groups: [Int]) -> String? {
        for count in 0...formula.terms.count where coefficients(groups: groups, termCount: count) == nil {
            return count == 0 ? "intercept" : formula.terms[count - 1]
        }
        return nil
    }
}
