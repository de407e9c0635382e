import Datasets
import Evolution
import Yams
import MushroomBodyModel

/// Scalars written the way the experiment file reads them back exactly.
enum YAMLText {
    /// A number that reads back to the same Double: whole numbers without a fraction
    /// (`800`), others in Swift's shortest round-trip form with a `.0` before a bare exponent
    /// (`6.0e-05`, not `6e-05`), so that YAML 1.1 readers such as PyYAML see a float too.
    static func number(_ x: Double) -> String {
        if x.isNaN { return ".nan" }
        if x.isInfinite { return x < 0 ? "-.inf" : ".inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        var text = "\(x)"
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<e].contains(".") {
            text.insert(contentsOf: ".0", at: e)
        }
        return text
    }

    /// A string as a plain scalar when that reads back as the same string, else double-quoted
    /// with escapes.
    static func string(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./ ")
        let plain = !s.isEmpty && s.allSatisfy(safe.contains) && s.first != " " && s.last != " "
            && s.first != "-" && !s.contains("  ")
            && Resolver.default.resolveTag(of: Node(s)) == .str
        if plain { return s }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(format2Hex(scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func format2Hex(_ v: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(v >> 4) & 15], digits[Int(v) & 15]])
    }
}

extension Experiment {
    /// The protocol settings that own model parameters (`protocol.dt` sets `dt`, …); these
    /// may not also appear under `model:`.
    static let protocolParameters = ["dt", "stimulus_ms", "blank_ms", "traub_substeps"]

    /// The neuron model name and substeps that give `traub_substeps` = `substeps`.
    static func neuronModel(substeps: Int) -> (name: String, substeps: Int?) {
        switch substeps {
        case 25: return ("traubmiles", nil)
        case 1: return ("traubmiles-fast", nil)
        default: return ("traubmiles-nstep", substeps)
        }
    }

    /// A gene's settings in flow style: `{prior: {uniform: [0, 1]}, round: 4, integer: false}`.
    static func geneSettingsYAML(_ gene: Gene) -> String {
        let n = YAMLText.number
        var parts = ["prior: \(PriorSyntax.yaml(gene.prior))"]
        if let decimals = gene.decimals { parts.append("round: \(decimals)") }
        parts.append("integer: \(gene.isInteger)")
        if gene.lowerBound != nil || gene.upperBound != nil {
            parts.append("bounds: [\(gene.lowerBound.map(n) ?? "null"), \(gene.upperBound.map(n) ?? "null")]")
        }
        return "{\(parts.joined(separator: ", "))}"
    }

