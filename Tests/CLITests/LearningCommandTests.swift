import Foundation
import XCTest

/// The learning settings on the command line: `evaluate`'s options, bad experiment files
/// (exit 2, nothing written), `export-genn --seed-index`, and short end-to-end runs of the
/// new experiments.
final class LearningCommandTests: CLITestCase {
    static let mnistFolder = packageRoot.appendingPathComponent("../shared/data/mnist-4k").standardized

    func contents() throws -> [String] { try FileManager.default.subpathsOfDirectory(atPath: workDirectory.path).sorted() }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // MARK: - evaluate

    let small = ["evaluate", "--genotype", "kc_count=30,stimulus_ms=5,blank_ms=3", "--count", "16", "--json"]

    func testEvaluateEpochsMultiplyTheStepsAndTheSeedRubricsMaximum() throws {
        let one = try json(try autoparam(small).stdout)
        let r = try autoparam(small + ["--epochs", "3", "--order", "shuffled"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let three = try json(r.stdout)
        XCTAssertEqual(one["steps"] as? Int, 16 * 80)
        XCTAssertEqual(three["steps"] as? Int, 3 * 16 * 80)
        XCTAssertEqual(three["max_fitness"] as? Double, 1.5 + 2 * 48 + 47 + 0.5)
    }

    func testEvaluateSeedsAggregatesKNetworksAndSeedsOneIsThePlainEvaluation() throws {
        let plain = try json(try autoparam(small + ["--rubric", "accuracy", "--test-count", "8", "--split", "stratified"]).stdout)
        let oneSeed = try json(try autoparam(small + ["--rubric", "accuracy", "--test-count", "8", "--split", "stratified", "--seeds", "1"]).stdout)
        XCTAssertEqual(plain["fitness"] as? Double, oneSeed["fitness"] as? Double)
        let text = try autoparam(Array(small.dropLast()) + ["--seeds", "3", "--aggregate", "min", "--readout", "spike_count",
                                                            "--reset-between-images"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("networks     3 (fitness "), text.stdout)
        XCTAssertTrue(text.stdout.contains("; min below)\nfitness "), text.stdout)
    }

    func testEvaluateClassesAndCountTakeTheFirstImagesOfAFile() throws {
        let images = Self.mnistFolder.appendingPathComponent("mnist-4k-images-idx3-ubyte.gz").path
        let labels = Self.mnistFolder.appendingPathComponent("mnist-4k-labels-idx1-ubyte.gz").path
        guard FileManager.default.fileExists(atPath: images) else { throw XCTSkip("no MNIST subset at \(Self.mnistFolder.path)") }
        let r = try autoparam(["evaluate", "--data", images, "--labels", labels, "--classes", "0,1,2,3", "--count", "12",
                               "--rubric", "accuracy", "--test-count", "4", "--split", "stratified",
                               "--genotype", "kc_count=30,stimulus_ms=5,blank_ms=3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try json(r.stdout)["steps"] as? Int, 12 * 80)
        let absent = try autoparam(["evaluate", "--data", images, "--labels", labels, "--classes", "0,11"])
        XCTAssertEqual(absent.status, 2)
        XCTAssertTrue(absent.stderr.contains("class 11 has no images; the labels present are 0, 1, 2, 3, 4, 5, 6, 7, 8, 9"), absent.stderr)
    }

    func testEvaluateBadOptionsExitTwo() throws {
        for (args, message) in [
            (["--epochs", "0"], "--epochs must be at least 1, found 0"),
            (["--seeds", "0"], "--seeds must be at least 1 network, found 0"),
            (["--aggregate", "average"], "average"),
            (["--readout", "spikes"], "spikes"),
            (["--classes", "0,1,2,3,4"], "the network has 4 output neurons (DNs), one per class, but 5 classes are listed"),
            (["--classes", "0,7"], "class 7 has no images; the labels present are 0, 1, 2, 3"),
            (["--rubric", "accuracy", "--test-count", "6", "--split", "stratified"], "multiple of the 4 classes, found 6"),
        ] as [([String], String)] {
            let r = try autoparam(["evaluate", "--count", "16"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    // MARK: - Bad experiment files

    func testBadLearningSettingsExitTwoWriteNothingAndNameTheLine() throws {
        let cases: [(String, String)] = [
            ("protocol:\n  epochs: 0\n", "bad.yaml:2: protocol.epochs: expected at least 1 epoch, found 0"),
            ("evaluation:\n  seeds: 0\n", "bad.yaml:2: evaluation.seeds: expected at least 1 network per genotype, found 0"),
            ("evaluation:\n  aggregate: average\n", "bad.yaml:2: evaluation.aggregate: expected one of mean, median, min, found \"average\""),
            ("protocol:\n  readout: spikes\n", "bad.yaml:2: protocol.readout: expected one of first_spike, spike_count, found \"spikes\""),
            ("dataset:\n  classes: [0, 9]\n", "bad.yaml:2: dataset.classes: classes [0, 9]: class 9 has no images; the labels present are 0, 1, 2, 3"),
            ("ga:\n  variant: random\n  crossover_probability: 0.5\n",
             "bad.yaml:3: ga.crossover_probability: applies only to the microbial GA (variants seed and harvey)"),
        ]
        for (text, message) in cases {
            try text.write(to: workDirectory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
            for command in ["validate", "run"] {
                let r = try autoparam([command, "bad.yaml"])
                XCTAssertEqual(r.status, 2, "\(command) \(text): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(message), "\(command) \(text): \(r.stderr)")
                XCTAssertEqual(try contents(), ["bad.yaml"], "\(command) wrote something")
            }
        }
    }

    // MARK: - Runs of the new experiments, shrunk

    func testQuickstartShrunkRunsAndExportGeNNNamesEachNetwork() throws {
        let experiment = Self.packageRoot.appendingPathComponent("experiments/quickstart.yaml").path
        let r = try autoparam(["run", experiment, "--output", "q.h5", "--quiet", "--set", "replicates=1", "--set", "ga.population=3",
                               "--set", "ga.tournaments=2", "--set", "dataset.count=8", "--set", "genes.kc_count.prior={int_uniform: [20, 40]}"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let zero = try autoparam(["export-genn", "q.h5", "--evaluation", "1"])
        XCTAssertEqual(zero.status, 0, zero.stderr)
        XCTAssertTrue(zero.stdout.contains("\"seed_index\": \"0 of 2 networks"), zero.stdout)
        let one = try autoparam(["export-genn", "q.h5", "--evaluation", "1", "--seed-index", "1"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertTrue(one.stdout.contains("\"seed_index\": \"1 of 2 networks"), one.stdout)
        XCTAssertNotEqual(zero.stdout.components(separatedBy: "\n").first { $0.contains("\"evaluation_seed\"") },
                          one.stdout.components(separatedBy: "\n").first { $0.contains("\"evaluation_seed\"") })
        let bad = try autoparam(["export-genn", "q.h5", "--seed-index", "2"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--seed-index 2 is out of range: the run evaluates each genotype on 2 networks (seed indices 0…1)"), bad.stderr)
        for command in [["inspect", "q.h5"], ["report", "q.h5"]] {
            let rr = try autoparam(command)
            XCTAssertEqual(rr.status, 0, "\(command): \(rr.stderr)")
        }
    }

    func testMNISTExperimentsValidateAndRunShrunk() throws {
        guard FileManager.default.fileExists(atPath: Self.mnistFolder.path) else { throw XCTSkip("no MNIST subset at \(Self.mnistFolder.path)") }
        // The experiments name data/mnist-4k relative to the working directory; point them at the subset.
        for name in ["mnist-seed-mb", "mnist-seed-mb-random"] {
            let path = Self.packageRoot.appendingPathComponent("experiments/\(name).yaml").path
            let out = workDirectory.appendingPathComponent("\(name).h5").path
            let r = try Self.run(Self.binary!, ["run", path, "--output", out, "--quiet", "--set", "replicates=1",
                                                "--set", "dataset.images=" + Self.mnistFolder.appendingPathComponent("mnist-4k-images-idx3-ubyte.gz").path,
                                                "--set", "dataset.labels=" + Self.mnistFolder.appendingPathComponent("mnist-4k-labels-idx1-ubyte.gz").path,
                                                "--set", "protocol.images=24", "--set", "dataset.test_count=8",
                                                "--set", "ga.population=2", "--set", "ga.tournaments=1",
                                                "--set", "genes.kc_count.prior={int_uniform: [20, 30]}",
                                                "--set", "protocol.stimulus_ms=4", "--set", "protocol.blank_ms=2"],
                                 in: Self.packageRoot)
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        }
    }
}
