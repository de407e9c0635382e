import Foundation
import Yams
import MushroomBodyModel

/// Reads a composed YAML node tree into typed values, collecting every problem (with the
/// line of the node it concerns) instead of stopping at the first.
///
/// Conventions of the messages: "expected …, found …", where what was found is a quoted
/// string (`"ten"`), a bare number or boolean (`2.5`, `true`), `nothing` for an empty value
/// or null, `a mapping` or `a list`.
struct YAMLReader {
    private(set) var issues: [ExperimentIssue] = []

    /// Records a problem at `path`, located at `node`'s line (none for nodes that are not
    /// from the file: defaults and `--set` values).
    mutating func fail(_ path: String, at node: Node?, _ message: String) {
        issues.append(ExperimentIssue(path: path, line: node?.mark?.line, message: message))
    }

    // MARK: - Describing what was found

    /// What a node is, for "found …": `"text"`, `2.5`, `true`, `nothing`, `a mapping`, `a list`.
    static func found(_ node: Node) -> String {
        switch node {
        case .mapping(let m): return m.isEmpty ? "an empty mapping" : "a mapping"
        case .sequence(let s): return s.isEmpty ? "an empty list" : "a list"
        case .scalar(let s):
            if isQuoted(s) { return quote(s.string) }
            switch tagName(node) {
            case .null: return "nothing"
            case .int, .float, .bool: return s.string
            default: return quote(s.string)
            }
        }
    }

    /// The node's resolved tag (`.str`, `.int`, `.float`, `.bool`, `.null`, …).
    static func tagName(_ node: Node) -> Tag.Name { Resolver.default.resolveTag(of: node) }

    static func quote(_ text: String) -> String { "\"\(text)\"" }

    static func isQuoted(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .singleQuoted || scalar.style == .doubleQuoted
    }

