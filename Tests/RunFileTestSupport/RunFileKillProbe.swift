#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MushroomBodyModel
import RunFile

/// Test support for the crash-safety checks (hidden CLI subcommand and the kill tests): writes a
/// synthetic run file as fast as it can, committing after every step, so that a SIGKILL from a
/// test lands inside HDF5 calls, flushes included, as often as possible.
///
/// Every value is a pure function of (replicate, row), so a checker can verify each committed
/// row exactly (Tests/python/runfile_probe_check.py mirrors `expectedEvaluation`). If `path`
/// exists the probe resumes it (`RunRecorder.open`), which also exercises recovery after a kill.
///
/// After each commit it writes one line to standard output, unbuffered, so a parent knows what
/// was acknowledged: `commit <E> <T> <s> <S>`, with the evaluations and tournaments committed in
/// replicate 0, the seconds spent inside `commit()` so far and the seconds since the start.
public enum RunFileKillProbe {
    /// Which durability settings the probe writes with.
    public enum Profile: String, Sendable, CaseIterable {
        /// The recorder's settings.
        case production
        /// HDF5 defaults with a single flush per commit (the baseline of the experiments).
        case hdf5Defaults = "hdf5-defaults"
        /// The recorder's settings, except that HDF5 may reuse freed file space (experiment).
        case reuseFreedSpace = "reuse-freed-space"
        /// The recorder's settings, except that spikes and weights are deflated (experiment).
        case compressedBulk = "compressed-bulk"
        /// The recorder's settings, except HDF5's default chunk-index node size (64 entries),
        /// no page alignment and half-size spike and weight chunks (experiment).
        case smallIndexNodes = "small-index-nodes"
        /// The recorder's settings, except 1024-entry chunk-index nodes (33 KiB, several pages)
        /// and no page alignment (experiment: torn node writes).
        case largeIndexNodes = "large-index-nodes"
        /// Production, but resume does not re-encode torn tail chunks (checksum experiment).
        case noTailRepair = "no-tail-repair"
        /// Production without Fletcher-32 checksums (the layout before checksums).
        case noChecksums = "no-checksums"

        var durability: RunFileDurability {
            switch self {
            case .production: return .production
            case .hdf5Defaults: return .naive
            case .reuseFreedSpace:
                var durability = RunFileDurability.production
                durability.reuseFreedSpace = true
                return durability
            case .compressedBulk:
                var durability = RunFileDurability.production
                durability.storage = .compressedBulk
                return durability
            case .smallIndexNodes:
                var durability = RunFileDurability.production
                durability.storage = .smallChunks
                durability.chunkIndexHalfNode = nil
                durability.alignment = nil
                return durability
            case .noTailRepair:
                var durability = RunFileDurability.production
                durability.repairTailChunks = false
                return durability
            case .noChecksums:
                var durability = RunFileDurability.production
                durability.storage = RunFileStorage.production.withoutChecksums
                return durability
            case .largeIndexNodes:
                var durability = RunFileDurability.production
                durability.chunkIndexHalfNode = 512
                durability.alignment = nil
                return durability
            }
        }
    }

    /// Layout of the probe's run file.
    public static let layout = RunLayout(
        replicateCount: 2,
        genes: (0..<5).map { GeneDescription(name: "g\($0)", prior: "uniform(0, 1)", lower: 0, upper: 1) },
        componentNames: ["accuracy", "sparsity", "stability"],
        populationNames: ["PN", "KC", "DN", "GGN"],
        recordsWeights: true, dtMilliseconds: 0.1, stepsPerEvaluation: 2_000, populationSize: populationSize)

    /// Population slots of the probe's GA.
    public static let populationSize = 8

