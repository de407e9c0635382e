import Dispatch

/// Limits how many evaluations run at once across all replicates of a run.
///
/// Replicates run on their own threads and ask the pool for a slot before each
/// evaluation; the pool hands out `threads` slots. Results never depend on the slot count:
/// each evaluation is a pure function of its genotype and seed.
public final class EvaluationPool: @unchecked Sendable {
    /// Maximum concurrent evaluations (≥ 1).
    public let threads: Int
    private let slots: DispatchSemaphore

    public init(threads: Int) {
        self.threads = max(1, threads)
        slots = DispatchSemaphore(value: self.threads)
    }

    /// Run `work` once a slot is free.
    public func run<T>(_ work: () throws -> T) rethrows -> T {
        slots.wait()
        defer { slots.signal() }
        return try work()
    }

    /// Run `count` pieces of work concurrently (at most ``threads`` at a time), returning
    /// their results in index order.
    public func map<T: Sendable>(_ count: Int, _ work: @Sendable (Int) -> T) -> [T] {
        let results = ResultBox<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let value = run { work(i) }
            results.set(i, value)
        }
        return results.values()
    }
}

/// Thread-safe write-once slots for concurrent results.
final class ResultBox<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = Lock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.withLock { storage[i] = value } }
    func values() -> [T] { lock.withLock { storage.map { $0! } } }
    func values(at indices: [Int]) -> [T] { lock.withLock { indices.map { storage[$0]! } } }
}
