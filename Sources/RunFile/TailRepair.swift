#if canImport(Glibc)
import Glibc
#endif
import HDF5

extension ReplicateStore {
    /// Gives the tail chunk of every growing dataset a valid checksum again (see
    /// `HDF5Dataset.rewriteTailChunkIgnoringChecksum`), keeping the committed rows' bytes.
    ///
    /// A writer that died while rewriting a partly filled chunk (killed, or a write that failed
    /// on a full disk) leaves a chunk whose committed rows are intact but whose Fletcher-32
    /// checksum no longer matches, so reading it, even its committed rows, fails. Only the
    /// chunk holding the last committed row of each dataset can be in that state: chunks below
    /// it were complete and never written again, chunks above it hold no committed rows and
    /// `truncateToCommitted()` drops them. Called by `RunRecorder.open` before truncating.
    func repairTailChunks() throws {
        let e = committedEvaluations, t = committedTournaments
        guard try fitness.rowCount() >= e, try tA.rowCount() >= t else {
            throw RunFileError("replicate \(index): counters claim \(e) evaluations and \(t) tournaments, datasets hold fewer")
        }
        for column in evaluationColumns { try column.rewriteTailChunkIgnoringChecksum(keptRows: e) }
        for column in tournamentColumns { try column.rewriteTailChunkIgnoringChecksum(keptRows: t) }
        for p in spikeIndex.indices {
            try spikeIndex[p].rewriteTailChunkIgnoringChecksum(keptRows: e + 1)
            let end = Int(try spikeIndex[p].read(rows: e..<(e + 1), as: UInt64.self)[0])
            try spikeSteps[p].rewriteTailChunkIgnoringChecksum(keptRows: end)
            try spikeIDs[p].rewriteTailChunkIgnoringChecksum(keptRows: end)
        }
        if let weightIndex, let weightValues {
            try weightIndex.rewriteTailChunkIgnoringChecksum(keptRows: e + 1)
            let end = Int(try weightIndex.read(rows: e..<(e + 1), as: UInt64.self)[0])
            try weightValues.rewriteTailChunkIgnoringChecksum(keptRows: end)
        }
        if let checkpoint {
            for dataset in checkpoint.datasets { try dataset.rewriteTailChunkIgnoringChecksum(keptRows: committedCheckpoints) }
        }
    }
}

extension RunFileStorage {
    /// The same storage without Fletcher-32 checksums (the layout before checksums; for the
    /// kill experiments and the cost measurement).
    package var withoutChecksums: RunFileStorage {
        var storage = self
        storage.rows.fletcher32 = false
        storage.offsets.fletcher32 = false
        storage.spikes.fletcher32 = false
        storage.weights.fletcher32 = false
        storage.checkpoints.fletcher32 = false
        storage.images.fletcher32 = false
        storage.labels.fletcher32 = false
        return storage
    }
}

extension RunRecorder {
    /// Lengthens a run file that ends before the end of allocation its superblock records, so
    /// that HDF5 opens it again; returns whether it did. Only for a writer about to resume.
    ///
    /// A writer whose writes failed (a full disk, a file-size limit) can leave a superblock that
    /// already counts space the failed writes never filled: HDF5 then refuses the file as
    /// "truncated" (`eof` < `stored_eof`). The missing bytes held only what was written after
    /// the last commit (every commit's flush succeeded, so everything committed is on disk),
    /// so extending the file with zeros to the recorded end restores a file HDF5 opens, and
    /// resuming drops the uncommitted rows as after a kill. Nothing is done unless HDF5 names
    /// both sizes, the file is shorter, and the gap is below 1 GiB.
    public static func extendShortFile(path: String) -> Bool {
        do {
            let file = try HDF5File.open(path: path, options: HDF5FileOptions(fileLocking: false))
            try? file.close()
            return false
        } catch {
            guard error.kind == .truncated else { return false }
            let text = ([error.message] + error.entries.map(\.description)).joined(separator: " ")
            func number(after key: String) -> Int? {
                guard let range = text.range(of: key) else { return nil }
                return Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            guard let stored = number(after: "stored_eof = "), let size = number(after: "truncated file: eof = "),
                  stored > size, stored - size < 1 << 30 else { return false }
            let fd = Glibc.open(path, O_WRONLY)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            return ftruncate(fd, off_t(stored)) == 0
        }
    }
}
