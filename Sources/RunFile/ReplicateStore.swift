import HDF5

/// A run-file failure that is not an HDF5 library error: a record that does not fit the run's
/// layout, a file that is not a run file, a replicate index out of range.
public struct RunFileError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let message: String
    /// A failure with `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { "run file: \(message)" }
}

/// The datasets of one replicate, opened once and kept open while the file is (internal).
///
/// Row bookkeeping: `evaluations` and `tournaments` count rows present in the datasets (committed
/// and not yet committed); the `committed…` values are what the commit counters on disk say.
final class ReplicateStore {
    let index: Int
    let group: HDF5Group

    // evaluations/
    let genotype, fitness, maxFitness, components, status, statusMessage, seed, wallSeconds,
        tournament, slot, populationSizes: HDF5Dataset
    // tournaments/
    let tTournament, tA, tB, tWinner, tLoser, tCrossover, tMutated, tEvaluationRow, tBest, tMean, tMin: HDF5Dataset
    // spikes/<POP>/
    let spikeSteps: [HDF5Dataset]
    let spikeIDs: [HDF5Dataset]
    let spikeIndex: [HDF5Dataset]
    // weights/
    let weightValues: HDF5Dataset?
    let weightIndex: HDF5Dataset?
    // checkpoint/ (created by the first checkpoint)
    var checkpoint: CheckpointStore?
    // seeds/ (only when each genotype is evaluated on K > 1 networks)
    let seedStore: SeedStore?

    var evaluations = 0
    var tournaments = 0
    var committedEvaluations = 0
    var committedTournaments = 0
    /// Spikes stored per population (= index[evaluations]).
    var spikeTotals: [UInt64]
    var weightTotal: UInt64 = 0
    /// Rows of `checkpoint/*` (committed and not yet committed).
    var checkpoints = 0
    /// Committed rows of `checkpoint/*`; the latest committed checkpoint is the last of them.
    var committedCheckpoints = 0

    var evaluationColumns: [HDF5Dataset] {
        [genotype, fitness, maxFitness, components, status, statusMessage, seed, wallSeconds, tournament, slot, populationSizes]
    }
    var tournamentColumns: [HDF5Dataset] {
        [tTournament, tA, tB, tWinner, tLoser, tCrossover, tMutated, tEvaluationRow, tBest, tMean, tMin]
    }
    var allDatasets: [HDF5Dataset] {
        evaluationColumns + tournamentColumns + spikeSteps + spikeIDs + spikeIndex
            + [weightValues, weightIndex].compactMap { $0 } + (checkpoint?.datasets ?? []) + (seedStore?.datasets ?? [])
    }

