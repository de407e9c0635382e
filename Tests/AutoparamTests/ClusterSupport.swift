import MushroomBodyModel
import RunFile
import Foundation
import HDF5
import XCTest

/// Helpers of the Cluster tests: synthetic run files (instant, no simulation), a scratch
/// folder, and a dump of every dataset of a run file for exact comparison.
enum ClusterSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh scratch folder.
    static func scratch(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cluster-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    // MARK: - Synthetic run files

    /// The experiment a synthetic file claims to come from.
    struct Synthetic {
        var seed: UInt64 = 11
        var text = "name: synthetic\nseed: 11\n"
        var replicates = 4
        var population = 3
        var tournaments = 3
        var genes = 2
        var imageCount = 2

        var layout: RunLayout {
            RunLayout(replicateCount: replicates,
                      genes: (0..<genes).map { GeneDescription(name: "g\($0)", prior: "uniform(0, 1)", lower: 0, upper: 1) },
                      componentNames: ["c0", "c1"], populationNames: ["KC", "DN"], recordsWeights: true,
                      dtMilliseconds: 0.1, stepsPerEvaluation: 100)
        }

        var dataset: RunDatasetRecord {
            RunDatasetRecord(images: (0..<(imageCount * 784)).map { UInt8($0 % 251) },
                             labels: (0..<imageCount).map { Int32($0 % 2) }, imageCount: imageCount,
                             classNames: ["a", "b"])
        }

        func provenance(host: String = "host-a", created: String = "2026-01-01T00:00:00Z") -> RunProvenance {
            RunProvenance(toolVersion: "test", createdISO8601: created, experimentName: "synthetic", masterSeed: seed,
                          experimentText: text, host: host, threads: 1)
        }

        /// A value that depends on everything that identifies it, so that two replicates, rows or
        /// seeds never agree by chance.
        func value(_ r: Int, _ row: Int, _ k: Int) -> Double {
            Double((Int(seed % 1000) * 7919 + r * 1009 + row * 31 + k) % 9973) / 97.0
        }

        func evaluation(replicate r: Int, row: Int, tournament: Int) -> EvaluationRecord {
            let n = (r + row) % 4
            return EvaluationRecord(
                genotype: (0..<genes).map { value(r, row, $0) }, fitness: value(r, row, 100), maxFitness: 242,
                components: [value(r, row, 200), value(r, row, 201)], status: row % 5 == 4 ? 2 : 0,
                statusMessage: row % 5 == 4 ? "numerical failure at row \(row)" : "",
                seed: seed &* 1_000_003 &+ UInt64(r * 1000 + row), wallSeconds: Double.random(in: 0..<1),
                tournament: Int64(tournament), slot: Int32(row % population), populationSizes: [Int32(10 + n), 2],
                spikes: [SpikeTrain(steps: (0..<UInt32(n + 1)).map { $0 * 7 }, ids: (0..<UInt32(n + 1)).map { $0 % 10 }),
                         SpikeTrain(steps: row % 3 == 0 ? [] : [UInt32(row % 100)], ids: row % 3 == 0 ? [] : [1])],
                finalWeights: row % 3 == 1 ? nil : (0..<((10 + n) * 2)).map { Float(value(r, row, 300 + $0)) })
        }

        func checkpoint(replicate r: Int, next: Int) -> CheckpointRecord {
            CheckpointRecord(populationGenotypes: (0..<population).map { s in (0..<genes).map { value(r, next * 10 + s, 400 + $0) } },
                             populationFitness: (0..<population).map { value(r, next * 10 + $0, 500) },
                             populationEvaluationRows: (0..<population).map { Int64(next + $0) },
                             rngState: (0..<4).map { UInt64(r * 100 + next * 4 + $0) }, nextTournament: Int64(next))
        }

        /// Records replicate `r` as the runner does: the initial population and its checkpoint,
        /// then each tournament's evaluation, row and checkpoint, one commit each; then the status.
        /// `tournaments` and `status` default to a complete replicate; status nil leaves it as
        /// the writer left it (a killed job: pending, with rows).
        func record(_ recorder: RunRecorder, replicate r: Int, tournaments: Int? = nil, status: ReplicateStatus? = .complete) throws {
            for row in 0..<population {
                try recorder.appendEvaluation(replicate: r, evaluation(replicate: r, row: row, tournament: -1))
            }
            try recorder.checkpoint(replicate: r, checkpoint(replicate: r, next: 0))
            try recorder.commit()
            for t in 0..<(tournaments ?? self.tournaments) {
                let row = population + t
                try recorder.appendEvaluation(replicate: r, evaluation(replicate: r, row: row, tournament: t))
                try recorder.appendTournament(replicate: r, TournamentRecord(
                    index: Int64(t), a: Int32(t % population), b: Int32((t + 1) % population), winner: Int32(t % population),
                    loser: Int32((t + 1) % population), crossoverMask: (0..<genes).map { UInt8(($0 + t) % 2) },
                    mutatedGenes: (0..<genes).map { $0 == t % genes ? 1 : 0 }, evaluationRow: Int64(row),
                    bestFitness: value(r, row, 600), meanFitness: value(r, row, 601), minFitness: value(r, row, 602)))
                try recorder.checkpoint(replicate: r, checkpoint(replicate: r, next: t + 1))
                try recorder.commit()
            }
            if let status { try recorder.setReplicateStatus(replicate: r, status: status, wallSeconds: Double.random(in: 1..<2)) }
        }

        /// Writes a run file holding `replicates` (others pending and empty), as a shard would.
        func write(_ path: String, replicates selected: [Int], host: String = "host-a",
                   tournaments: [Int: Int] = [:], status: [Int: ReplicateStatus?] = [:]) throws {
            let recorder = try RunRecorder.create(
                path: path, provenance: provenance(host: host), dataset: dataset, layout: layout,
                replicateSeeds: (0..<replicates).map { seed &+ UInt64($0) * 1_000_000_007 }, overwrite: true)
            for r in selected {
                try record(recorder, replicate: r, tournaments: tournaments[r], status: status[r] ?? .complete)
            }
            try recorder.commit()
            try recorder.finish()
        }
    }

    // MARK: - Comparing run files

    /// Every dataset of an HDF5 file ("/replicates/000/evaluations/fitness" → type, shape and
    /// every value's bit pattern), except those called `wall_seconds` (timings).
    static func datasets(_ path: String) throws -> [String: String] {
        let file = try HDF5File.open(path: path, mode: .readOnly, options: HDF5FileOptions(fileLocking: false))
        defer { try? file.close() }
        var out: [String: String] = [:]
        func dump<T: HDF5Numeric>(_ d: HDF5Dataset, _: T.Type, _ text: (T) -> String) throws -> String {
            try d.read(as: T.self).map(text).joined(separator: ",")
        }
        func walk(_ group: HDF5Group, _ prefix: String) throws {
            for name in try group.childNames() {
                let path = prefix + "/" + name
                if try group.isGroup(name) {
                    let child = try group.openGroup(name)
                    try walk(child, path)
                    try child.close()
                    continue
                }
                guard name != "wall_seconds" else { continue }
                let d = try group.openDataset(name)
                let type = try d.elementType()
                let values: String
                switch type {
                case .uint8: values = try dump(d, UInt8.self) { String($0) }
                case .uint16: values = try dump(d, UInt16.self) { String($0) }
                case .uint32: values = try dump(d, UInt32.self) { String($0) }
                case .uint64: values = try dump(d, UInt64.self) { String($0) }
                case .int8: values = try dump(d, Int8.self) { String($0) }
                case .int16: values = try dump(d, Int16.self) { String($0) }
                case .int32: values = try dump(d, Int32.self) { String($0) }
                case .int64: values = try dump(d, Int64.self) { String($0) }
                case .float32: values = try dump(d, Float.self) { String($0.bitPattern, radix: 16) }
                case .float64: values = try dump(d, Double.self) { String($0.bitPattern, radix: 16) }
                case .string, .fixedString: values = try d.readStrings().map { $0.debugDescription }.joined(separator: ",")
                }
                out[path] = "\(type) \(try d.shape()) [\(values)]"
                try d.close()
            }
        }
        try walk(file.root, "")
        return out
    }

    /// Asserts that two run files hold the same datasets (timings aside), the same replicate
    /// states (status, seed, commit counters, checkpoint) and the same provenance (host,
    /// creation time and threads aside).
    static func assertSameRun(_ expected: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = try datasets(expected), b = try datasets(actual)
        XCTAssertEqual(Set(a.keys), Set(b.keys), "dataset names differ", file: file, line: line)
        for key in a.keys.sorted() where b[key] != nil && a[key] != b[key] {
            XCTFail("\(key) differs:\n  expected \(a[key]!.prefix(300))\n  actual   \(b[key]!.prefix(300))", file: file, line: line)
        }
        XCTAssertGreaterThan(a.count, 20, "too few datasets compared", file: file, line: line)
        let ra = try RunReader(path: expected), rb = try RunReader(path: actual)
        defer { try? ra.close(); try? rb.close() }
        var pa = ra.provenance, pb = rb.provenance
        pa.host = ""; pb.host = ""; pa.createdISO8601 = ""; pb.createdISO8601 = ""; pa.threads = 0; pb.threads = 0
        XCTAssertEqual(pa, pb, "provenance", file: file, line: line)
        XCTAssertEqual(ra.layout, rb.layout, "layout", file: file, line: line)
        for r in 0..<ra.layout.replicateCount {
            var sa = try ra.state(replicate: r), sb = try rb.state(replicate: r)
            sa.wallSeconds = 0; sb.wallSeconds = 0
            XCTAssertEqual(sa, sb, "replicate \(r) state", file: file, line: line)
        }
    }

    /// The bytes of each file, to check that a merge left its inputs alone.
    static func bytes(_ paths: [String]) -> [Data?] { paths.map { FileManager.default.contents(atPath: $0) } }
}
