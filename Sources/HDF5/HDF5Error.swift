/// A failure reported by the HDF5 C library, or a misuse of this layer detected before calling it.
///
/// `description` (and `message`) is one short sentence for people, naming the file or object:
/// "run.h5 is not an HDF5 file", "checksum mismatch reading /replicates/000/fitness in run.h5:
/// the file is damaged". HDF5's own error stack, which rarely helps a user but helps a bug
/// report, is kept in `stack` and printed by `stackDescription` (for a `--verbose` flag).
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as far as a caller may want to branch on it.
    public enum Kind: Sendable, Hashable {
        /// The path does not exist (opening), or its folder does not (creating).
        case fileNotFound
        /// The path is a directory.
        case isDirectory
        /// The operating system refused access to the path.
        case permissionDenied
        /// The file exists but does not start like an HDF5 file.
        case notHDF5
        /// The file is an HDF5 file whose end is missing, or whose structure cannot be read.
        case truncated
        /// `create` without `truncate` found an existing file.
        case fileExists
        /// A chunk's Fletcher-32 checksum does not match its data, or a chunk does not decompress:
        /// the stored bytes changed after they were written.
        case damaged
        /// The layer refused the call itself (shape mismatch, closed handle, unsupported type).
        case usage
        /// Any other failure inside HDF5; see `stack`.
        case library
    }

    /// One entry of HDF5's error stack.
    public struct StackEntry: Sendable, Hashable, CustomStringConvertible {
        /// The HDF5 function that pushed the entry ("H5Fopen").
        public var function: String
        /// HDF5's description ("unable to open file").
        public var description: String
        /// HDF5's major and minor error messages ("File accessibility", "Unable to open file").
        public var major: String
        public var minor: String

        public init(function: String, description: String, major: String = "", minor: String = "") {
            self.function = function
            self.description = description
            self.major = major
            self.minor = minor
        }

        /// `function(): description [minor]`
        public var line: String {
            minor.isEmpty ? "\(function)(): \(description)" : "\(function)(): \(description) [\(minor)]"
        }
    }

    /// The kind of failure.
    public let kind: Kind
    /// One sentence for people (what `description` prints).
    public let message: String
    /// What the Swift layer was doing ("open file 'run.h5' read-only").
    public let operation: String
    /// HDF5's error stack for the call, outermost API call first; empty for `.usage` errors.
    public let entries: [StackEntry]

    /// The stack as lines (`function(): description [minor error]`), outermost first.
    public var stack: [String] { entries.map(\.line) }

    /// A failure of `operation`; kind and message are derived from the stack.
    public init(operation: String, entries: [StackEntry] = []) {
        self.init(kind: entries.isEmpty ? .usage : HDF5Error.classify(entries), operation: operation, entries: entries)
    }

    /// A failure of `operation` with HDF5's stack given as lines (kept for source compatibility).
    public init(operation: String, stack: [String]) {
        self.init(operation: operation, entries: stack.map { StackEntry(function: "", description: $0) })
    }

    /// A failure with an explicit kind and message (the message defaults to one built from
    /// `operation` and the innermost stack entry).
    public init(kind: Kind, message: String? = nil, operation: String, entries: [StackEntry] = []) {
        self.kind = kind
        self.operation = operation
        self.entries = entries
        if let message {
            self.message = message
        } else if let innermost = entries.last(where: { !$0.description.isEmpty }) {
            self.message = "\(operation) failed: \(innermost.description)"
        } else {
            self.message = operation
        }
    }

    /// The same error with another kind and message (the stack is kept).
    func reworded(_ kind: Kind, _ message: String) -> HDF5Error {
        HDF5Error(kind: kind, message: message, operation: operation, entries: entries)
    }

    public var description: String { message }

    /// The message followed by the operation and HDF5's whole error stack, one entry per line.
    public var stackDescription: String {
        var lines = [message, "  while: \(operation)"]
        if entries.isEmpty {
            lines.append("  (no HDF5 error stack: the layer refused the call)")
        } else {
            lines.append("  HDF5 error stack (outermost first):")
            for (index, entry) in entries.enumerated() {
                var line = "    #\(index) \(entry.function.isEmpty ? "" : entry.function + "(): ")\(entry.description)"
                if !entry.major.isEmpty || !entry.minor.isEmpty { line += " [\(entry.major): \(entry.minor)]" }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Recognizes data damage in a stack; everything else is `.library` (files are classified
    /// by `HDF5File`, which knows the path).
    static func classify(_ entries: [StackEntry]) -> Kind {
        let text = entries.map { "\($0.description) \($0.minor)" }.joined(separator: "\n").lowercased()
        if text.contains("fletcher32") || text.contains("checksum") && text.contains("data error") { return .damaged }
        if text.contains("filter returned failure during read") || text.contains("inflate() failed") { return .damaged }
        return .library
    }
}
