import MushroomBodyModel
// Plain-value records that go into and come out of a run file (docs/hdf5-layout.md).
//
// They carry no HDF5 types: the runner builds them, `RunRecorder` writes them, `RunReader`
// returns them. Every record is a value type and `Sendable`, so a simulation thread can hand one
// to the actor that owns the recorder.

/// Who wrote the run file, when, and from which experiment. Stored as attributes of "/".
public struct RunProvenance: Sendable, Hashable {
    /// Always "autoparam-run" (attribute `format`): identifies the file kind.
    public var formatName: String
    /// Layout version (attribute `format_version`); this code writes and reads version 1.
    public var formatVersion: Int
    /// Version string of the tool that wrote the file (attribute `tool_version`).
    public var toolVersion: String
    /// Creation time, ISO 8601 with zone, e.g. "2026-11-29T09:44:51Z" (attribute `created`).
    public var createdISO8601: String
    /// Name of the experiment (attribute `experiment_name`).
    public var experimentName: String
    /// Master seed of the seed tree (attribute `master_seed`, uint64).
    public var masterSeed: UInt64
    /// The complete experiment file (YAML), verbatim (attribute `experiment_yaml`).
    public var experimentText: String
    /// The resolved experiment (`autoparam validate`'s YAML: every default filled in and the
    /// `--set` overrides applied), so the run can be rebuilt exactly; "" in files written
    /// before it was recorded.
    public var resolvedExperiment: String
    /// Host name of the machine that wrote the file (attribute `host`).
    public var host: String
    /// Worker threads used (attribute `threads`).
    public var threads: Int

    /// The format name written by this code.
    public static let currentFormatName = "autoparam-run"
    /// The format version written by this code.
    public static let currentFormatVersion = 1

    public init(formatName: String = RunProvenance.currentFormatName,
                formatVersion: Int = RunProvenance.currentFormatVersion,
                toolVersion: String, createdISO8601: String, experimentName: String,
                masterSeed: UInt64, experimentText: String, resolvedExperiment: String = "", host: String, threads: Int) {
        self.formatName = formatName
        self.formatVersion = formatVersion
        self.toolVersion = toolVersion
        self.createdISO8601 = createdISO8601
        self.experimentName = experimentName
        self.masterSeed = masterSeed
        self.experimentText = experimentText
        self.resolvedExperiment = resolvedExperiment
        self.host = host
        self.threads = threads
    }
}

/// The labelled images the run evaluated on (group `/dataset`).
public struct RunDatasetRecord: Sendable, Hashable {
    /// Pixel intensities 0...255, `imageCount × 784` row-major (28×28 images, row-major).
    public var images: [UInt8]
    /// Class index of each image, `imageCount` entries, each in `0..<classNames.count`.
    public var labels: [Int32]
    /// Number of images.
    public var imageCount: Int
    /// Name of each class, indexed by label.
    public var classNames: [String]

    /// Pixels per image (28×28).
    public static let pixelsPerImage = 784

    public init(images: [UInt8], labels: [Int32], imageCount: Int, classNames: [String]) {
        self.images = images
        self.labels = labels
        self.imageCount = imageCount
        self.classNames = classNames
    }
}

/// One gene of the genotype, as the run declared it (group `genes` of each replicate).
public struct GeneDescription: Sendable, Hashable {
    /// Gene name, e.g. "kc_threshold".
    public var name: String
    /// The prior, as text from the experiment file (e.g. "loguniform(0.1, 10)").
    public var prior: String
    /// Lower bound of valid values; `-.infinity` or NaN when there is none.
    public var lower: Double
    /// Upper bound of valid values; `.infinity` or NaN when there is none.
    public var upper: Double

    public init(name: String, prior: String, lower: Double = -.infinity, upper: Double = .infinity) {
        self.name = name
        self.prior = prior
        self.lower = lower
        self.upper = upper
    }

    public static func == (a: GeneDescription, b: GeneDescription) -> Bool {
        a.name == b.name && a.prior == b.prior && a.lower.bitPattern == b.lower.bitPattern
            && a.upper.bitPattern == b.upper.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(prior)
        hasher.combine(lower.bitPattern)
        hasher.combine(upper.bitPattern)
    }
}

