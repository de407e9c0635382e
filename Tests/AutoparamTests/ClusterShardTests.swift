import Cluster
import ExperimentFiles
import MushroomBodyModel
import RunFile
import Runner
import Foundation
import XCTest

/// Sharded runs of a real (tiny) experiment: a replicate's datasets do not depend on which
/// other replicates ran beside it, and merged shards equal the single run.
final class ClusterShardTests: XCTestCase {
    /// quickstart with 3 replicates, population 4, 3 tournaments, 8 images: 7 evaluations each.
    static func experiment(output: String) throws -> Experiment {
        var e = try ExperimentLoader.load(
            path: ClusterSupport.packageRoot.appendingPathComponent("experiments/quickstart.yaml").path,
            overrides: ["replicates=3", "ga.population=4", "ga.tournaments=3", "dataset.count=8"])
        e.output = output
        return e
    }

    /// The runs, made once: the full run, replicate 1 alone, replicates 0 and 1 together, replicate 2.
    struct Runs {
        let dir: String
        var full: String { dir + "/full.h5" }
        var alone: String { dir + "/alone-1.h5" }
        var pair: String { dir + "/pair-0-1.h5" }
        var last: String { dir + "/last-2.h5" }
    }

    nonisolated(unsafe) static var made: Result<Runs, Error>?

    static func runs() throws -> Runs {
        if let made { return try made.get() }
        let result = Result<Runs, Error> {
            let runs = Runs(dir: try ClusterSupport.scratch("shards"))
            for (path, replicates) in [(runs.full, nil), (runs.alone, [1]), (runs.pair, [0, 1]), (runs.last, [2])] as [(String, [Int]?)] {
                let summary = try ExperimentRunner.run(try experiment(output: path), options: RunOptions(quiet: true, replicates: replicates))
                XCTAssertEqual(summary.replicateIndices, replicates ?? [0, 1, 2])
                XCTAssertFalse(summary.interrupted)
            }
            return runs
        }
        made = result
        return try result.get()
    }

    override class func tearDown() {
        if case .success(let runs)? = made { try? FileManager.default.removeItem(atPath: runs.dir) }
        made = nil
        super.tearDown()
    }

    /// The datasets under /replicates/00r/ of a file.
    func replicateDatasets(_ path: String, _ r: Int) throws -> [String: String] {
        let prefix = String(format: "/replicates/%03d/", r)
        return try ClusterSupport.datasets(path).filter { $0.key.hasPrefix(prefix) }
    }

    func testAReplicateIsTheSameAloneInAShardOfTwoAndInTheFullRun() throws {
        let runs = try Self.runs()
        let full = try replicateDatasets(runs.full, 1)
        XCTAssertGreaterThan(full.count, 30)
        XCTAssertTrue(full.keys.contains("/replicates/001/spikes/KC/steps"))
        XCTAssertTrue(full.keys.contains("/replicates/001/checkpoint/population_genotypes"))
        for path in [runs.alone, runs.pair] {
            let other = try replicateDatasets(path, 1)
            XCTAssertEqual(Set(other.keys), Set(full.keys), path)
            for key in full.keys.sorted() where other[key] != full[key] {
                XCTFail("\(path): \(key) differs from the full run's")
            }
        }
        // Through the reader too: evaluations with spikes, tournaments, the checkpoint.
        let a = try RunReader(path: runs.full), b = try RunReader(path: runs.alone)
        defer { try? a.close(); try? b.close() }
        XCTAssertEqual(try a.committedEvaluations(replicate: 1), 7)
        for row in 0..<7 {
            var x = try a.evaluation(replicate: 1, row: row), y = try b.evaluation(replicate: 1, row: row)
            x.wallSeconds = 0; y.wallSeconds = 0
            for k in x.seedEvaluations.indices { x.seedEvaluations[k].wallSeconds = 0 }  // each network's timing
            for k in y.seedEvaluations.indices { y.seedEvaluations[k].wallSeconds = 0 }
            XCTAssertEqual(x, y, "row \(row)")
        }
        XCTAssertEqual(try a.tournaments(replicate: 1), try b.tournaments(replicate: 1))
        XCTAssertEqual(try a.checkpoint(replicate: 1), try b.checkpoint(replicate: 1))
        // The replicates a shard did not run are pending and empty.
        XCTAssertEqual(try b.state(replicate: 0).status, .pending)
        XCTAssertEqual(try b.committedEvaluations(replicate: 0), 0)
        XCTAssertEqual(try b.committedEvaluations(replicate: 2), 0)
    }

    func testShardsMergedEqualTheSingleRun() throws {
        let runs = try Self.runs()
        let merged = runs.dir + "/merged.h5"
        let summary = try RunMerger.merge(parts: [runs.pair, runs.last], output: merged, options: MergeOptions(force: true, strict: true))
        XCTAssertEqual(summary.replicates.map(\.part), [runs.pair, runs.pair, runs.last])
        try ClusterSupport.assertSameRun(runs.full, merged)
        // Parts in another order: the same file.
        let reversed = runs.dir + "/merged-reversed.h5"
        try RunMerger.merge(parts: [runs.last, runs.pair], output: reversed, options: MergeOptions(force: true, strict: true))
        try ClusterSupport.assertSameRun(runs.full, reversed)
    }

    /// A merged file with a missing replicate resumes into the single run: `--resume` runs what
    /// no part had.
    func testResumingAMergedFileWithAMissingReplicateGivesTheSingleRun() throws {
        let runs = try Self.runs()
        let merged = runs.dir + "/resumed.h5"
        let summary = try RunMerger.merge(parts: [runs.last, runs.alone], output: merged, options: MergeOptions(force: true))
        XCTAssertEqual(summary.missing, [0])
        _ = try ExperimentRunner.run(try Self.experiment(output: merged), options: RunOptions(resume: true, quiet: true, replicates: [0]))
        try ClusterSupport.assertSameRun(runs.full, merged)
    }
}
