import Foundation

/// A power law for the optimal value of one hyperparameter.
///
/// ```
/// y* = c₀ · Πⱼ xⱼ^(aⱼ)        ln y* = ln c₀ + Σⱼ aⱼ · ln xⱼ
/// ```
/// y is the peak learning rate or the batch size in tokens; the xⱼ are the formula's variables
/// (N non-embedding parameters, D tokens, C = 6·N·D FLOPs, or sweep covariates).
public struct HyperparameterLaw: Sendable, Equatable, Codable {
    /// Target and variables.
    public var formula: HyperparameterFormula
    /// ln c₀.
    public var logPrefactor: Double
    /// aⱼ, one per term of the formula.
    public var exponents: [Double]

    /// A law from its coefficients.
    public init(formula: HyperparameterFormula, logPrefactor: Double, exponents: [Double]) {
        precondition(exponents.count == formula.terms.count, "one exponent per term")
        self.formula = formula
        self.logPrefactor = logPrefactor
        self.exponents = exponents
    }

    /// A law from its coefficients as papers print them, e.g. `1.79·N^(−0.713)·D^(0.307)`.
    public init(formula: HyperparameterFormula, prefactor: Double, exponents: [Double]) {
        self.init(formula: formula, logPrefactor: log(prefactor), exponents: exponents)
    }

    /// c₀.
    public var prefactor: Double { exp(logPrefactor) }

    /// The coefficients (ln c₀, a₁, a₂, …), as the regression and the bootstrap hold them.
    public var coefficients: [Double] { [logPrefactor] + exponents }

    /// y* for a model of `parameters` non-embedding parameters trained on `tokens` tokens.
    /// - Parameter covariates: values of the formula's covariates, when it has any.
    /// - Throws: `SweepError.invalidQuery` when a variable is missing or not positive.
    public func predict(parameters: Double, tokens: Double, covariates: [String: Double] = [:]) throws(SweepError) -> Double {
        exp(try logPrediction(coefficients: coefficients, parameters: parameters, tokens: tokens, covariates: covariates))
    }

    /// ln y* under other coefficients (a bootstrap draw).
    func logPrediction(coefficients: [Double], parameters: Double, tokens: Double, covariates: [String: Double]) throws(SweepError) -> Double {
        // A law read back from an edited file may not match its formula.
        guard coefficients.count == formula.terms.count + 1 else {
            throw .coefficientCount(formula: formula.description, count: coefficients.count, needed: formula.terms.count + 1)
        }
        var result = coefficients[0]
        for (index, name) in formula.terms.enumerated() {
            guard let value = HyperparameterFormula.value(of: name, parameters: parameters, tokens: tokens, covariates: covariates) else {
                throw .missingCovariate(formula: formula.description, name: name)
            }
            guard value > 0 && value.isFinite else { throw .invalidQuery("\(name) must be finite and positive, got \(value)") }
            result += coefficients[index + 1] * log(value)
        }
        return result
    }

    /// The law as papers print it, e.g. `η* = 1.79·N^(−0.713)·D^(0.307)`.
    public var equation: String {
        let symbol = formula.target == .learningRate ? "η*" : "B*"
        let factors = zip(formula.terms, exponents).map { "·\($0)^(\(Self.signed($1)))" }.joined()
        return "\(symbol) = \(Self.threeDigits(prefactor))\(factors)"
    }

    private static func signed(_ value: Double) -> String {
        let text = String(format: "%.3f", abs(value))
        return value < 0 ? "−" + text : text
    }

    private static func threeDigits(_ value: Double) -> String {
        String(format: "%.3g", value).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e").replacingOccurrences(of: "e-0", with: "e-")
    }
}
