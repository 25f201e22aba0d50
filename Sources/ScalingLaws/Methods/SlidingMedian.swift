/// The median of every window of `width` consecutive values, in O(n log n) time.
///
/// ```
/// median_i = median(values[i], …, values[i + width − 1]),   i = 0 … n − width
/// ```
/// An odd width gives the middle value of the sorted window; an even width the mean of its two
/// middle values. Two heaps hold the window split at the median (a max-heap of the lower half, a
/// min-heap of the upper half); a value leaving the window is only counted out, and dropped when it
/// reaches the top of its heap ("lazy deletion"), so each step costs O(log n) heap work.
public enum SlidingMedian {
    /// The medians of the `values.count − width + 1` full windows.
    ///
    /// - Parameters:
    ///   - values: finite numbers (NaN has no place in a median; the caller removes it).
    ///   - width: the window length in values, 1 … `values.count`.
    /// - Returns: one median per window start; empty when `width` is out of range.
    public static func medians(of values: [Double], width: Int) -> [Double] {
        guard width >= 1 && width <= values.count else { return [] }
        let lower = BinaryHeap(capacity: values.count)  // holds −value: a max-heap of the lower half
        let upper = BinaryHeap(capacity: values.count)
        // Which heap each value of the window sits in; counts of the window's values in each.
        var isInLower = [Bool](repeating: false, count: values.count)
        var lowerCount = 0, upperCount = 0
        var medians: [Double] = []
        medians.reserveCapacity(values.count - width + 1)

        for index in values.indices {
            let leaving = index - width  // values at or before this index have left the window
            if leaving >= 0 {
                if isInLower[leaving] { lowerCount -= 1 } else { upperCount -= 1 }
            }
            lower.dropLeft(upTo: leaving)
            let value = values[index]
            if lowerCount == 0 || value <= -lower.topKey {
                lower.push(key: -value, index: index)
                isInLower[index] = true
                lowerCount += 1
            } else {
                upper.push(key: value, index: index)
                upperCount += 1
            }
            // The lower half keeps the middle value of an odd window: lowerCount − upperCount ∈ {0, 1}.
            while lowerCount > upperCount + 1 {
                lower.dropLeft(upTo: leaving)
                let moved = lower.pop()
                upper.push(key: -moved.key, index: moved.index)
                isInLower[moved.index] = false
                lowerCount -= 1
                upperCount += 1
            }
            while upperCount > lowerCount {
                upper.dropLeft(upTo: leaving)
                let moved = upper.pop()
                lower.push(key: -moved.key, index: moved.index)
                isInLower[moved.index] = true
                upperCount -= 1
                lowerCount += 1
            }
            guard index >= width - 1 else { continue }
            lower.dropLeft(upTo: leaving)
            if width % 2 == 1 {
                medians.append(-lower.topKey)
            } else {
                upper.dropLeft(upTo: leaving)
                medians.append(0.5 * (-lower.topKey + upper.topKey))
            }
        }
        return medians
    }
}

/// A min-heap of keys with the index of the value each came from, for `SlidingMedian`.
///
/// Storage is allocated once for every value the filter can hold (lazy deletion never lets a heap
/// exceed the number of values) and used without bounds or copy-on-write checks, which are most of
/// the cost of a heap step on a million values.
private final class BinaryHeap {
    private struct Entry {
        var key: Double
        var index: Int
    }

    private let entries: UnsafeMutablePointer<Entry>
    private let capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        entries = .allocate(capacity: self.capacity)
    }

    deinit { entries.deallocate() }

    var topKey: Double { entries[0].key }

    func push(key: Double, index: Int) {
        precondition(count < capacity, "BinaryHeap: full")
        var child = count
        count += 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard key < entries[parent].key else { break }
            entries[child] = entries[parent]
            child = parent
        }
        entries[child] = Entry(key: key, index: index)
    }

    func pop() -> (key: Double, index: Int) {
        let top = entries[0]
        count -= 1
        let last = entries[count]
        var parent = 0
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count && entries[child + 1].key < entries[child].key { child += 1 }
            guard entries[child].key < last.key else { break }
            entries[parent] = entries[child]
            parent = child
        }
        if count > 0 { entries[parent] = last }
        return (top.key, top.index)
    }

    /// Pops entries from values at or before `index` (they have left the window) until the top is current.
    func dropLeft(upTo index: Int) {
        while count > 0 && entries[0].index <= index { _ = pop() }
    }
}
