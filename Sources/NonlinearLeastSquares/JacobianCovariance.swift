import LinearAlgebra

/// The covariance of fitted parameters from the weighted Jacobian at the optimum, with the
/// parameters the data cannot separate.
///
/// ```
/// Cov = σ̂² (JᵀWJ)⁺,   σ̂² = Σ wᵢ rᵢ² / (m − n)
/// ```
/// The pseudo-inverse comes from the SVD of the column-scaled Jacobian, dropping singular values
/// below 1e-10 of the largest; a parameter that loads (|v| > 0.3) on a dropped direction, or whose
/// column is zero, is undetermined and gets no covariance.
public enum JacobianCovariance {
    /// - Parameters:
    ///   - weightedJacobian: Rows `√wᵢ · ∂rᵢ/∂θⱼ`, one column per free parameter.
    ///   - weightedSquares: `Σ wᵢ rᵢ²` at the optimum.
    /// - Returns: The covariance matrix (zero rows and columns for undetermined parameters) and the
    ///   columns of the undetermined ones, or nil when the SVD fails.
    public static func estimate(weightedJacobian: Matrix, weightedSquares: Double) -> (matrix: [[Double]], undetermined: [Int])? {
        var jacobian = weightedJacobian
        let m = jacobian.rowCount, n = jacobian.columnCount
        let sigma2 = weightedSquares / Double(max(m - n, 1))
        var norms = [Double](repeating: 0, count: n)
        for j in 0..<n {
            norms[j] = jacobian.column(j).reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norms[j] > 0 { jacobian.setColumn(j, to: jacobian.column(j).map { $0 / norms[j] }) }
        }
        guard let svd = try? SingularValueDecomposition(jacobian) else { return nil }
        let cutoff = 1e-10 * (svd.singularValues.first ?? 0)
        var undetermined: Set<Int> = []
        for (k, sigma) in svd.singularValues.enumerated() where sigma <= cutoff {
            for j in 0..<n where abs(svd.vt[k, j]) > 0.3 { undetermined.insert(j) }
        }
        for j in 0..<n where norms[j] == 0 { undetermined.insert(j) }
        var matrix = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n where !undetermined.contains(i) {
            for j in 0..<n where !undetermined.contains(j) {
                var sum = 0.0
                for (k, sigma) in svd.singularValues.enumerated() where sigma > cutoff {
                    sum += svd.vt[k, i] * svd.vt[k, j] / (sigma * sigma)
                }
                matrix[i][j] = sigma2 * sum / (norms[i] * norms[j])
            }
        }
        return (matrix, undetermined.sorted())
    }
}
