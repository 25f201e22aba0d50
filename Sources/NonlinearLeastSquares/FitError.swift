import LinearAlgebra

/// Why a nonlinear least-squares fit could not start or could not continue.
///
/// A fit that runs but does not meet its convergence test is not an error: it returns a result
/// whose `converged` flag is false and whose `termination` says why it stopped.
public enum FitError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The residual function returned NaN or infinity at the start point, so no step can be
    /// measured against it. `index` is the first bad residual (0-based); `parameters` is the
    /// start point that was evaluated (after projection onto the bounds).
    case nonFiniteResidualAtStart(index: Int, parameters: [Double])
    /// The Jacobian (analytic or by finite differences) held NaN or infinity at the start point.
    /// `parameter` is the first affected parameter (column, 0-based).
    case nonFiniteJacobianAtStart(parameter: Int, parameters: [Double])
    /// Fewer observations than free parameters: the fit is underdetermined.
    case tooFewObservations(observations: Int, parameters: Int)
    /// An argument is malformed (wrong length, empty bound, non-finite start value, bad option).
    case invalidArgument(String)
    /// A linear-algebra step failed (for example a non-finite basis matrix in variable projection).
    case linearAlgebra(LinearAlgebraError)
    /// The losses do not decrease over the fitted window, so a decaying law cannot describe them
    /// (the exponential forecast's best fit rises or stays flat: a ≤ 0). `detail` says where.
    case notDecreasing(String)

    public var description: String {
        switch self {
        case .nonFiniteResidualAtStart(let index, let parameters):
            return "residual \(index) is NaN or infinite at the start point \(parameters): choose a start where the model is defined (check logarithms, divisions and powers of the parameters), or tighten the bounds"
        case .nonFiniteJacobianAtStart(let parameter, let parameters):
            return "the Jacobian column of parameter \(parameter) is NaN or infinite at the start point \(parameters): move the start away from the model's singularities, or check the analytic derivative"
        case .tooFewObservations(let observations, let parameters):
            return "\(observations) observation\(observations == 1 ? "" : "s") cannot determine \(parameters) parameters: add data (more logged steps or more curves), or fix some parameters at known values"
        case .invalidArgument(let message):
            return "invalid argument: \(message)"
        case .linearAlgebra(let error):
            return "linear algebra failed during the fit: \(error)"
        case .notDecreasing(let detail):
            return "\(detail): a decaying law cannot forecast a loss that does not fall; fit a window where the loss decreases (start later, end earlier, or take a larger recent fraction), or check the log (a diverging run, the wrong column)"
        }
    }
}
