import MushroomBodyModel
import RunFile
import Foundation
import HDF5
import XCTest

/// Synthetic records for the run-file tests.
enum RunFileFixtures {
    static let layout = RunLayout(
        replicateCount: 2,
        genes: [GeneDescription(name: "kc_threshold", prior: "loguniform(0.1, 10)", lower: 0.1, upper: 10),
                GeneDescription(name: "pn_rate", prior: "uniform(0, 100)", lower: -.infinity, upper: .infinity),
                GeneDescription(name: "free", prior: "normal(0, 1)", lower: .nan, upper: .nan)],
        componentNames: ["accuracy", "sparsity"],
        populationNames: ["PN", "KC"],
        recordsWeights: true, dtMilliseconds: 0.1, stepsPerEvaluation: 500)

    static let provenance = RunProvenance(
        toolVersion: "0.0.0-test", createdISO8601: "2026-11-29T10:00:00Z", experimentName: "unit",
        masterSeed: 0xDEAD_BEEF_CAFE_F00D, experimentText: "name: unit\ngenes:\n  - kc_threshold\n",
        host: "test-host", threads: 2)

    static let dataset = RunDatasetRecord(
        images: (0..<(3 * 784)).map { UInt8(truncatingIfNeeded: $0 * 7) }, labels: [2, 0, 1],
        imageCount: 3, classNames: ["zero", "one", "two"])

    /// A deterministic evaluation; `salt` changes every value (to tell rewritten rows apart).
    static func evaluation(_ row: Int, salt: Double = 0, tournament: Int64 = -1) -> EvaluationRecord {
        let kc = Int32(20 + row % 5)
        let pnSpikes = (row * 13) % 40
        let kcSpikes = (row * 7) % 30
        return EvaluationRecord(
            genotype: [Double(row) + salt, -Double(row), 0.5], fitness: Double(row) * 1.5 + salt, maxFitness: 10,
            components: [Double(row) / 10, 1 - Double(row) / 10],
            status: row == 2 ? 2 : 0,  // numerical failure : ok
            statusMessage: row == 2 ? "NaN in KC voltage" : "", seed: UInt64(row) &* 0x9E37_79B9_7F4A_7C15,
            wallSeconds: 0.25 * Double(row), tournament: tournament, slot: Int32(row % 4),
            populationSizes: [50, kc],
            spikes: [SpikeTrain(steps: (0..<pnSpikes).map { UInt32($0 * 10) }, ids: (0..<pnSpikes).map { UInt32(($0 + row) % 50) }),
                     SpikeTrain(steps: (0..<kcSpikes).map { UInt32(499 - $0) }, ids: (0..<kcSpikes).map { UInt32($0) % UInt32(kc) })],
            finalWeights: row % 3 == 1 ? nil : (0..<(Int(kc) * 2)).map { Float($0) * 0.5 + Float(salt) })
    }

    static func tournament(_ index: Int, evaluationRow: Int) -> TournamentRecord {
        TournamentRecord(index: Int64(index), a: 0, b: Int32(1 + index % 3), winner: 0, loser: Int32(1 + index % 3),
                         crossoverMask: [1, 0, UInt8(index % 2)], mutatedGenes: [0, 1, 0],
                         evaluationRow: Int64(evaluationRow), bestFitness: 9, meanFitness: 4.5, minFitness: Double(index))
    }

    static func checkpoint(nextTournament: Int) -> CheckpointRecord {
        CheckpointRecord(populationGenotypes: (0..<4).map { [Double($0), Double(nextTournament), -1] },
                         populationFitness: [1, 2, 3, Double(nextTournament)],
                         populationEvaluationRows: [0, 1, 2, Int64(3 + nextTournament)],
                         rngState: [1, 2, 3, UInt64(nextTournament)], nextTournament: Int64(nextTournament))
    }

    static func create(_ path: String) throws -> RunRecorder {
        try RunRecorder.create(path: path, provenance: provenance, dataset: dataset, layout: layout,
                               replicateSeeds: [11, 22], overwrite: false)
    }
}

