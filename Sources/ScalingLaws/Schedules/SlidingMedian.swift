/// The median of every window of `width` consecutive values: a few linear passes for most data,
/// O(n log n) time at worst.
///
/// ```
/// median_i = median(values[i], …, values[i + width − 1]),   i = 0 … n − width
/// ```
/// An odd width gives the middle value of the sorted window; an even width the mean of its two
/// middle values.
///
/// Every value is first replaced by its rank among all values (`RankedValues`: a radix sort, O(n)
/// for values that do not crowd into one Float). The window is then a set of ranks,
/// held in a bitset with a summary level per 64 words (`RankSet`), and the median is a rank `m`
/// with a count of the window's ranks at or below it. When the window slides, one rank leaves and
/// one arrives, the count changes by at most one, and `m` moves to the neighbouring rank in the set:
/// a next-set-bit or previous-set-bit search that costs O(log₆₄ n) word operations at worst and
/// one word in the common case. No allocation happens per value.
public enum SlidingMedian {
    /// The medians of the `values.count − width + 1` full windows.
    ///
    /// - Parameters:
    ///   - values: finite numbers (NaN has no place in a median; the caller removes it).
    ///   - width: the window length in values, 1 … `values.count`.
    /// - Returns: one median per window start; empty when `width` is out of range.
    public static func medians(of values: [Double], width: Int) -> [Double] {
        guard width >= 1 && width <= values.count else { return [] }
        let count = values.count
        precondition(count < Int(Int32.max), "SlidingMedian: \(count) values are too many")
        let ranked = RankedValues(values)
        defer { ranked.deallocate() }
        var window = RankSet(capacity: count)
        defer { window.deallocate() }

        // The lower median is the k-th smallest rank of the window; m is that rank and `atOrBelow`
        // the number of the window's ranks ≤ m (m = −1: below every rank).
        let k = (width + 1) / 2
        let odd = width % 2 == 1
        var m = -1, atOrBelow = 0
        for index in 0..<width { window.insert(Int(ranked.rank[index])) }
        var medians = [Double](repeating: 0, count: count - width + 1)
        for index in (width - 1)..<count {
            if index >= width {
                let leaving = Int(ranked.rank[index - width]), arriving = Int(ranked.rank[index])
                window.remove(leaving)
                if leaving <= m { atOrBelow -= 1 }
                window.insert(arriving)
                if arriving <= m { atOrBelow += 1 }
                // The median itself left: the largest rank below it has the same count at or below.
                if leaving == m { m = window.previous(before: m) ?? -1 }
            }
            while atOrBelow > k {
                atOrBelow -= 1
                m = window.previous(before: m) ?? -1
            }
            while atOrBelow < k {
                m = window.next(after: m)!  // the window holds width ≥ k ranks
                atOrBelow += 1
            }
            let lower = ranked.sorted[m]
            medians[index - width + 1] = odd ? lower : 0.5 * (lower + ranked.sorted[window.next(after: m)!])
        }
        return medians
    }
}

/// Values sorted, and each value's rank: the position of `values[i]` in `sorted`.
///
/// An LSD radix sort, 8 bits a pass, of 64-bit items `key << 32 | i`, where `key` is the 32-bit
/// pattern of `Float(values[i])` mapped so that its unsigned order is the floats' order (a pass in
/// which every key has the same digit is skipped). Rounding to Float never reverses an order, so
/// only values with the same Float can be out of order: each such run is then sorted by the values
/// themselves (by insertion when short, else by the standard sort), which makes the ranks exact.
/// Carrying one 64-bit item through four passes costs about half of a sort of the full 64-bit keys
/// with their indices.
private struct RankedValues {
    let sorted: UnsafeMutablePointer<Double>
    let rank: UnsafeMutablePointer<Int32>

