import CHDF5

/// An open HDF5 dataset: an n-dimensional array of one element type, stored row-major.
///
/// "Row" means one index along the first axis: a row of an E×G dataset holds G elements, a row
/// of a one-dimensional dataset holds one. All flat arrays passed in or returned are row-major
/// (C order), as numpy and h5py use.
public final class HDF5Dataset: HDF5Object {
    init(id: hid_t, path: String, filePath: String) {
        super.init(id: id, path: path, filePath: filePath, closer: { H5Dclose($0) })
    }

    // MARK: - Shape and storage

    /// Current dimensions.
    public func shape() throws(HDF5Error) -> [Int] {
        let space = try fileSpace()
        return try space.dims()
    }

    /// Maximum dimensions; nil marks an unlimited axis.
    public func maxShape() throws(HDF5Error) -> [Int?] {
        let space = try fileSpace()
        return try space.maxDims()
    }

    /// Current number of rows (the first dimension).
    public func rowCount() throws(HDF5Error) -> Int {
        try shape().first ?? 1
    }

    /// The stored element type.
    public func elementType() throws(HDF5Error) -> HDF5ElementType {
        let id = try liveID()
        let type = TypeHandle(adopting: try h5("get type of '\(path)'") { H5Dget_type(id) })
        return try type.elementType()
    }

    /// The storage this dataset was created with (chunk rows, filters), read back from the file.
    public func storage() throws(HDF5Error) -> HDF5Storage {
        let id = try liveID()
        let creation = PropertyList(adopting: try h5("get creation properties of '\(path)'") { H5Dget_create_plist(id) })
        var allocation = H5D_ALLOC_TIME_DEFAULT
        _ = try h5("get allocation time of '\(path)'") { H5Pget_alloc_time(creation.id, &allocation) }
        let early = allocation == H5D_ALLOC_TIME_EARLY
        guard h5Query({ H5Pget_layout(creation.id) }) == H5D_CHUNKED else {
            return HDF5Storage(fletcher32: false, allocateEarly: early)
        }
        var storage = HDF5Storage(fletcher32: false, allocateEarly: early)
        var chunk = [hsize_t](repeating: 0, count: 32)
        _ = try h5("get chunk shape of '\(path)'") { H5Pget_chunk(creation.id, 32, &chunk) }
        storage.chunkRows = Int(chunk[0])
        let filters = try h5("count filters of '\(path)'") { H5Pget_nfilters(creation.id) }
        for index in 0..<UInt32(filters) {
            var flags: UInt32 = 0
            var count = 8
            var values = [UInt32](repeating: 0, count: 8)
            var config: UInt32 = 0
            let filter = h5Query { H5Pget_filter2(creation.id, index, &flags, &count, &values, 0, nil, &config) }
            switch filter {
            case H5Z_FILTER_DEFLATE: storage.deflateLevel = Int(values[0])
            case H5Z_FILTER_SHUFFLE: storage.shuffle = true
            case H5Z_FILTER_FLETCHER32: storage.fletcher32 = true
            default: break
            }
        }
        return storage
    }

    // MARK: - Numeric data

