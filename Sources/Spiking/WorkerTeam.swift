#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Atomics

/// A fixed team of threads that run one piece of work together, once per call of
/// ``perform()``: the network's block phase, tens of thousands of times per evaluation.
///
/// The workers live as long as the team (one evaluation), so a step costs no thread
/// creation. A step meets at a spinning barrier: the caller publishes a new `generation`
/// (an atomic counter), every participant runs `work(participant)`, and the caller waits
/// until the shared `arrived` counter says all workers are done. Waiting spins on the atomic
/// for a short while (a step's serial part lasts microseconds), then yields the core
/// (`sched_yield`), and a worker idle for longer than that sleeps on a condition variable
/// until the next step, so an idle team costs no CPU.
///
/// Memory order: the release of `generation` by the caller and its acquiring load by a
/// worker order everything the caller wrote before the step (the network's state, the step
/// plan) before the worker's block; a worker's releasing increment of `arrived` and the
/// caller's acquiring load order the worker's block before the caller's serial phase.
final class WorkerTeam: @unchecked Sendable {
    /// Threads taking part, the caller included (participant 0).
    let participants: Int
    private let work: (Int) -> Void
    private let generation = ManagedAtomic<Int>(0)
    private let arrived = ManagedAtomic<Int>(0)
    private let sleepers = ManagedAtomic<Int>(0)
    private let stopping = ManagedAtomic<Bool>(false)
    private var mutex = pthread_mutex_t()
    private var wakeUp = pthread_cond_t()

    /// Busy-wait iterations before a waiting thread starts yielding its core: a few µs.
    static let spinLimit = 4_000
    /// Yields before an idle worker goes to sleep: about a millisecond on an idle core.
    static let yieldLimit = 2_000

    /// Start `participants − 1` worker threads; `work(i)` runs on participant i at every
    /// ``perform()``. `work` must not capture anything the caller mutates during a step.
    init(participants: Int, work: @escaping (Int) -> Void) {
        precondition(participants >= 1, "a team has at least the calling thread")
        self.participants = participants
        self.work = work
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wakeUp, nil)
        for worker in 1..<participants { startThread(worker) }
    }

    deinit {
        pthread_cond_destroy(&wakeUp)
        pthread_mutex_destroy(&mutex)
    }

    /// Run `work` on every participant and return when all have finished. Call from one
    /// thread only (the owner of the team), never concurrently.
    func perform() {
        if participants > 1 {
            arrived.store(0, ordering: .relaxed)  // every worker arrived last time: nobody touches it now
            release()
        }
        work(0)
        guard participants > 1 else { return }
        var spins = 0
        while arrived.load(ordering: .acquiring) != participants - 1 {
            spins += 1
            if spins > Self.spinLimit { sched_yield() }
        }
    }

    /// Let the workers finish; they exit before their next step. The team is unusable after.
    func stop() {
        guard participants > 1 else { return }
        stopping.store(true, ordering: .releasing)
        release()
    }

    private func release() {
        generation.wrappingIncrement(ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(&mutex)
            pthread_cond_broadcast(&wakeUp)
            pthread_mutex_unlock(&mutex)
        }
    }

    fileprivate func workerLoop(_ participant: Int) {
        var seen = 0
        while true {
            seen = waitForGeneration(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            work(participant)
            arrived.wrappingIncrement(ordering: .releasing)
        }
    }

    /// Spin, then yield, then sleep until `generation` differs from `seen`; returns it.
    private func waitForGeneration(after seen: Int) -> Int {
        var spins = 0
        while true {
            let g = generation.load(ordering: .acquiring)
            if g != seen { return g }
            spins += 1
            if spins <= Self.spinLimit { continue }
            if spins <= Self.spinLimit + Self.yieldLimit { sched_yield(); continue }
            // Sleep. The sequentially consistent increment of `sleepers` and load of
            // `generation` here, against the caller's increment of `generation` and load of
            // `sleepers`, mean either this thread sees the new generation or the caller sees
            // a sleeper and broadcasts under the mutex, which this thread holds until it waits.
            pthread_mutex_lock(&mutex)
            sleepers.wrappingIncrement(ordering: .sequentiallyConsistent)
            while generation.load(ordering: .sequentiallyConsistent) == seen {
                pthread_cond_wait(&wakeUp, &mutex)
            }
            sleepers.wrappingDecrement(ordering: .sequentiallyConsistent)
            pthread_mutex_unlock(&mutex)
            spins = 0
        }
    }

    private func startThread(_ participant: Int) {
        let context = Unmanaged.passRetained(WorkerStart(self, participant)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 1 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let rc = pthread_create(&thread, &attributes, { raw in
            #if canImport(Glibc)
            let start = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! WorkerStart
            #else
            let start = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue() as! WorkerStart
            #endif
            start.team.workerLoop(start.participant)
            return nil
        }, context)
        pthread_attr_destroy(&attributes)
        precondition(rc == 0, "could not start a worker thread (pthread_create: \(rc))")
    }
}

/// What a new worker thread needs: its team and its participant number.
private final class WorkerStart {
    let team: WorkerTeam
    let participant: Int
    init(_ team: WorkerTeam, _ participant: Int) { self.team = team; self.participant = participant }
}
