/// One problem with an experiment file: where it is and what is wrong.
///
/// Rendered by ``ExperimentError`` as one line, compiler style:
///
///     quick.yaml:12: genes.stdp_tau.prior: expected one of uniform, log_uniform, …, found "unifrom" (did you mean "uniform"?)
///     quick.yaml: --set ga.tournaments=-1: ga.tournaments: must not be negative, found -1
public struct ExperimentIssue: Sendable, Hashable, CustomStringConvertible {
    /// The dotted path of the offending setting, for example `genes.stdp_tau.prior` or
    /// `genes.stdp_tau.prior.product[1].uniform`; empty for a problem with the file as a whole
    /// (unreadable, not YAML).
    public var path: String
    /// The 1-based line in the file (from the YAML parser's marks); nil where the setting is
    /// not in the file (a default, or a value given with `--set`).
    public var line: Int?
    /// What is wrong, in words: what was expected and what was found.
    public var message: String
    /// The 1-based column, given only for YAML syntax errors.
    public var column: Int?
    /// The `--set PATH=VALUE` item the problem comes from, if it comes from one.
    public var override: String?

    public init(path: String, line: Int?, message: String, column: Int? = nil, override: String? = nil) {
        self.path = path
        self.line = line
        self.message = message
        self.column = column
        self.override = override
    }

    /// The issue as a line of an error report for the file `fileName`.
    public func rendered(in fileName: String) -> String {
        var location = fileName
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        if let override { location += ": --set \(override)" }
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }

    /// The issue without the file name: `12: genes.w_max: …`.
    public var description: String {
        var text = line.map { "\($0): " } ?? ""
        if let override { text += "--set \(override): " }
        return text + (path.isEmpty ? message : "\(path): \(message)")
    }
}

/// Every problem found in an experiment file (all of them, not just the first), thrown by
/// ``ExperimentLoader``. Its description has one issue per line, in file order.
public struct ExperimentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (used as the prefix of every line).
    public var fileName: String
    /// The problems, in file order (problems with no line last).
    public var issues: [ExperimentIssue]

    public init(fileName: String, issues: [ExperimentIssue]) {
        self.fileName = fileName
        self.issues = issues
    }

    public var description: String {
        issues.map { $0.rendered(in: fileName) }.joined(separator: "\n")
    }
}
