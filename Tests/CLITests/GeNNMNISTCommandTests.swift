import Foundation
import XCTest

/// `network: genn-mnist` from the command line: a tiny experiment runs, records and reports;
/// `evaluate --network genn-mnist` scores a genotype; bad networks and parameters exit 2.
final class GeNNMNISTCommandTests: CLITestCase {
    static let experiment = """
        network: genn-mnist
        replicates: 1
        dataset: {source: embedded, count: 16, test_count: 4}
        model: {present_ms: 5, input_scale: 120, kc_mbon_eta: 0.002, kc_mbon_w_max: 0.5}
        genes:
          kc_count: {prior: {int_uniform: [20, 60]}}
          mbon_teacher: {prior: {uniform: [2, 6]}, round: 2}
        ga: {population: 2, tournaments: 2}
        record: {spikes: [MBON]}

        """

    func testATinyExperimentRunsAndReports() throws {
        try Self.experiment.write(to: workDirectory.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        let run = try autoparam(["run", "tiny.yaml", "--threads", "1", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try autoparam(["report", "runs/tiny.h5"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("genes        kc_count, mbon_teacher"), report.stdout)
        XCTAssertTrue(report.stdout.contains("spikes       MBON"), report.stdout)
    }

    func testEvaluateAGenotype() throws {
        let r = try autoparam(["evaluate", "--network", "genn-mnist", "--count", "12", "--classes", "0,1,2,3", "--rubric", "accuracy",
                               "--test-count", "4", "--genotype", "kc_count=40,present_ms=5", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["status"] as? String, "ok")
        XCTAssertEqual(object?["steps"] as? Int, 12 * 50)
        XCTAssertEqual(object?["population_sizes"] as? [String: Int], ["PN": 784, "KC": 40, "GGN": 1, "MBON": 4])
    }

    func testBadInputExitsTwo() throws {
        let wrong = try autoparam(["evaluate", "--network", "genn-mnist", "--genotype", "w_max=0.3"])
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("\"w_max\" is a parameter of the seed network"), wrong.stderr)
        let seedClasses = try autoparam(["evaluate", "--classes", "0,1,2,3,4"])
        XCTAssertEqual(seedClasses.status, 2)
        let params = try autoparam(["parameters", "--network", "genn-mnist"])
        XCTAssertEqual(params.status, 0)
        XCTAssertTrue(params.stdout.contains("kc_mbon_w_max"), params.stdout)
        try "network: genn-mnist\nmodel: {stdp_tau: 3}\n".write(to: workDirectory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try autoparam(["validate", "bad.yaml"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("bad.yaml:2: model.stdp_tau: \"stdp_tau\" is a parameter of the seed network"), bad.stderr)
    }
}