/// One evaluation of one genotype (one row of `evaluations/*`, and its spikes and weights).
public struct EvaluationRecord: Sendable, Hashable {
    /// Gene values in the run's gene order.
    public var genotype: [Double]
    /// Fitness (higher is better).
    public var fitness: Double
    /// The largest fitness the rubric can award (for normalised plots).
    public var maxFitness: Double
    /// Fitness components, one per component name fixed at creation (`RunLayout.componentNames`).
    public var components: [Double]
    /// Status code (`EvaluationStatus` raw value): 0 ok, 1 invalid genotype, 2 numerical failure.
    public var status: Int32
    /// Human-readable detail for a non-ok status; empty when ok. Stored in 256 bytes of UTF-8:
    /// a longer message is cut at a character boundary.
    public var statusMessage: String
    /// Seed of this evaluation's random streams (from the seed tree).
    public var seed: UInt64
    /// Wall-clock seconds the evaluation took.
    public var wallSeconds: Double
    /// Tournament that produced this evaluation; −1 for the initial population.
    public var tournament: Int64
    /// Population slot the evaluated genotype occupies.
    public var slot: Int32
    /// Size of each recorded population in this evaluation (KC count depends on the genotype),
    /// in the run's population order.
    public var populationSizes: [Int32]
    /// Spikes of each recorded population, in the run's population order.
    public var spikes: [SpikeTrain]
    /// Final KC→DN weights, row-major KC×DN, when the run records weights (nil otherwise or
    /// when the evaluation produced none).
    public var finalWeights: [Float]?
    /// With K > 1 networks per genotype (``RunLayout/seedCount``): each network's own result,
    /// by seed index; the fields above then hold the aggregate fitness and components and
    /// seed index 0's status, seed, spikes and weights. Empty when K = 1.
    public var seedEvaluations: [SeedEvaluationRecord]

    public init(genotype: [Double], fitness: Double, maxFitness: Double, components: [Double],
                status: Int32 = 0, statusMessage: String = "", seed: UInt64,
                wallSeconds: Double, tournament: Int64, slot: Int32, populationSizes: [Int32],
                spikes: [SpikeTrain], finalWeights: [Float]? = nil, seedEvaluations: [SeedEvaluationRecord] = []) {
        self.seedEvaluations = seedEvaluations
        self.genotype = genotype
        self.fitness = fitness
        self.maxFitness = maxFitness
        self.components = components
        self.status = status
        self.statusMessage = statusMessage
        self.seed = seed
        self.wallSeconds = wallSeconds
        self.tournament = tournament
        self.slot = slot
        self.populationSizes = populationSizes
        self.spikes = spikes
        self.finalWeights = finalWeights
    }
}

/// One microbial tournament (one row of `tournaments/*`).
public struct TournamentRecord: Sendable, Hashable {
    /// Tournament index, 0, 1, 2, … within the replicate.
    public var index: Int64
    /// First population slot drawn.
    public var a: Int32
    /// Second population slot drawn.
    public var b: Int32
    /// The slot that won (kept its genotype).
    public var winner: Int32
    /// The slot that lost (took genes from the winner, was mutated and re-evaluated).
    public var loser: Int32
    /// One entry per gene: 1 where the loser took the winner's gene, else 0.
    public var crossoverMask: [UInt8]
    /// One entry per gene: 1 where the loser's gene was mutated, else 0.
    public var mutatedGenes: [UInt8]
    /// Row in `evaluations` holding the loser's re-evaluation.
    public var evaluationRow: Int64
    /// Best fitness of the population after the tournament.
    public var bestFitness: Double
    /// Mean fitness of the population after the tournament.
    public var meanFitness: Double
    /// Minimum fitness of the population after the tournament.
    public var minFitness: Double

    public init(index: Int64, a: Int32, b: Int32, winner: Int32, loser: Int32, crossoverMask: [UInt8],
                mutatedGenes: [UInt8], evaluationRow: Int64, bestFitness: Double, meanFitness: Double,
                minFitness: Double) {
        self.index = index
        self.a = a
        self.b = b
        self.winner = winner
        self.loser = loser
        self.crossoverMask = crossoverMask
        self.mutatedGenes = mutatedGenes
        self.evaluationRow = evaluationRow
        self.bestFitness = bestFitness
        self.meanFitness = meanFitness
        self.minFitness = minFitness
    }
}

/// Everything needed to resume a replicate exactly (group `checkpoint`).
public struct CheckpointRecord: Sendable, Hashable {
    /// Genotype of each population slot (`populationSize` arrays of gene count values).
    public var populationGenotypes: [[Double]]
    /// Fitness of each slot.
    public var populationFitness: [Double]
    /// Row in `evaluations` of each slot's current evaluation.
    public var populationEvaluationRows: [Int64]
    /// State of the replicate's GA random generator (xoshiro256**: 4 words).
    public var rngState: [UInt64]
    /// Index of the next tournament to run.
    public var nextTournament: Int64

    public init(populationGenotypes: [[Double]], populationFitness: [Double], populationEvaluationRows: [Int64],
                rngState: [UInt64], nextTournament: Int64) {
        self.populationGenotypes = populationGenotypes
        self.populationFitness = populationFitness
        self.populationEvaluationRows = populationEvaluationRows
        self.rngState = rngState
        self.nextTournament = nextTournament
    }
}

