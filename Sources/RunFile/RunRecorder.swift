#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HDF5
import MushroomBodyModel

/// How the recorder makes a run file survive its writer being killed (internal; see
/// docs/hdf5-layout.md, "Crash safety", for the experiments behind the defaults).
package struct RunFileDurability: Sendable, Hashable {
    /// Take HDF5's advisory file lock (false: readers may open the file while it is written).
    package var fileLocking = false
    /// Keep dirty metadata in memory until `commit()` flushes it.
    package var holdMetadataUntilFlush = true
    /// Let HDF5 recycle freed file space (false: never; the file only grows).
    package var reuseFreedSpace = false
    /// After every commit, move the end of allocation one byte past the end of file, so a block
    /// written before the commit is never "the last block" that HDF5 would hand out again.
    package var padAfterCommit = true
    /// Flush the data before writing the commit counters, then flush again.
    package var twoPhaseCommit = true
    /// Storage of the datasets (unfiltered growing datasets in production).
    package var storage = RunFileStorage.production
    /// Half the entries of a chunk-index B-tree node (HDF5's istore_k; default 32). 63 is the
    /// most for which a node of a one-dimensional dataset (4080 bytes) fits in one page: larger
    /// nodes split less often but can be torn by a kill in mid-write (measured).
    package var chunkIndexHalfNode: Int? = 63
    /// Align every allocation to the page size, so single-page metadata writes are atomic.
    package var alignment: Int? = 4096
    /// On resume, re-encode the tail chunk of every growing dataset with checksum checking off
    /// before truncating (see `ReplicateStore.repairTailChunks`); false only for the kill
    /// experiments that measure what happens without it.
    package var repairTailChunks = true

    /// What `RunRecorder` uses.
    package static let production = RunFileDurability()
    /// HDF5's defaults and a single flush per commit: the baseline of the kill experiments.
    package static let naive = RunFileDurability(fileLocking: true, holdMetadataUntilFlush: false, reuseFreedSpace: true,
                                         padAfterCommit: false, twoPhaseCommit: false,
                                         storage: .compressedBulk, chunkIndexHalfNode: nil, alignment: nil)

    var fileOptions: HDF5FileOptions {
        HDF5FileOptions(fileLocking: fileLocking, holdMetadataUntilFlush: holdMetadataUntilFlush,
                        metadataCacheBytes: 16 << 20, reuseFreedSpace: reuseFreedSpace,
                        chunkIndexHalfNode: chunkIndexHalfNode, alignment: alignment)
    }
}

/// What a replicate holds at its last commit: what a resumed run continues from.
public struct RunReplicateState: Sendable, Hashable {
    /// Replicate index.
    public var replicate: Int
    /// The replicate's seed.
    public var seed: UInt64
    /// Lifecycle status.
    public var status: ReplicateStatus
    /// Wall-clock seconds recorded by `setReplicateStatus`.
    public var wallSeconds: Double
    /// Committed rows of `evaluations` (the next evaluation gets this row).
    public var committedEvaluations: Int
    /// Committed rows of `tournaments`.
    public var committedTournaments: Int
    /// The latest committed checkpoint, nil if none was committed.
    public var checkpoint: CheckpointRecord?
}

/// Writes a run file (docs/hdf5-layout.md): provenance, the image set, and per replicate the
/// evaluations, tournaments, spikes, weights and checkpoints, with crash-safe commits.
///
/// Protocol: append the records of a step (`appendEvaluation`, `appendTournament`,
/// `checkpoint`), then `commit()`. Call `commit()` after the initial population and after every
/// tournament. A reader (and `open` for resume) sees exactly the rows of the last commit; a
/// writer killed at any moment (SIGKILL included) leaves a file that opens with a plain
/// `h5py.File(path, "r")` and holds every commit up to the last one.
///
/// Use from one thread or actor; the class is not `Sendable`.
public final class RunRecorder {
    /// Path of the run file.
    public let path: String
    /// The provenance the file was created with.
    public let provenance: RunProvenance
    /// The run's layout (genes, components, populations).
    public let layout: RunLayout