    /// Runs `iterations` steps (each: one evaluation, one tournament and one checkpoint per
    /// replicate, then a commit). Creates `path` with the initial population first if needed.
    ///
    /// `pauseMilliseconds` sleeps before each step, standing in for the simulation time of a
    /// real tournament (0: commit as fast as possible).
    public static func run(path: String, iterations: Int, profile: Profile = .production,
                           pauseMilliseconds: Int = 0) throws {
        let durability = profile.durability
        let started = now()
        var inCommit = 0.0
        func commit(_ recorder: RunRecorder) throws {
            let start = now()
            try recorder.commit()
            inCommit += now() - start
            report(try recorder.state(replicate: 0), inCommit: inCommit, total: now() - started)
        }
        let recorder: RunRecorder
        if access(path, F_OK) == 0 {
            recorder = try RunRecorder.open(path: path, durability: durability)
        } else {
            let provenance = RunProvenance(toolVersion: "kill-probe", createdISO8601: "2026-01-01T00:00:00Z",
                                           experimentName: "kill-probe", masterSeed: 42,
                                           experimentText: "name: kill-probe\n", host: "probe", threads: 1)
            let dataset = RunDatasetRecord(images: (0..<(4 * 784)).map { UInt8(truncatingIfNeeded: $0) },
                                           labels: [0, 1, 2, 3], imageCount: 4, classNames: ["a", "b", "c", "d"])
            recorder = try RunRecorder.create(path: path, provenance: provenance, dataset: dataset, layout: layout,
                                              replicateSeeds: [1, 2], overwrite: false, durability: durability)
        }
        // The initial population (again, if a kill came before it was committed).
        if try recorder.state(replicate: 0).committedEvaluations < populationSize {
            for replicate in 0..<layout.replicateCount {
                for slot in 0..<populationSize {
                    try recorder.appendEvaluation(replicate: replicate, expectedEvaluation(replicate: replicate, row: slot))
                }
                try recorder.setReplicateStatus(replicate: replicate, status: .running, wallSeconds: 0)
            }
            try commit(recorder)
        }
        for _ in 0..<iterations {
            if pauseMilliseconds > 0 { usleep(useconds_t(pauseMilliseconds * 1000)) }
            for replicate in 0..<layout.replicateCount {
                let state = try recorder.state(replicate: replicate)
                let row = state.committedEvaluations
                let tournament = state.committedTournaments
                try recorder.appendEvaluation(replicate: replicate, expectedEvaluation(replicate: replicate, row: row))
                try recorder.appendTournament(replicate: replicate, expectedTournament(replicate: replicate, index: tournament))
                try recorder.checkpoint(replicate: replicate, expectedCheckpoint(replicate: replicate, tournaments: tournament + 1))
            }
            try commit(recorder)
        }
        try recorder.finish()
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    private static func report(_ state: RunReplicateState, inCommit: Double, total: Double) {
        let line = "commit \(state.committedEvaluations) \(state.committedTournaments) \(inCommit) \(total)\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(1, $0.baseAddress, line.utf8.count) }
    }

    /// The evaluation the probe writes at `row` of `replicate`. Row r < populationSize is the
    /// initial population (tournament −1); row r ≥ populationSize is produced by tournament
    /// r − populationSize.
    public static func expectedEvaluation(replicate: Int, row: Int) -> EvaluationRecord {
        let e = UInt64(row), r = UInt64(replicate)
        let kc = Int32(2_000 + (row * 37) % 500)
        let sizes: [Int32] = [784, kc, 10, 1]
        let counts = [Int(e &* 37 % 5_000), Int(e &* 53 % 3_000 + r), Int(e % 50), Int(e % 200)]
        let spikes = sizes.indices.map { p -> SpikeTrain in
            let n = counts[p]
            return SpikeTrain(steps: (0..<n).map { UInt32($0 * 2_000 / max(n, 1)) },
                              ids: (0..<n).map { UInt32((UInt64($0) &* 31 &+ e) % UInt64(sizes[p])) })
        }
        let weights: [Float]? = row % 4 == 3 ? nil : (0..<(Int(kc) * 10)).map { Float(row) + Float($0 % 1000) / 1000 }
        return EvaluationRecord(
            genotype: (0..<5).map { Double(row) + Double($0) / 10 + Double(replicate) * 1000 },
            fitness: Double(row) * 0.5 + Double(replicate), maxFitness: 100,
            components: [Double(row), Double(replicate), -1],
            status: Int32(row % 3), statusMessage: row % 3 == 0 ? "" : "status of row \(row)",
            seed: e &* 1_000_003 &+ r, wallSeconds: Double(row) / 1000,
            tournament: row < populationSize ? -1 : Int64(row - populationSize),
            slot: Int32(row % populationSize), populationSizes: sizes, spikes: spikes, finalWeights: weights)
    }

    /// The tournament the probe writes at `index` of `replicate` (its loser's evaluation is row
    /// populationSize + index).
    public static func expectedTournament(replicate: Int, index: Int) -> TournamentRecord {
        let a = Int32(index % populationSize), b = Int32((index + 3) % populationSize)
        return TournamentRecord(index: Int64(index), a: a, b: b, winner: a, loser: b,
                                crossoverMask: (0..<5).map { UInt8(($0 + index) % 2) },
                                mutatedGenes: (0..<5).map { UInt8($0 == index % 5 ? 1 : 0) },
                                evaluationRow: Int64(populationSize + index),
                                bestFitness: Double(index), meanFitness: Double(index) / 2, minFitness: Double(replicate))
    }

    /// The checkpoint the probe commits after `tournaments` tournaments of `replicate`.
    public static func expectedCheckpoint(replicate: Int, tournaments: Int) -> CheckpointRecord {
        CheckpointRecord(
            populationGenotypes: (0..<populationSize).map { slot in (0..<5).map { Double(tournaments * 100 + slot * 10 + $0) } },
            populationFitness: (0..<populationSize).map { Double(tournaments) + Double($0) / 8 },
            populationEvaluationRows: (0..<populationSize).map { Int64(tournaments + $0) },
            rngState: [UInt64(tournaments), UInt64(replicate), 3, 4], nextTournament: Int64(tournaments))
    }
}
