import CHDF5

/// An open HDF5 group: a container of named groups and datasets, with attributes.
///
/// Names may be paths relative to this group ("genes/names") or absolute ("/dataset/images").
/// Creating a group or dataset creates missing intermediate groups.
public final class HDF5Group: HDF5Object {
    init(id: hid_t, path: String, filePath: String) {
        super.init(id: id, path: path, filePath: filePath, closer: { H5Gclose($0) })
    }

    /// Creates a new group; throws if `name` exists.
    @discardableResult
    public func createGroup(_ name: String) throws(HDF5Error) -> HDF5Group {
        let id = try liveID()
        let links = try intermediateLinkList()
        let group = try h5("create group '\(childPath(name))'") {
            H5Gcreate2(id, name, links.id, chdf5_p_default(), chdf5_p_default())
        }
        return HDF5Group(id: group, path: childPath(name), filePath: filePath)
    }

    /// Opens an existing group.
    public func openGroup(_ name: String) throws(HDF5Error) -> HDF5Group {
        let id = try liveID()
        let group = try h5("open group '\(childPath(name))'") { H5Gopen2(id, name, chdf5_p_default()) }
        let child = HDF5Group(id: group, path: childPath(name), filePath: filePath)
        child.toleratesTornTailChunk = toleratesTornTailChunk
        return child
    }

