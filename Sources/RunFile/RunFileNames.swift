import HDF5
import MushroomBodyModel

/// Names of the groups, datasets and attributes of a run file: the one place the recorder, the
/// reader and docs/hdf5-layout.md agree on.
enum RunFileNames {
    // Root attributes.
    static let format = "format"
    static let formatVersion = "format_version"
    static let toolVersion = "tool_version"
    static let created = "created"
    static let experimentName = "experiment_name"
    static let masterSeed = "master_seed"
    static let experimentYAML = "experiment_yaml"
    static let resolvedExperimentYAML = "experiment_resolved_yaml"
    static let host = "host"
    static let threads = "threads"
    static let dtMilliseconds = "dt_ms"
    static let stepsPerEvaluation = "steps_per_evaluation"
    static let replicateCount = "replicate_count"
    static let populations = "populations"
    static let components = "components"
    static let recordsWeights = "records_weights"
    static let populationSize = "population_size"
    // Root attributes of the protocol and network (RunProtocolDescription).
    static let stimulusMilliseconds = "stimulus_ms"
    static let blankMilliseconds = "blank_ms"
    static let trainingImages = "training_images"
    static let testImages = "test_images"
    static let imagesPerEvaluation = "images_per_evaluation"
    static let epochs = "epochs"
    static let networkPopulations = "network_populations"
    static let networkPopulationSizes = "network_population_sizes"
    static let variesWithGenes = "varies_with_genes"
    /// Attribute of each `spikes/<POP>` group: the population's size as the experiment fixes it.
    static let size = "size"

    // Dataset group.
    static let dataset = "dataset"
    static let images = "images"
    static let labels = "labels"
    static let classNames = "class_names"

    // Replicates.
    static let replicates = "replicates"
    static func replicate(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
    static let seed = "seed"
    static let status = "status"
    static let wallSeconds = "wall_seconds"
    static let committedEvaluations = "committed_evaluations"
    static let committedTournaments = "committed_tournaments"
    static let committedCheckpoints = "committed_checkpoints"
    /// Width of the fixed-length `status` attribute (UTF-8, NUL-padded).
    static let statusBytes = 16
    /// Width of each fixed-length `status_message` (UTF-8, NUL-padded; longer messages are cut).
    static let statusMessageBytes = 256

    // Genes.
    static let genes = "genes"
    static let names = "names"
    static let priors = "priors"
    static let lower = "lower"
    static let upper = "upper"

    // Evaluations.
    static let evaluations = "evaluations"
    static let genotype = "genotype"
    static let fitness = "fitness"
    static let maxFitness = "max_fitness"
    static let statusMessage = "status_message"
    static let tournament = "tournament"
    static let slot = "slot"
    static let populationSizes = "population_sizes"

    // Tournaments.
    static let tournaments = "tournaments"
    static let a = "a"
    static let b = "b"
    static let winner = "winner"
    static let loser = "loser"
    static let crossoverMask = "crossover_mask"
    static let mutatedGenes = "mutated_genes"
    static let evaluationRow = "evaluation_row"
    static let bestFitness = "best_fitness"
    static let meanFitness = "mean_fitness"
    static let minFitness = "min_fitness"

    // Spikes and weights.
    static let spikes = "spikes"
    static let steps = "steps"
    static let ids = "ids"
    static let index = "index"
    static let weights = "weights"
    static let values = "values"
    static let shape = "shape"
    static let weightShapeText = "KC×DN row-major"

    // Checkpoint.
    static let checkpoint = "checkpoint"
    static let populationGenotypes = "population_genotypes"
    static let populationFitness = "population_fitness"
    static let populationEvaluationRows = "population_evaluation_rows"
    static let rngState = "rng_state"
    static let nextTournament = "next_tournament"
    static let seedEvaluations = "seeds"
    static let seedCount = "seed_count"
    static let evaluationSeeds = "evaluation_seeds"
    static let evaluationAggregate = "evaluation_aggregate"
}

/// Storage of each kind of dataset (see docs/hdf5-layout.md, "Storage" and "Crash safety").
///
/// Datasets that grow while the run is recorded are chunked without filters: a chunk's size on
/// disk never changes, so HDF5 rewrites a partly filled chunk in place and never moves or frees a
/// chunk that committed metadata points to. Compressed chunks would be reallocated at every
/// commit (their compressed size changes), which under kills corrupts committed rows or leaks
/// the old copy (measured in the kill experiments). Data written once (the images) is compressed.
/// Growing datasets allocate early, and `ReplicateStore.create` grows and shrinks each once, so
/// their chunk index exists before the file is published (HDF5 otherwise creates it with the
/// first chunk, in a flush a kill can tear).
package struct RunFileStorage: Sendable, Hashable {
    /// Per-evaluation and per-tournament columns.
    package var rows = HDF5Storage.chunked(rows: 256, allocateEarly: true)
    /// Spike index and weight index offsets.
    package var offsets = HDF5Storage.chunked(rows: 1024, allocateEarly: true)
    /// Spike steps and ids: 32 Ki elements (128 KiB) per chunk.
    package var spikes = HDF5Storage.chunked(rows: 32_768, allocateEarly: true)
    /// Concatenated weights: 64 Ki floats (256 KiB) per chunk.
    package var weights = HDF5Storage.chunked(rows: 65_536, allocateEarly: true)
    /// Checkpoints: 16 per chunk.
    package var checkpoints = HDF5Storage.chunked(rows: 16, allocateEarly: true)
    /// Dataset images (written once): 256 images per chunk, compressed.
    package var images = HDF5Storage.compressed(rows: 256, level: 4)
    package var labels = HDF5Storage.compressed(rows: 16_384, level: 4)

    package static let production = RunFileStorage()
    /// Spikes and weights deflated (the variant the kill experiments reject).
    package static let compressedBulk = RunFileStorage(spikes: .compressed(rows: 16_384, level: 4),
                                               weights: .compressed(rows: 32_768, level: 4))
    /// The storage of the first kill experiments (smaller chunks, index made with the first chunk).
    package static let smallChunks = RunFileStorage(rows: .chunked(rows: 256), offsets: .chunked(rows: 1024),
                                            spikes: .chunked(rows: 16_384), weights: .chunked(rows: 32_768),
                                            checkpoints: .chunked(rows: 16))
}