    private let file: HDF5File
    private var replicates: [ReplicateStore]
    private let durability: RunFileDurability
    private var finished = false
    /// The first append or commit that failed (disk full, I/O error), if any. After it the
    /// recorder commits nothing more: rows appended since the last commit may be missing or
    /// half written, and a commit would declare them good (the bug where a resumed run after
    /// a full disk had 13 evaluations instead of 12). `open` (resume) starts from the last
    /// commit instead.
    public private(set) var failure: String?

    private init(file: HDF5File, provenance: RunProvenance, layout: RunLayout, replicates: [ReplicateStore],
                 durability: RunFileDurability, path: String? = nil) {
        self.file = file
        self.path = path ?? file.path
        self.provenance = provenance
        self.layout = layout
        self.replicates = replicates
        self.durability = durability
    }

    deinit {
        if !finished {
            for replicate in replicates { try? replicate.close() }
            try? file.close()
        }
    }

    // MARK: - Create and open

    /// Creates a run file and commits its empty replicates.
    ///
    /// The file is built as `<path>.partial` and renamed to `path` after the first commit, so a
    /// writer killed during creation leaves no file at `path` (only the `.partial` leftover,
    /// which the next `create` replaces).
    ///
    /// - Parameters:
    ///   - replicateSeeds: one seed per replicate (`layout.replicateCount` of them).
    ///   - overwrite: replace an existing file; when false an existing file is an error.
    public static func create(path: String, provenance: RunProvenance, dataset: RunDatasetRecord, layout: RunLayout,
                              replicateSeeds: [UInt64], overwrite: Bool = false) throws -> RunRecorder {
        try create(path: path, provenance: provenance, dataset: dataset, layout: layout,
                   replicateSeeds: replicateSeeds, overwrite: overwrite, durability: .production)
    }

