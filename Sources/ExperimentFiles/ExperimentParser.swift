import Datasets
import Evolution
import Foundation
import Yams
import MushroomBodyModel

/// Turns the node tree of an experiment file (after `--set` overrides) into an
/// ``Experiment``, checking every setting and collecting every problem.
///
/// Sections are read in dependency order (rubric and genes before the sections whose
/// defaults or checks depend on them); problems are sorted into file order by the loader.
struct ExperimentParser {
    var reader = YAMLReader()
    let fileName: String
    let dataPath: String?
    let checkFiles: Bool
    /// `dataset.classes` and `dataset.split`, for the checks that need the data.
    var classesNode: Node?
    var splitNode: Node?

    var issues: [ExperimentIssue] { reader.issues }
    /// The experiment's `network:` (read first: the parameter names depend on it).
    var network: NetworkKind = .seed

    static let topKeys = ["name", "description", "network", "seed", "replicates", "threads", "output", "dataset", "protocol", "model", "genes", "rubric", "ga", "record", "evaluation"]

    /// The experiment, or nil if there were problems (see ``issues``).
    mutating func parse(_ root: Node?) -> Experiment? {
        var experiment = Experiment(name: Self.stem(fileName))
        var top = YAMLReader.Fields(node: root)
        if let root, !YAMLReader.isNull(root) {
            guard let fields = reader.mapping(root, "", allowed: Self.topKeys,
                                              what: "a mapping of experiment settings (name, seed, genes, …)") else { return nil }
            top = fields
        }

        if let node = top["network"], let name = reader.choice(node, "network", NetworkKind.allCases.map(\.rawValue)) {
            experiment.network = NetworkKind(rawValue: name)!
        }
        network = experiment.network
        if network != .seed {
            // A network other than the seed's: its own spike record and, with no rubric given,
            // held-out accuracy (the seed's rubric scores the seed's protocol).
            experiment.record.populations = network.populationNames
            if top["rubric"] == nil { experiment.rubric = .accuracy }
            if top["genes"] == nil {
                reader.fail("genes", at: root, "a \(network.rawValue) experiment lists its genes (the default genes are the seed network's); see experiments/mnist-genn-mb.yaml")
            }
        }

        if let node = top["name"], let name = reader.string(node, "name") {
            if name.contains("\n") || name.contains("/") {
                reader.fail("name", at: node, "a name is one line without \"/\", found \(YAMLReader.quote(name))")
            } else {
                experiment.name = name
            }
        }
        if let node = top["description"], let text = reader.string(node, "description", nonEmpty: false) {
            experiment.description = text
        }
        if let node = top["seed"], let seed = reader.unsigned(node, "seed") { experiment.seed = seed }
        if let node = top["replicates"],
           let n = reader.integer(node, "replicates", atLeast: 1, reason: "at least 1 replicate is needed") {
            experiment.replicates = n
        }
        if let node = top["threads"],
           let n = reader.integer(node, "threads", atLeast: 0, reason: "must be 0 (all cores) or more") {
            experiment.threads = n
        }
        experiment.output = Experiment.defaultOutput(name: experiment.name)
        if let node = top["output"], let output = reader.string(node, "output") { experiment.output = output }

        var rubricOK = true
        if let node = top["rubric"] {
            if let rubric = parseRubric(node) { experiment.rubric = rubric } else { rubricOK = false }
        }
        var geneNames = Set(experiment.genes.names)
        if let node = top["genes"] {
            if let genes = parseGenes(node) { experiment.genes = genes }
            // The names the file declares, valid or not, for the conflict checks.
            if case .mapping(let mapping) = node { geneNames = Set(mapping.keys.compactMap(\.string)) }
        }

        let protocolSettings = parseProtocol(top["protocol"], geneNames: geneNames, into: &experiment)
        parseModel(top["model"], geneNames: geneNames, protocolSettings: protocolSettings, into: &experiment)
        parseDataset(top["dataset"], images: protocolSettings.images, rubricOK: rubricOK, into: &experiment)
        parseGA(top["ga"], geneCount: experiment.genes.count, into: &experiment)
        parseRecord(top["record"], into: &experiment)
        parseEvaluation(top["evaluation"], into: &experiment)

        return issues.isEmpty ? experiment : nil
    }

