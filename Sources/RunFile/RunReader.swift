#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HDF5
import MushroomBodyModel

/// The committed evaluation rows of one replicate, column by column (row e of every array is
/// evaluation e).
public struct RunEvaluationTable: Sendable, Hashable {
    /// Gene values per evaluation (each `layout.genes.count` long).
    public var genotypes: [[Double]]
    /// Fitness and the rubric's maximum per evaluation.
    public var fitness: [Double]
    public var maxFitness: [Double]
    /// Fitness components per evaluation (each `layout.componentNames.count` long).
    public var components: [[Double]]
    /// `EvaluationStatus` raw values.
    public var status: [Int32]
    /// Status details (empty when ok), evaluation seeds, wall-clock seconds.
    public var statusMessages: [String]
    public var seeds: [UInt64]
    public var wallSeconds: [Double]
    /// Producing tournament, −1 for the initial population.
    public var tournaments: [Int64]
    /// Population slot of each evaluated genotype.
    public var slots: [Int32]
    /// Recorded population sizes per evaluation (each `layout.populationNames.count` long).
    public var populationSizes: [[Int32]]

    /// Number of rows.
    public var count: Int { fitness.count }
}

/// Best, mean and minimum population fitness after each committed tournament.
public struct RunFitnessTrace: Sendable, Hashable {
    /// Tournament index of each point.
    public var tournaments: [Int64]
    /// Best, mean and minimum population fitness after that tournament.
    public var best: [Double]
    public var mean: [Double]
    public var min: [Double]
}

/// Reads a run file: complete, still being written, or left behind by a killed writer.
///
/// Only committed rows are exposed: the commit counters are read when the reader opens, and
/// every accessor stops there, so the reader is a consistent snapshot (open a new one to see
/// later commits). Committed rows and checkpoints are never rewritten, which makes the snapshot
/// safe to read while a writer appends. The reader opens the file read-only without taking a
/// file lock, so it never blocks the writer. A read that races a writer's flush can see
/// metadata newer than the file header it opened with; the reader then reopens the file and
/// retries (up to 5 times) before giving up.
///
/// Use from one thread or actor; the class is not `Sendable`.
public final class RunReader {
    /// Path of the file.
    public let path: String
    /// Root attributes: who wrote the file, from which experiment.
    public let provenance: RunProvenance
    /// Genes, components, populations, time step (genes from replicate 000).
    public let layout: RunLayout

    private var file: HDF5File
    private var replicateGroups: [Int: HDF5Group] = [:]
    private let committed: [(evaluations: Int, tournaments: Int, checkpoints: Int)]

    /// Opens `path` read-only and takes a snapshot of the commit counters.
    public init(path: String) throws {
        self.path = path
        typealias N = RunFileNames
        var attempt = 0
        while true {
            do {
                let file = try RunReader.openFile(path)
                let (provenance, layout) = try RunReader.readHeader(file.root)
                var committed: [(Int, Int, Int)] = []
                var groups: [Int: HDF5Group] = [:]
                for index in 0..<layout.replicateCount {
                    let group = try file.root.openGroup("\(N.replicates)/\(N.replicate(index))")
                    committed.append((Int(try group.attribute(N.committedEvaluations, as: Int64.self)),
                                      Int(try group.attribute(N.committedTournaments, as: Int64.self)),
                                      Int(try group.attribute(N.committedCheckpoints, as: Int64.self))))
                    // A replicate whose writer may have been killed (not complete) can hold a
                    // tail chunk torn mid-rewrite: its committed rows are intact but fail the
                    // chunk's checksum until a resume re-encodes it (docs/hdf5-layout.md).
                    // Complete replicates are read fully checked.
                    group.toleratesTornTailChunk = (try group.stringAttribute(N.status)) != ReplicateStatus.complete.rawValue
                    groups[index] = group
                }
                (self.file, self.provenance, self.layout, self.committed, self.replicateGroups) =
                    (file, provenance, layout, committed, groups)
                return
            } catch let error as HDF5Error {
                attempt += 1
                // A missing or foreign file fails the same way every time: do not wait for it.
                guard attempt < RunReader.attempts, access(path, R_OK) == 0 else { throw error }
                usleep(useconds_t(20_000 * attempt))
            }
        }
    }

