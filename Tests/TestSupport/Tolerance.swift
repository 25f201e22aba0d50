/// Relative error `|actual − expected| / |expected|` (absolute error when `expected` is 0).
public func relativeError(_ actual: Double, _ expected: Double) -> Double {
    expected == 0 ? abs(actual) : abs(actual - expected) / abs(expected)
}

/// True when `actual` agrees with `expected` to within relative tolerance `tolerance`.
public func isClose(_ actual: Double, _ expected: Double, relativeTolerance tolerance: Double) -> Bool {
    relativeError(actual, expected) <= tolerance
}

/// True when every element agrees within relative tolerance `tolerance`.
public func isClose(_ actual: [Double], _ expected: [Double], relativeTolerance tolerance: Double) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { isClose($0, $1, relativeTolerance: tolerance) }
}

/// The log relative error (LRE): the number of agreeing significant digits, capped at `cap`,
/// as used to score solvers on the NIST StRD.
///
/// ```
/// LRE = −log10(|actual − certified| / |certified|)
/// ```
public func logRelativeError(_ actual: Double, certified: Double, cap: Double = 15) -> Double {
    guard actual.isFinite else { return 0 }
    let error = relativeError(actual, certified)
    if error == 0 { return cap }
    return max(0, min(cap, -log10(error)))
}

import Foundation
