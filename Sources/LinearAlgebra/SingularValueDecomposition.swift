internal import CLAPACKE

/// The thin singular value decomposition `A = U·diag(σ)·Vᵀ` (LAPACK `dgesdd`).
public struct SingularValueDecomposition: Sendable, Equatable {
    /// Singular values, non-negative and in decreasing order (`min(m, n)` of them).
    public let singularValues: [Double]
    /// Left singular vectors, `m × min(m, n)`.
    public let u: Matrix
    /// Right singular vectors transposed, `min(m, n) × n`.
    public let vt: Matrix

    /// Decomposes `a`.
    /// - Throws: `.svdDidNotConverge` when LAPACK's iteration fails, `.nonFiniteInput` for NaN or infinity.
    public init(_ a: Matrix) throws(LinearAlgebraError) {
        try requireFinite(a.storage, "the matrix to decompose")
        let m = a.rowCount, n = a.columnCount, k = min(m, n)
        var storage = a.storage
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: m * k)
        var vt = [Double](repeating: 0, count: k * n)
        if k > 0 {
            let info = LAPACKE_dgesdd(
                LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), lapackInt(m), lapackInt(n), &storage,
                lapackInt(m), &s, &u, lapackInt(m), &vt, lapackInt(k))
            checkArguments(info, "dgesdd")
            if info > 0 { throw .svdDidNotConverge(superdiagonals: Int(info)) }
        }
        singularValues = s
        self.u = Matrix(rowCount: m, columnCount: k, columnMajor: u)
        self.vt = Matrix(rowCount: k, columnCount: n, columnMajor: vt)
    }

    /// The numerical rank: singular values above `rcond · σ_max`.
    public func rank(rcond: Double = 1e-12) -> Int {
        guard let largest = singularValues.first, largest > 0 else { return 0 }
        return singularValues.filter { $0 > rcond * largest }.count
    }

    /// The condition number `σ_max / σ_min` (infinite when `σ_min = 0`).
    public var conditionNumber: Double {
        guard let largest = singularValues.first, let smallest = singularValues.last else { return 1 }
        return smallest > 0 ? largest / smallest : .infinity
    }

    /// The Moore–Penrose pseudo-inverse `V·diag(1/σ)·Uᵀ`, dropping singular values at or below
    /// `rcond · σ_max`.
    public func pseudoInverse(rcond: Double = 1e-12) -> Matrix {
        let m = u.rowCount, n = vt.columnCount
        var result = Matrix(rowCount: n, columnCount: m)
        let cutoff = rcond * (singularValues.first ?? 0)
        for (index, sigma) in singularValues.enumerated() where sigma > cutoff {
            let inv = 1 / sigma
            for i in 0..<n {
                let v = vt[index, i] * inv
                if v == 0 { continue }
                for j in 0..<m { result[i, j] += v * u[j, index] }
            }
        }
        return result
    }
}