    /// The file name without directories and extension: the default experiment name.
    static func stem(_ fileName: String) -> String {
        let stem = URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent
        return stem.isEmpty ? "experiment" : stem
    }

    // MARK: - rubric

    mutating func parseRubric(_ node: Node) -> Rubric? {
        let names = ["seed-242", "accuracy"]
        switch node {
        case .scalar(let s) where s.string == "seed-242": return .seed242
        case .scalar(let s) where s.string == "accuracy": return .accuracy
        case .scalar(let s) where s.string == "weighted":
            reader.fail("rubric", at: node, "a weighted rubric lists its criteria and weights: {weighted: {first_spike: 1, accuracy: 10}}")
            return nil
        case .scalar:
            reader.fail("rubric", at: node, YAMLReader.oneOf(names + ["{weighted: {criterion: weight, …}}"], found: node))
            return nil
        case .mapping:
            guard let fields = reader.mapping(node, "rubric", allowed: ["weighted"]) else { return nil }
            guard let weighted = fields["weighted"] else {
                if fields.entries.isEmpty { reader.fail("rubric", at: node, "expected {weighted: {criterion: weight, …}}, found an empty mapping") }
                return nil
            }
            guard let criteria = reader.mapping(weighted, "rubric.weighted", allowed: Rubric.criteria,
                                                what: "a mapping of criteria to weights", duplicate: "criterion listed twice",
                                                unknown: "unknown criterion") else { return nil }
            if criteria.entries.isEmpty && reader.issues.allSatisfy({ !$0.path.hasPrefix("rubric.weighted.") }) {
                reader.fail("rubric.weighted", at: weighted, "expected at least one criterion (\(Rubric.criteria.joined(separator: ", ")))")
                return nil
            }
            var list: [Rubric.WeightedCriterion] = []
            var ok = true
            for entry in criteria.entries {
                if let w = reader.number(entry.value, "rubric.weighted.\(entry.name)") {
                    list.append(.init(entry.name, w))
                } else { ok = false }
            }
            return ok && !list.isEmpty ? .weighted(list) : nil
        case .sequence:
            reader.fail("rubric", at: node, "expected seed-242, accuracy or {weighted: {criterion: weight, …}}, found \(YAMLReader.found(node))")
            return nil
        }
    }

    // MARK: - genes

    mutating func parseGenes(_ node: Node) -> GeneSet? {
        guard let fields = reader.mapping(node, "genes", allowed: nil,
                                          what: "a mapping of parameter names to gene settings",
                                          duplicate: "gene declared twice") else { return nil }
        guard !fields.entries.isEmpty || reader.issues.contains(where: { $0.path.hasPrefix("genes.") }) else {
            reader.fail("genes", at: node, "expected at least one gene (leave genes out for the seed's six)")
            return nil
        }
        var genes: [Gene] = []
        var ok = true
        for entry in fields.entries {
            if let gene = parseGene(entry.name, key: entry.key, value: entry.value) { genes.append(gene) } else { ok = false }
        }
        return ok ? GeneSet(genes) : nil
    }