    /// Closes the file.
    public func close() throws {
        for group in replicateGroups.values { try group.close() }
        replicateGroups = [:]
        try file.close()
    }

    private static let attempts = 5

    private static func openFile(_ path: String) throws -> HDF5File {
        try HDF5File.open(path: path, mode: .readOnly, options: HDF5FileOptions(fileLocking: false))
    }

    /// Runs `body`; on an HDF5 error (a read racing the writer's flush) reopens the file and
    /// tries again. The snapshot (counters) is kept: the rows it names never change.
    func retrying<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as HDF5Error {
                attempt += 1
                guard attempt < RunReader.attempts else { throw error }
                usleep(useconds_t(20_000 * attempt))
                for group in replicateGroups.values { try? group.close() }
                replicateGroups = [:]
                try? file.close()
                file = try RunReader.openFile(path)
            }
        }
    }

    // MARK: - Header

    static func readHeader(_ root: HDF5Group) throws -> (RunProvenance, RunLayout) {
        typealias N = RunFileNames
        guard try root.hasAttribute(N.format), try root.stringAttribute(N.format) == RunProvenance.currentFormatName else {
            throw RunFileError("'\(root.path)' is not an autoparam run file (attribute 'format' missing or different)")
        }
        let version = Int(try root.attribute(N.formatVersion, as: Int64.self))
        guard version == RunProvenance.currentFormatVersion else {
            throw RunFileError("run file format version \(version) is not supported (this build reads \(RunProvenance.currentFormatVersion))")
        }
        let provenance = RunProvenance(
            formatName: try root.stringAttribute(N.format), formatVersion: version,
            toolVersion: try root.stringAttribute(N.toolVersion), createdISO8601: try root.stringAttribute(N.created),
            experimentName: try root.stringAttribute(N.experimentName),
            masterSeed: try root.attribute(N.masterSeed, as: UInt64.self),
            experimentText: try root.stringAttribute(N.experimentYAML),
            resolvedExperiment: try root.hasAttribute(N.resolvedExperimentYAML) ? root.stringAttribute(N.resolvedExperimentYAML) : "",
            host: try root.stringAttribute(N.host),
            threads: Int(try root.attribute(N.threads, as: Int64.self)))
        let replicateCount = Int(try root.attribute(N.replicateCount, as: Int64.self))
        let genes = try root.openGroup("\(N.replicates)/\(N.replicate(0))/\(N.genes)")
        let names = try genes.openDataset(N.names).readStrings()
        let priors = try genes.openDataset(N.priors).readStrings()
        let lower = try genes.openDataset(N.lower).read(as: Double.self)
        let upper = try genes.openDataset(N.upper).read(as: Double.self)
        let layout = RunLayout(
            replicateCount: replicateCount,
            genes: names.indices.map { GeneDescription(name: names[$0], prior: priors[$0], lower: lower[$0], upper: upper[$0]) },
            componentNames: try root.stringArrayAttribute(N.components),
            populationNames: try root.stringArrayAttribute(N.populations),
            recordsWeights: try root.attribute(N.recordsWeights, as: Int64.self) != 0,
            dtMilliseconds: try root.attribute(N.dtMilliseconds, as: Double.self),
            stepsPerEvaluation: Int(try root.attribute(N.stepsPerEvaluation, as: Int64.self)),
            populationSize: try root.hasAttribute(N.populationSize)
                ? Int(try root.attribute(N.populationSize, as: Int64.self)) : nil,
            protocolDescription: try readProtocolDescription(root),
            seedCount: try root.hasAttribute(N.evaluationSeeds) ? Int(try root.attribute(N.evaluationSeeds, as: Int64.self)) : 1,
            seedAggregate: try root.hasAttribute(N.evaluationAggregate) ? try root.stringAttribute(N.evaluationAggregate) : "mean")
        return (provenance, layout)
    }

    /// The protocol's timing and the network's sizes, nil in files written before they were recorded.
    static func readProtocolDescription(_ root: HDF5Group) throws -> RunProtocolDescription? {
        typealias N = RunFileNames
        guard try root.hasAttribute(N.stimulusMilliseconds) else { return nil }
        return RunProtocolDescription(
            stimulusMilliseconds: try root.attribute(N.stimulusMilliseconds, as: Double.self),
            blankMilliseconds: try root.attribute(N.blankMilliseconds, as: Double.self),
            trainingImages: Int(try root.attribute(N.trainingImages, as: Int64.self)),
            testImages: Int(try root.attribute(N.testImages, as: Int64.self)),
            epochs: try root.hasAttribute(N.epochs) ? Int(try root.attribute(N.epochs, as: Int64.self)) : nil,
            networkPopulations: try root.stringArrayAttribute(N.networkPopulations),
            networkPopulationSizes: try root.attributeArray(N.networkPopulationSizes, as: Int64.self).map(Int.init),
            variesWithGenes: try root.stringArrayAttribute(N.variesWithGenes))
    }

    // MARK: - Dataset

    /// The image set the run evaluated on.
    public func dataset() throws -> RunDatasetRecord {
        try retrying {
            typealias N = RunFileNames
            let group = try file.root.openGroup(N.dataset)
            let images = try group.openDataset(N.images)
            return RunDatasetRecord(images: try images.read(as: UInt8.self),
                                    labels: try group.openDataset(N.labels).read(as: Int32.self),
                                    imageCount: try images.rowCount(),
                                    classNames: try group.stringArrayAttribute(N.classNames))
        }
    }

    // MARK: - Replicates

    /// Committed state of a replicate (counters, status, latest committed checkpoint).
    public func state(replicate: Int) throws -> RunReplicateState {
        try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            let text = try group.stringAttribute(N.status)
            return RunReplicateState(
                replicate: replicate, seed: try group.attribute(N.seed, as: UInt64.self),
                status: ReplicateStatus(rawValue: text) ?? .interrupted,
                wallSeconds: try group.attribute(N.wallSeconds, as: Double.self),
                committedEvaluations: committed[replicate].evaluations,
                committedTournaments: committed[replicate].tournaments,
                checkpoint: try checkpoint(replicate: replicate))
        }
    }

    /// Number of committed evaluations of `replicate`.
    public func committedEvaluations(replicate: Int) throws -> Int {
        _ = try group(replicate)
        return committed[replicate].evaluations
    }

    /// Number of committed tournaments of `replicate`.
    public func committedTournaments(replicate: Int) throws -> Int {
        _ = try group(replicate)
        return committed[replicate].tournaments
    }

    /// All committed evaluation rows of `replicate` (without spikes and weights).
    public func evaluations(replicate: Int) throws -> RunEvaluationTable {
        try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            let rows = 0..<committed[replicate].evaluations
            func column<T: HDF5Numeric>(_ name: String, _: T.Type) throws -> [T] {
                try group.openDataset("\(N.evaluations)/\(name)").read(rows: rows, as: T.self)
            }
            return RunEvaluationTable(
                genotypes: split(try column(N.genotype, Double.self), width: layout.genes.count, rows: rows.count),
                fitness: try column(N.fitness, Double.self),
                maxFitness: try column(N.maxFitness, Double.self),
                components: split(try column(N.components, Double.self), width: layout.componentNames.count, rows: rows.count),
                status: try column(N.status, Int32.self),
                statusMessages: try group.openDataset("\(N.evaluations)/\(N.statusMessage)").readStrings(rows: rows),
                seeds: try column(N.seed, UInt64.self),
                wallSeconds: try column(N.wallSeconds, Double.self),
                tournaments: try column(N.tournament, Int64.self),
                slots: try column(N.slot, Int32.self),
                populationSizes: split(try column(N.populationSizes, Int32.self), width: layout.populationNames.count, rows: rows.count))
        }
    }

    /// One committed evaluation, complete with spikes and weights.
    public func evaluation(replicate: Int, row: Int) throws -> EvaluationRecord {
        try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            try checkRow(row, replicate: replicate)
            let rows = row..<(row + 1)
            func value<T: HDF5Numeric>(_ name: String, _: T.Type) throws -> [T] {
                try group.openDataset("\(N.evaluations)/\(name)").read(rows: rows, as: T.self)
            }
            return EvaluationRecord(
                genotype: try value(N.genotype, Double.self), fitness: try value(N.fitness, Double.self)[0],
                maxFitness: try value(N.maxFitness, Double.self)[0], components: try value(N.components, Double.self),
                status: try value(N.status, Int32.self)[0],
                statusMessage: try group.openDataset("\(N.evaluations)/\(N.statusMessage)").readStrings(rows: rows)[0],
                seed: try value(N.seed, UInt64.self)[0], wallSeconds: try value(N.wallSeconds, Double.self)[0],
                tournament: try value(N.tournament, Int64.self)[0], slot: try value(N.slot, Int32.self)[0],
                populationSizes: try value(N.populationSizes, Int32.self),
                spikes: try layout.populationNames.indices.map { try spikes(replicate: replicate, evaluation: row, population: $0) },
                finalWeights: try finalWeights(replicate: replicate, evaluation: row),
                seedEvaluations: try seedEvaluations(replicate: replicate, row: row))
        }
    }

    /// Spikes of population `population` (index into `layout.populationNames`) in evaluation
    /// `evaluation`: rows `index[e] ..< index[e+1]` of `spikes/<POP>/steps` and `ids`.
    public func spikes(replicate: Int, evaluation: Int, population: Int) throws -> SpikeTrain {
        try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            try checkRow(evaluation, replicate: replicate)
            guard layout.populationNames.indices.contains(population) else {
                throw RunFileError("population \(population) does not exist (\(layout.populationNames.count) recorded)")
            }
            let base = "\(N.spikes)/\(layout.populationNames[population])"
            let bounds = try group.openDataset("\(base)/\(N.index)").read(rows: evaluation..<(evaluation + 2), as: UInt64.self)
            let rows = Int(bounds[0])..<Int(bounds[1])
            return SpikeTrain(steps: try group.openDataset("\(base)/\(N.steps)").read(rows: rows, as: UInt32.self),
                              ids: try group.openDataset("\(base)/\(N.ids)").read(rows: rows, as: UInt32.self))
        }
    }

    /// Spike counts of every committed evaluation of `replicate`, per recorded population:
    /// `counts[p][e] = index[e+1] − index[e]` of `spikes/<POP>/index` (no spikes are read).
    public func spikeCounts(replicate: Int) throws -> [[Int]] {
        try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            let e = committed[replicate].evaluations
            return try layout.populationNames.map { name in
                let offsets = try group.openDataset("\(N.spikes)/\(name)/\(N.index)").read(rows: 0..<(e + 1), as: UInt64.self)
                return (0..<e).map { Int(offsets[$0 + 1] - offsets[$0]) }
            }
        }
    }

    /// Spikes of the population called `population` (e.g. "KC").
    public func spikes(replicate: Int, evaluation: Int, population: String) throws -> SpikeTrain {
        guard let index = layout.populationNames.firstIndex(of: population) else {
            throw RunFileError("population '\(population)' is not recorded (\(layout.populationNames))")
        }
        return try spikes(replicate: replicate, evaluation: evaluation, population: index)
    }

    /// Final KC→DN weights (row-major KC×DN) of an evaluation; nil when the run does not record
    /// weights or the evaluation stored none.
    public func finalWeights(replicate: Int, evaluation: Int) throws -> [Float]? {
        try retrying {
            typealias N = RunFileNames
            guard layout.recordsWeights else { return nil }
            let group = try self.group(replicate)
            try checkRow(evaluation, replicate: replicate)
            let bounds = try group.openDataset("\(N.weights)/\(N.index)").read(rows: evaluation..<(evaluation + 2), as: UInt64.self)
            guard bounds[1] > bounds[0] else { return nil }
            return try group.openDataset("\(N.weights)/\(N.values)").read(rows: Int(bounds[0])..<Int(bounds[1]), as: Float.self)
        }
    }

    /// All committed tournaments of `replicate`, in order.
    public func tournaments(replicate: Int) throws -> [TournamentRecord] {
        try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            let count = committed[replicate].tournaments
            let rows = 0..<count
            func column<T: HDF5Numeric>(_ name: String, _: T.Type) throws -> [T] {
                try group.openDataset("\(N.tournaments)/\(name)").read(rows: rows, as: T.self)
            }
            let index = try column(N.tournament, Int64.self)
            let a = try column(N.a, Int32.self), b = try column(N.b, Int32.self)
            let winner = try column(N.winner, Int32.self), loser = try column(N.loser, Int32.self)
            let g = layout.genes.count
            let crossover = split(try column(N.crossoverMask, UInt8.self), width: g, rows: count)
            let mutated = split(try column(N.mutatedGenes, UInt8.self), width: g, rows: count)
            let evaluationRow = try column(N.evaluationRow, Int64.self)
            let best = try column(N.bestFitness, Double.self), mean = try column(N.meanFitness, Double.self)
            let minimum = try column(N.minFitness, Double.self)
            return rows.map {
                TournamentRecord(index: index[$0], a: a[$0], b: b[$0], winner: winner[$0], loser: loser[$0],
                                 crossoverMask: crossover[$0], mutatedGenes: mutated[$0], evaluationRow: evaluationRow[$0],
                                 bestFitness: best[$0], meanFitness: mean[$0], minFitness: minimum[$0])
            }
        }
    }

    /// Best, mean and minimum fitness after each committed tournament of `replicate`.
    public func fitnessTrace(replicate: Int) throws -> RunFitnessTrace {
        try retrying {
            typealias N = RunFileNames
            let group = try self.group(replicate)
            let rows = 0..<committed[replicate].tournaments
            func column<T: HDF5Numeric>(_ name: String, _: T.Type) throws -> [T] {
                try group.openDataset("\(N.tournaments)/\(name)").read(rows: rows, as: T.self)
            }
            return RunFitnessTrace(tournaments: try column(N.tournament, Int64.self), best: try column(N.bestFitness, Double.self),
                                   mean: try column(N.meanFitness, Double.self), min: try column(N.minFitness, Double.self))
        }
    }

    /// The latest committed checkpoint of `replicate`, nil if none was committed.
    public func checkpoint(replicate: Int) throws -> CheckpointRecord? {
        try retrying {
            let group = try self.group(replicate)
            let count = committed[replicate].checkpoints
            guard count > 0 else { return nil }
            let store = try CheckpointStore(open: try group.openGroup(RunFileNames.checkpoint))
            defer { try? store.group.close() }
            return try store.read(row: count - 1)
        }
    }

    // MARK: - Helpers

    func group(_ replicate: Int) throws -> HDF5Group {
        if let group = replicateGroups[replicate] { return group }
        guard (0..<layout.replicateCount).contains(replicate) else {
            throw RunFileError("replicate \(replicate) does not exist (\(layout.replicateCount) replicates)")
        }
        let group = try file.root.openGroup("\(RunFileNames.replicates)/\(RunFileNames.replicate(replicate))")
        replicateGroups[replicate] = group
        return group
    }

    func checkRow(_ row: Int, replicate: Int) throws {
        guard row >= 0, row < committed[replicate].evaluations else {
            throw RunFileError("evaluation \(row) of replicate \(replicate) is not committed (\(committed[replicate].evaluations) rows)")
        }
    }
}

/// Splits a flat row-major array into `rows` arrays of `width` values.
func split<T>(_ flat: [T], width: Int, rows: Int) -> [[T]] {
    (0..<rows).map { Array(flat[($0 * width)..<(($0 + 1) * width)]) }
}