    init(_ values: [Double]) {
        let count = values.count
        sorted = .allocate(capacity: count)
        rank = .allocate(capacity: count)
        var items = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
        var spare = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
        defer {
            items.deallocate()
            spare.deallocate()
        }
        let digitBits = 8, passes = 4, buckets = 1 << digitBits, mask = UInt64(buckets - 1)
        let histograms = UnsafeMutablePointer<Int>.allocate(capacity: passes * buckets)
        defer { histograms.deallocate() }
        histograms.initialize(repeating: 0, count: passes * buckets)
        values.withUnsafeBufferPointer { values in
            for i in 0..<count {
                // Negative numbers: all bits flipped; positive: the sign bit set.
                let bits = UInt64(Float(values[i]).bitPattern)
                let key = bits & (1 << 31) != 0 ? ~bits & 0xFFFF_FFFF : bits | (1 << 31)
                items[i] = key << 32 | UInt64(i)
                for pass in 0..<passes {
                    histograms[pass * buckets + Int((key >> UInt64(pass * digitBits)) & mask)] += 1
                }
            }
        }
        for pass in 0..<passes {
            let histogram = histograms + pass * buckets
            let shift = UInt64(32 + pass * digitBits)
            if histogram[Int((items[0] >> shift) & mask)] == count { continue }
            var start = 0
            for bucket in 0..<buckets {
                let size = histogram[bucket]
                histogram[bucket] = start
                start += size
            }
            for i in 0..<count {
                let item = items[i]
                let bucket = Int((item >> shift) & mask)
                let destination = histogram[bucket]
                histogram[bucket] = destination + 1
                spare[destination] = item
            }
            swap(&items, &spare)
        }
        values.withUnsafeBufferPointer { values in
            for position in 0..<count { sorted[position] = values[Int(items[position] & 0xFFFF_FFFF)] }
        }
        // Runs of equal Float keys, sorted by the values.
        var runStart = 0
        while runStart < count {
            let key = items[runStart] >> 32
            var runEnd = runStart + 1
            while runEnd < count && items[runEnd] >> 32 == key { runEnd += 1 }
            if runEnd - runStart > 1 { Self.sortRun(runStart..<runEnd, sorted: sorted, items: items) }
            runStart = runEnd
        }
        for position in 0..<count { rank[Int(items[position] & 0xFFFF_FFFF)] = Int32(truncatingIfNeeded: position) }
    }

    /// Sorts `sorted[run]` by value, moving `items[run]` along.
    private static func sortRun(_ run: Range<Int>, sorted: UnsafeMutablePointer<Double>, items: UnsafeMutablePointer<UInt64>) {
        if run.count <= 16 {
            for i in run.dropFirst() {
                let value = sorted[i], item = items[i]
                var j = i
                while j > run.lowerBound && sorted[j - 1] > value {
                    sorted[j] = sorted[j - 1]
                    items[j] = items[j - 1]
                    j -= 1
                }
                sorted[j] = value
                items[j] = item
            }
            return
        }
        let pairs = run.map { (value: sorted[$0], item: items[$0]) }.sorted { $0.value < $1.value }
        for (offset, pair) in pairs.enumerated() {
            sorted[run.lowerBound + offset] = pair.value
            items[run.lowerBound + offset] = pair.item
        }
    }

    func deallocate() {
        sorted.deallocate()
        rank.deallocate()
    }
}

/// A set of integers in 0 ..< capacity as a bitset with summary levels: bit j of level l + 1 is
/// set when word j of level l is not zero. Next and previous members are found with one word in
/// the common case and O(log₆₄ capacity) words at worst.
private struct RankSet {
    /// All levels' words, level 0 first.
    private let words: UnsafeMutablePointer<UInt64>
    /// Where each level starts in `words`, and how many words it has.
    private var offsets: [Int] = []
    private var sizes: [Int] = []

    init(capacity: Int) {
        var size = max((capacity + 63) / 64, 1), total = 0
        while true {
            offsets.append(total)
            sizes.append(size)
            total += size
            if size == 1 { break }
            size = (size + 63) / 64
        }
        words = .allocate(capacity: total)
        words.initialize(repeating: 0, count: total)
    }

    func deallocate() { words.deallocate() }

    @inline(__always)
    private func word(_ level: Int, _ index: Int) -> UInt64 { words[offsets[level] + index] }

    mutating func insert(_ member: Int) {
        var position = member
        for level in 0..<offsets.count {
            let index = offsets[level] + position >> 6
            let before = words[index]
            words[index] = before | (1 << UInt64(position & 63))
            if before != 0 { return }
            position >>= 6
        }
    }

    mutating func remove(_ member: Int) {
        var position = member
        for level in 0..<offsets.count {
            let index = offsets[level] + position >> 6
            let after = words[index] & ~(1 << UInt64(position & 63))
            words[index] = after
            if after != 0 { return }
            position >>= 6
        }
    }

    /// The smallest member above `member` (which may be −1), if any.
    func next(after member: Int) -> Int? {
        var level = 0, position = member + 1
        while true {
            guard level < offsets.count else { return nil }
            let index = position >> 6
            guard index < sizes[level] else { return nil }
            let bits = word(level, index) & (~0 << UInt64(position & 63))
            if bits != 0 {
                position = index << 6 | bits.trailingZeroBitCount
                break
            }
            level += 1
            position = index + 1
        }
        while level > 0 {
            level -= 1
            position = position << 6 | word(level, position).trailingZeroBitCount
        }
        return position
    }

    /// The largest member below `member`, if any.
    func previous(before member: Int) -> Int? {
        var level = 0, position = member - 1
        while true {
            guard position >= 0, level < offsets.count else { return nil }
            let index = position >> 6
            let bits = word(level, index) & (~0 >> UInt64(63 - position & 63))
            if bits != 0 {
                position = index << 6 | (63 - bits.leadingZeroBitCount)
                break
            }
            level += 1
            position = index - 1
        }
        while level > 0 {
            level -= 1
            position = position << 6 | (63 - word(level, position).leadingZeroBitCount)
        }
        return position
    }
}