    mutating func parseGene(_ name: String, key: Node, value: Node) -> Gene? {
        let path = "genes.\(name)"
        guard let definition = network.definition(name) else {
            reader.fail(path, at: key, network.unknownParameter(name).description)
            return nil
        }
        // A prior written where the gene's settings go: `kc_count: {int_uniform: [0, 10]}`.
        if case .mapping(let mapping) = value, mapping["prior"] == nil,
           let kind = mapping.keys.compactMap(\.string).first(where: PriorSyntax.kinds.contains) {
            reader.fail(path, at: value, "the prior goes under prior: write \(name): {prior: {\(kind): …}}")
            return nil
        }
        guard let fields = reader.mapping(value, path, allowed: ["prior", "round", "integer", "bounds"],
                                          what: "gene settings {prior: …, round: n, integer: true|false, bounds: [lower, upper]}")
        else { return nil }
        let before = reader.issues.count
        var prior: Prior?
        if let p = fields["prior"] {
            prior = reader.prior(p, "\(path).prior")
        } else {
            reader.fail(path, at: value, "missing prior, for example prior: {uniform: [0, 1]}")
        }
        var decimals: Int?
        if let node = fields["round"], let d = reader.integer(node, "\(path).round") {
            if (0...Gene.maximumDecimals).contains(d) { decimals = d } else {
                reader.fail("\(path).round", at: node, "expected a number of decimals from 0 to \(Gene.maximumDecimals), found \(d)")
            }
        }
        var isInteger: Bool?
        if let node = fields["integer"] { isInteger = reader.bool(node, "\(path).integer") }
        var lower: Double?, upper: Double?
        if let node = fields["bounds"], let ends = reader.pair(node, "\(path).bounds", openSides: true) {
            (lower, upper) = ends
            if let lower, let upper, lower > upper {
                reader.fail("\(path).bounds", at: node, "lower bound \(YAMLText.number(lower)) is above upper bound \(YAMLText.number(upper))")
            }
        }
        guard reader.issues.count == before, let prior else { return nil }
        let gene = Gene(name: name, prior: prior, decimals: decimals, isInteger: isInteger, lowerBound: lower, upperBound: upper)

        // Bounds that exclude every value of the prior.
        let support = prior.support
        let boundsNode = fields["bounds"]
        if let lower, lower > support.upperBound {
            reader.fail("\(path).bounds", at: boundsNode, "lower bound \(YAMLText.number(lower)) is above every value of the prior \(PriorSyntax.yaml(prior))")
            return nil
        }
        if let upper, upper < support.lowerBound {
            reader.fail("\(path).bounds", at: boundsNode, "upper bound \(YAMLText.number(upper)) is below every value of the prior \(PriorSyntax.yaml(prior))")
            return nil
        }
        // The module's own rules (bounds on the rounding grid, whole bounds for integer genes).
        for problem in gene.validate() {
            let field = problem.field.dropFirst(name.count + 1)
            let sub = field.hasPrefix("decimals") ? "round" : field.hasPrefix("prior") ? "prior" : "bounds"
            reader.fail("\(path).\(sub)", at: fields[sub] ?? value, problem.reason)
        }
        guard reader.issues.count == before else { return nil }

        // The parameter's domain, where the gene's range shows it can be left.
        if case .integer = definition.domain, !gene.isInteger {
            reader.fail(path, at: key, "\(name) takes whole numbers, but the prior \(PriorSyntax.yaml(prior)) draws fractions; use int_uniform, or set integer: true to round the draws")
            return nil
        }
        let range = gene.range
        let leaves: Bool
        switch definition.domain {
        case .finite: leaves = false
        case .positive: leaves = range.lowerBound <= 0
        case .nonNegative: leaves = range.lowerBound < 0
        case .probability: leaves = range.lowerBound < 0 || range.upperBound > 1
        case .integer(let r): leaves = range.lowerBound < Double(r.lowerBound) || range.upperBound > Double(r.upperBound)
        }
        if leaves {
            func end(_ x: Double) -> String { x.isInfinite ? (x < 0 ? "-inf" : "inf") : YAMLText.number(x) }
            reader.fail(path, at: key, "\(name) must be \(Self.domainPhrase(definition.domain)), but this gene's values span [\(end(range.lowerBound)), \(end(range.upperBound))]; narrow the prior or set bounds")
            return nil
        }
        return gene
    }

    /// "> 0", "≥ 0", "in [0, 1]", "a whole number in 0…100000".
    static func domainPhrase(_ domain: ModelParameter.Domain) -> String {
        switch domain {
        case .finite: return "finite"
        case .positive: return "> 0"
        case .nonNegative: return "≥ 0"
        case .probability: return "in [0, 1]"
        case .integer(let r): return "a whole number in \(r.lowerBound)…\(r.upperBound)"
        }
    }

    // MARK: - protocol

    /// What `protocol:` set, for the conflict checks of `model:` and the data set checks.
    struct ProtocolSettings {
        /// Model parameters set under `protocol:`, with the key that set them.
        var parameters: [String: Node] = [:]
        /// `protocol.images`, with its node.
        var images: (count: Int, node: Node)?
    }

