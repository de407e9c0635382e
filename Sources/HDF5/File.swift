import CHDF5

/// Options that tune how a file is opened or created. The defaults are HDF5's defaults.
///
/// The non-default settings exist for files that must survive their writer being killed (see
/// docs/hdf5-layout.md, "Crash safety"): turn file locking off so readers can open a file that is
/// being written, hold dirty metadata in memory until an explicit flush, and never reuse freed
/// file space, so that bytes the last flushed metadata points to are never overwritten.
public struct HDF5FileOptions: Sendable, Hashable {
    /// Whether HDF5 takes an advisory lock (flock) on the file. With `false` a writer does not
    /// lock readers out, and a reader does not block a writer. Ignored where the file system
    /// has no locks.
    public var fileLocking: Bool
    /// When true, the metadata cache never evicts (writes) dirty entries between flushes: the
    /// metadata on disk changes only inside `flush()` and `close()`. Write access only.
    public var holdMetadataUntilFlush: Bool
    /// Initial (and, with `holdMetadataUntilFlush`, minimum) metadata cache size in bytes;
    /// HDF5 caps it at 128 MiB.
    public var metadataCacheBytes: Int
    /// Creation only. When false, space freed inside the file (by rewritten compressed chunks,
    /// grown heaps, truncated datasets) is never reused: the file only grows. `h5repack` makes a
    /// compact copy. When true (HDF5's default) freed space is recycled.
    public var reuseFreedSpace: Bool
    /// Creation only. Half the number of entries of a node of the B-trees that index the chunks
    /// of chunked datasets (HDF5's `istore_k`, default 32, at most 32767). Larger nodes split
    /// rarely but cost `≈ 2k × (key + 8)` bytes per node and dataset, allocated up front.
    public var chunkIndexHalfNode: Int?
    /// Writing only. When set, every block HDF5 allocates is placed at a multiple of this many
    /// bytes (H5Pset_alignment with threshold 1). With the page size (4096) a metadata block of
    /// at most one page never straddles two pages, so the kernel writes it all or not at all
    /// even when the writer is killed mid-write (a multi-page write can stop at a page boundary).
    public var alignment: Int?

    public init(fileLocking: Bool = true, holdMetadataUntilFlush: Bool = false,
                metadataCacheBytes: Int = 8 << 20, reuseFreedSpace: Bool = true, chunkIndexHalfNode: Int? = nil,
                alignment: Int? = nil) {
        self.fileLocking = fileLocking
        self.holdMetadataUntilFlush = holdMetadataUntilFlush
        self.metadataCacheBytes = metadataCacheBytes
        self.reuseFreedSpace = reuseFreedSpace
        self.chunkIndexHalfNode = chunkIndexHalfNode
        self.alignment = alignment
    }
}

/// An open HDF5 file.
///
/// `create` refuses an existing path unless `truncate` is set. The file stays open until
/// `close()` (or deinit) *and* every group and dataset opened from it are closed: HDF5 keeps a
/// file open while any of its objects is open. Data reaches the disk at `flush()` and on close.
///
/// Use a file from one thread or actor only (see `HDF5Object`).
public final class HDF5File {
    /// How to open an existing file.
    public enum Mode: Sendable {
        case readOnly
        case readWrite
    }

    /// The path the file was opened with.
    public let path: String
    /// Whether the file was opened for writing.
    public let isWritable: Bool
    /// The root group "/" (attributes on it are the file's global attributes).
    public let root: HDF5Group
    private let handle: Handle

    private init(id: hid_t, path: String, writable: Bool) throws(HDF5Error) {
        // Owned from the first line: if opening the root group fails, the handle's deinit closes
        // the file id (once).
        self.handle = Handle(adopting: id, closer: { H5Fclose($0) })
        self.path = path
        self.isWritable = writable
        let rootID = try h5("open root group of '\(path)'") { H5Gopen2(id, "/", chdf5_p_default()) }
        self.root = HDF5Group(id: rootID, path: "/", filePath: path)
    }

    /// Creates a new file. Throws if `path` exists, unless `truncate` is true (then its
    /// contents are discarded).
    public static func create(path: String, truncate: Bool = false,
                              options: HDF5FileOptions = HDF5FileOptions()) throws(HDF5Error) -> HDF5File {
        let creation = try PropertyList(class: h5Query { chdf5_p_file_create() }, "file creation")
        if !options.reuseFreedSpace {
            _ = try h5("disable free-space reuse") {
                H5Pset_file_space_strategy(creation.id, H5F_FSPACE_STRATEGY_NONE, false, 1)
            }
        }
        if let k = options.chunkIndexHalfNode {
            guard (1...32_767).contains(k) else { throw usage("chunk index half node \(k) is outside 1...32767") }
            _ = try h5("set chunk index node size") { H5Pset_istore_k(creation.id, UInt32(k)) }
        }
        let access = try accessList(options, writable: true)
        let flags = truncate ? chdf5_f_acc_trunc() : chdf5_f_acc_excl()
        let id: hid_t
        do {
            id = try h5("create file '\(path)'" + (truncate ? "" : " (must not exist)")) {
                H5Fcreate(path, flags, creation.id, access.id)
            }
        } catch {
            throw FileDiagnosis.creating(path, error, truncate: truncate)
        }
        return try HDF5File(id: id, path: path, writable: true)
    }

