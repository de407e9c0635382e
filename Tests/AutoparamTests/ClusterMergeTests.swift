import Cluster
import RunFile
import Foundation
import HDF5
import XCTest

/// `RunMerger` on synthetic run files (recorded through `RunRecorder` as the runner records,
/// without simulating): merged shards equal the single run, the merge refuses what does not
/// belong together with exact messages, reports missing replicates, copies killed parts as they
/// were, and never touches its inputs.
final class ClusterMergeTests: XCTestCase {
    typealias Synthetic = ClusterSupport.Synthetic
    var dir = ""

    override func setUpWithError() throws { dir = try ClusterSupport.scratch("merge") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func path(_ name: String) -> String { dir + "/" + name }

    /// The folder holds exactly these files (no output, no temporary file left behind).
    func assertFiles(_ names: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), names.sorted(), file: file, line: line)
    }

    func assertMergeError(_ parts: [String], output: String, options: MergeOptions = .init(), _ expected: MergeError,
                          _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try RunMerger.merge(parts: parts, output: output, options: options), file: file, line: line) { error in
            XCTAssertEqual(error as? MergeError, expected, file: file, line: line)
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    // MARK: - Merged shards equal the single run

    func testShardsMergedEqualTheSingleRun() throws {
        let s = Synthetic()
        try s.write(path("full.h5"), replicates: [0, 1, 2, 3])
        try s.write(path("a.h5"), replicates: [0, 1], host: "node-1")
        try s.write(path("b.h5"), replicates: [2], host: "node-2")
        try s.write(path("c.h5"), replicates: [3], host: "node-3")
        let summary = try RunMerger.merge(parts: [path("a.h5"), path("b.h5"), path("c.h5")], output: path("merged.h5"))
        try ClusterSupport.assertSameRun(path("full.h5"), path("merged.h5"))
        XCTAssertEqual(summary.replicates.map(\.part), [path("a.h5"), path("a.h5"), path("b.h5"), path("c.h5")])
        XCTAssertEqual(summary.replicates.map(\.status), [.complete, .complete, .complete, .complete])
        XCTAssertEqual(summary.replicates.map(\.tournaments), [3, 3, 3, 3])
        XCTAssertEqual(summary.missing, [])
        XCTAssertEqual(summary.incomplete, [])
        try assertFiles(["full.h5", "a.h5", "b.h5", "c.h5", "merged.h5"])
    }

    /// Both slots of the double-buffered checkpoint come out as in the single run, whichever
    /// slot was committed last and whether the other was ever written.
    func testCheckpointSlotsEqualTheSingleRunsForEveryParity() throws {
        let s = Synthetic()
        let tournaments = [0: 0, 1: 1, 2: 2, 3: 5]
        try s.write(path("full.h5"), replicates: [0, 1, 2, 3], tournaments: tournaments)
        try s.write(path("a.h5"), replicates: [0, 2], tournaments: tournaments)
        try s.write(path("b.h5"), replicates: [1, 3], tournaments: tournaments)
        try RunMerger.merge(parts: [path("b.h5"), path("a.h5")], output: path("merged.h5"))
        try ClusterSupport.assertSameRun(path("full.h5"), path("merged.h5"))
        let full = try ClusterSupport.datasets(path("full.h5"))
        XCTAssertEqual(full.keys.filter { $0.contains("/checkpoint/") }.count, 4 * 5)
    }

    func testAMergedFileMergesAgainWithTheRest() throws {
        let s = Synthetic()
        try s.write(path("full.h5"), replicates: [0, 1, 2, 3])
        try s.write(path("a.h5"), replicates: [0])
        try s.write(path("b.h5"), replicates: [1, 2])
        try s.write(path("c.h5"), replicates: [3])
        try RunMerger.merge(parts: [path("a.h5"), path("c.h5")], output: path("ac.h5"))
        try RunMerger.merge(parts: [path("ac.h5"), path("b.h5")], output: path("merged.h5"))
        try ClusterSupport.assertSameRun(path("full.h5"), path("merged.h5"))
    }

    // MARK: - Refusals

    func testRefusesPartsOfADifferentExperimentText() throws {
        var other = Synthetic()
        other.text += "# edited\n"
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try other.write(path("b.h5"), replicates: [2, 3])
        assertMergeError([path("a.h5"), path("b.h5")], output: path("m.h5"),
                         .differentExperiment(path("b.h5"), path("a.h5"), "the experiment file's text differs"),
                         "\(path("b.h5")) is not from the same experiment as \(path("a.h5")): the experiment file's text differs")
        try assertFiles(["a.h5", "b.h5"])
    }

    func testRefusesPartsWithADifferentMasterSeed() throws {
        var other = Synthetic()
        other.seed = 12
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try other.write(path("b.h5"), replicates: [2, 3])
        assertMergeError([path("a.h5"), path("b.h5")], output: path("m.h5"),
                         .differentExperiment(path("b.h5"), path("a.h5"), "master seed 12, not 11"),
                         "\(path("b.h5")) is not from the same experiment as \(path("a.h5")): master seed 12, not 11")
        try assertFiles(["a.h5", "b.h5"])
    }

    func testRefusesAPartOfAnotherFormatVersion() throws {
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try Synthetic().write(path("b.h5"), replicates: [2, 3])
        let file = try HDF5File.open(path: path("b.h5"), mode: .readWrite)
        try file.root.setAttribute("format_version", Int64(2))
        try file.close()
        assertMergeError([path("a.h5"), path("b.h5")], output: path("m.h5"),
                         .unreadable(path("b.h5"), "run file format version 2 is not supported (this build reads 1): read it with the autoparam version that wrote it"),
                         "\(path("b.h5")) cannot be merged: run file format version 2 is not supported (this build reads 1): read it with the autoparam version that wrote it")
        try assertFiles(["a.h5", "b.h5"])
    }

    func testRefusesPartsWithADifferentReplicateCountOrImageSet() throws {
        var more = Synthetic()
        more.replicates = 5
        var images = Synthetic()
        images.imageCount = 3
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try more.write(path("b.h5"), replicates: [2, 3])
        try images.write(path("c.h5"), replicates: [2, 3])
        assertMergeError([path("a.h5"), path("b.h5")], output: path("m.h5"),
                         .differentExperiment(path("b.h5"), path("a.h5"), "5 replicates, not 4"),
                         "\(path("b.h5")) is not from the same experiment as \(path("a.h5")): 5 replicates, not 4")
        assertMergeError([path("a.h5"), path("c.h5")], output: path("m.h5"),
                         .differentExperiment(path("c.h5"), path("a.h5"), "the image set differs"),
                         "\(path("c.h5")) is not from the same experiment as \(path("a.h5")): the image set differs")
    }

    func testRefusesOverlappingReplicates() throws {
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try Synthetic().write(path("b.h5"), replicates: [1, 2])
        assertMergeError([path("a.h5"), path("b.h5")], output: path("m.h5"), .overlap(1, path("a.h5"), path("b.h5")),
                         "replicate 1 is in both \(path("a.h5")) and \(path("b.h5")): each replicate must come from one part")
        // A replicate a killed job had started counts too, even though it is still `pending`.
        try Synthetic().write(path("c.h5"), replicates: [2, 3], tournaments: [3: 1], status: [3: ReplicateStatus?.none])
        try Synthetic().write(path("d.h5"), replicates: [3])
        assertMergeError([path("c.h5"), path("d.h5")], output: path("m.h5"), .overlap(3, path("c.h5"), path("d.h5")),
                         "replicate 3 is in both \(path("c.h5")) and \(path("d.h5")): each replicate must come from one part")
        try assertFiles(["a.h5", "b.h5", "c.h5", "d.h5"])
    }

    func testRefusesAnExistingOutputWithoutForce() throws {
        try Synthetic().write(path("a.h5"), replicates: [0, 1, 2, 3])
        try Data("old".utf8).write(to: URL(fileURLWithPath: path("m.h5")))
        assertMergeError([path("a.h5")], output: path("m.h5"), .outputExists(path("m.h5")),
                         "output \(path("m.h5")) exists: add --force to overwrite it")
        XCTAssertEqual(FileManager.default.contents(atPath: path("m.h5")), Data("old".utf8))
        // --force replaces it, but only with a complete merge: a refused merge leaves it as it was.
        try Synthetic().write(path("b.h5"), replicates: [3])
        XCTAssertThrowsError(try RunMerger.merge(parts: [path("a.h5"), path("b.h5")], output: path("m.h5"), options: .init(force: true)))
        XCTAssertEqual(FileManager.default.contents(atPath: path("m.h5")), Data("old".utf8))
        try RunMerger.merge(parts: [path("a.h5")], output: path("m.h5"), options: .init(force: true))
        try ClusterSupport.assertSameRun(path("a.h5"), path("m.h5"))
        try assertFiles(["a.h5", "b.h5", "m.h5"])
    }

    func testRefusesToWriteOverOneOfItsParts() throws {
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try Synthetic().write(path("b.h5"), replicates: [2, 3])
        let before = ClusterSupport.bytes([path("a.h5")])
        assertMergeError([path("a.h5"), path("b.h5")], output: dir + "/./a.h5", options: .init(force: true),
                         .outputIsPart(dir + "/./a.h5"), "output \(dir)/./a.h5 is also one of the parts: merge into another file")
        XCTAssertEqual(ClusterSupport.bytes([path("a.h5")]), before)
    }

    func testRefusesAFileThatIsNotARunFile() throws {
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: path("notes.txt")))
        XCTAssertThrowsError(try RunMerger.merge(parts: [path("a.h5"), path("notes.txt")], output: path("m.h5"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path("notes.txt")) cannot be merged: "), "\(error)")
        }
        assertMergeError([path("a.h5"), path("gone.h5")], output: path("m.h5"), .unreadable(path("gone.h5"), "no such file: check the path"),
                         "\(path("gone.h5")) cannot be merged: no such file: check the path")
        try assertFiles(["a.h5", "notes.txt"])
    }

    // MARK: - Missing replicates

    func testMissingReplicatesAreReportedAndStayPending() throws {
        try Synthetic().write(path("a.h5"), replicates: [0])
        try Synthetic().write(path("b.h5"), replicates: [2])
        let summary = try RunMerger.merge(parts: [path("a.h5"), path("b.h5")], output: path("m.h5"))
        XCTAssertEqual(summary.missing, [1, 3])
        let reader = try RunReader(path: path("m.h5"))
        defer { try? reader.close() }
        XCTAssertEqual(try (0..<4).map { try reader.state(replicate: $0).status }, [.complete, .pending, .complete, .pending])
        XCTAssertEqual(try (0..<4).map { try reader.committedEvaluations(replicate: $0) }, [6, 0, 6, 0])
        XCTAssertNil(try reader.checkpoint(replicate: 1))
    }

    func testStrictRefusesMissingReplicates() throws {
        try Synthetic().write(path("a.h5"), replicates: [0])
        try Synthetic().write(path("b.h5"), replicates: [2])
        assertMergeError([path("a.h5"), path("b.h5")], output: path("m.h5"), options: .init(strict: true),
                         .missing([1, 3], of: 4), "--strict: replicates 1, 3 of 0…3 are in no part")
        try Synthetic().write(path("c.h5"), replicates: [1, 3])
        assertMergeError([path("a.h5"), path("c.h5")], output: path("m.h5"), options: .init(strict: true),
                         .missing([2], of: 4), "--strict: replicate 2 of 0…3 is in no part")
        try assertFiles(["a.h5", "b.h5", "c.h5"])
        try RunMerger.merge(parts: [path("a.h5"), path("b.h5"), path("c.h5")], output: path("m.h5"), options: .init(strict: true))
    }

    // MARK: - Killed jobs, inputs

    /// A part whose job was killed: its committed tournaments are merged, and the replicate keeps
    /// its status (one the writer never marked, pending with rows, becomes running).
    func testPartsOfKilledJobsMergeTheirCommittedTournaments() throws {
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try Synthetic().write(path("b.h5"), replicates: [2, 3], tournaments: [2: 2, 3: 1], status: [2: ReplicateStatus?.none, 3: .interrupted])
        let summary = try RunMerger.merge(parts: [path("a.h5"), path("b.h5")], output: path("m.h5"))
        XCTAssertEqual(summary.incomplete.map(\.index), [2, 3])
        XCTAssertEqual(summary.incomplete.map(\.status), [.running, .interrupted])
        XCTAssertEqual(summary.incomplete.map(\.tournaments), [2, 1])
        let merged = try RunReader(path: path("m.h5")), part = try RunReader(path: path("b.h5"))
        defer { try? merged.close(); try? part.close() }
        for r in [2, 3] {
            XCTAssertEqual(try merged.evaluations(replicate: r).genotypes, try part.evaluations(replicate: r).genotypes)
            XCTAssertEqual(try merged.tournaments(replicate: r), try part.tournaments(replicate: r))
            XCTAssertEqual(try merged.checkpoint(replicate: r), try part.checkpoint(replicate: r))
            for row in 0..<(try part.committedEvaluations(replicate: r)) {
                XCTAssertEqual(try merged.evaluation(replicate: r, row: row), try part.evaluation(replicate: r, row: row))
            }
        }
        XCTAssertEqual(try merged.state(replicate: 2).status, .running)
        XCTAssertEqual(try merged.state(replicate: 3).status, .interrupted)
        XCTAssertEqual(try merged.committedTournaments(replicate: 2), 2)
        XCTAssertEqual(try merged.committedEvaluations(replicate: 2), 5)
    }

    func testInputsAreNotModified() throws {
        try Synthetic().write(path("a.h5"), replicates: [0, 1])
        try Synthetic().write(path("b.h5"), replicates: [2], tournaments: [2: 1], status: [2: ReplicateStatus?.none])
        let parts = [path("a.h5"), path("b.h5")]
        let before = ClusterSupport.bytes(parts)
        let times = try parts.map { try FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date }
        XCTAssertTrue(before.allSatisfy { ($0?.count ?? 0) > 0 })
        try RunMerger.merge(parts: parts, output: path("m.h5"))
        try RunMerger.merge(parts: parts, output: path("m.h5"), options: .init(force: true))
        XCTAssertThrowsError(try RunMerger.merge(parts: parts + [path("a.h5")], output: path("n.h5")))
        XCTAssertEqual(ClusterSupport.bytes(parts), before)
        XCTAssertEqual(try parts.map { try FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date }, times)
    }
}