    mutating func parseProtocol(_ node: Node?, geneNames: Set<String>, into experiment: inout Experiment) -> ProtocolSettings {
        var settings = ProtocolSettings()
        guard let node, let fields = reader.mapping(
            node, "protocol", allowed: ["variant", "dt", "stimulus_ms", "blank_ms", "images", "neuron_model", "substeps"]
                + Self.learningProtocolKeys,
            nullIsEmpty: true) else { return settings }
        parseLearningProtocol(fields, into: &experiment)
        if network != .seed {
            // GeNN's MNIST network shows each image once per epoch in file order, resets after
            // every image and reads the first MBON spike (docs/model.md).
            let fixed: [(String, String)] = [("order", "file"), ("readout", "first_spike"), ("reset_between_images", "true")]
            for (key, only) in fixed {
                guard let v = fields[key], case .scalar(let s) = v, s.string != only else { continue }
                reader.fail("protocol.\(key)", at: v, "the \(network.rawValue) network supports only \(key): \(only), found \(s.string)")
            }
            for entry in fields.entries where ["variant", "stimulus_ms", "blank_ms", "neuron_model", "substeps"].contains(entry.name) {
                let hint = ["stimulus_ms", "blank_ms"].contains(entry.name) ? "; each image is shown for model.present_ms and then everything is reset" : ""
                reader.fail("protocol.\(entry.name)", at: entry.key, "applies only to the seed network (this experiment's network is \(network.rawValue))\(hint)")
            }
            if let v = fields["dt"] {
                if geneNames.contains("dt") {
                    reader.fail("protocol.dt", at: fields.key("dt"), "dt is also a gene: a parameter is either fixed or evolved, not both")
                } else if let x = modelValue("dt", v, "protocol.dt") {
                    experiment.gennMNISTModel = try! experiment.gennMNISTModel.setting("dt", to: x)
                    settings.parameters["dt"] = fields.key("dt")
                }
            }
            if let v = fields["images"] {
                if case .scalar(let s) = v, s.string == "all" {
                    experiment.imageCount = nil
                } else if let n = reader.integer(v, "protocol.images", atLeast: 1, reason: "expected at least 1 image (or all)") {
                    experiment.imageCount = n
                    settings.images = (n, v)
                }
            }
            let problems = experiment.gennMNISTModel.problems().filter { $0.hasPrefix("present_ms:") }
            if let problem = problems.first, !geneNames.contains("present_ms") {
                reader.fail("protocol.dt", at: fields["dt"], problem)
            }
            return settings
        }
        if let v = fields["variant"], let name = reader.choice(v, "protocol.variant", ProtocolVariant.allCases.map(\.rawValue)) {
            experiment.variant = ProtocolVariant(rawValue: name)!
        }
        for name in ["dt", "stimulus_ms", "blank_ms"] {
            guard let v = fields[name] else { continue }
            let path = "protocol.\(name)"
            if geneNames.contains(name) {
                reader.fail(path, at: fields.key(name), "\(name) is also a gene: a parameter is either fixed or evolved, not both")
                continue
            }
            if let x = modelValue(name, v, path) {
                experiment.model = try! experiment.model.setting(name, to: x)
                settings.parameters[name] = fields.key(name)
            }
        }
        if let v = fields["images"] {
            if case .scalar(let s) = v, s.string == "all" {
                experiment.imageCount = nil
            } else if let n = reader.integer(v, "protocol.images", atLeast: 1, reason: "expected at least 1 image (or all)") {
                experiment.imageCount = n
                settings.images = (n, v)
            }
        }
        var substeps: Int?
        let neuronModels = ["traubmiles", "traubmiles-fast", "traubmiles-nstep"]
        var neuronModel: String?
        if let v = fields["neuron_model"] {
            neuronModel = reader.choice(v, "protocol.neuron_model", neuronModels)
        }
        if let v = fields["substeps"] {
            if neuronModel != "traubmiles-nstep" {
                reader.fail("protocol.substeps", at: fields.key("substeps"),
                            "applies only to neuron_model traubmiles-nstep (this protocol's neuron_model is \(neuronModel ?? "traubmiles"))")
            } else if let n = reader.integer(v, "protocol.substeps") {
                if (1...1000).contains(n) { substeps = n } else {
                    reader.fail("protocol.substeps", at: v, "expected a whole number of substeps from 1 to 1000, found \(n)")
                }
            }
        }
        if let neuronModel {
            let key = fields.key("neuron_model")
            if geneNames.contains("traub_substeps") {
                reader.fail("protocol.neuron_model", at: key, "traub_substeps is a gene: a parameter is either fixed or evolved, not both")
            } else {
                let n = neuronModel == "traubmiles" ? 25 : neuronModel == "traubmiles-fast" ? 1 : substeps ?? 25
                experiment.model = try! experiment.model.setting("traub_substeps", to: Double(n))
                settings.parameters["traub_substeps"] = key
            }
        }
        // A protocol that shows nothing cannot be scored.
        if experiment.model.stimulusSteps < 1, experiment.model["dt"]! > 0 {
            reader.fail("protocol.stimulus_ms", at: fields["stimulus_ms"] ?? fields["dt"],
                        "an image must be shown for at least one time step: stimulus_ms \(YAMLText.number(experiment.model["stimulus_ms"]!)) is under half of dt \(YAMLText.number(experiment.model["dt"]!))")
        }
        return settings
    }