    /// Opens an existing file.
    ///
    /// `.readOnly` never changes the file: HDF5 writes nothing (no superblock update, no growth)
    /// to a file opened with `H5F_ACC_RDONLY`; with `fileLocking` it takes a shared advisory lock,
    /// which is not part of the file. Failures name the path and say what is wrong (missing, a
    /// directory, not readable, not HDF5, truncated or damaged): see `HDF5Error.Kind`.
    public static func open(path: String, mode: Mode = .readOnly,
                            options: HDF5FileOptions = HDF5FileOptions()) throws(HDF5Error) -> HDF5File {
        let access = try accessList(options, writable: mode == .readWrite)
        let flags = mode == .readWrite ? chdf5_f_acc_rdwr() : chdf5_f_acc_rdonly()
        let id: hid_t
        do {
            id = try h5("open file '\(path)' " + (mode == .readWrite ? "read-write" : "read-only")) {
                H5Fopen(path, flags, access.id)
            }
        } catch {
            throw FileDiagnosis.opening(path, error, writable: mode == .readWrite)
        }
        return try HDF5File(id: id, path: path, writable: mode == .readWrite)
    }

    /// Writes all cached data and metadata of the file to the operating system (H5Fflush with
    /// global scope). It does not fsync: data survives the process being killed, not a power cut.
    public func flush() throws(HDF5Error) {
        let id = try liveID()
        _ = try h5("flush '\(path)'") { H5Fflush(id, H5F_SCOPE_GLOBAL) }
    }

    /// Moves the end of allocated space `bytes` past the larger of the current end of allocation
    /// and the end of file (H5Fincrement_filesize). Space allocated later starts beyond it, so
    /// nothing written before this call can be the last block of the file, and HDF5's habit of
    /// shrinking the file when the last block is freed cannot hand those bytes out again.
    public func padEndOfAllocation(bytes: Int = 1) throws(HDF5Error) {
        let id = try liveID()
        _ = try h5("pad end of allocation of '\(path)'") { H5Fincrement_filesize(id, hsize_t(bytes)) }
    }

    /// Size of the file in bytes as HDF5 sees it.
    public func size() throws(HDF5Error) -> Int {
        let id = try liveID()
        var size: hsize_t = 0
        _ = try h5("get size of '\(path)'") { H5Fget_filesize(id, &size) }
        return Int(size)
    }

    /// Number of objects (groups, datasets, attributes, the file itself) still open in this file.
    public func openObjectCount() throws(HDF5Error) -> Int {
        guard let id = handle.id else { return 0 }
        return Int(try h5("count open objects of '\(path)'") { H5Fget_obj_count(id, chdf5_f_obj_all()) })
    }

    /// Closes the root group and the file id. The file itself closes once every group and
    /// dataset opened from it is closed too. Closing twice does nothing.
    public func close() throws(HDF5Error) {
        // The file id is released even when closing the root group fails.
        defer { _ = try? handle.close("close '\(path)'") }
        try root.close()
        try handle.close("close '\(path)'")
    }

    /// Whether `close()` has not been called yet.
    public var isOpen: Bool { handle.id != nil }

    private func liveID() throws(HDF5Error) -> hid_t {
        guard let id = handle.id else { throw usage("'\(path)' is closed") }
        return id
    }

    private static func accessList(_ options: HDF5FileOptions, writable: Bool) throws(HDF5Error) -> PropertyList {
        let access = try PropertyList(class: h5Query { chdf5_p_file_access() }, "file access")
        _ = try h5("set file locking") { H5Pset_file_locking(access.id, options.fileLocking, true) }
        if writable, let alignment = options.alignment {
            _ = try h5("set alignment \(alignment)") { H5Pset_alignment(access.id, 1, hsize_t(alignment)) }
        }
        if writable && options.holdMetadataUntilFlush {
            let bytes = min(max(options.metadataCacheBytes, 1 << 20), 128 << 20)
            _ = try h5("configure metadata cache") { chdf5_set_mdc_no_evictions(access.id, bytes) }
        }
        return access
    }
}
