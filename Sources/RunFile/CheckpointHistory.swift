import HDF5

/// Every committed checkpoint of a replicate, oldest first (the run file appends one per
/// commit), not only the latest that `RunReader.checkpoint(replicate:)` returns.
///
/// `autoparam merge` appends them all, in order, so the merged file's `checkpoint/` datasets
/// equal a single run's row for row. Reads the file read-only, without a file lock.
public enum CheckpointHistory {
    /// The committed checkpoints of `replicate` in the run file at `path` (empty when none).
    public static func read(path: String, replicate: Int) throws -> [CheckpointRecord] {
        typealias N = RunFileNames
        let file = try HDF5File.open(path: path, mode: .readOnly, options: HDF5FileOptions(fileLocking: false))
        defer { try? file.close() }
        let group = try file.root.openGroup("\(N.replicates)/\(N.replicate(replicate))")
        defer { try? group.close() }
        let count = Int(try group.attribute(N.committedCheckpoints, as: Int64.self))
        guard count > 0, try group.exists(N.checkpoint) else { return [] }
        let store = try CheckpointStore(open: try group.openGroup(N.checkpoint))
        defer {
            for dataset in store.datasets { try? dataset.close() }
            try? store.group.close()
        }
        return try (0..<count).map { try store.read(row: $0) }
    }
}