    /// A number for model parameter `name` at `path`, checked against its domain.
    mutating func modelValue(_ name: String, _ node: Node, _ path: String) -> Double? {
        guard let x = reader.number(node, path) else { return nil }
        let definition = network.definition(name)!
        if let problem = definition.domain.problem(with: x) {
            reader.fail(path, at: node, problem)
            return nil
        }
        return x
    }

    // MARK: - model

    mutating func parseModel(_ node: Node?, geneNames: Set<String>, protocolSettings: ProtocolSettings, into experiment: inout Experiment) {
        guard let node, let fields = reader.mapping(node, "model", allowed: nil, nullIsEmpty: true,
                                                    what: "a mapping of parameter names to values") else { return }
        for entry in fields.entries {
            let path = "model.\(entry.name)"
            guard network.hasParameter(entry.name) else {
                reader.fail(path, at: entry.key, network.unknownParameter(entry.name).description)
                continue
            }
            if network == .seed ? Experiment.protocolParameters.contains(entry.name) : entry.name == "dt" {
                let where_ = entry.name == "traub_substeps" ? "protocol.neuron_model (and protocol.substeps)" : "protocol.\(entry.name)"
                reader.fail(path, at: entry.key, "set \(entry.name) with \(where_), not under model:")
                continue
            }
            if geneNames.contains(entry.name) {
                reader.fail(path, at: entry.key, "\(entry.name) is also a gene: a parameter is either fixed in model: or evolved in genes:, not both")
                continue
            }
            if let x = modelValue(entry.name, entry.value, path) {
                if network == .seed {
                    experiment.model = try! experiment.model.setting(entry.name, to: x)
                } else {
                    experiment.gennMNISTModel = try! experiment.gennMNISTModel.setting(entry.name, to: x)
                    if let problem = experiment.gennMNISTModel.problems().first(where: { $0.hasPrefix("present_ms:") }), entry.name == "present_ms" {
                        reader.fail(path, at: entry.value, problem)
                    }
                }
            }
        }
    }

    // MARK: - dataset

