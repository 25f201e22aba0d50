import LinearAlgebra

/// A polynomial of total degree 2 or 3 in two variables, held in centred and scaled coordinates
/// so that its least-squares fit is well conditioned.
///
/// ```
/// u = (x − cₓ)/sₓ,  v = (y − c_y)/s_y
/// p = a₀ + a₁u + a₂v + a₃u² + a₄uv + a₅v²                          (degree 2)
///       + a₆u³ + a₇u²v + a₈uv² + a₉v³                             (degree 3)
/// ```
/// The hyperparameter code uses x = ln η, y = ln B and p ≈ ln L, the loss landscape of one
/// (N, D) group near its optimum.
public struct BivariatePolynomial: Sendable, Equatable, Codable {
    /// Total degree, 2 or 3.
    public var degree: Int
    /// (cₓ, c_y): the centre of the coordinates.
    public var center: [Double]
    /// (sₓ, s_y) > 0: the scale of the coordinates.
    public var scale: [Double]
    /// a₀…a₅ (degree 2) or a₀…a₉ (degree 3), in the order above.
    public var coefficients: [Double]

    /// The number of coefficients of a polynomial of `degree` (6 or 10).
    public static func coefficientCount(degree: Int) -> Int { (degree + 1) * (degree + 2) / 2 }

    /// The basis values at scaled coordinates (u, v), in coefficient order.
    static func basis(_ u: Double, _ v: Double, degree: Int) -> [Double] {
        let quadratic = [1, u, v, u * u, u * v, v * v]
        return degree == 2 ? quadratic : quadratic + [u * u * u, u * u * v, u * v * v, v * v * v]
    }

    /// Fits by least squares (LAPACK `dgels`) with optional non-negative weights:
    /// ```
    /// min Σᵢ wᵢ (p(xᵢ, yᵢ) − zᵢ)²
    /// ```
    /// The coordinates are centred on the middle of the data's range and scaled by half of it,
    /// so that the data fill the square [−1, 1]².
    /// - Throws: `LinearAlgebraError.rankDeficient` when the points cannot determine every
    ///   coefficient (too few distinct values of x or y).
    public static func fit(x: [Double], y: [Double], z: [Double], weights: [Double]? = nil, degree: Int) throws(LinearAlgebraError) -> BivariatePolynomial {
        precondition(degree == 2 || degree == 3, "degree must be 2 or 3")
        precondition(x.count == y.count && y.count == z.count, "x, y and z must be equally long")
        let count = coefficientCount(degree: degree)
        guard x.count >= count else { throw .rankDeficient(column: x.count + 1) }
        let center = [(x.min()! + x.max()!) / 2, (y.min()! + y.max()!) / 2]
        let scale = [max((x.max()! - x.min()!) / 2, 1e-12), max((y.max()! - y.min()!) / 2, 1e-12)]
        var design = Matrix(rowCount: x.count, columnCount: count)
        var rhs = z
        for i in x.indices {
            let root = weights.map { $0[i].squareRoot() } ?? 1
            let row = basis((x[i] - center[0]) / scale[0], (y[i] - center[1]) / scale[1], degree: degree)
            for j in 0..<count { design[i, j] = row[j] * root }
            rhs[i] *= root
        }
        let solution = try LeastSquares.solve(design, rhs)
        return BivariatePolynomial(degree: degree, center: center, scale: scale, coefficients: solution)
    }

    /// A polynomial from its parts.
    public init(degree: Int, center: [Double], scale: [Double], coefficients: [Double]) {
        self.degree = degree
        self.center = center
        self.scale = scale
        self.coefficients = coefficients
    }

    /// The scaled coordinates of (x, y).
    func scaled(_ x: Double, _ y: Double) -> (u: Double, v: Double) {
        ((x - center[0]) / scale[0], (y - center[1]) / scale[1])
    }

    /// p(x, y).
    public func value(x: Double, y: Double) -> Double {
        let (u, v) = scaled(x, y)
        let row = Self.basis(u, v, degree: degree)
        var sum = 0.0
        for j in row.indices { sum += row[j] * coefficients[j] }
        return sum
    }

    /// (∂p/∂x, ∂p/∂y) at (x, y).
    public func gradient(x: Double, y: Double) -> [Double] {
        let (u, v) = scaled(x, y)
        let a = cubicCoefficients
        let du = a[1] + 2 * a[3] * u + a[4] * v + 3 * a[6] * u * u + 2 * a[7] * u * v + a[8] * v * v
        let dv = a[2] + a[4] * u + 2 * a[5] * v + a[7] * u * u + 2 * a[8] * u * v + 3 * a[9] * v * v
        return [du / scale[0], dv / scale[1]]
    }

    /// The Hessian (∂²p/∂x², ∂²p/∂x∂y, ∂²p/∂y²) at (x, y).
    public func hessian(x: Double, y: Double) -> [Double] {
        let (u, v) = scaled(x, y)
        let a = cubicCoefficients
        let uu = 2 * a[3] + 6 * a[6] * u + 2 * a[7] * v
        let uv = a[4] + 2 * a[7] * u + 2 * a[8] * v
        let vv = 2 * a[5] + 2 * a[8] * u + 6 * a[9] * v
        return [uu / (scale[0] * scale[0]), uv / (scale[0] * scale[1]), vv / (scale[1] * scale[1])]
    }

    /// The third derivatives (∂³p/∂x³, ∂³p/∂x²∂y, ∂³p/∂x∂y², ∂³p/∂y³), constant for a cubic
    /// and zero for a quadratic.
    public var thirdDerivatives: [Double] {
        let a = cubicCoefficients
        let (sx, sy) = (scale[0], scale[1])
        return [6 * a[6] / (sx * sx * sx), 2 * a[7] / (sx * sx * sy), 2 * a[8] / (sx * sy * sy), 6 * a[9] / (sy * sy * sy)]
    }

    /// The coefficients padded with zeros to the ten of a cubic.
    private var cubicCoefficients: [Double] {
        coefficients + [Double](repeating: 0, count: 10 - coefficients.count)
    }
}
