import Foundation
import XCTest

/// `autoparam validate` as a user runs it: the resolved experiment on stdout and exit 0, or
/// every problem on stderr and exit 2, and never a file written.
final class ValidateCommandTests: CLITestCase {
    func write(_ name: String, _ text: String) throws {
        try text.write(to: workDirectory.appendingPathComponent(name), atomically: false, encoding: .utf8)
    }

    /// Every file now in the work directory (to check that nothing was written).
    func contents() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: workDirectory.path).sorted()
    }

    // MARK: - Good files

    func testPrintsTheResolvedExperimentAndExitsZero() throws {
        try write("small.yaml", "ga: {population: 4}\n")
        let r = try autoparam(["validate", "small.yaml", "--set", "ga.tournaments=5", "--set", "record.spikes=[DN]"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for expected in ["name: small", "output: runs/small.h5", "  population: 4", "  tournaments: 5", "  spikes: [DN]"] {
            XCTAssertTrue(lines.contains(expected), "missing \(expected) in\n\(r.stdout)")
        }
        XCTAssertEqual(try contents(), ["small.yaml"])
    }

    func testEveryExampleExperimentValidates() throws {
        let csv = workDirectory.appendingPathComponent("seed.csv")
        try (Array(repeating: Array(repeating: "0", count: 784).joined(separator: ","), count: 80).joined(separator: "\n") + "\n")
            .write(to: csv, atomically: false, encoding: .utf8)
        for name in ["quickstart", "seed-original", "seed-corrected", "harvey"] {  // the MNIST ones: LearningCommandTests
            let path = Self.packageRoot.appendingPathComponent("experiments/\(name).yaml").path
            let r = try autoparam(["validate", path] + (name == "seed-original" ? ["--data", "seed.csv"] : []))
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("\nname: \(name)\n"), r.stdout)
        }
        XCTAssertEqual(try contents(), ["seed.csv"])
    }

    // MARK: - Bad files

    func testBadFileReportsEveryProblemAndExitsTwo() throws {
        try write("bad.yaml", """
            name: bad
            ga: {population: 1}
            genes:
              stdp_tau: {prior: {unifrom: [0, 1]}}
            rubric: acuracy

            """)
        let r = try autoparam(["validate", "bad.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, """
            error: bad.yaml:2: ga.population: a tournament needs at least 2 members, found 1
            bad.yaml:4: genes.stdp_tau.prior: expected one of uniform, log_uniform, int_uniform, normal, choice, constant, product, quotient, sum, found "unifrom" (did you mean "uniform"?)
            bad.yaml:5: rubric: expected one of seed-242, accuracy, {weighted: {criterion: weight, …}}, found "acuracy" (did you mean "accuracy"?)

            """)
        XCTAssertEqual(try contents(), ["bad.yaml"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: workDirectory.appendingPathComponent("runs/bad.h5").path))
    }

    func testBadOverrideIsNamed() throws {
        try write("ok.yaml", "seed: 3\n")
        let r = try autoparam(["validate", "ok.yaml", "--set", "ga.tornaments=20"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: ok.yaml: --set ga.tornaments=20: ga.tornaments: unknown setting (did you mean \"tournaments\"?)\n")
        XCTAssertEqual(try contents(), ["ok.yaml"])
    }

    func testYAMLSyntaxError() throws {
        try write("broken.yaml", "name: x\n  seed: 2\n")
        let r = try autoparam(["validate", "broken.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: broken.yaml:2:7: invalid YAML: mapping values are not allowed in this context\n")
    }

    func testMissingDataAndExperimentFiles() throws {
        try write("csv.yaml", "dataset: {source: csv, path: images.csv}\n")
        var r = try autoparam(["validate", "csv.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: csv.yaml:1: dataset.path: no file \"images.csv\" (relative paths start from the working directory); give the images with --data FILE\n")
        r = try autoparam(["validate", "csv.yaml", "--data", "other.csv"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: csv.yaml: dataset.path: no file \"other.csv\" (relative paths start from the working directory) (given with --data)\n")
        r = try autoparam(["validate", "nothing.yaml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: nothing.yaml: no such experiment file\n")
        XCTAssertEqual(try contents(), ["csv.yaml"])
    }
}
