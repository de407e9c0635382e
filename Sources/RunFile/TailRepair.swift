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
    /// How many bytes a run file lacks before the end of allocation its superblock records, or
    /// nil when HDF5 opens it (or refuses it for another reason).
    ///
    /// A writer whose writes failed (a full disk, a file-size limit) can leave a superblock that
    /// already counts space the failed writes never filled, and HDF5 then refuses the file as
    /// "truncated" (`eof` < `stored_eof`); so does a file copied incompletely. The two cannot
    /// be told apart from the file alone: after a full disk only bytes written after the last
    /// commit are missing and `h5clear --increment=0` (which lengthens the file to its recorded
    /// end) makes it resumable; after an incomplete copy committed data are missing. So resume
    /// does not lengthen the file itself; it says which case to look for.
    public static func shortFileGap(path: String) -> Int? {
        do {
            let file = try HDF5File.open(path: path, options: HDF5FileOptions(fileLocking: false))
            try? file.close()
            return nil
        } catch {
            guard error.kind == .truncated else { return nil }
            let text = ([error.message] + error.entries.map(\.description)).joined(separator: " ")
            func number(after key: String) -> Int? {
                guard let range = text.range(of: key) else { return nil }
                return Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            guard let stored = number(after: "stored_eof = "), let size = number(after: "truncated file: eof = "),
                  stored > size else { return nil }
            return stored - size
        }
    }
}
