import HDF5
import MushroomBodyModel

/// One of the K networks a genotype was evaluated on (`evaluation.seeds` K > 1): its own
/// fitness, components, status, seed, wall time and spikes. Stored in `seeds/`, row
/// e·K + k for seed index k of evaluation row e (docs/hdf5-layout.md).
public struct SeedEvaluationRecord: Sendable, Hashable {
    public var fitness: Double
    public var components: [Double]
    public var status: Int32
    public var statusMessage: String
    public var seed: UInt64
    public var wallSeconds: Double
    /// One train per recorded population (the layout's `populationNames`).
    public var spikes: [SpikeTrain]

    public init(fitness: Double, components: [Double], status: Int32, statusMessage: String, seed: UInt64,
                wallSeconds: Double, spikes: [SpikeTrain]) {
        self.fitness = fitness; self.components = components; self.status = status; self.statusMessage = statusMessage
        self.seed = seed; self.wallSeconds = wallSeconds; self.spikes = spikes
    }
}

/// The `seeds/` group of a replicate whose run evaluates each genotype on K > 1 networks
/// (internal): K rows per evaluation row, and ragged spike arrays with one entry per row.
final class SeedStore {
    let seedCount: Int
    let fitness, components, status, statusMessage, seed, wallSeconds: HDF5Dataset
    let spikeSteps: [HDF5Dataset], spikeIDs: [HDF5Dataset], spikeIndex: [HDF5Dataset]
    var spikeTotals: [UInt64]

    var columns: [HDF5Dataset] { [fitness, components, status, statusMessage, seed, wallSeconds] }
    var datasets: [HDF5Dataset] { columns + spikeSteps + spikeIDs + spikeIndex }

    init(group: HDF5Group, layout: RunLayout, create: Bool, storage: RunFileStorage) throws {
        typealias N = RunFileNames
        seedCount = layout.seedCount
        func column<T: HDF5Numeric>(_ path: String, _: T.Type, width: Int? = nil, storage s: HDF5Storage? = nil) throws -> HDF5Dataset {
            if create {
                let dataset = try group.createDataset(path, of: T.self, shape: width.map { [0, $0] } ?? [0], extendable: true,
                                                      storage: s ?? storage.rows)
                try RunFileDescriptions.describe(dataset, path: path)
                return dataset
            }
            return try group.openDataset(path)
        }
        let base = N.seedEvaluations
        fitness = try column("\(base)/\(N.fitness)", Double.self)
        components = try column("\(base)/\(N.components)", Double.self, width: layout.componentNames.count)
        status = try column("\(base)/\(N.status)", Int32.self)
        statusMessage = create
            ? try group.createDataset("\(base)/\(N.statusMessage)", type: .fixedString(N.statusMessageBytes), shape: [0],
                                      extendable: true, storage: storage.rows)
            : try group.openDataset("\(base)/\(N.statusMessage)")
        if create { try RunFileDescriptions.describe(statusMessage, path: "\(base)/\(N.statusMessage)") }
        seed = try column("\(base)/\(N.seed)", UInt64.self)
        wallSeconds = try column("\(base)/\(N.wallSeconds)", Double.self)
        var steps: [HDF5Dataset] = [], ids: [HDF5Dataset] = [], offsets: [HDF5Dataset] = []
        for name in layout.populationNames {
            let path = "\(base)/\(N.spikes)/\(name)"
            steps.append(try column("\(path)/\(N.steps)", UInt32.self, storage: storage.spikes))
            ids.append(try column("\(path)/\(N.ids)", UInt32.self, storage: storage.spikes))
            let offset = try column("\(path)/\(N.index)", UInt64.self, storage: storage.offsets)
            if create { try offset.append([UInt64(0)]) }
            offsets.append(offset)
        }
        spikeSteps = steps; spikeIDs = ids; spikeIndex = offsets
        spikeTotals = Array(repeating: 0, count: layout.populationNames.count)
        if create {
            try components.setAttribute(N.names, layout.componentNames)
            let g = try group.openGroup(base)
            try g.setAttribute(N.seedCount, Int64(seedCount))
            try g.close()
        } else {
            for p in spikeIndex.indices {
                let rows = try spikeIndex[p].rowCount()
                spikeTotals[p] = try spikeIndex[p].read(rows: (rows - 1)..<rows, as: UInt64.self)[0]
            }
        }
    }

    /// Appends the K seed rows of one evaluation.
    func append(_ records: [SeedEvaluationRecord]) throws {
        guard records.count == seedCount else {
            throw RunFileError("evaluation: \(records.count) seed results for \(seedCount) seeds per evaluation")
        }
        for r in records {
            try fitness.append([r.fitness])
            try components.append(r.components, rows: 1)
            try status.append([r.status])
            try statusMessage.append([r.statusMessage])
            try seed.append([r.seed])
            try wallSeconds.append([r.wallSeconds])
            for (p, train) in r.spikes.enumerated() {
                try spikeSteps[p].append(train.steps)
                try spikeIDs[p].append(train.ids)
                spikeTotals[p] += UInt64(train.count)
                try spikeIndex[p].append([spikeTotals[p]])
            }
        }
    }

    /// Keeps the rows of the first `evaluations` evaluation rows.
    func truncate(evaluations e: Int) throws {
        let rows = e * seedCount
        for c in columns { try c.setRowCount(rows) }
        for p in spikeIndex.indices {
            let end = try spikeIndex[p].read(rows: rows..<(rows + 1), as: UInt64.self)[0]
            try spikeIndex[p].setRowCount(rows + 1)
            try spikeSteps[p].setRowCount(Int(end))
            try spikeIDs[p].setRowCount(Int(end))
            spikeTotals[p] = end
        }
    }
}