    mutating func parseDataset(_ node: Node?, images: (count: Int, node: Node)?, rubricOK: Bool, into experiment: inout Experiment) {
        var source = "embedded"
        var count = 80, seed: UInt64 = 1
        var path: (String, Node)?, imagesPath: (String, Node)?, idxLabels: (String, Node)?
        var labels = LabelRule.seedRotation
        var labelsFile: (String, Node)?
        var testCount: (Int, Node)?
        var ok = true
        let applicability: [String: [String]] = [
            "count": ["embedded"], "seed": ["embedded"], "path": ["csv"], "images": ["idx"], "labels": ["csv", "idx"],
        ]
        if let node, let fields = reader.mapping(
            node, "dataset", allowed: ["source", "count", "seed", "path", "images", "labels", "test_count", "classes", "split"],
            nullIsEmpty: true) {
            if !parseClassesAndSplit(fields, into: &experiment) { ok = false }
            if let v = fields["source"] {
                if let s = reader.choice(v, "dataset.source", ["embedded", "csv", "idx"]) { source = s } else { ok = false }
            }
            for entry in fields.entries {
                guard let sources = applicability[entry.name], !sources.contains(source) else { continue }
                reader.fail("dataset.\(entry.name)", at: entry.key,
                            "applies only to source \(sources.joined(separator: " and ")) (this dataset's source is \(source))")
                ok = false
            }
            if ok {
                if let v = fields["count"] {
                    if let n = reader.integer(v, "dataset.count", atLeast: 1, reason: "expected at least 1 image") { count = n } else { ok = false }
                }
                if let v = fields["seed"] {
                    if let s = reader.unsigned(v, "dataset.seed") { seed = s } else { ok = false }
                }
                if let v = fields["path"] {
                    if let s = reader.string(v, "dataset.path") { path = (s, v) } else { ok = false }
                }
                if let v = fields["images"] {
                    if let s = reader.string(v, "dataset.images") { imagesPath = (s, v) } else { ok = false }
                }
                if let v = fields["labels"] {
                    if source == "idx" {
                        if let s = reader.string(v, "dataset.labels") { idxLabels = (s, v) } else { ok = false }
                    } else if let rule = parseLabelRule(v) {
                        labels = rule.rule
                        labelsFile = rule.file
                    } else { ok = false }
                }
                if dataPath == nil {
                    if source == "csv" && path == nil {
                        reader.fail("dataset", at: node, "source csv needs a path: the CSV file of images (or give it with --data)")
                        ok = false
                    }
                    if source == "idx" && imagesPath == nil {
                        reader.fail("dataset", at: node, "source idx needs images: the IDX images file (or give it with --data)")
                        ok = false
                    }
                }
                if source == "idx" && idxLabels == nil {
                    reader.fail("dataset", at: node, "source idx needs labels: the IDX labels file")
                    ok = false
                }
            }
            if let v = fields["test_count"] {
                if let n = reader.integer(v, "dataset.test_count", atLeast: 0, reason: "must not be negative") { testCount = (n, v) } else { ok = false }
            }
        }
        guard ok else { return }

        // The source, with --data in place of the file.
        var files: [(path: String, setting: String, node: Node?)] = []
        if source == "idx" {
            let file = dataPath.map { ($0, "dataset.images", nil as Node?) } ?? (imagesPath!.0, "dataset.images", imagesPath!.1)
            experiment.dataset = .idx(imagesPath: file.0, labelsPath: idxLabels!.0)
            files.append((file.0, file.1, file.2))
            files.append((idxLabels!.0, "dataset.labels", idxLabels!.1))
        } else if source == "csv" || dataPath != nil {
            let file = dataPath.map { ($0, "dataset.path", nil as Node?) } ?? (path!.0, "dataset.path", path!.1)
            experiment.dataset = .csv(path: file.0, labels: labels)
            files.append((file.0, file.1, file.2))
            if let labelsFile { files.append((labelsFile.0, "dataset.labels.file", labelsFile.1)) }
        } else {
            experiment.dataset = .embedded(count: count, seed: seed)
        }
        var filesOK = true
        if checkFiles {
            for file in files {
                if let problem = DatasetSizing.fileProblem(file.path) {
                    let hint = file.node == nil ? " (given with --data)"
                        : file.setting == "dataset.path" || file.setting == "dataset.images" ? "; give the images with --data FILE" : ""
                    reader.fail(file.setting, at: file.node, problem + hint)
                    filesOK = false
                }
            }
        }
        var datasetCount = filesOK ? DatasetSizing.imageCount(of: experiment.dataset) : nil
        if filesOK, checkFiles, experiment.classes != nil {
            datasetCount = countAfterClasses(experiment, datasetNode: node)
            if datasetCount == nil { return }
        }

        // The images used and the test split.
        var used = datasetCount
        if let images {
            if let datasetCount, images.count > datasetCount {
                reader.fail("protocol.images", at: images.node, "the data set has \(datasetCount) images, fewer than the \(images.count) asked for")
                return
            }
            used = images.count
        }
        guard rubricOK else { return }
        let rubric = experiment.rubric
        if let given = testCount {
            let (n, v) = given
            if !rubric.needsTestPhase && n > 0 {
                reader.fail("dataset.test_count", at: v, "rubric \(rubric.name) has no test phase, so test_count must be 0, found \(n)")
            } else if rubric.needsTestPhase && n < 1 {
                reader.fail("dataset.test_count", at: v, "rubric \(rubric.name) scores held-out images: test_count must be at least 1, found \(n)")
            } else if let used, n >= used {
                reader.fail("dataset.test_count", at: v, "\(n) test images leave none to train on: the experiment uses \(used) images, so test_count must be below \(used)")
            } else {
                experiment.testCount = n
            }
        } else if rubric.needsTestPhase {
            if let used {
                var n = Experiment.defaultTestCount(imageCount: used, rubric: rubric)
                if experiment.split == .stratified {
                    let k = experiment.classes?.count ?? LabelledImages.defaultClassNames.count
                    n = n / k * k
                }
                if n < 1 {
                    reader.fail("dataset.test_count", at: node, "rubric \(rubric.name) scores held-out images, but the default split (a fifth of \(used) images) is 0; set test_count or use more images")
                } else {
                    experiment.testCount = n
                }
            } else {
                reader.fail("dataset.test_count", at: node, "the data set's size is unknown (its file is missing), so the default split for rubric \(rubric.name) cannot be computed; set test_count")
            }
        } else {
            experiment.testCount = 0
        }
        if filesOK, checkFiles, experiment.split == .stratified, reader.issues.isEmpty {
            checkStratifiedSplit(experiment, datasetNode: node)
        }
    }