/// A fresh directory per test, removed afterwards.
final class RunFileDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("runfile-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

final class RunFileTests: XCTestCase {
    typealias F = RunFileFixtures

    func testRoundTripThroughRecorderAndReader() throws {
        let directory = try RunFileDirectory()
        let path = directory.path("run.h5")
        var written: [EvaluationRecord] = []
        var tournaments: [TournamentRecord] = []
        do {
            let recorder = try F.create(path)
            for row in 0..<4 {
                let record = F.evaluation(row)
                XCTAssertEqual(try recorder.appendEvaluation(replicate: 0, record), row)
                written.append(record)
            }
            try recorder.setReplicateStatus(replicate: 0, status: .running, wallSeconds: 0)
            try recorder.commit()
            for t in 0..<3 {
                let record = F.evaluation(4 + t, tournament: Int64(t))
                let row = try recorder.appendEvaluation(replicate: 0, record)
                written.append(record)
                let tournament = F.tournament(t, evaluationRow: row)
                try recorder.appendTournament(replicate: 0, tournament)
                tournaments.append(tournament)
                try recorder.checkpoint(replicate: 0, F.checkpoint(nextTournament: t + 1))
                try recorder.commit()
            }
            try recorder.setReplicateStatus(replicate: 0, status: .complete, wallSeconds: 12.5)
            try recorder.finish()
            XCTAssertThrowsError(try recorder.commit())
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".partial"))

        let reader = try RunReader(path: path)
        XCTAssertEqual(reader.provenance, F.provenance)
        XCTAssertEqual(reader.layout, F.layout)
        XCTAssertEqual(try reader.dataset(), F.dataset)
        let state = try reader.state(replicate: 0)
        XCTAssertEqual(state.status, .complete)
        XCTAssertEqual(state.wallSeconds, 12.5)
        XCTAssertEqual(state.seed, 11)
        XCTAssertEqual(state.committedEvaluations, 7)
        XCTAssertEqual(state.committedTournaments, 3)
        XCTAssertEqual(state.checkpoint, F.checkpoint(nextTournament: 3))
        for (row, record) in written.enumerated() {
            XCTAssertEqual(try reader.evaluation(replicate: 0, row: row), record, "row \(row)")
        }
        let table = try reader.evaluations(replicate: 0)
        XCTAssertEqual(table.count, 7)
        XCTAssertEqual(table.genotypes, written.map(\.genotype))
        XCTAssertEqual(table.fitness, written.map(\.fitness))
        XCTAssertEqual(table.components, written.map(\.components))
        XCTAssertEqual(table.statusMessages, written.map(\.statusMessage))
        XCTAssertEqual(table.populationSizes, written.map(\.populationSizes))
        XCTAssertEqual(table.seeds, written.map(\.seed))
        XCTAssertEqual(try reader.spikes(replicate: 0, evaluation: 5, population: "KC"), written[5].spikes[1])
        XCTAssertNil(try reader.finalWeights(replicate: 0, evaluation: 1))
        XCTAssertEqual(try reader.tournaments(replicate: 0), tournaments)
        let trace = try reader.fitnessTrace(replicate: 0)
        XCTAssertEqual(trace.tournaments, [0, 1, 2])
        XCTAssertEqual(trace.min, [0, 1, 2])
        // Replicate 1 was never touched.
        let untouched = try reader.state(replicate: 1)
        XCTAssertEqual(untouched.status, .pending)
        XCTAssertEqual(untouched.committedEvaluations, 0)
        XCTAssertNil(untouched.checkpoint)
        XCTAssertEqual(try reader.evaluations(replicate: 1).count, 0)
        XCTAssertThrowsError(try reader.evaluation(replicate: 0, row: 7))
        XCTAssertThrowsError(try reader.state(replicate: 2))
        try reader.close()
    }

    func testRowsAfterTheLastCommitAreInvisibleAndDroppedOnResume() throws {
        let directory = try RunFileDirectory()
        let path = directory.path("run.h5")
        do {
            let recorder = try F.create(path)
            for row in 0..<4 { try recorder.appendEvaluation(replicate: 0, F.evaluation(row)) }
            try recorder.checkpoint(replicate: 0, F.checkpoint(nextTournament: 0))
            try recorder.commit()
            // A step that never gets committed: the writer "dies" before commit().
            try recorder.appendEvaluation(replicate: 0, F.evaluation(4, salt: 100, tournament: 0))
            try recorder.appendEvaluation(replicate: 1, F.evaluation(0, salt: 100))
            try recorder.appendTournament(replicate: 0, F.tournament(0, evaluationRow: 4))
            try recorder.checkpoint(replicate: 0, F.checkpoint(nextTournament: 99))

            // A live reader sees only the commit.
            let live = try RunReader(path: path)
            XCTAssertEqual(try live.committedEvaluations(replicate: 0), 4)
            XCTAssertEqual(try live.committedTournaments(replicate: 0), 0)
            XCTAssertEqual(try live.checkpoint(replicate: 0), F.checkpoint(nextTournament: 0))
            try live.close()
            // Dropped without finish(): HDF5 flushes on close, so the rows are in the file.
        }
        let raw = try HDF5File.open(path: path)
        XCTAssertEqual(try raw.root.openDataset("replicates/000/evaluations/fitness").rowCount(), 5)
        XCTAssertEqual(try raw.root.openDataset("replicates/001/evaluations/fitness").rowCount(), 1)
        try raw.close()

        let reader = try RunReader(path: path)
        XCTAssertEqual(try reader.evaluations(replicate: 0).fitness, (0..<4).map { F.evaluation($0).fitness })
        XCTAssertEqual(try reader.tournaments(replicate: 0), [])
        XCTAssertEqual(try reader.evaluations(replicate: 1).count, 0)
        XCTAssertEqual(try reader.checkpoint(replicate: 0), F.checkpoint(nextTournament: 0))
        XCTAssertThrowsError(try reader.evaluation(replicate: 0, row: 4))
        try reader.close()

        // Resume: the uncommitted rows are gone and appending continues at the committed row.
        let resumed = try RunRecorder.open(path: path)
        let state = try resumed.state(replicate: 0)
        XCTAssertEqual(state.committedEvaluations, 4)
        XCTAssertEqual(state.checkpoint, F.checkpoint(nextTournament: 0))
        XCTAssertEqual(try resumed.appendEvaluation(replicate: 0, F.evaluation(4, tournament: 0)), 4)
        try resumed.appendTournament(replicate: 0, F.tournament(0, evaluationRow: 4))
        try resumed.commit()
        try resumed.finish()
        let after = try RunReader(path: path)
        XCTAssertEqual(try after.evaluation(replicate: 0, row: 4), F.evaluation(4, tournament: 0))
        XCTAssertEqual(try after.evaluations(replicate: 1).count, 0)
        try after.close()
        let rawAfter = try HDF5File.open(path: path)
        XCTAssertEqual(try rawAfter.root.openDataset("replicates/001/evaluations/fitness").rowCount(), 0)
        XCTAssertEqual(try rawAfter.root.openDataset("replicates/001/spikes/KC/index").rowCount(), 1)
    }

    /// A run interrupted after a commit (with a half-recorded step) and resumed ends with exactly
    /// the datasets of the same run recorded without interruption.
    func testResumedRunEqualsUninterruptedRun() throws {
        let directory = try RunFileDirectory()
        func record(_ recorder: RunRecorder, steps: Range<Int>) throws {
            for t in steps {
                let row = try recorder.appendEvaluation(replicate: t % 2, F.evaluation(4 + t / 2, tournament: Int64(t / 2)))
                try recorder.appendTournament(replicate: t % 2, F.tournament(t / 2, evaluationRow: row))
                try recorder.checkpoint(replicate: t % 2, F.checkpoint(nextTournament: t / 2 + 1))
                try recorder.commit()
            }
        }
        func start(_ path: String) throws -> RunRecorder {
            let recorder = try F.create(path)
            for replicate in 0..<2 {
                for row in 0..<4 { try recorder.appendEvaluation(replicate: replicate, F.evaluation(row)) }
            }
            try recorder.commit()
            return recorder
        }
        let plain = directory.path("plain.h5")
        do {
            let recorder = try start(plain)
            try record(recorder, steps: 0..<10)
            try recorder.finish()
        }
        let interrupted = directory.path("interrupted.h5")
        do {
            let recorder = try start(interrupted)
            try record(recorder, steps: 0..<5)
            // Half of step 5, never committed, with different values.
            try recorder.appendEvaluation(replicate: 1, F.evaluation(50, salt: 7))
            try recorder.checkpoint(replicate: 1, F.checkpoint(nextTournament: 77))
        }
        do {
            let recorder = try RunRecorder.open(path: interrupted)
            try record(recorder, steps: 5..<10)
            try recorder.finish()
        }
        XCTAssertEqual(try datasetContents(plain), try datasetContents(interrupted))
        XCTAssertGreaterThan(try datasetContents(plain).count, 40)
    }

    func testCreateRefusesExistingFilesAndBadRecords() throws {
        let directory = try RunFileDirectory()
        let path = directory.path("run.h5")
        try F.create(path).finish()
        XCTAssertThrowsError(try F.create(path)) { error in
            XCTAssertTrue("\(error)".contains("exists"), "\(error)")
        }
        let recorder = try RunRecorder.create(path: path, provenance: F.provenance, dataset: F.dataset, layout: F.layout,
                                              replicateSeeds: [1, 2], overwrite: true)
        var bad = F.evaluation(0)
        bad.genotype.append(1)
        XCTAssertThrowsError(try recorder.appendEvaluation(replicate: 0, bad))
        bad = F.evaluation(1)
        bad.spikes[1].ids[0] = 1_000
        XCTAssertThrowsError(try recorder.appendEvaluation(replicate: 0, bad))
        bad = F.evaluation(1)
        bad.spikes[0].steps[0] = 500
        XCTAssertThrowsError(try recorder.appendEvaluation(replicate: 0, bad))
        XCTAssertThrowsError(try recorder.appendEvaluation(replicate: 2, F.evaluation(0)))
        XCTAssertThrowsError(try recorder.appendTournament(replicate: 0, F.tournament(0, evaluationRow: 0)))
        XCTAssertThrowsError(try RunRecorder.create(path: directory.path("other.h5"), provenance: F.provenance,
                                                    dataset: F.dataset, layout: F.layout, replicateSeeds: [1]))
        try recorder.finish()
        XCTAssertEqual(try RunReader(path: path).state(replicate: 0).seed, 1)
        XCTAssertThrowsError(try RunReader(path: directory.path("missing.h5")))
    }

    /// Every dataset of a file (path → element type, shape and values as text), for comparing
    /// two files.
    private func datasetContents(_ path: String) throws -> [String: String] {
        let file = try HDF5File.open(path: path)
        var contents: [String: String] = [:]
        func walk(_ group: HDF5Group) throws {
            for name in try group.childNames() {
                if try group.isGroup(name) {
                    try walk(try group.openGroup(name))
                    continue
                }
                let dataset = try group.openDataset(name)
                let type = try dataset.elementType()
                let values: String
                switch type {
                case .string, .fixedString: values = "\(try dataset.readStrings())"
                case .uint8: values = "\(try dataset.read(as: UInt8.self))"
                case .int32: values = "\(try dataset.read(as: Int32.self))"
                case .int64: values = "\(try dataset.read(as: Int64.self))"
                case .uint32: values = "\(try dataset.read(as: UInt32.self))"
                case .uint64: values = "\(try dataset.read(as: UInt64.self))"
                case .float32: values = "\(try dataset.read(as: Float.self).map(\.bitPattern))"
                default: values = "\(try dataset.read(as: Double.self).map(\.bitPattern))"
                }
                contents[dataset.path] = "\(type) \(try dataset.shape()) \(values)"
            }
        }
        try walk(file.root)
        return contents
    }
}
