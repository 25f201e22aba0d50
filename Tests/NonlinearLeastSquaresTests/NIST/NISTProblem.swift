import Foundation

/// One problem of the NIST StRD nonlinear regression suite, read from its `.dat` file.
///
/// The file gives two start points, the certified parameters with standard deviations, the
/// certified residual sum of squares and the data (`y` then one or more predictors per line).
struct NISTProblem: Sendable {
    let name: String
    let start1: [Double]
    let start2: [Double]
    let certified: [Double]
    let certifiedStandardDeviations: [Double]
    let certifiedResidualSumOfSquares: Double
    /// Predictors per observation (one for all problems except Nelson, which has two).
    let predictors: [[Double]]
    let responses: [Double]

    enum ParseError: Error, CustomStringConvertible {
        case malformed(String, String)
        var description: String {
            switch self {
            case .malformed(let file, let what): return "\(file): \(what)"
            }
        }
    }

    init(name: String, text: String) throws {
        self.name = name
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var rows: [(index: Int, values: [Double])] = []
        var rss: Double?
        var dataHeader: Int?
        for (number, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("b"), let equals = trimmed.firstIndex(of: "="),
               let index = Int(trimmed[trimmed.index(after: trimmed.startIndex)..<equals].trimmingCharacters(in: .whitespaces)) {
                let values = trimmed[trimmed.index(after: equals)...].split(separator: " ").compactMap { Double(String($0)) }
                guard values.count == 4 else {
                    throw ParseError.malformed(name, "parameter line \(number + 1) has \(values.count) numbers, expected 4")
                }
                rows.append((index, values))
            } else if trimmed.hasPrefix("Residual Sum of Squares:") {
                rss = trimmed.split(separator: " ").last.flatMap { Double(String($0)) }
            } else if trimmed.hasPrefix("Data:") {
                dataHeader = number
            }
        }
        guard !rows.isEmpty, rows.map(\.index) == Array(1...rows.count) else {
            throw ParseError.malformed(name, "parameter lines b1…bn not found in order")
        }
        guard let rss else { throw ParseError.malformed(name, "no certified residual sum of squares") }
        guard let dataHeader else { throw ParseError.malformed(name, "no data section") }
        start1 = rows.map { $0.values[0] }
        start2 = rows.map { $0.values[1] }
        certified = rows.map { $0.values[2] }
        certifiedStandardDeviations = rows.map { $0.values[3] }
        certifiedResidualSumOfSquares = rss
        var xs: [[Double]] = []
        var ys: [Double] = []
        for line in lines[(dataHeader + 1)...] {
            let fields = line.split(separator: " ")
            if fields.isEmpty { continue }
            let values = fields.compactMap { Double(String($0)) }
            guard values.count == fields.count, values.count >= 2 else {
                throw ParseError.malformed(name, "data line '\(line)' is not all numbers")
            }
            ys.append(values[0])
            xs.append(Array(values[1...]))
        }
        predictors = xs
        responses = ys
    }

    init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        try self.init(name: url.deletingPathExtension().lastPathComponent, text: text)
    }
}
