import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map` with each element's transform on its own thread of `concurrentPerform`, results in
    /// order: the committee's members predict side by side. Nested in another `concurrentPerform`
    /// it runs on that one thread.
    func concurrentMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
        let elements = self
        let slots = Mutex([Result?](repeating: nil, count: elements.count))
        DispatchQueue.concurrentPerform(iterations: elements.count) { index in
            let value = transform(elements[index])
            slots.withLock { $0[index] = value }
        }
        return slots.withLock { $0.compactMap { $0 } }
    }
}
