import Dispatch
import Foundation

/// Shares the run's threads among the evaluations in flight across all replicates.
///
/// Replicates run on their own threads and ask the pool for threads before each evaluation;
/// the pool hands out `threads` in all. An evaluation is granted at least one thread, and
/// more when there are more threads than evaluations that want them: a single replicate's
/// tournament evaluation gets every thread (the simulation splits its steps among them,
/// ``Spiking/Network/threads``), an initial population of ten on two threads gets one each.
/// Results never depend on what is granted: each evaluation is a pure function of its
/// genotype and seed, bit for bit, whatever its thread count.
public final class EvaluationPool: @unchecked Sendable {
    /// Threads shared among the evaluations (≥ 1).
    public let threads: Int
    private let condition = NSCondition()
    private var free: Int
    private var clients = 0

    public init(threads: Int) {
        self.threads = max(1, threads)
        free = self.threads
    }

    /// A replicate starts (or stops) asking for evaluations: the threads are shared among
    /// the replicates that are running.
    public func clientStarted() { condition.withLock { clients += 1 } }
    public func clientFinished() { condition.withLock { clients = max(0, clients - 1) } }

    /// Run `work` with one thread, once one is free.
    public func run<T>(_ work: () throws -> T) rethrows -> T {
        try run(alongside: 1) { _ in try work() }
    }

    /// Run `work(threads)` once a thread is free, granting it its share of the free threads:
    /// the run's threads divided among the running replicates and the `alongside`
    /// evaluations this caller runs at once (at least one, at most what is free).
    public func run<T>(alongside: Int, _ work: (_ threads: Int) throws -> T) rethrows -> T {
        let granted = acquire(alongside: alongside)
        defer { release(granted) }
        return try work(granted)
    }

    /// Run `count` pieces of work concurrently (at most ``threads`` at a time), returning
    /// their results in index order.
    public func map<T: Sendable>(_ count: Int, _ work: @Sendable (Int) -> T) -> [T] {
        map(count) { i, _ in work(i) }
    }

    /// Run `count` pieces of work concurrently, each granted its share of the threads
    /// (`work(index, threads)`), returning their results in index order.
    public func map<T: Sendable>(_ count: Int, _ work: @Sendable (_ index: Int, _ threads: Int) -> T) -> [T] {
        let results = ResultBox<T>(count: count)
        let lanes = max(1, min(count, threads))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let value = run(alongside: lanes) { granted in work(i, granted) }
            results.set(i, value)
        }
        return results.values()
    }

    private func acquire(alongside: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while free == 0 { condition.wait() }
        let share = max(1, threads / max(1, clients) / max(1, alongside))
        let granted = min(free, share)
        free -= granted
        return granted
    }

    private func release(_ count: Int) {
        condition.lock()
        free += count
        condition.broadcast()
        condition.unlock()
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
