import Datasets
import Evolution
import MushroomBodyModel

/// Everything one run needs, read from an experiment file (docs/experiment-schema.md) with
/// every default filled in and every setting validated.
///
/// Made by ``ExperimentLoader``; ``resolvedYAML()`` writes it back in the file's own syntax
/// (the output of `autoparam validate`), and that text parses back to an equal experiment.
public struct Experiment: Sendable, Hashable {
    /// The experiment's name; default: the file name without its extension.
    public var name: String
    /// Free text; default "".
    public var description: String
    /// `network:` the mushroom body evolved: the seed's (default) or GeNN's MNIST classifier.
    public var network: NetworkKind
    /// The fixed parameters of the GeNN MNIST network (`network: genn-mnist`): GeNN's values,
    /// then `model:` and `protocol.dt`. Unused for the seed network (``model`` holds those).
    public var gennMNISTModel: GeNNMNISTParameters
    /// The master seed: replicate r and evaluation e derive their own from it. Default 1.
    public var seed: UInt64
    /// Independent GA runs, each from its own seed; ≥ 1, default 1.
    public var replicates: Int
    /// Worker threads for evaluations; 0 (the default) = all cores.
    public var threads: Int
    /// The run file, relative to the working directory; default `runs/<name>.h5`.
    public var output: String
    /// Where the images come from; default 80 embedded images from generator seed 1.
    public var dataset: DatasetSource
    /// Held-out test images, the last ones (of the first ``imageCount``); default 0 for a
    /// rubric with no test phase, ⌊images/5⌋ for one with.
    public var testCount: Int
    /// `protocol.images`: use only the first N images of the data set; nil = all.
    public var imageCount: Int?
    /// `protocol.variant`: the seed's quirks or the corrected protocol; default corrected.
    public var variant: ProtocolVariant
    /// The fixed parameters: the seed's defaults, then `model:`, then `protocol.dt`,
    /// `stimulus_ms`, `blank_ms` and `neuron_model` applied. Genes override these per genotype
    /// (``parameters(for:)``).
    public var model: MushroomBodyParameters
    /// The evolved parameters, in genotype order; default ``seedGenes``.
    public var genes: GeneSet
    /// How an evaluation becomes a fitness; default seed-242.
    public var rubric: Rubric
    /// The microbial GA; default the seed's variant, population 10, 300 tournaments.
    public var ga: MicrobialGAConfiguration
    /// What the run file keeps.
    public var record: RecordSettings
    /// `dataset.classes`: keep only the images with these labels, in file order, relabelled
    /// 0…k−1 in this order; nil (the default, `all`) keeps every image.
    public var classes: [Int]?
    /// `dataset.split`: how the test images are set aside; default the last ones.
    public var split: SplitRule
    /// `protocol.epochs`, `order`, `readout`, `reset_between_images`; default the seed's.
    public var protocolSettings: ProtocolSettings
    /// `evaluation.seeds` and `aggregate`: each genotype on K networks; default 1, mean.
    public var seedSettings: SeedSettings
    /// `ga.variant: random` makes this ``SearchMethod/random``; default the microbial GA.
    public var search: SearchMethod
    /// The experiment file's full text, as read (before any `--set`).
    public var sourceText: String
    /// The `--set PATH=VALUE` items applied, in order, for example "ga.tournaments=20".
    public var overrides: [String]

    /// The experiment an empty file called `name` describes: every setting at its default.
    public init(name: String) {
        self.name = name
        description = ""
        network = .seed
        gennMNISTModel = GeNNMNISTParameters()
        seed = 1
        replicates = 1
        threads = 0
        output = Self.defaultOutput(name: name)
        dataset = .defaultEmbedded
        testCount = 0
        imageCount = nil
        variant = .corrected
        model = MushroomBodyParameters()
        genes = Self.seedGenes
        rubric = .seed242
        ga = Self.defaultGA
        record = RecordSettings()
        classes = nil
        split = .last
        protocolSettings = .seed
        seedSettings = SeedSettings()
        search = .microbial
        sourceText = ""
        overrides = []
    }

    /// The network and protocol parameters for one genotype: ``model`` with each gene's value
    /// set under the gene's name.
    ///
    /// - Throws: `InvalidParameter` if the genotype does not have one value per gene, or
    ///   `UnknownParameterError` for a gene that names no parameter (impossible for a loaded
    ///   experiment: the loader checks the names).
    public func parameters(for genotype: Genotype) throws -> MushroomBodyParameters {
        guard genotype.count == genes.count else {
            throw InvalidParameter(field: "genotype", reason: "\(genotype.count) values for \(genes.count) genes (\(genes.names.joined(separator: ", ")))")
        }
        var parameters = model
        for (gene, value) in zip(genes, genotype) {
            parameters = try parameters.setting(gene.name, to: value)
        }
        return parameters
    }