    package static func create(path: String, provenance: RunProvenance, dataset: RunDatasetRecord, layout: RunLayout,
                               replicateSeeds: [UInt64], overwrite: Bool, durability: RunFileDurability) throws -> RunRecorder {
        try validate(layout: layout, dataset: dataset, replicateSeeds: replicateSeeds)
        typealias N = RunFileNames
        if !overwrite && access(path, F_OK) == 0 {
            throw RunFileError("'\(path)' exists; pass overwrite: true to replace it")
        }
        // Build the file under a temporary name and give it its real name only after the first
        // commit: `path` is either absent or a valid run file, even if the writer dies here.
        let partial = path + ".partial"
        let file = try HDF5File.create(path: partial, truncate: true, options: durability.fileOptions)
        let root = file.root
        try root.setAttribute(N.format, provenance.formatName)
        try root.setAttribute(N.formatVersion, Int64(provenance.formatVersion))
        try root.setAttribute(N.toolVersion, provenance.toolVersion)
        try root.setAttribute(N.created, provenance.createdISO8601)
        try root.setAttribute(N.experimentName, provenance.experimentName)
        try root.setAttribute(N.masterSeed, provenance.masterSeed)
        try root.setAttribute(N.experimentYAML, provenance.experimentText)
        try root.setAttribute(N.resolvedExperimentYAML, provenance.resolvedExperiment)
        try root.setAttribute(N.host, provenance.host)
        try root.setAttribute(N.threads, Int64(provenance.threads))
        try root.setAttribute(N.dtMilliseconds, layout.dtMilliseconds)
        try root.setAttribute(N.stepsPerEvaluation, Int64(layout.stepsPerEvaluation))
        try root.setAttribute(N.replicateCount, Int64(layout.replicateCount))
        try root.setAttribute(N.populations, layout.populationNames)
        try root.setAttribute(N.components, layout.componentNames)
        try root.setAttribute(N.recordsWeights, Int64(layout.recordsWeights ? 1 : 0))
        if let populationSize = layout.populationSize {
            try root.setAttribute(N.populationSize, Int64(populationSize))
        }
        if let description = layout.protocolDescription {
            try root.setAttribute(N.stimulusMilliseconds, description.stimulusMilliseconds)
            try root.setAttribute(N.blankMilliseconds, description.blankMilliseconds)
            try root.setAttribute(N.trainingImages, Int64(description.trainingImages))
            try root.setAttribute(N.testImages, Int64(description.testImages))
            try root.setAttribute(N.imagesPerEvaluation, Int64(description.imagesPerEvaluation))
            if let epochs = description.epochs { try root.setAttribute(N.epochs, Int64(epochs)) }
            try root.setAttribute(N.networkPopulations, description.networkPopulations)
            try root.setAttribute(N.networkPopulationSizes, description.networkPopulationSizes.map(Int64.init))
            try root.setAttribute(N.variesWithGenes, description.variesWithGenes)
        }
        try root.setAttribute(N.evaluationSeeds, Int64(layout.seedCount))
        try root.setAttribute(N.evaluationAggregate, layout.seedAggregate)

        let images = try root.createDataset("\(N.dataset)/\(N.images)", of: UInt8.self,
                                            shape: [dataset.imageCount, RunDatasetRecord.pixelsPerImage],
                                            storage: dataset.imageCount > 0 ? durability.storage.images : .contiguous)
        try images.write(dataset.images)
        try RunFileDescriptions.describe(images, path: "\(N.dataset)/\(N.images)")
        let labels = try root.createDataset("\(N.dataset)/\(N.labels)", of: Int32.self, shape: [dataset.imageCount],
                                            storage: dataset.imageCount > 0 ? durability.storage.labels : .contiguous)
        try labels.write(dataset.labels)
        try RunFileDescriptions.describe(labels, path: "\(N.dataset)/\(N.labels)")
        let datasetGroup = try root.openGroup(N.dataset)
        try datasetGroup.setAttribute(N.classNames, dataset.classNames)
        try images.close()
        try labels.close()
        try datasetGroup.close()

        var stores: [ReplicateStore] = []
        for (index, seed) in replicateSeeds.enumerated() {
            stores.append(try ReplicateStore.create(in: root, index: index, seed: seed, layout: layout,
                                                    storage: durability.storage))
        }
        let recorder = RunRecorder(file: file, provenance: provenance, layout: layout, replicates: stores,
                                   durability: durability, path: path)
        try recorder.commit()
        try publish(partial, as: path, overwrite: overwrite)
        return recorder
    }

    /// Gives the finished temporary file its real name: `rename` when replacing is allowed,
    /// otherwise `link` + `unlink`, which fails instead of replacing a file created meanwhile.
    private static func publish(_ partial: String, as path: String, overwrite: Bool) throws {
        if overwrite {
            guard rename(partial, path) == 0 else {
                throw RunFileError("cannot rename '\(partial)' to '\(path)': \(String(cString: strerror(errno)))")
            }
            return
        }
        guard link(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw RunFileError("cannot create '\(path)': \(reason)")
        }
        unlink(partial)
    }

    /// Opens an existing run file to resume it: repairs the end-of-allocation marker a kill
    /// during a flush can leave behind, drops every row written after the last commit
    /// (`truncateToCommitted()`), and returns a recorder positioned at the committed state
    /// (see `state(replicate:)`).
    public static func open(path: String) throws -> RunRecorder {
        try open(path: path, durability: .production)
    }

