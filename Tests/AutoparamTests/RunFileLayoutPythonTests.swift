import RunFileTestSupport
import Foundation
import XCTest

/// Writes small synthetic run files and runs Tests/python/test_run_file_layout.py (pytest, h5py,
/// numpy) on each, so the documented layout is checked by an independent HDF5 reader. Skipped
/// when python3 with h5py, numpy and pytest is not available.
final class RunFileLayoutPythonTests: XCTestCase {
    func testPythonLayoutChecksPass() throws {
        let check = PythonChecker.run(["python3", "-c", "import h5py, numpy, pytest"])
        guard check.status == 0 else {
            throw XCTSkip("python3 with h5py, numpy and pytest is needed: \(check.output.prefix(200))")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("Tests/python/test_run_file_layout.py").path
        let directory = try RunFileDirectory()

        // The kill probe's file: 2 replicates, 4 populations, weights, checkpoints.
        let probe = directory.path("probe.h5")
        try RunFileKillProbe.run(path: probe, iterations: 25)
        // The unit fixtures: NaN gene bounds, an untouched replicate, evaluations without weights,
        // and rows written after the last commit (left in the file, beyond the counters).
        let fixtures = directory.path("fixtures.h5")
        do {
            let recorder = try RunFileFixtures.create(fixtures)
            for row in 0..<4 { try recorder.appendEvaluation(replicate: 0, RunFileFixtures.evaluation(row)) }
            let row = try recorder.appendEvaluation(replicate: 0, RunFileFixtures.evaluation(4, tournament: 0))
            try recorder.appendTournament(replicate: 0, RunFileFixtures.tournament(0, evaluationRow: row))
            try recorder.checkpoint(replicate: 0, RunFileFixtures.checkpoint(nextTournament: 1))
            try recorder.commit()
            try recorder.appendEvaluation(replicate: 0, RunFileFixtures.evaluation(5))
        }
        for path in [probe, fixtures] {
            let result = PythonChecker.run(["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", script],
                                           environment: ["AUTOPARAM_RUN_FILE": path])
            XCTAssertEqual(result.status, 0, "pytest on \(URL(fileURLWithPath: path).lastPathComponent):\n\(result.output)")
            XCTAssertTrue(result.output.contains("passed"), result.output)
            XCTAssertFalse(result.output.contains("skipped"), result.output)
        }
    }
}
