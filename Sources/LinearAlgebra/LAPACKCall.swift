internal import CLAPACKE

/// Turns a negative LAPACK `info` into a precondition failure that names the bad argument:
/// an illegal argument is a bug in this module, never the caller's data.
func checkArguments(_ info: Int32, _ routine: StaticString) {
    precondition(info >= 0, "\(routine): argument \(-info) had an illegal value")
}

func lapackInt(_ value: Int) -> Int32 {
    guard let converted = Int32(exactly: value) else {
        preconditionFailure("dimension \(value) exceeds LAPACK's integer range")
    }
    return converted
}

func requireFinite(_ values: [Double], _ what: String) throws(LinearAlgebraError) {
    if !values.allSatisfy(\.isFinite) { throw .nonFiniteInput(what) }
}
