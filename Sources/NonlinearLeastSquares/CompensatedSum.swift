/// Neumaier's compensated summation: the error of a sum of `n` terms stays near one rounding
/// instead of growing with `n`, so small relative changes of a sum of squares remain measurable.
@usableFromInline
struct CompensatedSum {
    @usableFromInline var sum = 0.0
    @usableFromInline var compensation = 0.0

    @inlinable init() {}

    @inlinable
    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    @inlinable var value: Double { sum + compensation }
}
