import Evolution
import Foundation
import Yams

/// Reads experiment files (docs/experiment-schema.md) into validated ``Experiment`` values.
///
/// Steps: read the text; compose it with Yams (keeping key order and line numbers); apply
/// the `--set PATH=VALUE` overrides to the node tree; read and check every setting,
/// collecting all problems; fill in the defaults. Any problem throws one
/// ``ExperimentError`` listing them all, in file order. Nothing is written.
public enum ExperimentLoader {
    /// The experiment in the file at `path`.
    ///
    /// - Parameters:
    ///   - overrides: `PATH=VALUE` items (`ga.tournaments=20`, `record.spikes=[DN]`), applied
    ///     in order to the file's settings before they are checked; VALUE is YAML (a scalar or
    ///     a flow list or mapping). Numeric path components index lists (`dataset.labels.rotation.0=2`).
    ///   - dataPath: `--data FILE`: replaces the CSV path of a csv dataset (or the images file
    ///     of an idx one); an embedded dataset becomes that CSV, labelled by the seed's
    ///     rotation.
    ///   - checkFiles: whether a missing data file is a problem. Without it the sizes of file
    ///     datasets that are missing are unknown and the checks that need them are skipped.
    /// - Throws: ``ExperimentError`` with every problem found.
    ///   - allowLarge: accept a job beyond the soft limits of `EvaluationLimits` (`--allow-large`).
    public static func load(path: String, overrides: [String] = [], dataPath: String? = nil, checkFiles: Bool = true,
                            allowLarge: Bool = false) throws -> Experiment {
        var isDirectory: ObjCBool = false
        func fail(_ message: String) -> ExperimentError {
            ExperimentError(fileName: path, issues: [ExperimentIssue(path: "", line: nil, message: message)])
        }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("no such experiment file")
        }
        guard !isDirectory.boolValue else { throw fail("is a directory, not an experiment file") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue,
           size > ExperimentInputLimits.fileBytes {
            throw fail(ExperimentInputLimits.sizeMessage(size))
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read the experiment file") }
        guard let text = String(data: data, encoding: .utf8) else { throw fail("the experiment file is not UTF-8 text") }
        return try parse(text: text, fileName: path, overrides: overrides, dataPath: dataPath, checkFiles: checkFiles,
                         allowLarge: allowLarge)
    }

    /// The experiment in `text`; `fileName` names the file in messages and gives the default
    /// experiment name (its last component without extension). See ``load(path:overrides:dataPath:checkFiles:)``.
    public static func parse(text: String, fileName: String, overrides: [String] = [], dataPath: String? = nil, checkFiles: Bool = true,
                             allowLarge: Bool = false) throws -> Experiment {
        // Size and nesting before the YAML parser sees the text: a deeply nested file made
        // the parser recurse until the stack overflowed.
        if let problem = ExperimentInputLimits.problem(text) {
            throw ExperimentError(fileName: fileName, issues: [problem])
        }
        var root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ExperimentError(fileName: fileName, issues: [syntaxIssue(error, path: "")])
        }

        // Overrides edit a mapping; with a list or a scalar at the top none is applied, and the
        // parser refuses the root (an override used to replace such a root with a mapping and
        // run the default experiment).
        let rootIsMapping = root.map { YAMLReader.isNull($0) || $0.mapping != nil } ?? true
        var issues: [ExperimentIssue] = []
        var applied: [(path: String, item: String)] = []
        for item in overrides where rootIsMapping {
            switch apply(item, to: root) {
            case .success(let result):
                root = result.root
                applied.append((result.path, item))
            case .failure(let issue):
                issues.append(issue)
            }
        }

        var parser = ExperimentParser(fileName: fileName, dataPath: dataPath, checkFiles: checkFiles)
        let parsed = parser.parse(root)
        for var issue in parser.issues {
            // Name the override a problem comes from: for a setting not in the file, one that set it
            // or something around it; for a setting in the file, one that changed something in it.
            let origin = issue.line == nil ? applied.last { related($0.path, issue.path) }
                : applied.last { $0.path == issue.path || within($0.path, issue.path) }
            issue.override = origin?.item
            issues.append(issue)
        }
        guard issues.isEmpty, var experiment = parsed else {
            let ordered = issues.enumerated().sorted { a, b in
                (a.element.line ?? .max, a.offset) < (b.element.line ?? .max, b.offset)
            }.map(\.element)
            throw ExperimentError(fileName: fileName, issues: ordered)
        }
        let limits = experiment.limitIssues(allowLarge: allowLarge)
        guard limits.isEmpty else { throw ExperimentError(fileName: fileName, issues: limits) }
        experiment.sourceText = text
        experiment.overrides = overrides
        return experiment
    }

    // MARK: - Overrides

    /// The outcome of one override.
    enum Applied {
        case success((root: Node, path: String))
        case failure(ExperimentIssue)
    }