/// The fixed shape of a run: what every replicate records.
public struct RunLayout: Sendable, Hashable {
    /// Number of replicates (groups `/replicates/000`, `001`, …).
    public var replicateCount: Int
    /// The genes, in genotype order.
    public var genes: [GeneDescription]
    /// Names of the fitness components, in the order of `EvaluationRecord.components`.
    public var componentNames: [String]
    /// Names of the recorded populations, in the order of `EvaluationRecord.spikes`
    /// (e.g. ["PN", "KC", "DN", "GGN"]); each must be a valid group name (no "/" or ".").
    public var populationNames: [String]
    /// Whether final KC→DN weights are recorded (group `weights`).
    public var recordsWeights: Bool
    /// Simulation time step in ms.
    public var dtMilliseconds: Double
    /// Time steps per evaluation; every spike step is below it.
    public var stepsPerEvaluation: Int
    /// Slots of the GA population, when known at creation: the checkpoint datasets are then
    /// created with the file. When nil they are created by the first checkpoint, which adds
    /// objects to a published file (a kill in that one flush is the riskiest moment).
    public var populationSize: Int?
    /// The protocol's timing and the network's sizes, written as root attributes so the file
    /// explains itself; nil in files written before they were recorded.
    public var protocolDescription: RunProtocolDescription?
    /// K, the networks each genotype is evaluated on (`evaluation.seeds`); with K > 1 every
    /// replicate has a `seeds/` group. Root attribute `evaluation_seeds` (1 when absent).
    public var seedCount: Int
    /// How the K fitnesses were combined (`mean`, `median`, `min`); root attribute
    /// `evaluation_aggregate`.
    public var seedAggregate: String

    public init(replicateCount: Int, genes: [GeneDescription], componentNames: [String], populationNames: [String],
                recordsWeights: Bool, dtMilliseconds: Double, stepsPerEvaluation: Int, populationSize: Int? = nil,
                protocolDescription: RunProtocolDescription? = nil, seedCount: Int = 1, seedAggregate: String = "mean") {
        self.seedCount = seedCount
        self.seedAggregate = seedAggregate
        self.populationSize = populationSize
        self.protocolDescription = protocolDescription
        self.replicateCount = replicateCount
        self.genes = genes
        self.componentNames = componentNames
        self.populationNames = populationNames
        self.recordsWeights = recordsWeights
        self.dtMilliseconds = dtMilliseconds
        self.stepsPerEvaluation = stepsPerEvaluation
    }
}

/// Lifecycle of a replicate (attribute `status` of its group).
public enum ReplicateStatus: String, Sendable, Hashable, CaseIterable {
    /// Created, not yet started.
    case pending
    /// Being evolved (or the writer died while it was).
    case running
    /// Finished all tournaments.
    case complete
    /// Stopped by an error.
    case failed
    /// Stopped on request (signal, user), resumable.
    case interrupted
}

/// The protocol's timing and the network's population sizes as the experiment fixes them
/// (root attributes `stimulus_ms`, `blank_ms`, `training_images`, `test_images`,
/// `images_per_evaluation`, `epochs`, `network_populations`, `network_population_sizes`,
/// `varies_with_genes`; docs/hdf5-layout.md).
public struct RunProtocolDescription: Sendable, Hashable {
    /// Length of each image's stimulus, ms.
    public var stimulusMilliseconds: Double
    /// Length of the blank after each stimulus, ms.
    public var blankMilliseconds: Double
    /// Images presented with the teacher on (training), and held-out test images after them.
    public var trainingImages: Int
    public var testImages: Int
    /// Passes over the training images, when the protocol has more than one notion of it.
    public var epochs: Int?
    /// Every population of the network and its size under the fixed parameters (parallel).
    public var networkPopulations: [String]
    public var networkPopulationSizes: [Int]
    /// Genes that change any of these per genotype (`kc_count`, `stimulus_ms`, `blank_ms`,
    /// `dt`); then `evaluations/population_sizes` holds each evaluation's own sizes.
    public var variesWithGenes: [String]

    public init(stimulusMilliseconds: Double, blankMilliseconds: Double, trainingImages: Int, testImages: Int,
                epochs: Int? = nil, networkPopulations: [String], networkPopulationSizes: [Int], variesWithGenes: [String]) {
        self.stimulusMilliseconds = stimulusMilliseconds
        self.blankMilliseconds = blankMilliseconds
        self.trainingImages = trainingImages
        self.testImages = testImages
        self.epochs = epochs
        self.networkPopulations = networkPopulations
        self.networkPopulationSizes = networkPopulationSizes
        self.variesWithGenes = variesWithGenes
    }

    /// Images presented per evaluation (training, then test).
    public var imagesPerEvaluation: Int { trainingImages * (epochs ?? 1) + testImages }

    /// The fixed size of population `name`, nil when the network has no such population.
    public func populationSize(of name: String) -> Int? {
        networkPopulations.firstIndex(of: name).map { networkPopulationSizes[$0] }
    }
}
