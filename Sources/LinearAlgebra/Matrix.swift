/// A dense real matrix of `Double` values.
///
/// The element order in memory is an implementation detail: read and write elements through
/// `self[row, column]`, `row(_:)`, `column(_:)` or the initialisers, never through a buffer.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (≥ 0).
    public let rowCount: Int
    /// Number of columns (≥ 0).
    public let columnCount: Int
    /// Column-major elements, the layout LAPACK works in; kept internal so it never leaks.
    @usableFromInline var storage: [Double]

    /// A `rowCount × columnCount` matrix with every element `value`.
    public init(rowCount: Int, columnCount: Int, repeating value: Double = 0) {
        precondition(rowCount >= 0 && columnCount >= 0, "Matrix dimensions must be non-negative")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.storage = Array(repeating: value, count: rowCount * columnCount)
    }

    /// A matrix from its rows; every row must have the same length.
    public init(rows: [[Double]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Matrix(rows:) needs rows of equal length")
        self.init(rowCount: rows.count, columnCount: columns)
        for (i, row) in rows.enumerated() {
            for (j, value) in row.enumerated() { self[i, j] = value }
        }
    }

    /// A matrix from its columns; every column must have the same length.
    public init(columns: [[Double]]) {
        let rows = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == rows }, "Matrix(columns:) needs columns of equal length")
        self.rowCount = rows
        self.columnCount = columns.count
        self.storage = columns.flatMap { $0 }
    }

    init(rowCount: Int, columnCount: Int, columnMajor storage: [Double]) {
        precondition(storage.count == rowCount * columnCount)
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.storage = storage
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rowCount: n, columnCount: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// The `n × n` matrix with `values` on its diagonal.
    public static func diagonal(_ values: [Double]) -> Matrix {
        var m = Matrix(rowCount: values.count, columnCount: values.count)
        for (i, v) in values.enumerated() { m[i, i] = v }
        return m
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount, "Matrix index out of range")
            return storage[column * rowCount + row]
        }
        set {
            precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount, "Matrix index out of range")
            storage[column * rowCount + row] = newValue
        }
    }

    /// The elements of row `i`.
    public func row(_ i: Int) -> [Double] {
        (0..<columnCount).map { self[i, $0] }
    }

    /// The elements of column `j`.
    public func column(_ j: Int) -> [Double] {
        Array(storage[(j * rowCount)..<((j + 1) * rowCount)])
    }

    /// Replaces column `j` with `values` (length `rowCount`).
    public mutating func setColumn(_ j: Int, to values: [Double]) {
        precondition(values.count == rowCount, "setColumn needs \(rowCount) values")
        storage.replaceSubrange((j * rowCount)..<((j + 1) * rowCount), with: values)
    }

    /// Every row as an array, top to bottom.
    public var rows: [[Double]] { (0..<rowCount).map(row) }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rowCount: columnCount, columnCount: rowCount)
        for j in 0..<columnCount {
            for i in 0..<rowCount { t.storage[i * columnCount + j] = storage[j * rowCount + i] }
        }
        return t
    }

    /// The rows `range` of this matrix stacked on top of `other`'s rows (same column count).
    public func stacked(above other: Matrix) -> Matrix {
        precondition(columnCount == other.columnCount, "stacked(above:) needs equal column counts")
        var result = Matrix(rowCount: rowCount + other.rowCount, columnCount: columnCount)
        for j in 0..<columnCount {
            for i in 0..<rowCount { result[i, j] = self[i, j] }
            for i in 0..<other.rowCount { result[rowCount + i, j] = other[i, j] }
        }
        return result
    }

    /// True when every element is finite (no NaN, no infinity).
    public var isFinite: Bool { storage.allSatisfy(\.isFinite) }

    /// Matrix product.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columnCount == rhs.rowCount, "Matrix product needs lhs.columnCount == rhs.rowCount")
        var result = Matrix(rowCount: lhs.rowCount, columnCount: rhs.columnCount)
        for j in 0..<rhs.columnCount {
            for k in 0..<lhs.columnCount {
                let b = rhs.storage[j * rhs.rowCount + k]
                if b == 0 { continue }
                for i in 0..<lhs.rowCount {
                    result.storage[j * lhs.rowCount + i] += lhs.storage[k * lhs.rowCount + i] * b
                }
            }
        }
        return result
    }

    /// Matrix–vector product.
    public static func * (lhs: Matrix, rhs: [Double]) -> [Double] {
        precondition(lhs.columnCount == rhs.count, "Matrix–vector product needs columnCount == vector length")
        var result = [Double](repeating: 0, count: lhs.rowCount)
        for k in 0..<lhs.columnCount {
            let b = rhs[k]
            if b == 0 { continue }
            for i in 0..<lhs.rowCount { result[i] += lhs.storage[k * lhs.rowCount + i] * b }
        }
        return result
    }

    /// `Aᵀ·A`, the Gram matrix of the columns.
    public var gram: Matrix {
        var g = Matrix(rowCount: columnCount, columnCount: columnCount)
        for a in 0..<columnCount {
            for b in a..<columnCount {
                var s = 0.0
                for i in 0..<rowCount { s += storage[a * rowCount + i] * storage[b * rowCount + i] }
                g[a, b] = s
                g[b, a] = s
            }
        }
        return g
    }
}