    /// Whether a link `name` (a relative path of any depth) exists below this group. Returns
    /// false, without error, when an intermediate component is missing.
    public func exists(_ name: String) throws(HDF5Error) -> Bool {
        let id = try liveID()
        var prefix = name.hasPrefix("/") ? "/" : ""
        for component in name.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + component
            if prefix == "." { continue }
            let found = try h5("check link '\(childPath(prefix))'") { H5Lexists(id, prefix, chdf5_p_default()) }
            if found <= 0 { return false }
        }
        return true
    }

    /// Names of the direct children (groups, datasets, other links), in byte order of the names.
    public func childNames() throws(HDF5Error) -> [String] {
        let id = try liveID()
        var info = H5G_info_t()
        _ = try h5("get group info of '\(path)'") { H5Gget_info(id, &info) }
        var names: [String] = []
        names.reserveCapacity(Int(info.nlinks))
        for index in 0..<Int(info.nlinks) {
            let length = try h5("get link name \(index) in '\(path)'") {
                H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), nil, 0, chdf5_p_default())
            }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = try h5("get link name \(index) in '\(path)'") {
                H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), &buffer, buffer.count, chdf5_p_default())
            }
            names.append(string(fromNulTerminated: buffer))
        }
        return names
    }

    /// Whether the child `name` is a group (false for datasets; throws if it does not exist).
    public func isGroup(_ name: String) throws(HDF5Error) -> Bool {
        let id = try liveID()
        let object = Handle(adopting: try h5("open object '\(childPath(name))'") { H5Oopen(id, name, chdf5_p_default()) },
                            closer: { H5Oclose($0) })
        let isGroup = h5Query { H5Iget_type(object.id ?? -1) == H5I_GROUP }
        try object.close("close object '\(childPath(name))'")
        return isGroup
    }

    /// Creates a dataset.
    ///
    /// - Parameters:
    ///   - type: element type.
    ///   - shape: initial dimensions (rank ≥ 1). For an extendable dataset the first entry is the
    ///     initial row count, usually 0.
    ///   - extendable: when true the first axis is unlimited (`append`, `setRowCount`); the other
    ///     axes stay fixed. A zero-length trailing axis is stored unlimited too, because HDF5
    ///     cannot chunk a fixed axis of length 0; its length still never changes here.
    ///   - storage: chunking and filters. Extendable datasets, deflate and shuffle need chunks;
    ///     when `storage.chunkRows` is nil a chunk of about 64 KiB is chosen. Chunked datasets get
    ///     a Fletcher-32 checksum per chunk unless `storage.fletcher32` is false.
    @discardableResult
    public func createDataset(_ name: String, type: HDF5ElementType, shape: [Int],
                              extendable: Bool = false, storage: HDF5Storage = .contiguous) throws(HDF5Error) -> HDF5Dataset {
        let id = try liveID()
        let fullPath = childPath(name)
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 0 }) else {
            throw usage("create dataset '\(fullPath)': shape \(shape) must have rank ≥ 1 and no negative length")
        }
        let unlimited = chdf5_s_unlimited()
        var maxDims = shape.map { hsize_t($0) }
        if extendable { maxDims[0] = unlimited }
        let needsChunks = extendable || storage.needsChunks
        if needsChunks {
            for axis in 1..<max(shape.count, 1) where axis < shape.count && shape[axis] == 0 { maxDims[axis] = unlimited }
        }
        let space = try SpaceHandle(dims: shape, maxDims: maxDims)
        let creation = try PropertyList(class: chdf5_p_dataset_create(), "dataset creation")
        if storage.allocateEarly {
            let id = creation.id
            _ = try h5("set early allocation on '\(fullPath)'") { H5Pset_alloc_time(id, H5D_ALLOC_TIME_EARLY) }
        }
        if needsChunks {
            let rowElements = shape.dropFirst().reduce(1) { $0 * max($1, 1) }
            let rowBytes = max(1, rowElements * type.byteCount)
            var rows = storage.chunkRows ?? max(1, 65_536 / rowBytes)
            if !extendable { rows = min(rows, max(shape[0], 1)) }
            guard rows >= 1 else { throw usage("create dataset '\(fullPath)': chunkRows must be ≥ 1") }
            var chunk = [hsize_t(rows)] + shape.dropFirst().map { hsize_t(max($0, 1)) }
            _ = try h5("set chunking of '\(fullPath)'") { H5Pset_chunk(creation.id, Int32(chunk.count), &chunk) }
            // Filter order (HDF5 applies them in the order set when writing, in reverse when
            // reading): shuffle, then deflate, then Fletcher-32 last, so the checksum covers the
            // bytes as stored and a damaged chunk is caught before inflate sees it. This is the
            // order h5py and HDF5's documentation use.
            if storage.shuffle {
                _ = try h5("set shuffle on '\(fullPath)'") { H5Pset_shuffle(creation.id) }
            }
            if let level = storage.deflateLevel {
                guard (0...9).contains(level) else { throw usage("deflate level \(level) is outside 0...9") }
                _ = try h5("set deflate on '\(fullPath)'") { H5Pset_deflate(creation.id, UInt32(level)) }
            }
            // HDF5 refuses Fletcher-32 on variable-length types (a chunk holds only references
            // into the global heap, which has no checksums); such datasets go without.
            if storage.fletcher32 && type != .string {
                _ = try h5("set fletcher32 on '\(fullPath)'") { H5Pset_fletcher32(creation.id) }
            }
        }
        let fileType = try TypeHandle.make(type)
        let links = try intermediateLinkList()
        let dataset = try h5("create dataset '\(fullPath)'") {
            H5Dcreate2(id, name, fileType.id, space.id, links.id, creation.id, chdf5_p_default())
        }
        return HDF5Dataset(id: dataset, path: fullPath, filePath: filePath)
    }

    /// Creates a numeric dataset of element type `T` (see `createDataset(_:type:shape:extendable:storage:)`).
    @discardableResult
    public func createDataset<T: HDF5Numeric>(_ name: String, of _: T.Type, shape: [Int], extendable: Bool = false,
                                              storage: HDF5Storage = .contiguous) throws(HDF5Error) -> HDF5Dataset {
        try createDataset(name, type: T.hdf5ElementType, shape: shape, extendable: extendable, storage: storage)
    }

    /// Creates a fixed-shape one-dimensional numeric dataset holding `values`.
    @discardableResult
    public func writeDataset<T: HDF5Numeric>(_ name: String, _ values: [T], shape: [Int]? = nil,
                                             storage: HDF5Storage = .contiguous) throws(HDF5Error) -> HDF5Dataset {
        let dataset = try createDataset(name, type: T.hdf5ElementType, shape: shape ?? [values.count], storage: storage)
        try dataset.write(values)
        return dataset
    }

    /// Creates a fixed-shape one-dimensional string dataset holding `values`.
    @discardableResult
    public func writeDataset(_ name: String, _ values: [String], storage: HDF5Storage = .contiguous) throws(HDF5Error) -> HDF5Dataset {
        let dataset = try createDataset(name, type: .string, shape: [values.count], storage: storage)
        try dataset.write(values)
        return dataset
    }

    /// Opens an existing dataset.
    public func openDataset(_ name: String, chunkCacheBytes: Int? = nil) throws(HDF5Error) -> HDF5Dataset {
        let id = try liveID()
        let access = try PropertyList(class: chdf5_p_dataset_access(), "dataset access")
        if let bytes = chunkCacheBytes {
            _ = try h5("set chunk cache") { H5Pset_chunk_cache(access.id, 12_421, bytes, 0.75) }
        }
        let dataset = try h5("open dataset '\(childPath(name))'") { H5Dopen2(id, name, access.id) }
        let child = HDF5Dataset(id: dataset, path: childPath(name), filePath: filePath)
        child.toleratesTornTailChunk = toleratesTornTailChunk
        return child
    }

    /// Removes the link `name` (the space of a dataset is not returned to the file system).
    public func deleteLink(_ name: String) throws(HDF5Error) {
        let id = try liveID()
        _ = try h5("delete link '\(childPath(name))'") { H5Ldelete(id, name, chdf5_p_default()) }
    }

    private func intermediateLinkList() throws(HDF5Error) -> PropertyList {
        let links = try PropertyList(class: chdf5_p_link_create(), "link creation")
        _ = try h5("enable intermediate groups") { H5Pset_create_intermediate_group(links.id, 1) }
        _ = try h5("set UTF-8 link names") { H5Pset_char_encoding(links.id, H5T_CSET_UTF8) }
        return links
    }
}