    private init(index: Int, group: HDF5Group, layout: RunLayout, create: Bool, storage: RunFileStorage) throws {
        typealias N = RunFileNames
        self.index = index
        self.group = group
        let runStorage = storage
        let g = layout.genes.count
        let c = layout.componentNames.count
        let p = layout.populationNames.count
        func column<T: HDF5Numeric>(_ path: String, _ type: T.Type, width: Int? = nil,
                                   storage: HDF5Storage? = nil) throws -> HDF5Dataset {
            if create {
                let dataset = try group.createDataset(path, of: T.self, shape: width.map { [0, $0] } ?? [0],
                                                      extendable: true, storage: storage ?? runStorage.rows)
                try RunFileDescriptions.describe(dataset, path: path)
                return dataset
            }
            return try group.openDataset(path)
        }
        genotype = try column("\(N.evaluations)/\(N.genotype)", Double.self, width: g)
        fitness = try column("\(N.evaluations)/\(N.fitness)", Double.self)
        maxFitness = try column("\(N.evaluations)/\(N.maxFitness)", Double.self)
        components = try column("\(N.evaluations)/\(N.components)", Double.self, width: c)
        status = try column("\(N.evaluations)/\(N.status)", Int32.self)
        if create {
            let path = "\(N.evaluations)/\(N.statusMessage)"
            statusMessage = try group.createDataset(path, type: .fixedString(N.statusMessageBytes),
                                                    shape: [0], extendable: true, storage: storage.rows)
            try RunFileDescriptions.describe(statusMessage, path: path)
        } else {
            statusMessage = try group.openDataset("\(N.evaluations)/\(N.statusMessage)")
        }
        seed = try column("\(N.evaluations)/\(N.seed)", UInt64.self)
        wallSeconds = try column("\(N.evaluations)/\(N.wallSeconds)", Double.self)
        tournament = try column("\(N.evaluations)/\(N.tournament)", Int64.self)
        slot = try column("\(N.evaluations)/\(N.slot)", Int32.self)
        populationSizes = try column("\(N.evaluations)/\(N.populationSizes)", Int32.self, width: p)

        tTournament = try column("\(N.tournaments)/\(N.tournament)", Int64.self)
        tA = try column("\(N.tournaments)/\(N.a)", Int32.self)
        tB = try column("\(N.tournaments)/\(N.b)", Int32.self)
        tWinner = try column("\(N.tournaments)/\(N.winner)", Int32.self)
        tLoser = try column("\(N.tournaments)/\(N.loser)", Int32.self)
        tCrossover = try column("\(N.tournaments)/\(N.crossoverMask)", UInt8.self, width: g)
        tMutated = try column("\(N.tournaments)/\(N.mutatedGenes)", UInt8.self, width: g)
        tEvaluationRow = try column("\(N.tournaments)/\(N.evaluationRow)", Int64.self)
        tBest = try column("\(N.tournaments)/\(N.bestFitness)", Double.self)
        tMean = try column("\(N.tournaments)/\(N.meanFitness)", Double.self)
        tMin = try column("\(N.tournaments)/\(N.minFitness)", Double.self)

        var steps: [HDF5Dataset] = [], ids: [HDF5Dataset] = [], offsets: [HDF5Dataset] = []
        for name in layout.populationNames {
            let base = "\(N.spikes)/\(name)"
            steps.append(try column("\(base)/\(N.steps)", UInt32.self, storage: storage.spikes))
            ids.append(try column("\(base)/\(N.ids)", UInt32.self, storage: storage.spikes))
            let offset = try column("\(base)/\(N.index)", UInt64.self, storage: storage.offsets)
            if create { try offset.append([UInt64(0)]) }
            offsets.append(offset)
        }
        spikeSteps = steps
        spikeIDs = ids
        spikeIndex = offsets
        spikeTotals = Array(repeating: 0, count: p)
        if layout.recordsWeights {
            weightValues = try column("\(N.weights)/\(N.values)", Float.self, storage: storage.weights)
            let offset = try column("\(N.weights)/\(N.index)", UInt64.self, storage: storage.offsets)
            if create { try offset.append([UInt64(0)]) }
            weightIndex = offset
        } else {
            weightValues = nil
            weightIndex = nil
        }

        seedStore = layout.seedCount > 1
            ? try SeedStore(group: group, layout: layout, create: create, storage: storage) : nil
        if create {
            try components.setAttribute(N.names, layout.componentNames)
            try populationSizes.setAttribute(N.names, layout.populationNames)
            try genotype.setAttribute(N.names, layout.genes.map(\.name))
            try tCrossover.setAttribute(N.names, layout.genes.map(\.name))
            try tMutated.setAttribute(N.names, layout.genes.map(\.name))
            for name in layout.populationNames {
                try group.openGroup("\(N.spikes)/\(name)").setAttribute(N.dtMilliseconds, layout.dtMilliseconds)
            }
            if layout.recordsWeights {
                try group.openGroup(N.weights).setAttribute(N.shape, N.weightShapeText)
            }
            for (name, dataset) in [
                (N.names, try group.writeDataset("\(N.genes)/\(N.names)", layout.genes.map(\.name))),
                (N.priors, try group.writeDataset("\(N.genes)/\(N.priors)", layout.genes.map(\.prior))),
                (N.lower, try group.writeDataset("\(N.genes)/\(N.lower)", layout.genes.map(\.lower))),
                (N.upper, try group.writeDataset("\(N.genes)/\(N.upper)", layout.genes.map(\.upper))),
            ] {
                try RunFileDescriptions.describe(dataset, path: "\(N.genes)/\(name)")
                try dataset.close()
            }
            if let protocolRecord = layout.protocolDescription {
                for name in layout.populationNames {
                    if let size = protocolRecord.populationSize(of: name) {
                        try group.openGroup("\(N.spikes)/\(name)").setAttribute(N.size, Int64(size))
                    }
                }
            }
            if let populationSize = layout.populationSize {
                checkpoint = try CheckpointStore(create: try group.createGroup(N.checkpoint),
                                                 populationSize: populationSize, geneCount: g, storage: storage)
            }
            // HDF5 makes a dataset's chunk index with its first chunk. Make every index now,
            // before the file is published: grow each empty dataset by one row (early allocation
            // allocates its chunk and the index) and shrink it back (the index stays).
            for dataset in allDatasets where try dataset.rowCount() == 0 {
                try dataset.setRowCount(1)
                try dataset.setRowCount(0)
            }
        } else {
            committedEvaluations = Int(try group.attribute(N.committedEvaluations, as: Int64.self))
            committedTournaments = Int(try group.attribute(N.committedTournaments, as: Int64.self))
            committedCheckpoints = Int(try group.attribute(N.committedCheckpoints, as: Int64.self))
            if try group.exists(N.checkpoint) {
                let store = try CheckpointStore(open: try group.openGroup(N.checkpoint))
                checkpoint = store
                checkpoints = try store.nextTournament.rowCount()
            }
            evaluations = try fitness.rowCount()
            tournaments = try tA.rowCount()
        }
    }