    /// The parameters of ``network`` for one genotype: its fixed parameters with each gene's
    /// value set under the gene's name.
    public func networkParameters(for genotype: Genotype) throws -> NetworkParameters {
        switch network {
        case .seed: return .seed(try parameters(for: genotype))
        case .gennMNIST:
            guard genotype.count == genes.count else {
                throw InvalidParameter(field: "genotype", reason: "\(genotype.count) values for \(genes.count) genes (\(genes.names.joined(separator: ", ")))")
            }
            var p = gennMNISTModel
            for (gene, value) in zip(genes, genotype) { p = try p.setting(gene.name, to: value) }
            return .gennMNIST(p)
        }
    }

    /// Steps one evaluation simulates for `images` images (training and test).
    public func stepsPerEvaluation(images: Int) -> Int {
        switch network {
        case .seed: return images * (model.stimulusSteps + model.blankSteps)
        case .gennMNIST: return images * gennMNISTModel.presentSteps
        }
    }

    /// The time step of the network evaluated, ms.
    public var dtMs: Double { network == .seed ? model.dtMs : gennMNISTModel.dtMs }

    // MARK: - Defaults

    /// The seed's six genes with its priors and rounding (docs/model.md):
    /// kc_count int_uniform [0, 2199]; stdp_tau int_uniform [0, 99] × uniform [0, 1), 4
    /// decimals; stdp_alpha uniform [0, 1) ÷ int_uniform [1, 999999], 8 decimals; w_max
    /// uniform [0, 1), 4 decimals; stdp_offset as stdp_alpha; teacher uniform [0, 1) ×
    /// int_uniform [1, 2], 2 decimals.
    public static let seedGenes = GeneSet([
        Gene(name: "kc_count", prior: .integerUniform(lower: 0, upper: 2199)),
        Gene(name: "stdp_tau", prior: .product(.integerUniform(lower: 0, upper: 99), .uniform(lower: 0, upper: 1)), decimals: 4),
        Gene(name: "stdp_alpha", prior: .quotient(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 999_999)), decimals: 8),
        Gene(name: "w_max", prior: .uniform(lower: 0, upper: 1), decimals: 4),
        Gene(name: "stdp_offset", prior: .quotient(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 999_999)), decimals: 8),
        Gene(name: "teacher", prior: .product(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 2)), decimals: 2),
    ])

    /// The seed's GA: its variant (exactly half the genes crossed, one gene redrawn),
    /// population 10, 300 tournaments.
    public static let defaultGA = MicrobialGAConfiguration(variant: .seed, populationSize: 10, tournaments: 300)

    /// `runs/<name>.h5`.
    public static func defaultOutput(name: String) -> String { "runs/\(name).h5" }

    /// The number of images the protocol uses from a data set of `datasetCount`: all, or the
    /// first ``imageCount``.
    public func usedImageCount(datasetCount: Int) -> Int {
        imageCount.map { min($0, datasetCount) } ?? datasetCount
    }

    /// The default test split for `imageCount` images under `rubric`: 0 without a test
    /// phase, else ⌊imageCount / 5⌋.
    public static func defaultTestCount(imageCount: Int, rubric: Rubric) -> Int {
        rubric.needsTestPhase ? imageCount / 5 : 0
    }
}

/// How a replicate searches the genotypes.
public enum SearchMethod: String, Sendable, Hashable {
    /// The microbial GA of ``Experiment/ga`` (`ga.variant: seed` or `harvey`).
    case microbial
    /// Random search with the GA's budget (`ga.variant: random`; Evolution's `RandomSearch`).
    case random
}

/// What the run file keeps besides the genotypes, fitness and GA history (always kept).
public struct RecordSettings: Sendable, Hashable {
    /// The populations whose every spike is recorded, a subset of ``populationNames`` in that
    /// canonical order; default all four. `record.spikes: none` is empty.
    public var populations: [String]
    /// `record.evaluations`: keep every evaluation (true, the default: `all`) or only the
    /// GA's tournaments and final population (`none`).
    public var allEvaluations: Bool
    /// `record.weights`: keep the final KC→DN weights of each evaluation; default false.
    public var finalWeights: Bool

    /// The recordable populations, in canonical order.
    public static let populationNames = ["PN", "KC", "DN", "GGN"]

    public init(populations: [String] = RecordSettings.populationNames, allEvaluations: Bool = true, finalWeights: Bool = false) {
        self.populations = Self.populationNames.filter(populations.contains)
        self.allEvaluations = allEvaluations
        self.finalWeights = finalWeights
    }
}
