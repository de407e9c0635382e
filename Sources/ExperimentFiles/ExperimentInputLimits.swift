/// Limits on an experiment file checked before it is parsed, so that no file can exhaust the
/// parser: its size and how deeply its collections nest.
public enum ExperimentInputLimits {
    /// Largest experiment file: 1 MiB (the examples are under 2 KiB).
    public static let fileBytes = 1 << 20
    /// Deepest nesting of mappings and lists: 64 (the schema needs 6).
    public static let nesting = 64

    static func sizeMessage(_ bytes: Int) -> String {
        "the experiment file has \(bytes) bytes, more than the limit of \(fileBytes) (1 MiB): an experiment file states settings, not data; give data files with dataset.path"
    }

    /// The first problem with `text` as a whole (too large, nested too deeply), or nil.
    ///
    /// Nesting is counted conservatively without parsing: flow brackets (`[`, `{`) outside
    /// quotes and comments, plus indentation levels of block collections (each deeper
    /// indentation counts one level).
    static func problem(_ text: String) -> ExperimentIssue? {
        let bytes = text.utf8.count
        if bytes > fileBytes {
            return ExperimentIssue(path: "", line: nil, message: sizeMessage(bytes))
        }
        var indents: [Int] = []
        var flow = 0
        var line = 1
        var quote: UInt8? = nil
        var comment = false
        var atLineStart = true
        var column = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                line += 1; comment = false; atLineStart = true; column = 0
                if flow == 0 { quote = nil }
                continue
            }
            if atLineStart {
                if byte == UInt8(ascii: " ") { column += 1; continue }
                atLineStart = false
                if byte != UInt8(ascii: "#") && flow == 0 {
                    while let last = indents.last, last > column { indents.removeLast() }
                    if indents.last != column { indents.append(column) }
                }
            }
            if comment { continue }
            if let q = quote {
                if byte == q { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "#"): comment = true
            case UInt8(ascii: "["), UInt8(ascii: "{"): flow += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
            default: break
            }
            if indents.count + flow > nesting {
                return ExperimentIssue(path: "", line: line,
                                       message: "settings nested more than \(nesting) levels deep: an experiment file needs at most 6")
            }
        }
        return nil
    }
}