    package static func open(path: String, durability: RunFileDurability) throws -> RunRecorder {
        let file = try HDF5File.open(path: path, mode: .readWrite, options: durability.fileOptions)
        // A writer killed inside a flush can leave metadata that points past the end of
        // allocation recorded in the superblock; extend it to the end of file first (what
        // `h5clear --increment=0` does).
        try file.padEndOfAllocation(bytes: 0)
        let (provenance, layout) = try RunReader.readHeader(file.root)
        var stores: [ReplicateStore] = []
        for index in 0..<layout.replicateCount {
            stores.append(try ReplicateStore.open(in: file.root, index: index, layout: layout))
        }
        let recorder = RunRecorder(file: file, provenance: provenance, layout: layout, replicates: stores,
                                   durability: durability)
        // A chunk torn by the death of the last writer fails its checksum; re-encode the tail
        // chunks from their committed rows before truncating (truncation reads them).
        if durability.repairTailChunks {
            for store in stores { try store.repairTailChunks() }
        }
        try recorder.truncateToCommitted()
        return recorder
    }

    // MARK: - Appending

    /// Appends one evaluation to `replicate` and returns its row in `evaluations`.
    ///
    /// The record must match the layout: `genotype` has one value per gene, `components` one per
    /// component name, `populationSizes` and `spikes` one entry per recorded population, every
    /// spike step is below `stepsPerEvaluation` and every id below its population size.
    /// `finalWeights` is stored when the layout records weights (nil stores an empty segment)
    /// and ignored otherwise. The row becomes visible to readers at the next `commit()`.
    @discardableResult
    public func appendEvaluation(replicate: Int, _ record: EvaluationRecord) throws -> Int {
        let store = try store(replicate)
        try validate(record)
        if let seeds = store.seedStore, record.seedEvaluations.count != seeds.seedCount {
            throw RunFileError("evaluation: \(record.seedEvaluations.count) seed results for \(seeds.seedCount) networks per genotype")
        }
        let row = store.evaluations
        try store.genotype.append(record.genotype, rows: 1)
        try store.fitness.append([record.fitness])
        try store.maxFitness.append([record.maxFitness])
        try store.components.append(record.components, rows: 1)
        try store.status.append([record.status])
        try store.statusMessage.append([record.statusMessage])
        try store.seed.append([record.seed])
        try store.wallSeconds.append([record.wallSeconds])
        try store.tournament.append([record.tournament])
        try store.slot.append([record.slot])
        try store.populationSizes.append(record.populationSizes, rows: 1)
        for (p, train) in record.spikes.enumerated() {
            try store.spikeSteps[p].append(train.steps)
            try store.spikeIDs[p].append(train.ids)
            store.spikeTotals[p] += UInt64(train.count)
            try store.spikeIndex[p].append([store.spikeTotals[p]])
        }
        if let values = store.weightValues, let index = store.weightIndex {
            let weights = record.finalWeights ?? []
            try values.append(weights)
            store.weightTotal += UInt64(weights.count)
            try index.append([store.weightTotal])
        }
        if let seeds = store.seedStore {
            try seeds.append(record.seedEvaluations)
        }
        store.evaluations += 1
        return row
    }

    /// Appends one tournament to `replicate`. Visible to readers at the next `commit()`.
    public func appendTournament(replicate: Int, _ record: TournamentRecord) throws {
        let store = try store(replicate)
        let g = layout.genes.count
        guard record.crossoverMask.count == g, record.mutatedGenes.count == g else {
            throw RunFileError("tournament \(record.index): masks need \(g) entries, got \(record.crossoverMask.count) and \(record.mutatedGenes.count)")
        }
        guard record.evaluationRow >= 0, record.evaluationRow < store.evaluations else {
            throw RunFileError("tournament \(record.index): evaluation row \(record.evaluationRow) does not exist (\(store.evaluations) rows)")
        }
        try store.tTournament.append([record.index])
        try store.tA.append([record.a])
        try store.tB.append([record.b])
        try store.tWinner.append([record.winner])
        try store.tLoser.append([record.loser])
        try store.tCrossover.append(record.crossoverMask, rows: 1)
        try store.tMutated.append(record.mutatedGenes, rows: 1)
        try store.tEvaluationRow.append([record.evaluationRow])
        try store.tBest.append([record.bestFitness])
        try store.tMean.append([record.meanFitness])
        try store.tMin.append([record.minFitness])
        store.tournaments += 1
    }

