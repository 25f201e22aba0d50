import Foundation

extension Schedule {
    /// A schedule read from a CSV of `step,lr` rows (a header row is optional), linear between the
    /// listed steps and from the first listed value at step 0 when the table starts later; the
    /// schedule ends at the last listed step.
    public init(tableFile path: String) throws(ScheduleError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .inconsistent("table:\(path): cannot read the file; give a CSV with columns step,lr")
        }
        if let offset = data.firstIndex(of: 0) ?? (String(validating: data, as: UTF8.self) == nil ? data.startIndex : nil) {
            let what = data[offset] == 0 ? "a NUL byte at offset \(offset - data.startIndex)" : "bytes that are not UTF-8"
            throw .inconsistent("table:\(path): not a text file (\(what)); give a CSV with columns step,lr")
        }
        var steps: [Int] = [], rates: [Double] = []
        let text = String(decoding: data, as: UTF8.self)
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: ",").map { $0.trimmingWhitespace() }
            if fields.isEmpty || fields == [""] { continue }
            guard fields.count >= 2, let step = Int(fields[0]), let rate = Double(fields[1]) else {
                if index == 0 { continue }  // the header row
                throw .inconsistent("table:\(path):\(index + 1): \"\(InputExcerpt.quoted(line))\" is not step,lr; every row needs an integer step and a learning rate")
            }
            guard rate >= 0 && rate.isFinite else {
                throw .inconsistent("table:\(path):\(index + 1): learning rate \(rate) must be finite and ≥ 0")
            }
            guard step <= Self.maximumSteps else { throw .tableTooLong(file: path, line: index + 1, step: step) }
            guard step >= 0, step > (steps.last ?? -1) else {
                throw .inconsistent("table:\(path):\(index + 1): step \(step) is negative or not after the previous step; sort the rows")
            }
            steps.append(step)
            rates.append(rate)
        }
        guard let last = steps.last, last >= 1 else {
            throw .inconsistent("table:\(path): needs at least two steps of step,lr rows")
        }
        let perStep = LearningRateInterpolation.perStep(steps: steps, values: rates, through: last, beforeFirst: .holdFirst)
        try self.init(peak: rates.max() ?? 0, totalSteps: last, body: .table(rates: perStep, source: path))
    }
}
