import CHDF5

/// An open HDF5 group or dataset: the common owner of an object id and its attributes.
///
/// Every handle closes its id exactly once: on `close()`, or in `deinit` if still open. A closed
/// handle throws on use. Handles are not `Sendable`: keep all HDF5 work of a file on one thread
/// or actor (Debian's libhdf5 is built thread-safe, but it serializes every call behind one
/// global lock, and interleaving two threads' writes to one file is never what a caller wants).
///
/// Attributes are small named values attached to the object. Setting an attribute that exists
/// replaces it (type and shape may change). With the file format this layer writes (the earliest
/// the features allow) all attributes of one object must fit in its 64 KiB header: keep them
/// small; long text is fine because strings are variable-length and live in the global heap.
public class HDF5Object {
    /// Owner of the HDF5 id (see `Handle`).
    let handle: Handle
    /// Path of the object inside its file, as opened ("/replicates/000").
    public let path: String
    /// Path of the file the object belongs to, as the file was opened ("run.h5").
    public let filePath: String
    /// Whether reads accept a checksum failure in the chunk that holds the last requested row
    /// (a dataset's tail chunk): its rows are then read without checking, the rows before it
    /// still checked. For readers of a run whose writer was killed while HDF5 rewrote that
    /// partly filled chunk in place: the rows committed before are intact bytes, but the
    /// chunk's Fletcher-32 sum matches neither version (`rewriteTailChunkIgnoringChecksum`
    /// repairs it on resume). Off by default; groups pass it to the groups and datasets they open.
    public var toleratesTornTailChunk = false

    init(id: hid_t, path: String, filePath: String, closer: @escaping (hid_t) -> herr_t) {
        self.handle = Handle(adopting: id, closer: closer)
        self.path = path
        self.filePath = filePath
    }

    /// The HDF5 id, or -1 (an id every HDF5 call rejects) once closed. Methods check
    /// `liveID()` first; this is for the calls after that check.
    var id: hid_t { handle.id ?? -1 }

    /// Whether the handle is still open.
    public var isOpen: Bool { handle.id != nil }

    /// Closes the handle now. Closing twice is allowed and does nothing; `deinit` closes a handle
    /// that was never closed.
    public func close() throws(HDF5Error) {
        try handle.close("close '\(path)' in \(filePath)")
    }

    /// The id, or an error when the handle was closed.
    func liveID() throws(HDF5Error) -> hid_t {
        guard let id = handle.id else { throw usage("'\(path)' in \(filePath) is closed") }
        return id
    }

    func childPath(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return path == "/" ? "/" + name : path + "/" + name
    }

    // MARK: - Attributes

    /// Whether an attribute called `name` exists on this object.
    public func hasAttribute(_ name: String) throws(HDF5Error) -> Bool {
        let id = try liveID()
        return try h5("check attribute '\(name)' on '\(path)'") { H5Aexists(id, name) } > 0
    }