    /// Writes the whole dataset; `values.count` must equal the product of the current shape.
    public func write<T: HDF5Numeric>(_ values: [T]) throws(HDF5Error) {
        let id = try liveID()
        let count = try shape().reduce(1, *)
        guard values.count == count else {
            throw usage("write '\(path)': \(values.count) values for \(count) elements")
        }
        guard count > 0 else { return }
        let memory = try TypeHandle.make(T.hdf5ElementType)
        _ = try h5("write '\(path)'") {
            values.withUnsafeBytes { H5Dwrite(id, memory.id, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }
        }
    }

    /// Appends rows to an extendable dataset and returns the index of the first new row.
    ///
    /// `values` holds whole rows, row-major. `rows` is needed only when a row holds no elements
    /// (a trailing axis of length 0); otherwise it is inferred and, if given, checked.
    @discardableResult
    public func append<T: HDF5Numeric>(_ values: [T], rows: Int? = nil) throws(HDF5Error) -> Int {
        try appendRaw(type: T.hdf5ElementType, count: values.count, rows: rows) { (memory, memSpace, fileSpace) throws(HDF5Error) in
            _ = try h5("append to '\(path)'") {
                values.withUnsafeBytes { H5Dwrite(id, memory, memSpace, fileSpace, chdf5_p_default(), $0.baseAddress) }
            }
        }
    }

    /// Overwrites existing rows starting at `start` with `values` (whole rows, row-major).
    /// `rows` is needed only when a row holds no elements; otherwise it is inferred and checked.
    public func writeRows<T: HDF5Numeric>(_ values: [T], at start: Int, rows: Int? = nil) throws(HDF5Error) {
        let dims = try shape()
        let rowElements = dims.dropFirst().reduce(1, *)
        let count: Int
        if rowElements == 0 {
            guard values.isEmpty, let rows else {
                throw usage("write rows of '\(path)': rows of zero elements need an explicit row count and no values")
            }
            count = rows
        } else {
            guard values.count % rowElements == 0 else {
                throw usage("write rows of '\(path)': \(values.count) values are not whole rows of \(rowElements)")
            }
            count = values.count / rowElements
            if let rows, rows != count {
                throw usage("write rows of '\(path)': \(values.count) values are \(count) rows, not \(rows)")
            }
        }
        guard start >= 0, start + count <= dims[0] else {
            throw usage("write rows \(start)..<\(start + count) of '\(path)' with \(dims[0]) rows")
        }
        guard count > 0, !values.isEmpty else { return }
        let (memSpace, fileSpace) = try rowSelection(start: start, rows: count, dims: dims)
        let memory = try TypeHandle.make(T.hdf5ElementType)
        let id = self.id
        _ = try h5("write rows of '\(path)'") {
            values.withUnsafeBytes { H5Dwrite(id, memory.id, memSpace.id, fileSpace.id, chdf5_p_default(), $0.baseAddress) }
        }
    }

    /// Reads the whole dataset, converting to `T` as HDF5 does.
    public func read<T: HDF5Numeric>(as _: T.Type = T.self) throws(HDF5Error) -> [T] {
        let id = try liveID()
        let count = try shape().reduce(1, *)
        guard count > 0 else { return [] }
        let memory = try TypeHandle.make(T.hdf5ElementType)
        return try [T](unsafeUninitializedCapacity: count) { (buffer, initialized) throws(HDF5Error) in
            _ = try readCall("read '\(path)'") {
                H5Dread(id, memory.id, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), buffer.baseAddress)
            }
            initialized = count
        }
    }

    /// Reads the rows in `rows` (row-major, `rows.count × shape[1] × …` elements).
    ///
    /// With ``toleratesTornTailChunk`` set, a checksum failure confined to the chunk holding
    /// the last requested row is not an error: the rows before that chunk are read (and
    /// checked) as usual, that chunk's rows without checking (see the property).
    public func read<T: HDF5Numeric>(rows: Range<Int>, as _: T.Type = T.self) throws(HDF5Error) -> [T] {
        do {
            return try readRows(rows, as: T.self, checked: true)
        } catch {
            let (head, tail) = try tornTailSplit(rows, after: error)
            return try readRows(head, as: T.self, checked: true) + readRows(tail, as: T.self, checked: false)
        }
    }

    private func readRows<T: HDF5Numeric>(_ rows: Range<Int>, as _: T.Type, checked: Bool) throws(HDF5Error) -> [T] {
        let dims = try shape()
        guard rows.lowerBound >= 0, rows.upperBound <= dims[0] else {
            throw usage("read rows \(rows) of '\(path)' with \(dims[0]) rows")
        }
        let count = rows.count * dims.dropFirst().reduce(1, *)
        guard count > 0 else { return [] }
        let (memSpace, fileSpace) = try rowSelection(start: rows.lowerBound, rows: rows.count, dims: dims)
        let memory = try TypeHandle.make(T.hdf5ElementType)
        let transfer = try transferList(checked: checked)
        let id = self.id
        return try [T](unsafeUninitializedCapacity: count) { (buffer, initialized) throws(HDF5Error) in
            _ = try readCall("read rows \(rows) of '\(path)'") {
                H5Dread(id, memory.id, memSpace.id, fileSpace.id, transfer?.id ?? chdf5_p_default(), buffer.baseAddress)
            }
            initialized = count
        }
    }

    /// A transfer property list with checksum checking off, or nil (HDF5's default: checked).
    private func transferList(checked: Bool) throws(HDF5Error) -> PropertyList? {
        guard !checked else { return nil }
        let transfer = try PropertyList(class: chdf5_p_dataset_xfer(), "dataset transfer")
        _ = try h5("turn off checksum checking for '\(path)'") { H5Pset_edc_check(transfer.id, H5Z_DISABLE_EDC) }
        return transfer
    }