    /// A CSV label rule: `{rotation: [..]}`, `{column: N}` or `{file: PATH}`.
    mutating func parseLabelRule(_ node: Node) -> (rule: LabelRule, file: (String, Node)?)? {
        let path = "dataset.labels"
        guard let fields = reader.mapping(node, path, allowed: ["rotation", "column", "file"],
                                          what: "one of {rotation: [0, 1, 3, 3, 0, 1, 2, 2]}, {column: N} or {file: PATH}") else { return nil }
        guard fields.entries.count == 1, let entry = fields.entries.first else {
            if fields.entries.isEmpty && reader.issues.allSatisfy({ !$0.path.hasPrefix("\(path).") }) {
                reader.fail(path, at: node, "expected one of rotation, column, file, found an empty mapping")
            } else if fields.entries.count > 1 {
                reader.fail(path, at: node, "give one of rotation, column or file, found \(fields.entries.count): \(fields.entries.map(\.name).joined(separator: ", "))")
            }
            return nil
        }
        let sub = "\(path).\(entry.name)"
        switch entry.name {
        case "rotation":
            guard let items = reader.list(entry.value, sub, what: "a list of labels 0…3") else { return nil }
            guard !items.isEmpty else {
                reader.fail(sub, at: entry.value, "expected at least one label, found an empty list")
                return nil
            }
            var pattern: [Int] = []
            for (i, item) in items.enumerated() {
                guard let label = reader.integer(item, "\(sub)[\(i)]") else { continue }
                guard (0...3).contains(label) else {
                    reader.fail("\(sub)[\(i)]", at: item, "expected a label 0…3, found \(label)")
                    continue
                }
                pattern.append(label)
            }
            return pattern.count == items.count ? (.rotation(pattern), nil) : nil
        case "column":
            guard let column = reader.integer(entry.value, sub) else { return nil }
            guard (-785...784).contains(column) else {
                reader.fail(sub, at: entry.value, "a row with a label has 785 values: expected a column 0…784 (or -785…-1 from the end), found \(column)")
                return nil
            }
            return (.column(index: column), nil)
        default:
            guard let file = reader.string(entry.value, sub) else { return nil }
            return (.file(path: file), (file, entry.value))
        }
    }

    // MARK: - ga

