import HDF5

/// Puts a failure to read a run file into the words every command uses: the file's path, what
/// is wrong, and what to do about it, without HDF5's error stack (`--verbose` prints that).
///
/// `autoparam` reports all of these with exit code 2: they are about the file the user gave,
/// not a failure while running.
public enum RunFileProblem {
    /// One sentence: "`path` cannot be `action`: what is wrong: what to do".
    ///
    /// - Parameters:
    ///   - action: what the command wanted to do, as a participle ("read", "resumed", "merged").
    public static func describe(_ error: Error, path: String, action: String = "read") -> String {
        let (what, todo) = explain(error, path: path)
        return "\(path) cannot be \(action): \(what): \(todo)"
    }

    /// What is wrong with the file, in words, and what to do.
    public static func explain(_ error: Error, path: String) -> (what: String, todo: String) {
        if let error = error as? HDF5Error {
            switch error.kind {
            case .fileNotFound:
                return ("no such file", "check the path")
            case .isDirectory:
                return ("it is a directory", "give the path of a run file (.h5) written by autoparam run")
            case .permissionDenied:
                return ("permission denied", "check the file's permissions")
            case .notHDF5:
                return ("it is not an HDF5 file", "give the path of a run file (.h5) written by autoparam run")
            case .truncated:
                return ("the file is truncated or its structure is damaged",
                        "copy it again if it was copied; otherwise start the run again with --force")
            case .damaged:
                return ("the file is damaged (\(strippingPath(error.message, path)))",
                        "`autoparam inspect --verify \(path)` lists every damaged dataset; start the run again with --force, or keep a copy and read the undamaged parts")
            case .fileExists, .usage, .library:
                return (strippingPath(error.message, path), "check that it is a run file written by autoparam run; --verbose shows HDF5's error stack")
            }
        }
        if let error = error as? RunFileError {
            if error.message.contains("format version") {
                return (error.message, "read it with the autoparam version that wrote it")
            }
            return (error.message, "give the path of a run file written by autoparam run")
        }
        return ("\(error)", "check that it is a run file written by autoparam run")
    }

    /// HDF5's message names the file already; drop " in PATH" so the path is said once.
    private static func strippingPath(_ message: String, _ path: String) -> String {
        message.replacingOccurrences(of: " in \(path)", with: "").replacingOccurrences(of: " in '\(path)'", with: "")
    }

    /// A failure while writing, in one line: for an HDF5 failure of a system call (a full disk,
    /// a file-size limit, an I/O error) the operation and the system's words ("extend
    /// '/replicates/000/fitness' to 161 rows failed: No space left on device"), not HDF5's
    /// dump of the call's arguments; anything else as it describes itself.
    public static func runtimeDescription(_ error: Error) -> String {
        guard let error = error as? HDF5Error else { return "\(error)" }
        let text = ([error.message] + error.entries.map(\.description)).joined(separator: " ")
        if let range = text.range(of: "error message = '") {
            let reason = text[range.upperBound...].prefix { $0 != "'" }
            return "\(error.operation) failed: \(reason)"
        }
        return error.message
    }

    /// Whether `error` says that stored bytes are damaged or missing (checksum mismatch,
    /// undecodable chunk, truncated file), as opposed to a failure of the operation itself.
    public static func isDamage(_ error: Error) -> Bool {
        guard let error = error as? HDF5Error else { return false }
        return error.kind == .damaged || error.kind == .truncated
    }

    /// HDF5's error stack behind `error`, for `--verbose`; nil when it has none.
    public static func stack(of error: Error) -> String? {
        guard let error = error as? HDF5Error, !error.entries.isEmpty else { return nil }
        return error.stackDescription
    }
}