    /// Appends a checkpoint of `replicate`; it becomes the latest committed checkpoint at the
    /// next `commit()` (until then readers and `open` see the previous one).
    public func checkpoint(replicate: Int, _ record: CheckpointRecord) throws {
        let store = try store(replicate)
        let g = layout.genes.count
        let p = record.populationGenotypes.count
        guard p > 0, record.populationGenotypes.allSatisfy({ $0.count == g }),
              record.populationFitness.count == p, record.populationEvaluationRows.count == p,
              record.rngState.count == 4 else {
            throw RunFileError("checkpoint of replicate \(replicate): expected P genotypes of \(g) genes, P fitness values, P rows and 4 RNG words")
        }
        if store.checkpoint == nil {
            // Only when the layout did not give the population size (see RunLayout.populationSize).
            let group = try store.group.createGroup(RunFileNames.checkpoint)
            store.checkpoint = try CheckpointStore(create: group, populationSize: p, geneCount: g,
                                                   storage: durability.storage)
        }
        guard let checkpoint = store.checkpoint, checkpoint.populationSize == p else {
            throw RunFileError("checkpoint of replicate \(replicate): population size changed from \(store.checkpoint?.populationSize ?? 0) to \(p)")
        }
        try checkpoint.append(record)
        store.checkpoints += 1
    }

    // MARK: - Commit, status, resume

    /// Makes everything appended so far durable and visible: flushes the data, then writes the
    /// commit counters (`committed_evaluations`, `committed_tournaments`,
    /// `committed_checkpoints` of every replicate) and flushes again. A kill before the second flush completes leaves the
    /// previous commit in force.
    public func commit() throws {
        try ensureOpen()
        if let failure {
            throw RunFileError("nothing more is committed to '\(path)' after a failed write (\(failure)); the file holds every step up to the last commit")
        }
        if durability.twoPhaseCommit { try file.flush() }
        for store in replicates { try store.writeCounters() }
        try file.flush()
        if durability.padAfterCommit { try file.padEndOfAllocation(bytes: 1) }
    }

    /// Sets a replicate's status and wall-clock seconds and flushes them. Does not commit rows.
    public func setReplicateStatus(replicate: Int, status: ReplicateStatus, wallSeconds: Double) throws {
        let store = try store(replicate)
        try store.group.setAttribute(RunFileNames.status, status.rawValue, fixedByteCount: RunFileNames.statusBytes)
        try store.group.setAttribute(RunFileNames.wallSeconds, wallSeconds)
        try file.flush()
        if durability.padAfterCommit { try file.padEndOfAllocation(bytes: 1) }
    }

    /// Drops every row written after the last commit (and an uncommitted checkpoint), so the
    /// datasets hold exactly the committed rows and appending continues from there. `open`
    /// calls it; call it to abandon a partly recorded step.
    public func truncateToCommitted() throws {
        try ensureOpen()
        for store in replicates { try store.truncateToCommitted() }
        try file.flush()
        if durability.padAfterCommit { try file.padEndOfAllocation(bytes: 1) }
    }

    /// The committed state of `replicate` (counters, status, latest committed checkpoint).
    public func state(replicate: Int) throws -> RunReplicateState {
        let store = try store(replicate)
        typealias N = RunFileNames
        let statusText = try store.group.stringAttribute(N.status)
        var checkpoint: CheckpointRecord?
        if store.committedCheckpoints > 0, let storeCheckpoint = store.checkpoint {
            checkpoint = try storeCheckpoint.read(row: store.committedCheckpoints - 1)
        }
        return RunReplicateState(
            replicate: replicate, seed: try store.group.attribute(N.seed, as: UInt64.self),
            status: ReplicateStatus(rawValue: statusText) ?? .interrupted,
            wallSeconds: try store.group.attribute(N.wallSeconds, as: Double.self),
            committedEvaluations: store.committedEvaluations, committedTournaments: store.committedTournaments,
            checkpoint: checkpoint)
    }

