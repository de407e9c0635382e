import CHDF5

extension HDF5Dataset {
    /// Re-encodes the chunk that holds the last of the first `keptRows` rows, reading it with
    /// checksum checking off and writing those rows back, so the chunk carries a valid
    /// Fletcher-32 checksum again. Rows `keptRows...` of that chunk keep whatever bytes they
    /// have; truncate them afterwards.
    ///
    /// Why: a writer that dies (SIGKILL, a full disk, an I/O error) while HDF5 rewrites a
    /// partly filled chunk in place can leave the chunk half old, half new. The rows it held
    /// before are the same bytes in both halves, but the checksum at the chunk's end matches
    /// neither, so every read of the chunk fails, rows committed long before included.
    /// Resuming calls this on the tail chunk of every growing dataset before truncating it.
    /// Does nothing for a dataset that is not chunked, has no checksum, or when `keptRows` is 0
    /// (chunks after the kept rows hold none of them; truncation deletes them unread).
    ///
    /// - Returns: whether a chunk was rewritten.
    @discardableResult
    public func rewriteTailChunkIgnoringChecksum(keptRows: Int) throws(HDF5Error) -> Bool {
        let storage = try storage()
        guard storage.fletcher32, let chunkRows = storage.chunkRows, chunkRows > 0, keptRows > 0 else { return false }
        let dims = try shape()
        guard keptRows <= dims[0] else {
            throw usage("repair '\(path)': \(keptRows) rows kept, the dataset has \(dims[0])")
        }
        let start = (keptRows - 1) / chunkRows * chunkRows
        let rows = keptRows - start
        let id = try liveID()
        // The stored type as the memory type: the bytes go back exactly as they came.
        let type = TypeHandle(adopting: try h5("get type of '\(path)'") { H5Dget_type(id) })
        let elementBytes = Int(h5Query { H5Tget_size(type.id) })
        let rowElements = dims.dropFirst().reduce(1, *)
        let transfer = try PropertyList(class: chdf5_p_dataset_xfer(), "dataset transfer")
        _ = try h5("turn off checksum checking for '\(path)'") { H5Pset_edc_check(transfer.id, H5Z_DISABLE_EDC) }
        let (memory, file) = try rowSelection(start: start, rows: rows, dims: dims)
        var buffer = [UInt8](repeating: 0, count: rows * rowElements * elementBytes)
        _ = try h5("read the tail chunk of '\(path)' without checksums") {
            buffer.withUnsafeMutableBytes { H5Dread(id, type.id, memory.id, file.id, transfer.id, $0.baseAddress) }
        }
        _ = try h5("rewrite the tail chunk of '\(path)'") {
            buffer.withUnsafeBytes { H5Dwrite(id, type.id, memory.id, file.id, transfer.id, $0.baseAddress) }
        }
        return true
    }
}
