import CHDF5

/// An object of a file that could not be read back, found by `HDF5File.verify()`.
public struct HDF5Damage: Sendable, Hashable, CustomStringConvertible {
    /// Path of the dataset or group inside the file ("/replicates/000/fitness").
    public var path: String
    /// The first failure's message ("checksum mismatch reading … : the file is damaged").
    public var reason: String
    /// Rows (first-axis index ranges, one per chunk or read block) that failed; empty when the
    /// object itself could not be opened or listed.
    public var rows: [Range<Int>]

    public init(path: String, reason: String, rows: [Range<Int>] = []) {
        self.path = path
        self.reason = reason
        self.rows = rows
    }

    public var description: String {
        guard !rows.isEmpty else { return "\(path): \(reason)" }
        let count = rows.reduce(0) { $0 + $1.count }
        return "\(path): \(reason) (\(rows.count) block\(rows.count == 1 ? "" : "s"), \(count) rows)"
    }
}

extension HDF5File {
    /// Reads the whole file back and lists what could not be read, without stopping at the first
    /// failure.
    ///
    /// Walks every group from the root (children in name order), opens every group and dataset,
    /// lists its attributes (which parses its object header), and reads every dataset in blocks
    /// of whole chunks (`chunkRows` rows; about 1 MiB of rows for contiguous data) in its stored
    /// type, so every chunk passes through its filters: a Fletcher-32 mismatch or a chunk that
    /// does not decompress is reported with its rows. Soft and external links are not followed.
    /// Costs one read of all the data; memory stays at one block.
    ///
    /// - Returns: the damaged objects in walk order; empty for a sound file.
    /// - Throws: only when the file itself is closed.
    public func verify() throws(HDF5Error) -> [HDF5Damage] {
        guard isOpen else { throw usage("'\(path)' is closed") }
        var damage: [HDF5Damage] = []
        Verifier.walk(root, into: &damage)
        return damage
    }
}

/// The walk behind `HDF5File.verify()`.
enum Verifier {
    static func walk(_ group: HDF5Group, into damage: inout [HDF5Damage]) {
        let names: [String]
        do {
            _ = try group.attributeNames()
            names = try group.childNames()
        } catch {
            damage.append(HDF5Damage(path: group.path, reason: error.message))
            return
        }
        for name in names {
            let path = group.childPath(name)
            do {
                guard try group.linkIsHard(name) else { continue }
                if try group.isGroup(name) {
                    let child = try group.openGroup(name)
                    walk(child, into: &damage)
                    try? child.close()
                } else {
                    let dataset = try group.openDataset(name)
                    _ = try dataset.attributeNames()
                    if let found = check(dataset) { damage.append(found) }
                    try? dataset.close()
                }
            } catch {
                damage.append(HDF5Damage(path: path, reason: error.message))
            }
        }
    }

    /// Reads `dataset` block by block; nil when every block reads.
    static func check(_ dataset: HDF5Dataset) -> HDF5Damage? {
        do {
            let dims = try dataset.shape()
            let id = try dataset.liveID()
            let type = TypeHandle(adopting: try h5("get type of '\(dataset.path)'") { H5Dget_type(id) })
            let (elementBytes, variable) = h5Query { () -> (Int, Bool) in
                let variable = H5Tis_variable_str(type.id) > 0 || H5Tget_class(type.id) == H5T_VLEN
                    || H5Tdetect_class(type.id, H5T_VLEN) > 0
                return (H5Tget_size(type.id), variable)
            }
            if dims.isEmpty {  // scalar
                return read(dataset, type: type, space: nil, elements: 1, elementBytes: elementBytes, variable: variable)
                    .map { HDF5Damage(path: dataset.path, reason: $0) }
            }
            let rowElements = dims.dropFirst().reduce(1, *)
            guard dims[0] > 0, rowElements > 0 else { return nil }
            let step: Int
            if let chunkRows = try dataset.storage().chunkRows {
                step = chunkRows
            } else {
                step = max(1, (1 << 20) / max(1, rowElements * elementBytes))
            }
            var failed: [Range<Int>] = []
            var reason: String?
            for start in stride(from: 0, to: dims[0], by: step) {
                let rows = start..<min(start + step, dims[0])
                let spaces = try dataset.rowSelection(start: rows.lowerBound, rows: rows.count, dims: dims)
                if let message = read(dataset, type: type, space: spaces, elements: rows.count * rowElements,
                                      elementBytes: elementBytes, variable: variable) {
                    failed.append(rows)
                    reason = reason ?? message
                }
            }
            guard let reason else { return nil }
            return HDF5Damage(path: dataset.path, reason: reason, rows: failed)
        } catch {
            return HDF5Damage(path: dataset.path, reason: error.message)
        }
    }

    /// Reads one block in the stored type; returns the failure's message, or nil.
    private static func read(_ dataset: HDF5Dataset, type: TypeHandle, space: (SpaceHandle, SpaceHandle)?,
                             elements: Int, elementBytes: Int, variable: Bool) -> String? {
        var buffer = [UInt8](repeating: 0, count: elements * elementBytes)
        let id = dataset.id
        let memory = space?.0.id ?? chdf5_s_all()
        let file = space?.1.id ?? chdf5_s_all()
        do {
            _ = try dataset.readCall("verify '\(dataset.path)'") {
                H5Dread(id, type.id, memory, file, chdf5_p_default(), &buffer)
            }
        } catch {
            return error.message
        }
        if variable {
            let reclaimSpace = space?.0.id
            _ = h5Query { () -> herr_t in
                if let reclaimSpace { return H5Dvlen_reclaim(type.id, reclaimSpace, chdf5_p_default(), &buffer) }
                let whole = H5Dget_space(id)
                defer { H5Sclose(whole) }
                return H5Dvlen_reclaim(type.id, whole, chdf5_p_default(), &buffer)
            }
        }
        return nil
    }
}

extension HDF5Group {
    /// Whether the link `name` is a hard link (soft and external links are not followed).
    func linkIsHard(_ name: String) throws(HDF5Error) -> Bool {
        let id = try liveID()
        var info = H5L_info_t()
        _ = try h5("get link info of '\(childPath(name))'") { H5Lget_info(id, name, &info, chdf5_p_default()) }
        return info.type == H5L_TYPE_HARD
    }
}
