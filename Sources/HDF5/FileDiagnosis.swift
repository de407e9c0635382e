#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a failed `H5Fopen`/`H5Fcreate` into a sentence that names the path and says what is
/// wrong with it.
///
/// HDF5 reports every such failure as "unable to open file" plus a stack whose innermost entry
/// is the real reason, in HDF5's terms ("file signature not found", "truncated file: eof = …").
/// The operating system knows the rest (missing, directory, permissions), so the path is
/// examined first and HDF5's stack only decides between "not HDF5" and "damaged".
enum FileDiagnosis {
    static func opening(_ path: String, _ error: HDF5Error, writable: Bool) -> HDF5Error {
        if let refusal = examine(path, writable: writable, error) { return refusal }
        let text = stackText(error)
        if text.contains("file signature not found") {
            return error.reworded(.notHDF5, "\(path) is not an HDF5 file")
        }
        if text.contains("unable to lock the file") || text.contains("file is already open for write")
            || text.contains("file locking") {
            return error.reworded(.library, "\(path) is in use by another process (HDF5 file lock)")
        }
        if text.contains("truncated file") || text.contains("superblock") || text.contains("addr overflow")
            || text.contains("eoa") || text.contains("bad object header") || text.contains("checksum") {
            return error.reworded(.truncated, "\(path) is truncated or damaged")
        }
        return error.reworded(.library, "cannot open \(path): \(innermost(error))")
    }

    static func creating(_ path: String, _ error: HDF5Error, truncate: Bool) -> HDF5Error {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { return error.reworded(.isDirectory, "\(path) is a directory") }
            if !truncate { return error.reworded(.fileExists, "\(path) exists") }
            if access(path, W_OK) != 0 { return error.reworded(.permissionDenied, "permission denied writing \(path)") }
        } else {
            let folder = parentFolder(of: path)
            var folderInfo = stat()
            if stat(folder, &folderInfo) != 0 {
                return error.reworded(.fileNotFound, "cannot create \(path): the folder \(folder) does not exist")
            }
            if access(folder, W_OK) != 0 {
                return error.reworded(.permissionDenied, "permission denied creating \(path)")
            }
        }
        return error.reworded(.library, "cannot create \(path): \(innermost(error))")
    }

    /// What the operating system says is wrong with `path`, or nil when it looks openable.
    private static func examine(_ path: String, writable: Bool, _ error: HDF5Error) -> HDF5Error? {
        var info = stat()
        if stat(path, &info) != 0 {
            switch errno {
            case ENOENT, ENOTDIR: return error.reworded(.fileNotFound, "\(path) does not exist")
            case EACCES: return error.reworded(.permissionDenied, "permission denied reading \(path)")
            default: return nil
            }
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { return error.reworded(.isDirectory, "\(path) is a directory") }
        let descriptor = open(path, writable ? O_RDWR : O_RDONLY)
        if descriptor < 0 {
            if errno == EACCES || errno == EPERM || errno == EROFS {
                return error.reworded(.permissionDenied, "permission denied \(writable ? "writing" : "reading") \(path)")
            }
            return nil
        }
        _ = close(descriptor)
        return nil
    }

    private static func stackText(_ error: HDF5Error) -> String {
        error.entries.map { "\($0.description) \($0.minor)" }.joined(separator: "\n").lowercased()
    }

    private static func innermost(_ error: HDF5Error) -> String {
        error.entries.last(where: { !$0.description.isEmpty })?.description ?? "unknown HDF5 error"
    }

    private static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }
}
