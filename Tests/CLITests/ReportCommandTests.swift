import Foundation
import XCTest

/// `autoparam report` as a user runs it: on a small run made with `autoparam run`, and on
/// files that are missing or not run files (exit 2 with a clear message).
final class ReportCommandTests: CLITestCase {
    /// A one-replicate run of the quickstart experiment, shrunk to seconds. (One replicate:
    /// runs with two sometimes abort as their replicate threads end, a runner bug that is not
    /// this test's subject; the report's multi-replicate numbers are pinned in ReportTests.)
    func smallRun() throws -> String {
        let experiment = Self.packageRoot.appendingPathComponent("experiments/quickstart.yaml").path
        let r = try autoparam(["run", experiment, "--output", "small.h5", "--quiet", "--set", "replicates=1", "--set", "ga.tournaments=2",
                               "--set", "ga.population=3", "--set", "dataset.count=8", "--set", "genes.kc_count.prior={int_uniform: [20, 60]}"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return "small.h5"
    }

    func testReportOfACompleteRunExitsZero() throws {
        let file = try smallRun()
        let r = try autoparam(["report", file, "--csv", "tables", "--html", "page.html"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        XCTAssertTrue(r.stdout.contains("status       complete: 1 of 1 replicates\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\nReplicates\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  kc_count "), r.stdout)
        let evaluations = try String(contentsOf: workDirectory.appendingPathComponent("tables/evaluations.csv"), encoding: .utf8)
        XCTAssertEqual(evaluations.split(separator: "\n").count, 1 + (3 + 2))
        let tournaments = try String(contentsOf: workDirectory.appendingPathComponent("tables/tournaments.csv"), encoding: .utf8)
        XCTAssertEqual(tournaments.split(separator: "\n").count, 1 + 2)
        let page = try String(contentsOf: workDirectory.appendingPathComponent("page.html"), encoding: .utf8)
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(page.contains("<svg id=\"spike-raster\""))
    }

    func testJSONIsOneObjectOnStdout() throws {
        let file = try smallRun()
        let r = try autoparam(["report", file, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["complete"] as? Bool, true)
        XCTAssertEqual((object["replicates"] as? [Any])?.count, 1)
    }

    func testMissingFileExitsTwoWithAClearMessage() throws {
        let r = try autoparam(["report", "missing.h5"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "error: missing.h5 cannot be read: no such file: check the path\n")
    }

    func testAFileThatIsNotARunFileExitsTwo() throws {
        try "not hdf5\n".write(to: workDirectory.appendingPathComponent("notes.txt"), atomically: false, encoding: .utf8)
        let r = try autoparam(["report", "notes.txt"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: notes.txt cannot be read: it is not an HDF5 file: give the path of a run file (.h5) written by autoparam run\n")
    }

    func testNoArgumentExitsTwo() throws {
        let r = try autoparam(["report"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("run-file"), r.stderr)
    }
}