    mutating func parseGA(_ node: Node?, geneCount: Int, into experiment: inout Experiment) {
        guard let node, let fields = reader.mapping(
            node, "ga", allowed: ["variant", "population", "tournaments", "crossover_probability", "mutation_probability",
                                  "mutation", "mutation_scale", "deme_size"], nullIsEmpty: true) else { return }
        var variant = "seed"
        if let v = fields["variant"] {
            guard let name = reader.choice(v, "ga.variant", ["seed", "harvey", "random"]) else { return }
            variant = name
        }
        if variant == "random" {
            parseRandomSearch(fields, into: &experiment)
            return
        }
        var mutation = "redraw"
        if variant == "harvey", let v = fields["mutation"] {
            guard let name = reader.choice(v, "ga.mutation", ["redraw", "gaussian"]) else { return }
            mutation = name
        }
        for name in ["crossover_probability", "mutation_probability", "mutation"] where variant == "seed" && fields.has(name) {
            reader.fail("ga.\(name)", at: fields.key(name), "applies only to variant harvey (this ga's variant is seed)")
        }
        if fields.has("mutation_scale") && (variant == "seed" || mutation != "gaussian") {
            reader.fail("ga.mutation_scale", at: fields.key("mutation_scale"),
                        variant == "seed" ? "applies only to variant harvey with mutation gaussian (this ga's variant is seed)"
                            : "applies only to mutation gaussian (this ga's mutation is \(mutation))")
        }
        if let v = fields["population"],
           let n = reader.integer(v, "ga.population", atLeast: 2, reason: "a tournament needs at least 2 members") {
            experiment.ga.populationSize = n
        }
        if let v = fields["tournaments"],
           let n = reader.integer(v, "ga.tournaments", atLeast: 0, reason: "must not be negative") {
            experiment.ga.tournaments = n
        }
        if let v = fields["deme_size"] {
            if case .scalar(let s) = v, s.string == "all" {
                experiment.ga.demeSize = nil
            } else if let n = reader.integer(v, "ga.deme_size", atLeast: 1, reason: "expected at least 1 (or all)") {
                experiment.ga.demeSize = n
            }
        }
        guard variant == "harvey" else { return }
        func probability(_ name: String, default value: Double) -> Double {
            guard let v = fields[name], let p = reader.number(v, "ga.\(name)") else { return value }
            guard (0...1).contains(p) else {
                reader.fail("ga.\(name)", at: v, "a probability must be in [0, 1], found \(YAMLText.number(p))")
                return value
            }
            return p
        }
        let crossover = probability("crossover_probability", default: 0.5)
        let mutationProbability = probability("mutation_probability", default: 1 / Double(max(geneCount, 1)))
        var rule = MicrobialGAConfiguration.Mutation.redraw
        if mutation == "gaussian" {
            var scale = 0.1
            if let v = fields["mutation_scale"], let x = reader.number(v, "ga.mutation_scale") {
                if x > 0 { scale = x } else {
                    reader.fail("ga.mutation_scale", at: v, "must be above 0, found \(YAMLText.number(x))")
                }
            }
            rule = .gaussian(scale: scale)
        }
        experiment.ga.variant = .harvey(crossoverProbability: crossover, mutationProbability: mutationProbability, mutation: rule)
    }

    // MARK: - record

    mutating func parseRecord(_ node: Node?, into experiment: inout Experiment) {
        guard let node, let fields = reader.mapping(node, "record", allowed: ["spikes", "evaluations", "weights"],
                                                    nullIsEmpty: true) else { return }
        if let v = fields["spikes"] {
            let names = network.populationNames
            switch v {
            case .scalar(let s) where s.string == "all": experiment.record.populations = names
            case .scalar(let s) where s.string == "none": experiment.record.populations = []
            case .sequence(let items):
                var chosen: [String] = []
                for (i, item) in items.enumerated() {
                    let path = "record.spikes[\(i)]"
                    guard let name = reader.choice(item, path, names) else { continue }
                    if chosen.contains(name) {
                        reader.fail(path, at: item, "\(name) is listed twice")
                    } else {
                        chosen.append(name)
                    }
                }
                experiment.record.populations = names.filter(chosen.contains)
            default:
                reader.fail("record.spikes", at: v, "expected a list of populations [\(names.joined(separator: ", "))], all or none, found \(YAMLReader.found(v))"
                            + (YAMLReader.isNull(v) ? "" : (v.scalar.map { YAMLReader.suggestion($0.string, in: ["all", "none"]) } ?? "")))
            }
        }
        if let v = fields["evaluations"], let choice = reader.choice(v, "record.evaluations", ["all", "none"]) {
            experiment.record.allEvaluations = choice == "all"
        }
        if let v = fields["weights"], let b = reader.bool(v, "record.weights") {
            experiment.record.finalWeights = b
        }
    }
}
