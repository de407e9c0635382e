/// The run file's single writer: every HDF5 call of a run goes through here, one at a time.
///
/// Each replicate's evaluation, tournament and checkpoint are appended and committed in
/// one critical section, so a commit never makes another replicate's half-written rows
/// visible, and the file's content does not depend on how replicates interleave.
final class RunFileWriter: @unchecked Sendable {
    private let recorder: RunRecorder
    private let lock = Lock()

    init(_ recorder: RunRecorder) { self.recorder = recorder }

    func commitInitialPopulation(replicate r: Int, _ records: [EvaluationRecord], checkpoint: CheckpointRecord) throws {
        try lock.withLock {
            for record in records { _ = try recorder.appendEvaluation(replicate: r, record) }
            try recorder.checkpoint(replicate: r, checkpoint)
            try recorder.commit()
        }
    }

    func commitTournament(replicate r: Int, _ evaluation: EvaluationRecord, _ tournament: TournamentRecord,
                          checkpoint: CheckpointRecord) throws {
        try lock.withLock {
            _ = try recorder.appendEvaluation(replicate: r, evaluation)
            try recorder.appendTournament(replicate: r, tournament)
            try recorder.checkpoint(replicate: r, checkpoint)
            try recorder.commit()
        }
    }

    func setStatus(replicate r: Int, _ status: ReplicateStatus, wallSeconds: Double) throws {
        try lock.withLock {
            try recorder.setReplicateStatus(replicate: r, status: status, wallSeconds: wallSeconds)
            try recorder.commit()
        }
    }

    func finish() throws { try lock.withLock { try recorder.finish() } }
}