    /// Whether a node is YAML null (`~`, `null` or an empty value).
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, !isQuoted(s) else { return false }
        return tagName(node) == .null
    }

    /// The candidate `word` is likely a typo of: ``closestMatch(to:in:)``, but never one that
    /// shares nothing with it (for short words, an edit distance as long as the word).
    static func likelyMatch(_ word: String, in candidates: [String]) -> String? {
        guard let match = closestMatch(to: word, in: candidates) else { return nil }
        return editDistance(Array(word.lowercased()), Array(match.lowercased())) < max(word.count, 1) ? match : nil
    }

    /// The did-you-mean suffix for `word` among `candidates`, or "".
    static func suggestion(_ word: String, in candidates: [String]) -> String {
        likelyMatch(word, in: candidates).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    /// "expected one of a, b, c, found "x" (did you mean "a"?)".
    static func oneOf(_ options: [String], found node: Node) -> String {
        var text = "expected one of \(options.joined(separator: ", ")), found \(found(node))"
        if case .scalar(let s) = node, !isNull(node) { text += suggestion(s.string, in: options) }
        return text
    }

    // MARK: - Mappings

    /// The entries of a mapping, in file order, with lookup by key.
    struct Fields {
        /// The mapping node itself (for the line of "missing …" problems).
        var node: Node?
        var entries: [(name: String, key: Node, value: Node)] = []

        subscript(name: String) -> Node? { entries.first { $0.name == name }?.value }
        func key(_ name: String) -> Node? { entries.first { $0.name == name }?.key }
        func has(_ name: String) -> Bool { entries.contains { $0.name == name } }
    }

    /// The entries of the mapping `node` at `path`, checking that every key is a name in
    /// `allowed` (unknown keys are problems, with a did-you-mean or the list of valid keys)
    /// and that no key appears twice. Returns nil (after recording the problem) if `node` is
    /// not a mapping. With `allowed` nil any name is accepted (the caller checks them).
    ///
    /// - Parameters:
    ///   - nullIsEmpty: treat a null node as an empty mapping (whole sections may be left
    ///     empty: `ga:`).
    ///   - what: what the mapping holds, for the type error ("settings", "gene settings").
    ///   - duplicate: the problem of a key given twice.
    ///   - unknown: the problem of a key not in `allowed`.
    mutating func mapping(
        _ node: Node, _ path: String, allowed: [String]?, nullIsEmpty: Bool = false,
        what: String = "a mapping of settings", duplicate: String = "set twice", unknown: String = "unknown setting"
    ) -> Fields? {
        if nullIsEmpty && Self.isNull(node) { return Fields(node: node) }
        guard case .mapping(let mapping) = node else {
            fail(path, at: node, "expected \(what), found \(Self.found(node))")
            return nil
        }
        var fields = Fields(node: node)
        for (key, value) in mapping {
            guard case .scalar(let keyScalar) = key else {
                fail(path, at: key, "expected a setting name as key, found \(Self.found(key))")
                continue
            }
            let name = keyScalar.string
            let childPath = Self.join(path, name)
            if let allowed, !allowed.contains(name) {
                let hint = Self.likelyMatch(name, in: allowed).map { " (did you mean \"\($0)\"?)" }
                    ?? "; \(path.isEmpty ? "the top level" : path) takes \(allowed.joined(separator: ", "))"
                fail(childPath, at: key, "\(unknown)\(hint)")
                continue
            }
            if let first = fields.key(name) {
                let at = first.mark.map { " (first at line \($0.line))" } ?? ""
                fail(childPath, at: key, "\(duplicate)\(at)")
                continue
            }
            fields.entries.append((name, key, value))
        }
        return fields
    }

    /// `parent.child`, or `child` at the top level.
    static func join(_ parent: String, _ child: String) -> String {
        parent.isEmpty ? child : "\(parent).\(child)"
    }

    // MARK: - Scalars

    /// The text of a scalar (numbers and booleans are accepted as their text). Null, lists
    /// and mappings are problems.
    mutating func string(_ node: Node, _ path: String, nonEmpty: Bool = true) -> String? {
        guard case .scalar(let s) = node, !Self.isNull(node) else {
            fail(path, at: node, "expected text, found \(Self.found(node))")
            return nil
        }
        if nonEmpty && s.string.trimmingCharacters(in: .whitespaces).isEmpty {
            fail(path, at: node, "expected text, found an empty string")
            return nil
        }
        return s.string
    }

    /// The number a plain scalar spells (YAML or Swift notation), nil if it is not one.
    /// Quoted scalars are text, never numbers.
    static func numberValue(_ node: Node) -> Double? {
        guard case .scalar(let s) = node, !isQuoted(s) else { return nil }
        switch tagName(node) {
        case .int: if let i = node.int { return Double(i) }
        case .float: if let x = node.float { return x }
        default: break
        }
        return Double(s.string.trimmingCharacters(in: .whitespaces))
    }

    /// A finite number.
    mutating func number(_ node: Node, _ path: String) -> Double? {
        guard let x = Self.numberValue(node) else {
            fail(path, at: node, "expected a number, found \(Self.found(node))")
            return nil
        }
        guard x.isFinite else {
            fail(path, at: node, "expected a finite number, found \(Self.found(node))")
            return nil
        }
        return x
    }

    /// A whole number (an integral float such as `2e3` counts).
    mutating func integer(_ node: Node, _ path: String) -> Int? {
        if case .scalar(let s) = node, !Self.isQuoted(s), let i = Int(s.string.trimmingCharacters(in: .whitespaces)) {
            return i
        }
        if let x = Self.numberValue(node), x.isFinite, x == x.rounded(), let i = Int(exactly: x) { return i }
        fail(path, at: node, "expected a whole number, found \(Self.found(node))")
        return nil
    }

    /// A whole number ≥ `minimum`.
    mutating func integer(_ node: Node, _ path: String, atLeast minimum: Int, reason: String? = nil) -> Int? {
        guard let i = integer(node, path) else { return nil }
        guard i >= minimum else {
            fail(path, at: node, reason.map { "\($0), found \(i)" } ?? "must be at least \(minimum), found \(i)")
            return nil
        }
        return i
    }

    /// A whole number in 0 … 2⁶⁴ − 1 (seeds).
    mutating func unsigned(_ node: Node, _ path: String) -> UInt64? {
        if case .scalar(let s) = node, !Self.isQuoted(s) {
            let text = s.string.trimmingCharacters(in: .whitespaces)
            if let u = UInt64(text) { return u }
            if let i = Int(text) ?? node.int {
                if i >= 0 { return UInt64(i) }
                fail(path, at: node, "expected a whole number from 0 to 18446744073709551615, found \(i)")
                return nil
            }
        }
        fail(path, at: node, "expected a whole number from 0 to 18446744073709551615, found \(Self.found(node))")
        return nil
    }

    /// `true` or `false` (YAML's yes/no/on/off too).
    mutating func bool(_ node: Node, _ path: String) -> Bool? {
        if case .scalar(let s) = node, !Self.isQuoted(s), Self.tagName(node) == .bool, let b = node.bool { return b }
        fail(path, at: node, "expected true or false, found \(Self.found(node))")
        return nil
    }

    /// One of `options`, with a did-you-mean.
    mutating func choice(_ node: Node, _ path: String, _ options: [String]) -> String? {
        if case .scalar(let s) = node, options.contains(s.string) { return s.string }
        fail(path, at: node, Self.oneOf(options, found: node))
        return nil
    }

    /// The elements of a list.
    mutating func list(_ node: Node, _ path: String, what: String = "a list") -> [Node]? {
        guard case .sequence(let s) = node else {
            fail(path, at: node, "expected \(what), found \(Self.found(node))")
            return nil
        }
        return Array(s)
    }

    /// `[lo, hi]`: two finite numbers; with `openSides` either may be null (no bound on that
    /// side). Does not compare them.
    mutating func pair(_ node: Node, _ path: String, openSides: Bool = false) -> (Double?, Double?)? {
        let what = openSides ? "a list of two numbers [lower, upper] (null for an open side)"
            : "a list of two numbers [lower, upper]"
        guard case .sequence(let s) = node, s.count == 2 else {
            fail(path, at: node, "expected \(what), found \(Self.foundList(node))")
            return nil
        }
        let items = Array(s)
        var ends: [Double?] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if openSides && Self.isNull(item) { ends.append(nil); continue }
            if let x = number(item, "\(path)[\(i)]") { ends.append(x) } else { ok = false }
        }
        return ok ? (ends[0], ends[1]) : nil
    }

    /// Like ``found(_:)``, but says how long a list is.
    static func foundList(_ node: Node) -> String {
        if case .sequence(let s) = node { return s.count == 1 ? "a list of 1 item" : "a list of \(s.count) items" }
        return found(node)
    }
}
