internal import CLAPACKE

/// The solution of a least-squares problem by a rank-revealing factorisation.
public struct RankRevealingSolution: Sendable, Equatable {
    /// The minimum-norm least-squares solution `x`.
    public var solution: [Double]
    /// The numerical rank found: the size of the largest leading triangular block of the
    /// column-pivoted QR factor whose estimated condition number is below `1/rcond`.
    public var rank: Int
    /// The number of unknowns (columns of the matrix).
    public var columnCount: Int
    /// True when `rank < columnCount`: some combination of columns is not determined by the data.
    public var isRankDeficient: Bool { rank < columnCount }
}

/// Linear least squares on LAPACK.
public enum LeastSquares {
    /// Solves `min ‖A·x − b‖₂` for a full-column-rank `A` by Householder QR (LAPACK `dgels`).
    ///
    /// ```
    /// A = Q·R,  x = R⁻¹·Qᵀ·b
    /// ```
    /// - Parameters:
    ///   - a: an `m × n` matrix with `m ≥ n` and full column rank.
    ///   - b: `m` observations.
    /// - Throws: `.rankDeficient(column:)` when `R` has an exact zero on its diagonal,
    ///   `.nonFiniteInput` for NaN or infinity in `a` or `b`.
    public static func solve(_ a: Matrix, _ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        let m = a.rowCount, n = a.columnCount
        precondition(b.count == m, "LeastSquares.solve: b has \(b.count) entries, A has \(m) rows")
        precondition(m >= n, "LeastSquares.solve: needs at least as many rows (\(m)) as columns (\(n))")
        if n == 0 { return [] }
        try requireFinite(a.storage, "the least-squares matrix")
        try requireFinite(b, "the least-squares right-hand side")
        var storage = a.storage
        var rhs = b
        // The _work interface skips LAPACKE's NaN scan (inputs were checked above) and lets one
        // workspace query size the buffer.
        var query = 0.0
        var info = LAPACKE_dgels_work(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), lapackInt(m), lapackInt(n), 1,
            &storage, lapackInt(m), &rhs, lapackInt(m), &query, -1)
        checkArguments(info, "dgels")
        var work = [Double](repeating: 0, count: max(1, Int(query)))
        info = LAPACKE_dgels_work(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), lapackInt(m), lapackInt(n), 1,
            &storage, lapackInt(m), &rhs, lapackInt(m), &work, lapackInt(work.count))
        checkArguments(info, "dgels")
        if info > 0 { throw .rankDeficient(column: Int(info)) }
        return Array(rhs.prefix(n))
    }

    /// Solves `min ‖A·x − b‖₂` by column-pivoted QR with rank detection (LAPACK `dgelsy`);
    /// works for any shape and rank, and returns the minimum-norm solution.
    ///
    /// - Parameters:
    ///   - a: an `m × n` matrix, any rank.
    ///   - b: `m` observations.
    ///   - rcond: relative threshold in (0, 1) for the rank decision; columns whose
    ///     contribution is below `rcond` times the largest are treated as dependent.
    public static func solveRankRevealing(
        _ a: Matrix, _ b: [Double], rcond: Double = 1e-12
    ) throws(LinearAlgebraError) -> RankRevealingSolution {
        let m = a.rowCount, n = a.columnCount
        precondition(b.count == m, "LeastSquares.solveRankRevealing: b has \(b.count) entries, A has \(m) rows")
        precondition(rcond > 0 && rcond < 1, "rcond must lie in (0, 1)")
        try requireFinite(a.storage, "the least-squares matrix")
        try requireFinite(b, "the least-squares right-hand side")
        if n == 0 { return RankRevealingSolution(solution: [], rank: 0, columnCount: 0) }
        var storage = a.storage
        let ldb = max(m, n)
        var rhs = b + [Double](repeating: 0, count: ldb - m)
        var pivots = [Int32](repeating: 0, count: n)
        var rank: Int32 = 0
        let info = LAPACKE_dgelsy(
            LAPACK_COL_MAJOR, lapackInt(m), lapackInt(n), 1, &storage, lapackInt(max(m, 1)),
            &rhs, lapackInt(ldb), &pivots, rcond, &rank)
        checkArguments(info, "dgelsy")
        return RankRevealingSolution(solution: Array(rhs.prefix(n)), rank: Int(rank), columnCount: n)
    }
}
