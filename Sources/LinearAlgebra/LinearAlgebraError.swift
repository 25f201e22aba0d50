/// Why a linear-algebra operation could not produce an answer.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The matrix does not have full column rank: a diagonal element of its triangular factor is zero.
    /// `column` is 1-based, as LAPACK reports it.
    case rankDeficient(column: Int)
    /// The leading minor of order `order` is not positive, so the matrix is not positive definite.
    case notPositiveDefinite(order: Int)
    /// The singular value decomposition failed to converge (`superdiagonals` did not reach zero).
    case svdDidNotConverge(superdiagonals: Int)
    /// An input held NaN or infinity.
    case nonFiniteInput(String)

    public var description: String {
        switch self {
        case .rankDeficient(let column):
            return "the matrix is rank deficient (column \(column) depends on the others): drop or reparameterise the dependent column, or use the rank-revealing solver"
        case .notPositiveDefinite(let order):
            return "the matrix is not positive definite (leading minor of order \(order)): the parameters are not all identifiable from these data"
        case .svdDidNotConverge(let count):
            return "the singular value decomposition did not converge (\(count) superdiagonals left): check the input for extreme scaling"
        case .nonFiniteInput(let what):
            return "\(what) contains NaN or infinity: remove or repair those values first"
        }
    }
}