    /// Names of the attributes of this object, in name order.
    public func attributeNames() throws(HDF5Error) -> [String] {
        let id = try liveID()
        var info = H5O_info_t()
        _ = try h5("get object info of '\(path)'") { H5Oget_info(id, &info) }
        var names: [String] = []
        for index in 0..<Int(info.num_attrs) {
            let length = try h5("get attribute name \(index) of '\(path)'") {
                H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), nil, 0, chdf5_p_default())
            }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = try h5("get attribute name \(index) of '\(path)'") {
                H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), &buffer, buffer.count, chdf5_p_default())
            }
            names.append(string(fromNulTerminated: buffer))
        }
        return names
    }

    /// Removes the attribute `name`; throws if it does not exist.
    public func deleteAttribute(_ name: String) throws(HDF5Error) {
        let id = try liveID()
        _ = try h5("delete attribute '\(name)' of '\(path)'") { H5Adelete(id, name) }
    }

    /// Sets a scalar numeric attribute. An existing attribute of the same type and shape is
    /// overwritten in place; one of another type or shape is replaced.
    public func setAttribute<T: HDF5Numeric>(_ name: String, _ value: T) throws(HDF5Error) {
        let space = try SpaceHandle.scalar()
        try writeAttribute(name, type: T.hdf5ElementType, space: space) { (type, attribute) throws(HDF5Error) in
            var copy = value
            _ = try h5("write attribute '\(name)' of '\(path)'") { H5Awrite(attribute, type, &copy) }
        }
    }

    /// Sets a one-dimensional numeric array attribute (an empty array is stored with shape (0,)).
    public func setAttribute<T: HDF5Numeric>(_ name: String, _ values: [T]) throws(HDF5Error) {
        let space = try SpaceHandle(dims: [values.count])
        try writeAttribute(name, type: T.hdf5ElementType, space: space) { (type, attribute) throws(HDF5Error) in
            guard !values.isEmpty else { return }
            _ = try h5("write attribute '\(name)' of '\(path)'") {
                values.withUnsafeBytes { H5Awrite(attribute, type, $0.baseAddress) }
            }
        }
    }

    /// Sets a scalar variable-length UTF-8 string attribute.
    public func setAttribute(_ name: String, _ value: String) throws(HDF5Error) {
        let space = try SpaceHandle.scalar()
        try writeAttribute(name, type: .string, space: space) { (type, attribute) throws(HDF5Error) in
            try withCStringPointers([value]) { (pointers) throws(HDF5Error) in
                _ = try h5("write attribute '\(name)' of '\(path)'") {
                    pointers.withUnsafeBufferPointer { H5Awrite(attribute, type, $0.baseAddress) }
                }
            }
        }
    }

    /// Sets a scalar fixed-length UTF-8 string attribute of `byteCount` bytes, NUL-padded (a
    /// longer value is cut at a character boundary). Rewriting it with the same width changes
    /// only bytes inside the object header, never the global heap.
    public func setAttribute(_ name: String, _ value: String, fixedByteCount byteCount: Int) throws(HDF5Error) {
        let space = try SpaceHandle.scalar()
        let bytes = packFixed([value], width: byteCount)
        try writeAttribute(name, type: .fixedString(byteCount), space: space) { (type, attribute) throws(HDF5Error) in
            _ = try h5("write attribute '\(name)' of '\(path)'") { H5Awrite(attribute, type, bytes) }
        }
    }

    /// Sets a one-dimensional attribute of variable-length UTF-8 strings.
    public func setAttribute(_ name: String, _ values: [String]) throws(HDF5Error) {
        let space = try SpaceHandle(dims: [values.count])
        try writeAttribute(name, type: .string, space: space) { (type, attribute) throws(HDF5Error) in
            guard !values.isEmpty else { return }
            try withCStringPointers(values) { (pointers) throws(HDF5Error) in
                _ = try h5("write attribute '\(name)' of '\(path)'") {
                    pointers.withUnsafeBufferPointer { H5Awrite(attribute, type, $0.baseAddress) }
                }
            }
        }
    }

    /// Reads a numeric attribute holding exactly one element (scalar or shape (1,)), converting
    /// to `T` as HDF5 does (integer ranges are clipped, integers convert to floats).
    public func attribute<T: HDF5Numeric>(_ name: String, as _: T.Type = T.self) throws(HDF5Error) -> T {
        let values: [T] = try attributeArray(name, as: T.self)
        guard values.count == 1 else {
            throw usage("attribute '\(name)' of '\(path)' holds \(values.count) elements, expected 1")
        }
        return values[0]
    }

    /// Reads a numeric attribute of any shape as a flat array (row-major).
    public func attributeArray<T: HDF5Numeric>(_ name: String, as _: T.Type = T.self) throws(HDF5Error) -> [T] {
        try readAttribute(name) { (attribute, count) throws(HDF5Error) in
            let memory = try TypeHandle.make(T.hdf5ElementType)
            if count == 0 { return [] }
            return try [T](unsafeUninitializedCapacity: count) { (buffer, initialized) throws(HDF5Error) in
                _ = try h5("read attribute '\(name)' of '\(path)'") { H5Aread(attribute, memory.id, buffer.baseAddress) }
                initialized = count
            }
        }
    }

    /// Reads a string attribute holding exactly one string.
    public func stringAttribute(_ name: String) throws(HDF5Error) -> String {
        let values = try stringArrayAttribute(name)
        guard values.count == 1 else {
            throw usage("attribute '\(name)' of '\(path)' holds \(values.count) strings, expected 1")
        }
        return values[0]
    }

    /// Reads a string attribute of any shape as a flat array. Fixed-length and variable-length
    /// strings are both accepted.
    public func stringArrayAttribute(_ name: String) throws(HDF5Error) -> [String] {
        try readAttribute(name) { (attribute, count) throws(HDF5Error) in
            if count == 0 { return [] }
            let stored = TypeHandle(adopting: try h5("get type of attribute '\(name)'") { H5Aget_type(attribute) })
            switch try stored.elementType() {
            case .string, .fixedString: break
            default: throw usage("attribute '\(name)' of '\(path)' is not a string attribute")
            }
            if try h5("inspect string type", { H5Tis_variable_str(stored.id) }) > 0 {
                let memory = try TypeHandle.make(.string)
                let space = SpaceHandle(adopting: try h5("get space of attribute '\(name)'") { H5Aget_space(attribute) })
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                _ = try h5("read attribute '\(name)' of '\(path)'") { H5Aread(attribute, memory.id, &pointers) }
                let strings = pointers.withUnsafeMutableBufferPointer { stringsFromPointers($0) }
                _ = h5Query { H5Dvlen_reclaim(memory.id, space.id, chdf5_p_default(), &pointers) }
                return strings
            }
            // Fixed-length strings (other writers): read the raw bytes, split per element.
            let size = h5Query { H5Tget_size(stored.id) }
            var bytes = [UInt8](repeating: 0, count: size * count)
            _ = try h5("read attribute '\(name)' of '\(path)'") { H5Aread(attribute, stored.id, &bytes) }
            return (0..<count).map { index in
                let slice = bytes[(index * size)..<((index + 1) * size)]
                let end = slice.firstIndex(of: 0) ?? slice.endIndex
                return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
            }
        }
    }

    private func writeAttribute(_ name: String, type: HDF5ElementType, space: SpaceHandle,
                                _ write: (hid_t, hid_t) throws(HDF5Error) -> Void) throws(HDF5Error) {
        let id = try liveID()
        let fileType = try TypeHandle.make(type)
        if try h5("check attribute '\(name)' on '\(path)'", { H5Aexists(id, name) }) > 0 {
            // Same type and shape: overwrite the value in place, which rewrites one message of
            // the object header and keeps the header's layout (the run file's commit counters
            // rely on this). Otherwise replace the attribute.
            let existingHandle = Handle(adopting: try h5("open attribute '\(name)' of '\(path)'") { H5Aopen(id, name, chdf5_p_default()) },
                                        closer: { H5Aclose($0) })
            let existing = existingHandle.id ?? -1
            var reuse = false
            do {
                defer { _ = try? existingHandle.close("close attribute '\(name)'") }
                let stored = TypeHandle(adopting: try h5("get type of attribute '\(name)'") { H5Aget_type(existing) })
                let storedSpace = SpaceHandle(adopting: try h5("get space of attribute '\(name)'") { H5Aget_space(existing) })
                let sameType = try h5("compare attribute types", { H5Tequal(stored.id, fileType.id) }) > 0
                let sameKind = h5Query { H5Sget_simple_extent_type(storedSpace.id) == H5Sget_simple_extent_type(space.id) }
                let sameDims = try storedSpace.dims() == space.dims()
                if sameType && sameKind && sameDims {
                    reuse = true
                    try write(fileType.id, existing)
                }
            }
            if reuse { return }
            _ = try h5("replace attribute '\(name)' of '\(path)'") { H5Adelete(id, name) }
        }
        let attribute = Handle(adopting: try h5("create attribute '\(name)' on '\(path)'") {
            H5Acreate2(id, name, fileType.id, space.id, chdf5_p_default(), chdf5_p_default())
        }, closer: { H5Aclose($0) })
        try write(fileType.id, attribute.id ?? -1)
        try attribute.close("close attribute '\(name)' of '\(path)'")
    }

    private func readAttribute<R>(_ name: String, _ read: (hid_t, Int) throws(HDF5Error) -> R) throws(HDF5Error) -> R {
        let id = try liveID()
        let handle = Handle(adopting: try h5("open attribute '\(name)' of '\(path)'") { H5Aopen(id, name, chdf5_p_default()) },
                            closer: { H5Aclose($0) })
        let attribute = handle.id ?? -1
        let space = SpaceHandle(adopting: try h5("get space of attribute '\(name)'") { H5Aget_space(attribute) })
        let count = try space.elementCount()
        return try withExtendedLifetime(handle) { () throws(HDF5Error) -> R in try read(attribute, count) }
    }
}