    /// After `error` reading `rows`: the rows before the chunk holding the last requested row
    /// and that chunk's rows, when the error is a checksum failure this dataset tolerates in
    /// its tail chunk; else rethrows `error`.
    private func tornTailSplit(_ rows: Range<Int>, after error: HDF5Error) throws(HDF5Error) -> (Range<Int>, Range<Int>) {
        guard toleratesTornTailChunk, error.kind == .damaged, !rows.isEmpty,
              let storage = try? storage(), storage.fletcher32, let chunkRows = storage.chunkRows, chunkRows > 0
        else { throw error }
        let tailStart = max(rows.lowerBound, (rows.upperBound - 1) / chunkRows * chunkRows)
        return (rows.lowerBound..<tailStart, tailStart..<rows.upperBound)
    }

    // MARK: - String data

    /// Writes the whole dataset of strings (variable- or fixed-length); `values.count` must
    /// equal the element count.
    public func write(_ values: [String]) throws(HDF5Error) {
        let id = try liveID()
        let count = try shape().reduce(1, *)
        guard values.count == count else {
            throw usage("write '\(path)': \(values.count) strings for \(count) elements")
        }
        guard count > 0 else { return }
        let stored = try elementType()
        let memory = try TypeHandle.make(stored)
        if case .fixedString(let width) = stored {
            let bytes = packFixed(values, width: width)
            _ = try h5("write '\(path)'") {
                H5Dwrite(id, memory.id, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), bytes)
            }
            return
        }
        try withCStringPointers(values) { (pointers) throws(HDF5Error) in
            _ = try h5("write '\(path)'") {
                pointers.withUnsafeBufferPointer { H5Dwrite(id, memory.id, chdf5_s_all(), chdf5_s_all(), chdf5_p_default(), $0.baseAddress) }
            }
        }
    }

    /// Appends strings (whole rows) to an extendable string dataset; returns the first new row.
    /// For a fixed-length dataset, strings longer than the width are cut at a character boundary.
    @discardableResult
    public func append(_ values: [String]) throws(HDF5Error) -> Int {
        let stored = try elementType()
        if case .fixedString(let width) = stored {
            let bytes = packFixed(values, width: width)
            return try appendRaw(type: stored, count: values.count, rows: nil) { (memory, memSpace, fileSpace) throws(HDF5Error) in
                _ = try h5("append to '\(path)'") { H5Dwrite(id, memory, memSpace, fileSpace, chdf5_p_default(), bytes) }
            }
        }
        return try withCStringPointers(values) { (pointers) throws(HDF5Error) in
            try appendRaw(type: .string, count: values.count, rows: nil) { (memory, memSpace, fileSpace) throws(HDF5Error) in
                _ = try h5("append to '\(path)'") {
                    pointers.withUnsafeBufferPointer { H5Dwrite(id, memory, memSpace, fileSpace, chdf5_p_default(), $0.baseAddress) }
                }
            }
        }
    }

    /// Reads the whole dataset of strings (row-major).
    public func readStrings() throws(HDF5Error) -> [String] {
        let rows = try rowCount()
        return try readStrings(rows: 0..<rows)
    }

    /// Reads the strings of the rows in `rows` (variable- or fixed-length); a torn tail chunk
    /// is tolerated as by ``read(rows:as:)``.
    public func readStrings(rows: Range<Int>) throws(HDF5Error) -> [String] {
        do {
            return try readStringRows(rows, checked: true)
        } catch {
            let (head, tail) = try tornTailSplit(rows, after: error)
            return try readStringRows(head, checked: true) + readStringRows(tail, checked: false)
        }
    }

    private func readStringRows(_ rows: Range<Int>, checked: Bool) throws(HDF5Error) -> [String] {
        let dims = try shape()
        guard rows.lowerBound >= 0, rows.upperBound <= (dims.first ?? 1) else {
            throw usage("read rows \(rows) of '\(path)' with \(dims.first ?? 1) rows")
        }
        let count = rows.count * dims.dropFirst().reduce(1, *)
        guard count > 0 else { return [] }
        let (memSpace, fileSpace) = try rowSelection(start: rows.lowerBound, rows: rows.count, dims: dims)
        let stored = try elementType()
        let transfer = try transferList(checked: checked)
        let xfer = transfer?.id ?? chdf5_p_default()
        let id = self.id
        if case .fixedString(let width) = stored {
            let memory = try TypeHandle.make(stored)
            var bytes = [UInt8](repeating: 0, count: count * width)
            _ = try readCall("read strings \(rows) of '\(path)'") {
                H5Dread(id, memory.id, memSpace.id, fileSpace.id, xfer, &bytes)
            }
            return unpackFixed(bytes, width: width)
        }
        let memory = try TypeHandle.make(.string)
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        _ = try readCall("read strings \(rows) of '\(path)'") {
            H5Dread(id, memory.id, memSpace.id, fileSpace.id, xfer, &pointers)
        }
        let strings = pointers.withUnsafeMutableBufferPointer { stringsFromPointers($0) }
        _ = h5Query { H5Dvlen_reclaim(memory.id, memSpace.id, chdf5_p_default(), &pointers) }
        return strings
    }

    // MARK: - Extent

    /// Sets the number of rows of an extendable dataset: grows it (new rows read as zero / empty
    /// strings until written) or truncates it (dropped rows are gone).
    public func setRowCount(_ rows: Int) throws(HDF5Error) {
        let id = try liveID()
        guard rows >= 0 else { throw usage("set row count of '\(path)' to \(rows)") }
        var dims = try shape().map { hsize_t($0) }
        dims[0] = hsize_t(rows)
        _ = try h5("resize '\(path)' to \(rows) rows") { H5Dset_extent(id, &dims) }
    }

    /// Writes this dataset's cached raw data and metadata to the file (H5Dflush).
    public func flush() throws(HDF5Error) {
        let id = try liveID()
        _ = try h5("flush '\(path)'") { H5Dflush(id) }
    }

    // MARK: - Helpers

    /// `h5` for reads of stored data: a damaged chunk becomes an error that names this dataset and
    /// its file.
    func readCall(_ operation: @autoclosure () -> String, _ call: () -> herr_t) throws(HDF5Error) -> herr_t {
        do {
            return try h5(operation(), call)
        } catch {
            throw damageReport(error)
        }
    }

    /// Rewords an error of kind `.damaged` so that it names the dataset and the file.
    func damageReport(_ error: HDF5Error) -> HDF5Error {
        guard error.kind == .damaged else { return error }
        let text = error.entries.map { "\($0.description) \($0.minor)" }.joined(separator: " ").lowercased()
        if text.contains("fletcher32") {
            return error.reworded(.damaged, "checksum mismatch reading \(path) in \(filePath): the file is damaged")
        }
        return error.reworded(.damaged, "cannot decode the stored data of \(path) in \(filePath): the file is damaged")
    }

    private func fileSpace() throws(HDF5Error) -> SpaceHandle {
        let id = try liveID()
        return SpaceHandle(adopting: try h5("get dataspace of '\(path)'") { H5Dget_space(id) })
    }

    /// Memory and file dataspaces selecting rows `start ..< start + rows` of a dataset with `dims`.
    func rowSelection(start: Int, rows: Int, dims: [Int]) throws(HDF5Error) -> (SpaceHandle, SpaceHandle) {
        let file = try SpaceHandle(dims: dims)
        var offset = [hsize_t](repeating: 0, count: dims.count)
        offset[0] = hsize_t(start)
        var count = dims.map { hsize_t($0) }
        count[0] = hsize_t(rows)
        _ = try h5("select rows of '\(path)'") {
            H5Sselect_hyperslab(file.id, H5S_SELECT_SET, &offset, nil, &count, nil)
        }
        let memory = try SpaceHandle(dims: count.map { Int($0) })
        return (memory, file)
    }

    private func appendRaw(type: HDF5ElementType, count: Int, rows: Int?,
                           _ write: (hid_t, hid_t, hid_t) throws(HDF5Error) -> Void) throws(HDF5Error) -> Int {
        let id = try liveID()
        var dims = try shape()
        let rowElements = dims.dropFirst().reduce(1, *)
        let newRows: Int
        if rowElements == 0 {
            guard count == 0, let rows else {
                throw usage("append to '\(path)': rows of zero elements need an explicit row count and no values")
            }
            newRows = rows
        } else {
            guard count % rowElements == 0 else {
                throw usage("append to '\(path)': \(count) values are not whole rows of \(rowElements)")
            }
            newRows = count / rowElements
            if let rows, rows != newRows {
                throw usage("append to '\(path)': \(count) values are \(newRows) rows, not \(rows)")
            }
        }
        let start = dims[0]
        guard newRows > 0 else { return start }
        dims[0] = start + newRows
        var extent = dims.map { hsize_t($0) }
        _ = try h5("extend '\(path)' to \(dims[0]) rows") { H5Dset_extent(id, &extent) }
        guard count > 0 else { return start }
        let (memSpace, fileSpace) = try rowSelection(start: start, rows: newRows, dims: dims)
        let memory = try TypeHandle.make(type)
        try write(memory.id, memSpace.id, fileSpace.id)
        return start
    }
}
