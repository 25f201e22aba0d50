internal import CLAPACKE

/// The Cholesky factorisation `A = L·Lᵀ` of a symmetric positive-definite matrix (LAPACK `dpotrf`).
public struct Cholesky: Sendable, Equatable {
    /// The lower-triangular factor `L` (upper triangle zero).
    public let lower: Matrix

    /// Factorises the symmetric matrix `a` (only its lower triangle is read).
    /// - Throws: `.notPositiveDefinite(order:)` naming the first leading minor that is not positive.
    public init(_ a: Matrix) throws(LinearAlgebraError) {
        precondition(a.rowCount == a.columnCount, "Cholesky needs a square matrix")
        try requireFinite(a.storage, "the matrix to factorise")
        let n = a.rowCount
        var storage = a.storage
        if n > 0 {
            let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), lapackInt(n), &storage, lapackInt(n))
            checkArguments(info, "dpotrf")
            if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
        }
        for j in 0..<n { for i in 0..<j { storage[j * n + i] = 0 } }
        lower = Matrix(rowCount: n, columnCount: n, columnMajor: storage)
    }

    /// Solves `A·x = b` with the factor.
    public func solve(_ b: [Double]) -> [Double] {
        let n = lower.rowCount
        precondition(b.count == n, "Cholesky.solve needs \(n) values")
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= lower[i, k] * y[k] }
            y[i] = s / lower[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= lower[k, i] * y[k] }
            y[i] = s / lower[i, i]
        }
        return y
    }

    /// `A⁻¹`, from the factor (LAPACK `dpotri`), symmetric.
    public func inverse() -> Matrix {
        let n = lower.rowCount
        var storage = lower.storage
        if n > 0 {
            let info = LAPACKE_dpotri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), lapackInt(n), &storage, lapackInt(n))
            checkArguments(info, "dpotri")
            // A valid factor has a non-zero diagonal, so dpotri cannot report singularity here.
            precondition(info == 0, "dpotri: factor has a zero on its diagonal")
        }
        var result = Matrix(rowCount: n, columnCount: n, columnMajor: storage)
        for j in 0..<n { for i in 0..<j { result[i, j] = result[j, i] } }
        return result
    }
}