    /// Creates `/replicates/NNN` with its attributes (commit counters first, so they share the
    /// first chunk of the group's object header) and all its datasets.
    static func create(in root: HDF5Group, index: Int, seed: UInt64, layout: RunLayout,
                       storage: RunFileStorage) throws -> ReplicateStore {
        typealias N = RunFileNames
        let group = try root.createGroup("\(N.replicates)/\(N.replicate(index))")
        try group.setAttribute(N.committedEvaluations, Int64(0))
        try group.setAttribute(N.committedTournaments, Int64(0))
        try group.setAttribute(N.committedCheckpoints, Int64(0))
        try group.setAttribute(N.seed, seed)
        try group.setAttribute(N.status, ReplicateStatus.pending.rawValue, fixedByteCount: N.statusBytes)
        try group.setAttribute(N.wallSeconds, 0.0)
        return try ReplicateStore(index: index, group: group, layout: layout, create: true, storage: storage)
    }

    /// Opens an existing replicate for writing and reads its commit counters.
    static func open(in root: HDF5Group, index: Int, layout: RunLayout) throws -> ReplicateStore {
        let group = try root.openGroup("\(RunFileNames.replicates)/\(RunFileNames.replicate(index))")
        return try ReplicateStore(index: index, group: group, layout: layout, create: false, storage: .production)
    }

    /// Drops every row beyond the commit counters, so the datasets hold exactly what was committed.
    func truncateToCommitted() throws {
        let e = committedEvaluations, t = committedTournaments
        guard try fitness.rowCount() >= e, try tA.rowCount() >= t else {
            throw RunFileError("replicate \(index): counters claim \(e) evaluations and \(t) tournaments, datasets hold fewer")
        }
        for column in evaluationColumns { try column.setRowCount(e) }
        for column in tournamentColumns { try column.setRowCount(t) }
        for p in spikeIndex.indices {
            let end = try spikeIndex[p].read(rows: e..<(e + 1), as: UInt64.self)[0]
            try spikeIndex[p].setRowCount(e + 1)
            try spikeSteps[p].setRowCount(Int(end))
            try spikeIDs[p].setRowCount(Int(end))
            spikeTotals[p] = end
        }
        if let weightIndex, let weightValues {
            let end = try weightIndex.read(rows: e..<(e + 1), as: UInt64.self)[0]
            try weightIndex.setRowCount(e + 1)
            try weightValues.setRowCount(Int(end))
            weightTotal = end
        }
        if let checkpoint {
            for dataset in checkpoint.datasets { try dataset.setRowCount(committedCheckpoints) }
        }
        try seedStore?.truncate(evaluations: e)
        evaluations = e
        tournaments = t
        checkpoints = committedCheckpoints
    }