/// How a dataset's elements are laid out and filtered on disk.
///
/// Only filters built into every HDF5 library are offered (deflate, shuffle, fletcher32), so any
/// reader opens the files without plugins. A chunk always spans whole rows: its shape is
/// `chunkRows × shape[1] × …`.
public struct HDF5Storage: Sendable, Hashable {
    /// Rows per chunk; nil for contiguous storage (fixed shape, no filters), or for an automatic
    /// size (about 64 KiB) when chunks are required.
    public var chunkRows: Int?
    /// gzip level 0...9, or nil for no compression.
    public var deflateLevel: Int?
    /// Byte-shuffle before compression (groups the bytes of equal significance; helps integers).
    public var shuffle: Bool
    /// Append a Fletcher-32 checksum to each chunk (default on); a read of a chunk whose bytes
    /// no longer match throws `HDF5Error` of kind `.damaged`. Only chunked datasets can carry
    /// it: on a contiguous dataset the setting is ignored (it does not force chunks), and so it
    /// is on variable-length strings (HDF5 cannot checksum them).
    ///
    /// A checksummed chunk keeps its size (data + 4 bytes), so HDF5 still rewrites a partly
    /// filled chunk in place; early-allocated chunks are written with their checksum.
    public var fletcher32: Bool
    /// Allocate file space (and, for chunked storage, the chunk index) when the dataset is
    /// created and whenever it grows, instead of when data is first written out. The index then
    /// exists before anything else changes in the file; new chunks are not filled (they read
    /// as whatever the file held, zeros for new space, until written).
    public var allocateEarly: Bool

    public init(chunkRows: Int? = nil, deflateLevel: Int? = nil, shuffle: Bool = false, fletcher32: Bool = true,
                allocateEarly: Bool = false) {
        self.chunkRows = chunkRows
        self.deflateLevel = deflateLevel
        self.shuffle = shuffle
        self.fletcher32 = fletcher32
        self.allocateEarly = allocateEarly
    }

    /// Contiguous, unfiltered storage (fixed-shape datasets only; no checksum).
    public static let contiguous = HDF5Storage(fletcher32: false)

    /// Chunked storage with `rows` rows per chunk, no compression, Fletcher-32 checksums unless
    /// `fletcher32` is false.
    public static func chunked(rows: Int? = nil, allocateEarly: Bool = false, fletcher32: Bool = true) -> HDF5Storage {
        HDF5Storage(chunkRows: rows, fletcher32: fletcher32, allocateEarly: allocateEarly)
    }

    /// Chunked, shuffled and deflated storage (gzip `level`), checksummed unless `fletcher32` is
    /// false.
    public static func compressed(rows: Int? = nil, level: Int = 4, fletcher32: Bool = true) -> HDF5Storage {
        HDF5Storage(chunkRows: rows, deflateLevel: level, shuffle: true, fletcher32: fletcher32)
    }

    /// Whether this storage asks for chunks (Fletcher-32 alone does not).
    var needsChunks: Bool { deflateLevel != nil || shuffle || chunkRows != nil }
}
