import Foundation
import RunFile

/// The run file's single writer: every HDF5 call of a run happens on the one thread that
/// calls ``serve()`` (the runner's calling thread); replicate threads hand it their records
/// and wait for the result.
///
/// Why one thread and not just a lock: Debian's thread-safe HDF5 keeps per-thread state whose
/// destructors run when a thread exits, outside the library's lock; a replicate thread that
/// had called HDF5 and then exited while another thread was inside HDF5 corrupted the heap
/// (seen as `malloc_consolidate(): unaligned fastbin chunk` at the end of a run). Keeping HDF5
/// on one thread avoids that whole class of problem.
///
/// Each replicate's evaluation, tournament and checkpoint are appended and committed in one
/// request, so a commit never makes another replicate's half-written rows visible, and the
/// file's content does not depend on how replicates interleave.
final class RunFileWriter: @unchecked Sendable {
    private let recorder: RunRecorder
    private let condition = NSCondition()
    private var queue: [Request] = []
    private var stopped = false

    private final class Request {
        let work: (RunRecorder) throws -> Void
        var done = false
        var error: Error?
        init(_ work: @escaping (RunRecorder) throws -> Void) { self.work = work }
    }

    init(_ recorder: RunRecorder) { self.recorder = recorder }

    /// Run `work` on the serving thread and wait for it (called from replicate threads).
    private func perform(_ work: @escaping (RunRecorder) throws -> Void) throws {
        let request = Request(work)
        condition.lock()
        queue.append(request)
        condition.broadcast()
        while !request.done { condition.wait() }
        condition.unlock()
        if let error = request.error { throw error }
    }

    /// Serve requests on the calling thread until ``stopServing()``; then return.
    func serve() {
        condition.lock()
        while true {
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty && stopped { break }
            let request = queue.removeFirst()
            condition.unlock()
            do {
                try request.work(recorder)
            } catch {
                // A step that failed part way must never be committed by a later request (a
                // status update, another replicate's tournament): stop committing altogether.
                request.error = error
                recorder.markFailed(error)
            }
            condition.lock()
            request.done = true
            condition.broadcast()
        }
        condition.unlock()
    }

    /// Let ``serve()`` return once the queue is empty.
    func stopServing() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    func commitInitialPopulation(replicate r: Int, _ records: [EvaluationRecord], checkpoint: CheckpointRecord) throws {
        try perform { recorder in
            for record in records { _ = try recorder.appendEvaluation(replicate: r, record) }
            try recorder.checkpoint(replicate: r, checkpoint)
            try recorder.commit()
        }
    }

    func commitTournament(replicate r: Int, _ evaluation: EvaluationRecord, _ tournament: TournamentRecord,
                          checkpoint: CheckpointRecord) throws {
        try perform { recorder in
            _ = try recorder.appendEvaluation(replicate: r, evaluation)
            try recorder.appendTournament(replicate: r, tournament)
            try recorder.checkpoint(replicate: r, checkpoint)
            try recorder.commit()
        }
    }

    func setStatus(replicate r: Int, _ status: ReplicateStatus, wallSeconds: Double) throws {
        try perform { recorder in
            try recorder.setReplicateStatus(replicate: r, status: status, wallSeconds: wallSeconds)
            try recorder.commit()
        }
    }

    /// Close the file (on the serving thread, after ``serve()`` has returned).
    func finish() throws { try recorder.finish() }
}