    /// Writes the commit counters (attributes overwritten in place).
    func writeCounters() throws {
        typealias N = RunFileNames
        try group.setAttribute(N.committedEvaluations, Int64(evaluations))
        try group.setAttribute(N.committedTournaments, Int64(tournaments))
        try group.setAttribute(N.committedCheckpoints, Int64(checkpoints))
        committedEvaluations = evaluations
        committedTournaments = tournaments
        committedCheckpoints = checkpoints
    }

    func close() throws {
        for dataset in allDatasets { try dataset.close() }
        try checkpoint?.group.close()
        try group.close()
    }
}

/// The checkpoints of a replicate: every dataset has one row per checkpoint (append-only, like
/// the other columns), so a committed checkpoint is never rewritten and a reader holding the
/// counters always finds the checkpoint they name.
final class CheckpointStore {
    let group: HDF5Group
    let genotypes, fitness, evaluationRows, rngState, nextTournament: HDF5Dataset
    let populationSize: Int
    let geneCount: Int

    var datasets: [HDF5Dataset] { [genotypes, fitness, evaluationRows, rngState, nextTournament] }

    init(create group: HDF5Group, populationSize: Int, geneCount: Int, storage: RunFileStorage) throws {
        typealias N = RunFileNames
        self.group = group
        self.populationSize = populationSize
        self.geneCount = geneCount
        let rows = storage.checkpoints
        func make<T: HDF5Numeric>(_ name: String, _: T.Type, _ shape: [Int]) throws -> HDF5Dataset {
            let dataset = try group.createDataset(name, of: T.self, shape: [0] + shape, extendable: true, storage: rows)
            try RunFileDescriptions.describe(dataset, path: "\(N.checkpoint)/\(name)")
            // Make the chunk index now (see RunFileStorage).
            try dataset.setRowCount(1)
            try dataset.setRowCount(0)
            return dataset
        }
        genotypes = try make(N.populationGenotypes, Double.self, [populationSize, geneCount])
        fitness = try make(N.populationFitness, Double.self, [populationSize])
        evaluationRows = try make(N.populationEvaluationRows, Int64.self, [populationSize])
        rngState = try make(N.rngState, UInt64.self, [4])
        nextTournament = try make(N.nextTournament, Int64.self, [])
    }

    init(open group: HDF5Group) throws {
        typealias N = RunFileNames
        self.group = group
        genotypes = try group.openDataset(N.populationGenotypes)
        fitness = try group.openDataset(N.populationFitness)
        evaluationRows = try group.openDataset(N.populationEvaluationRows)
        rngState = try group.openDataset(N.rngState)
        nextTournament = try group.openDataset(N.nextTournament)
        let shape = try genotypes.shape()
        populationSize = shape[1]
        geneCount = shape[2]
    }

    func append(_ record: CheckpointRecord) throws {
        try genotypes.append(record.populationGenotypes.flatMap { $0 }, rows: 1)
        try fitness.append(record.populationFitness, rows: 1)
        try evaluationRows.append(record.populationEvaluationRows, rows: 1)
        try rngState.append(record.rngState, rows: 1)
        try nextTournament.append([record.nextTournament])
    }

    func read(row: Int) throws -> CheckpointRecord {
        let rows = row..<(row + 1)
        let flat = try genotypes.read(rows: rows, as: Double.self)
        return CheckpointRecord(
            populationGenotypes: split(flat, width: geneCount, rows: populationSize),
            populationFitness: try fitness.read(rows: rows, as: Double.self),
            populationEvaluationRows: try evaluationRows.read(rows: rows, as: Int64.self),
            rngState: try rngState.read(rows: rows, as: UInt64.self),
            nextTournament: try nextTournament.read(rows: rows, as: Int64.self)[0])
    }
}
