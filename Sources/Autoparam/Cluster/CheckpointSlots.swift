import HDF5

/// Both slots of a replicate's double-buffered checkpoint, as stored (not only the committed
/// one that `RunReader.checkpoint(replicate:)` returns).
///
/// `autoparam merge` writes both back so the merged file's `checkpoint/` datasets equal a
/// single run's bit for bit: the slot not named by `checkpoint_slot` holds the checkpoint
/// before the last one. Reads the file read-only, without a file lock.
struct CheckpointSlots {
    /// The committed slot (0 or 1).
    var committedSlot: Int
    /// Slot 0 and slot 1. A slot never written reads as zeros (HDF5's fill value).
    var slots: [CheckpointRecord]

    /// The slots of `replicate` in the run file at `path`, nil when it has no committed checkpoint.
    static func read(path: String, replicate: Int) throws -> CheckpointSlots? {
        typealias N = RunFileNames
        let file = try HDF5File.open(path: path, mode: .readOnly, options: HDF5FileOptions(fileLocking: false))
        defer { try? file.close() }
        let group = try file.root.openGroup("\(N.replicates)/\(N.replicate(replicate))")
        defer { try? group.close() }
        let slot = try group.attribute(N.checkpointSlot, as: Int64.self)
        guard slot >= 0, try group.exists(N.checkpoint) else { return nil }
        let store = try CheckpointStore(open: try group.openGroup(N.checkpoint))
        defer {
            for dataset in store.datasets { try? dataset.close() }
            try? store.group.close()
        }
        return CheckpointSlots(committedSlot: Int(slot), slots: [try store.read(slot: 0), try store.read(slot: 1)])
    }

    /// The checkpoints to write, in order, into a replicate with no checkpoint yet so that its
    /// slots end up as these: a fresh replicate's checkpoints go to slots 0, 1, 0, … and the
    /// last one written becomes the committed one.
    var writeOrder: [CheckpointRecord] {
        committedSlot == 1 ? [slots[0], slots[1]] : [slots[0], slots[1], slots[0]]
    }
}