    /// Drops uncommitted rows, flushes and closes the file. The recorder is unusable afterwards.
    /// Call `commit()` first for anything that should be kept.
    public func finish() throws {
        guard !finished else { return }
        if failure != nil {
            // Leave the rows after the last commit for `open` to drop: truncating reads and
            // writes the very chunks the failure may have left half written.
            finished = true
            for store in replicates { try? store.close() }
            try? file.close()
            return
        }
        try truncateToCommitted()
        finished = true
        for store in replicates { try store.close() }
        try file.close()
    }

    /// Records that a step (appends and their commit) failed part way: the recorder commits
    /// nothing after this (see ``failure``). The first failure is kept.
    public func markFailed(_ error: Error) {
        if failure == nil { failure = RunFileProblem.runtimeDescription(error) }
    }

    // MARK: - Helpers

    private func ensureOpen() throws {
        if finished { throw RunFileError("the recorder of '\(path)' is finished") }
    }

    private func store(_ replicate: Int) throws -> ReplicateStore {
        try ensureOpen()
        guard replicates.indices.contains(replicate) else {
            throw RunFileError("replicate \(replicate) does not exist (\(replicates.count) replicates)")
        }
        return replicates[replicate]
    }

    private func validate(_ record: EvaluationRecord) throws {
        let g = layout.genes.count, c = layout.componentNames.count, p = layout.populationNames.count
        guard record.genotype.count == g else {
            throw RunFileError("evaluation: genotype has \(record.genotype.count) genes, layout has \(g)")
        }
        guard record.components.count == c else {
            throw RunFileError("evaluation: \(record.components.count) components, layout has \(c)")
        }
        guard record.populationSizes.count == p, record.spikes.count == p else {
            throw RunFileError("evaluation: \(record.populationSizes.count) population sizes and \(record.spikes.count) spike trains for \(p) populations")
        }
        let steps = UInt32(clamping: layout.stepsPerEvaluation)
        for (index, train) in record.spikes.enumerated() {
            let name = layout.populationNames[index]
            guard train.steps.count == train.ids.count else {
                throw RunFileError("evaluation: \(name) has \(train.steps.count) steps but \(train.ids.count) ids")
            }
            let size = UInt32(clamping: max(record.populationSizes[index], 0))
            if let bad = train.steps.first(where: { $0 >= steps }) {
                throw RunFileError("evaluation: \(name) spike at step \(bad), evaluation has \(steps) steps")
            }
            if let bad = train.ids.first(where: { $0 >= size }) {
                throw RunFileError("evaluation: \(name) spike from neuron \(bad), population has \(size)")
            }
        }
    }

    private static func validate(layout: RunLayout, dataset: RunDatasetRecord, replicateSeeds: [UInt64]) throws {
        guard layout.replicateCount >= 1, replicateSeeds.count == layout.replicateCount else {
            throw RunFileError("\(replicateSeeds.count) replicate seeds for \(layout.replicateCount) replicates")
        }
        guard layout.stepsPerEvaluation >= 0, layout.dtMilliseconds.isFinite, layout.dtMilliseconds > 0 else {
            throw RunFileError("dt_ms must be positive and steps per evaluation non-negative")
        }
        for name in layout.populationNames where name.isEmpty || name.contains("/") || name == "." || name == ".." {
            throw RunFileError("population name '\(name)' cannot name a group")
        }
        guard Set(layout.populationNames).count == layout.populationNames.count else {
            throw RunFileError("population names repeat: \(layout.populationNames)")
        }
        guard dataset.imageCount >= 0, dataset.images.count == dataset.imageCount * RunDatasetRecord.pixelsPerImage,
              dataset.labels.count == dataset.imageCount else {
            throw RunFileError("dataset: \(dataset.images.count) pixels and \(dataset.labels.count) labels for \(dataset.imageCount) images")
        }
    }
}
