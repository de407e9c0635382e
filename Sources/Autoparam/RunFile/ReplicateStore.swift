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

    var evaluations = 0
    var tournaments = 0
    var committedEvaluations = 0
    var committedTournaments = 0
    /// Spikes stored per population (= index[evaluations]).
    var spikeTotals: [UInt64]
    var weightTotal: UInt64 = 0
    /// Slot (0/1) of the latest committed checkpoint, −1 for none.
    var committedCheckpointSlot: Int64 = -1
    /// Slot written since the last commit, if any.
    var pendingCheckpointSlot: Int64?

    var evaluationColumns: [HDF5Dataset] {
        [genotype, fitness, maxFitness, components, status, statusMessage, seed, wallSeconds, tournament, slot, populationSizes]
    }
    var tournamentColumns: [HDF5Dataset] {
        [tTournament, tA, tB, tWinner, tLoser, tCrossover, tMutated, tEvaluationRow, tBest, tMean, tMin]
    }
    var allDatasets: [HDF5Dataset] {
        evaluationColumns + tournamentColumns + spikeSteps + spikeIDs + spikeIndex
            + [weightValues, weightIndex].compactMap { $0 } + (checkpoint?.datasets ?? [])
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
                return try group.createDataset(path, of: T.self, shape: width.map { [0, $0] } ?? [0],
                                               extendable: true, storage: storage ?? runStorage.rows)
            }
            return try group.openDataset(path)
        }
        genotype = try column("\(N.evaluations)/\(N.genotype)", Double.self, width: g)
        fitness = try column("\(N.evaluations)/\(N.fitness)", Double.self)
        maxFitness = try column("\(N.evaluations)/\(N.maxFitness)", Double.self)
        components = try column("\(N.evaluations)/\(N.components)", Double.self, width: c)
        status = try column("\(N.evaluations)/\(N.status)", Int32.self)
        statusMessage = create
            ? try group.createDataset("\(N.evaluations)/\(N.statusMessage)", type: .fixedString(N.statusMessageBytes),
                                      shape: [0], extendable: true,
                                      storage: storage.rows)
            : try group.openDataset("\(N.evaluations)/\(N.statusMessage)")
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
            try group.writeDataset("\(N.genes)/\(N.names)", layout.genes.map(\.name))
            try group.writeDataset("\(N.genes)/\(N.priors)", layout.genes.map(\.prior))
            try group.writeDataset("\(N.genes)/\(N.lower)", layout.genes.map(\.lower))
            try group.writeDataset("\(N.genes)/\(N.upper)", layout.genes.map(\.upper))
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
            committedCheckpointSlot = try group.attribute(N.checkpointSlot, as: Int64.self)
            if try group.exists(N.checkpoint) {
                checkpoint = try CheckpointStore(open: try group.openGroup(N.checkpoint))
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
        try group.setAttribute(N.checkpointSlot, Int64(-1))
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
        evaluations = e
        tournaments = t
        pendingCheckpointSlot = nil
    }

    /// Writes the commit counters (attributes overwritten in place).
    func writeCounters() throws {
        typealias N = RunFileNames
        if let pending = pendingCheckpointSlot {
            committedCheckpointSlot = pending
            pendingCheckpointSlot = nil
        }
        try group.setAttribute(N.committedEvaluations, Int64(evaluations))
        try group.setAttribute(N.committedTournaments, Int64(tournaments))
        try group.setAttribute(N.checkpointSlot, committedCheckpointSlot)
        committedEvaluations = evaluations
        committedTournaments = tournaments
    }

    func close() throws {
        for dataset in allDatasets { try dataset.close() }
        try checkpoint?.group.close()
        try group.close()
    }
}

/// The double-buffered checkpoint of a replicate: every dataset has a leading axis of 2 slots.
/// A checkpoint is written into the slot the committed `checkpoint_slot` does not name, and the
/// commit flips `checkpoint_slot`, so the committed checkpoint is never overwritten before a
/// newer one is committed.
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
        let perSlot = storage.checkpointSlots
        genotypes = try group.createDataset(N.populationGenotypes, of: Double.self, shape: [2, populationSize, geneCount], storage: perSlot)
        fitness = try group.createDataset(N.populationFitness, of: Double.self, shape: [2, populationSize], storage: perSlot)
        evaluationRows = try group.createDataset(N.populationEvaluationRows, of: Int64.self, shape: [2, populationSize], storage: perSlot)
        rngState = try group.createDataset(N.rngState, of: UInt64.self, shape: [2, 4], storage: perSlot)
        nextTournament = try group.createDataset(N.nextTournament, of: Int64.self, shape: [2], storage: perSlot)
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

    func write(_ record: CheckpointRecord, slot: Int) throws {
        try genotypes.writeRows(record.populationGenotypes.flatMap { $0 }, at: slot, rows: 1)
        try fitness.writeRows(record.populationFitness, at: slot, rows: 1)
        try evaluationRows.writeRows(record.populationEvaluationRows, at: slot, rows: 1)
        try rngState.writeRows(record.rngState, at: slot, rows: 1)
        try nextTournament.writeRows([record.nextTournament], at: slot, rows: 1)
    }

    func read(slot: Int) throws -> CheckpointRecord {
        let flat = try genotypes.read(rows: slot..<(slot + 1), as: Double.self)
        let genotypes = (0..<populationSize).map { Array(flat[($0 * geneCount)..<(($0 + 1) * geneCount)]) }
        return CheckpointRecord(
            populationGenotypes: genotypes,
            populationFitness: try fitness.read(rows: slot..<(slot + 1), as: Double.self),
            populationEvaluationRows: try evaluationRows.read(rows: slot..<(slot + 1), as: Int64.self),
            rngState: try rngState.read(rows: slot..<(slot + 1), as: UInt64.self),
            nextTournament: try nextTournament.read(rows: slot..<(slot + 1), as: Int64.self)[0])
    }
}