    /// Applies one `PATH=VALUE` item; the result is the new tree and the path it set, in the
    /// form issue paths take (`dataset.labels.rotation[0]`).
    static func apply(_ item: String, to root: Node?) -> Applied {
        func issue(_ path: String, _ message: String) -> ExperimentIssue {
            ExperimentIssue(path: path, line: nil, message: message, override: item)
        }
        guard let equals = item.firstIndex(of: "=") else {
            return .failure(issue("", "expected PATH=VALUE, for example ga.tournaments=20"))
        }
        let path = item[..<equals].trimmingCharacters(in: .whitespaces)
        let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, !components.contains(where: \.isEmpty) else {
            return .failure(issue(path, "expected a dotted path of settings before \"=\", such as ga.tournaments"))
        }
        let valueText = String(item[item.index(after: equals)...])
        var value: Node
        do {
            value = try Yams.compose(yaml: valueText).map(unmarked) ?? Node("null")
        } catch {
            var problem = syntaxIssue(error, path: path)
            problem.message = "the value is not valid YAML: " + problem.message.replacingOccurrences(of: "invalid YAML: ", with: "")
            problem.line = nil
            problem.column = nil
            problem.override = item
            return .failure(problem)
        }
        if case .scalar(let s) = value, s.string.isEmpty { value = Node("null") }

        var tree = root ?? Node.mapping(Node.Mapping([]))
        if YAMLReader.isNull(tree) { tree = Node.mapping(Node.Mapping([])) }
        // `genes.<name>.…` edits the seed's genes when the file keeps the default ones.
        if components.count > 1, components[0] == "genes", case .mapping(var top) = tree,
           top["genes"].map(YAMLReader.isNull) ?? true,
           let genes = try? Yams.compose(yaml: Experiment.seedGenes.map { "\($0.name): \(Experiment.geneSettingsYAML($0))" }.joined(separator: "\n")) {
            top["genes"] = unmarked(genes)
            tree = .mapping(top)
        }
        let (newRoot, setPath) = setting(tree, components[...], to: value, path: "")
        return .success((newRoot, setPath))
    }

    /// `node` with the value at `components` replaced by `value`, creating mappings where
    /// the path leads through something else; numeric components index existing lists.
    static func setting(_ node: Node?, _ components: ArraySlice<String>, to value: Node, path: String) -> (Node, String) {
        guard let first = components.first else { return (value, path) }
        let rest = components.dropFirst()
        if let node, case .sequence(let sequence) = node, let i = Int(first), i >= 0, i < sequence.count {
            var items = Array(sequence)
            let (child, childPath) = setting(items[i], rest, to: value, path: path + "[\(i)]")
            items[i] = child
            return (.sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark)), childPath)
        }
        var mapping = Node.Mapping([])
        if let node, case .mapping(let existing) = node { mapping = existing }
        let (child, childPath) = setting(mapping[first], rest, to: value, path: YAMLReader.join(path, first))
        mapping[first] = child
        return (.mapping(mapping), childPath)
    }

    /// Whether an issue at `issuePath` concerns the setting an override set at `overridePath`
    /// (one lies within the other).
    static func related(_ overridePath: String, _ issuePath: String) -> Bool {
        overridePath == issuePath || within(issuePath, overridePath) || (!issuePath.isEmpty && within(overridePath, issuePath))
    }

    /// Whether the setting at path `a` lies inside the one at `b`.
    static func within(_ a: String, _ b: String) -> Bool {
        !b.isEmpty && (a.hasPrefix(b + ".") || a.hasPrefix(b + "["))
    }


    /// The node without line marks: values that come from `--set` or from defaults, not the
    /// file, so that no problem in them is reported at a line of the file.
    static func unmarked(_ node: Node) -> Node {
        switch node {
        case .scalar(let s):
            return .scalar(Node.Scalar(s.string, s.tag, s.style, nil))
        case .mapping(let m):
            return .mapping(Node.Mapping(m.map { (unmarked($0.key), unmarked($0.value)) }, m.tag, m.style, nil))
        case .sequence(let s):
            return .sequence(Node.Sequence(s.map(unmarked), s.tag, s.style, nil))
        }
    }

    /// A YAML syntax error as an issue at the line and column the parser reports.
    static func syntaxIssue(_ error: Error, path: String) -> ExperimentIssue {
        guard let yamlError = error as? YamlError else {
            return ExperimentIssue(path: path, line: nil, message: "invalid YAML: \(error)")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return ExperimentIssue(path: path, line: mark.line, message: message, column: mark.column)
        case let .reader(problem, offset, _, yaml):
            var line: Int?
            if let offset, offset <= yaml.count {
                line = yaml.prefix(offset).filter { $0 == "\n" }.count + 1
            }
            return ExperimentIssue(path: path, line: line, message: "invalid YAML: \(problem)")
        default:
            return ExperimentIssue(path: path, line: nil, message: "invalid YAML: \(yamlError)")
        }
    }
}
