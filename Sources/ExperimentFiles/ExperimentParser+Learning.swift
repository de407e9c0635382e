import Datasets
import Evolution
import MushroomBodyModel
import Yams

/// The settings of the training protocol, the data's classes and split, the K-seed
/// evaluation and the random-search control (docs/experiment-schema.md).
extension ExperimentParser {
    /// The `protocol:` keys of the training protocol (``ProtocolSettings``).
    static let learningProtocolKeys = ["epochs", "order", "readout", "reset_between_images"]

    /// `protocol.epochs`, `order`, `readout`, `reset_between_images`.
    mutating func parseLearningProtocol(_ fields: YAMLReader.Fields, into experiment: inout Experiment) {
        if let v = fields["epochs"],
           let n = reader.integer(v, "protocol.epochs", atLeast: 1, reason: "expected at least 1 epoch") {
            experiment.protocolSettings.epochs = n
        }
        if let v = fields["order"],
           let name = reader.choice(v, "protocol.order", MushroomBodyModel.ProtocolSettings.Order.allCases.map(\.rawValue)) {
            experiment.protocolSettings.order = MushroomBodyModel.ProtocolSettings.Order(rawValue: name)!
        }
        if let v = fields["readout"], let name = reader.choice(v, "protocol.readout", Readout.allCases.map(\.rawValue)) {
            experiment.protocolSettings.readout = Readout(rawValue: name)!
        }
        if let v = fields["reset_between_images"], let b = reader.bool(v, "protocol.reset_between_images") {
            experiment.protocolSettings.resetBetweenImages = b
        }
    }

    /// `dataset.classes` (a list of distinct labels ≥ 0, at most one per output neuron, or
    /// `all`) and `dataset.split` (`last` or `stratified`). False when either is malformed.
    mutating func parseClassesAndSplit(_ fields: YAMLReader.Fields, into experiment: inout Experiment) -> Bool {
        var ok = true
        if let v = fields["classes"] {
            classesNode = v
            if case .scalar(let s) = v, s.string == "all" {
                experiment.classes = nil
            } else if let items = reader.list(v, "dataset.classes", what: "a list of labels such as [0, 1, 2, 3], or all") {
                var classes: [Int] = []
                for (i, item) in items.enumerated() {
                    let path = "dataset.classes[\(i)]"
                    guard let label = reader.integer(item, path) else { ok = false; continue }
                    if label < 0 {
                        reader.fail(path, at: item, "expected a label of at least 0, found \(label)"); ok = false
                    } else if classes.contains(label) {
                        reader.fail(path, at: item, "class \(label) is listed twice"); ok = false
                    } else {
                        classes.append(label)
                    }
                }
                if items.isEmpty {
                    reader.fail("dataset.classes", at: v, "expected at least one class, found an empty list"); ok = false
                } else if let most = experiment.network.maximumClasses, classes.count > most {
                    reader.fail("dataset.classes", at: v,
                                "the \(experiment.network.rawValue) network has \(most) output neurons (DNs), one per class, but \(classes.count) classes are listed")
                    ok = false
                }
                if ok { experiment.classes = classes }
            } else { ok = false }
        }
        if let v = fields["split"] {
            splitNode = v
            if let name = reader.choice(v, "dataset.split", SplitRule.allCases.map(\.rawValue)) {
                experiment.split = SplitRule(rawValue: name)!
            } else { ok = false }
        }
        return ok
    }

    /// The number of images left after `dataset.classes`, loading the data to count them;
    /// nil (with the problem reported at `dataset.classes`) when a class has no images or the
    /// data cannot be read.
    mutating func countAfterClasses(_ experiment: Experiment, datasetNode: Node?) -> Int? {
        do {
            return try experiment.dataset.load(keepingClasses: experiment.classes,
                                               classCount: experiment.network.maximumClasses ?? 256).count
        } catch {
            reader.fail("dataset.classes", at: classesNode ?? datasetNode, "\(error)")
            return nil
        }
    }

    /// A stratified split must be possible on the images used: the test count a multiple of
    /// the classes, each class at least its share.
    mutating func checkStratifiedSplit(_ experiment: Experiment, datasetNode: Node?) {
        guard experiment.rubric.needsTestPhase else { return }
        do {
            _ = try experiment.splitImages(try experiment.loadImages())
        } catch {
            reader.fail("dataset.split", at: splitNode ?? datasetNode, "\(error)")
        }
    }

    /// `evaluation: {seeds: K, aggregate: mean | median | min}`.
    mutating func parseEvaluation(_ node: Node?, into experiment: inout Experiment) {
        guard let node, let fields = reader.mapping(node, "evaluation", allowed: ["seeds", "aggregate"], nullIsEmpty: true)
        else { return }
        if let v = fields["seeds"],
           let k = reader.integer(v, "evaluation.seeds", atLeast: 1, reason: "expected at least 1 network per genotype") {
            experiment.seedSettings.seeds = k
        }
        if let v = fields["aggregate"],
           let name = reader.choice(v, "evaluation.aggregate", SeedSettings.Aggregate.allCases.map(\.rawValue)) {
            experiment.seedSettings.aggregate = SeedSettings.Aggregate(rawValue: name)!
        }
    }

    /// `ga: {variant: random, population: N, tournaments: T}`: random search with the GA's
    /// budget. The GA's own keys are errors here.
    mutating func parseRandomSearch(_ fields: YAMLReader.Fields, into experiment: inout Experiment) {
        for name in ["crossover_probability", "mutation_probability", "mutation", "mutation_scale", "deme_size"]
        where fields.has(name) {
            reader.fail("ga.\(name)", at: fields.key(name),
                        "applies only to the microbial GA (variants seed and harvey); random search draws every genotype from the priors, so it takes only population and tournaments")
        }
        if let v = fields["population"],
           let n = reader.integer(v, "ga.population", atLeast: 2, reason: "the random search keeps the best N, at least 2, like the GA it controls") {
            experiment.ga.populationSize = n
        }
        if let v = fields["tournaments"],
           let n = reader.integer(v, "ga.tournaments", atLeast: 0, reason: "must not be negative") {
            experiment.ga.tournaments = n
        }
        experiment.ga.variant = .seed
        experiment.ga.demeSize = nil
        experiment.search = .random
    }
}
