import Testing
import TestSupport
@testable import LinearAlgebra

private func randomMatrix(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator) -> Matrix {
    Matrix(rows: (0..<rows).map { _ in (0..<columns).map { _ in generator.nextGaussian() } })
}

@Suite struct LeastSquaresTests {
    @Test func consistentSystemIsSolvedExactly() throws {
        var generator = SeededGenerator(seed: 1)
        let a = randomMatrix(12, 4, &generator)
        let x = [1.5, -2.0, 0.25, 3.0]
        let b = a * x
        let solved = try LeastSquares.solve(a, b)
        #expect(isClose(solved, x, relativeTolerance: 1e-12))
    }

    @Test func residualIsOrthogonalToColumns() throws {
        var generator = SeededGenerator(seed: 2)
        let a = randomMatrix(30, 5, &generator)
        let b = (0..<30).map { _ in generator.nextGaussian() }
        let x = try LeastSquares.solve(a, b)
        let fitted = a * x
        let residual = zip(b, fitted).map { $0 - $1 }
        let normB = b.map { $0 * $0 }.reduce(0, +).squareRoot()
        for j in 0..<5 {
            let dot = zip(a.column(j), residual).map { $0 * $1 }.reduce(0, +)
            #expect(abs(dot) < 1e-12 * normB * 30)
        }
    }

    @Test func zeroColumnIsRankDeficient() {
        var a = Matrix(rowCount: 5, columnCount: 3, repeating: 1)
        for i in 0..<5 { a[i, 0] = Double(i); a[i, 2] = 0 }
        #expect(throws: LinearAlgebraError.rankDeficient(column: 3)) {
            try LeastSquares.solve(a, [1, 2, 3, 4, 5])
        }
    }

    @Test func nonFiniteInputIsRejected() {
        var a = Matrix.identity(2)
        a[1, 1] = .nan
        #expect(throws: LinearAlgebraError.nonFiniteInput("the least-squares matrix")) {
            try LeastSquares.solve(a, [1, 2])
        }
    }

    @Test func rankRevealingSolverFindsDependentColumn() throws {
        var generator = SeededGenerator(seed: 3)
        var a = randomMatrix(20, 4, &generator)
        let doubled = a.column(1).map { 2 * $0 }
        a.setColumn(3, to: doubled)  // column 3 = 2 · column 1
        let b = a * [1, 1, 1, 1]
        let result = try LeastSquares.solveRankRevealing(a, b)
        #expect(result.rank == 3)
        #expect(result.isRankDeficient)
        // The minimum-norm solution splits the dependent pair as 1·x1 + 2·x3 = 3 with x1 = 0.6, x3 = 1.2.
        #expect(isClose(result.solution, [1, 0.6, 1, 1.2], relativeTolerance: 1e-10))
    }
}

@Suite struct DecompositionTests {
    @Test func svdReconstructsTheMatrix() throws {
        var generator = SeededGenerator(seed: 4)
        let a = randomMatrix(7, 3, &generator)
        let svd = try SingularValueDecomposition(a)
        let rebuilt = svd.u * Matrix.diagonal(svd.singularValues) * svd.vt
        for i in 0..<7 { for j in 0..<3 { #expect(abs(rebuilt[i, j] - a[i, j]) < 1e-13) } }
        #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func svdOfAKnownMatrix() throws {
        // [[3, 0], [4, 5]] has singular values √45 and √5 (σ1σ2 = |det| = 15, σ1² + σ2² = 50).
        let svd = try SingularValueDecomposition(Matrix(rows: [[3, 0], [4, 5]]))
        #expect(isClose(svd.singularValues, [Double(45).squareRoot(), Double(5).squareRoot()], relativeTolerance: 1e-14))
        #expect(isClose(svd.conditionNumber, 3, relativeTolerance: 1e-14))
    }

    @Test func pseudoInverseOfRankOneMatrix() throws {
        // A = u vᵀ with u = (1, 2), v = (3, 4): A⁺ = v uᵀ / (|u|² |v|²).
        let a = Matrix(rows: [[3, 4], [6, 8]])
        let svd = try SingularValueDecomposition(a)
        #expect(svd.rank() == 1)
        let pinv = svd.pseudoInverse()
        let expected = [[3.0, 6.0], [4.0, 8.0]].map { $0.map { $0 / 125 } }
        for i in 0..<2 { for j in 0..<2 { #expect(isClose(pinv[i, j], expected[i][j], relativeTolerance: 1e-13)) } }
    }

    @Test func choleskyFactorAndInverse() throws {
        var generator = SeededGenerator(seed: 5)
        let b = randomMatrix(10, 4, &generator)
        let spd = b.gram
        let cholesky = try Cholesky(spd)
        let rebuilt = cholesky.lower * cholesky.lower.transposed
        for i in 0..<4 { for j in 0..<4 { #expect(isClose(rebuilt[i, j], spd[i, j], relativeTolerance: 1e-12)) } }
        let product = spd * cholesky.inverse()
        for i in 0..<4 { for j in 0..<4 { #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 1e-12) } }
        let x = [1.0, -1.0, 2.0, 0.5]
        #expect(isClose(cholesky.solve(spd * x), x, relativeTolerance: 1e-11))
    }

    @Test func indefiniteMatrixIsNotPositiveDefinite() {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
            try Cholesky(Matrix(rows: [[1, 2], [2, 1]]))
        }
    }
}