    /// The resolved experiment in the experiment file's own syntax, every default written
    /// out: what `autoparam validate` prints. Parsing it (with no overrides and no data path)
    /// gives an experiment equal to this one apart from ``sourceText`` and ``overrides``.
    ///
    /// Optional settings that are absent stay absent: a gene's `round` and `bounds`. The
    /// `model:` section lists every parameter that is neither a gene nor set under
    /// `protocol:`.
    public func resolvedYAML() -> String {
        var lines: [String] = []
        func add(_ line: String) { lines.append(line) }
        let n = YAMLText.number
        let s = YAMLText.string
        let geneNames = Set(genes.names)

        add("# The resolved experiment: every default filled in (autoparam validate).")
        if !overrides.isEmpty {
            add("# Overrides applied: " + overrides.map { "--set \($0)" }.joined(separator: " "))
        }
        add("name: \(s(name))")
        add("description: \(s(description))")
        add("seed: \(seed)")
        add("replicates: \(replicates)")
        add("threads: \(threads)")
        add("output: \(s(output))")
        if network != .seed { add("network: \(network.rawValue)") }

        add("dataset:")
        switch dataset {
        case let .embedded(count, seed):
            add("  source: embedded")
            add("  count: \(count)")
            add("  seed: \(seed)")
        case let .csv(path, labels):
            add("  source: csv")
            add("  path: \(s(path))")
            switch labels {
            case .rotation(let pattern): add("  labels: {rotation: [\(pattern.map(String.init).joined(separator: ", "))]}")
            case .column(let index): add("  labels: {column: \(index)}")
            case .file(let path): add("  labels: {file: \(s(path))}")
            }
        case let .idx(images, labels):
            add("  source: idx")
            add("  images: \(s(images))")
            add("  labels: \(s(labels))")
        }
        add("  classes: " + (classes.map { "[\($0.map(String.init).joined(separator: ", "))]" } ?? "all"))
        add("  split: \(split.rawValue)")
        add("  test_count: \(testCount)")

        add("protocol:")
        if network != .seed {
            if !geneNames.contains("dt") { add("  dt: \(n(gennMNISTModel["dt"]!))") }
            add("  images: \(imageCount.map(String.init) ?? "all")")
            add("model:")
            for definition in GeNNMNISTParameters.definitions where !geneNames.contains(definition.name) && definition.name != "dt" {
                add("  \(definition.name): \(n(gennMNISTModel[definition.name]!))")
            }
        } else {
        add("  variant: \(variant.rawValue)")
        for name in ["dt", "stimulus_ms", "blank_ms"] where !geneNames.contains(name) {
            add("  \(name): \(n(model[name]!))")
        }
        add("  images: \(imageCount.map(String.init) ?? "all")")
        if !geneNames.contains("traub_substeps") {
            let neuron = Self.neuronModel(substeps: Int(model["traub_substeps"]!))
            add("  neuron_model: \(neuron.name)")
            if let substeps = neuron.substeps { add("  substeps: \(substeps)") }
        }
        add("  epochs: \(protocolSettings.epochs)")
        add("  order: \(protocolSettings.order.rawValue)")
        add("  readout: \(protocolSettings.readout.rawValue)")
        add("  reset_between_images: \(protocolSettings.resetBetweenImages)")

        add("model:")
        for definition in MushroomBodyParameters.definitions
        where !geneNames.contains(definition.name) && !Self.protocolParameters.contains(definition.name) {
            add("  \(definition.name): \(n(model[definition.name]!))")
        }
        }

        add("genes:")
        for gene in genes { add("  \(gene.name): \(Self.geneSettingsYAML(gene))") }

        switch rubric {
        case .seed242, .accuracy:
            add("rubric: \(rubric.name)")
        case .weighted(let criteria):
            add("rubric:")
            add("  weighted:")
            for c in criteria { add("    \(c.criterion): \(n(c.weight))") }
        }

        add("evaluation:")
        add("  seeds: \(seedSettings.seeds)")
        add("  aggregate: \(seedSettings.aggregate.rawValue)")

        add("ga:")
        if search == .random {
            add("  variant: random")
            add("  population: \(ga.populationSize)")
            add("  tournaments: \(ga.tournaments)")
        } else {
        switch ga.variant {
        case .seed:
            add("  variant: seed")
        case let .harvey(crossover, mutationProbability, mutation):
            add("  variant: harvey")
            add("  crossover_probability: \(n(crossover))")
            add("  mutation_probability: \(n(mutationProbability))")
            switch mutation {
            case .redraw: add("  mutation: redraw")
            case .gaussian(let scale):
                add("  mutation: gaussian")
                add("  mutation_scale: \(n(scale))")
            }
        }
        add("  population: \(ga.populationSize)")
        add("  tournaments: \(ga.tournaments)")
        add("  deme_size: \(ga.demeSize.map(String.init) ?? "all")")
        }

        add("record:")
        add("  spikes: " + (record.populations.isEmpty ? "none" : "[\(record.populations.joined(separator: ", "))]"))
        add("  evaluations: \(record.allEvaluations ? "all" : "none")")
        add("  weights: \(record.finalWeights)")
        return lines.joined(separator: "\n") + "\n"
    }
}
