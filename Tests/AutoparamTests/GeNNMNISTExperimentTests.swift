import ExperimentFiles
import MushroomBodyModel
import XCTest

/// `network:` in experiment files: the GeNN MNIST network's parameters, genes and protocol, and
/// the errors for a network or parameter that does not fit.
final class GeNNMNISTExperimentTests: XCTestCase {
    static let genes = "genes:\n  kc_count: {prior: {int_uniform: [100, 400]}}\n  kc_mbon_eta: {prior: {log_uniform: [0.0001, 0.01]}}\n"

    func report(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let e = try ExperimentLoader.parse(text: text, fileName: "bad.yaml")
            XCTFail("expected problems, loaded \(e.name)", file: file, line: line)
        } catch { return "\(error)" }
        return ""
    }

    func testTheDefaultNetworkIsTheSeeds() throws {
        let e = try ExperimentLoader.parse(text: "name: x\n", fileName: "x.yaml")
        XCTAssertEqual(e.network, .seed)
        XCTAssertFalse(e.resolvedYAML().contains("network:"), "seed experiments resolve as before")
    }

    func testAGeNNMNISTExperimentLoadsRoundTripsAndGivesItsParameters() throws {
        let text = "network: genn-mnist\ndataset: {source: embedded, count: 20}\nmodel: {present_ms: 10, input_scale: 120}\nprotocol: {dt: 0.5}\n" + Self.genes
        let e = try ExperimentLoader.parse(text: text, fileName: "m.yaml")
        XCTAssertEqual(e.network, .gennMNIST)
        XCTAssertEqual(e.rubric, .accuracy, "a genn-mnist experiment defaults to held-out accuracy")
        XCTAssertEqual(e.testCount, 4)
        XCTAssertEqual(e.record.populations, ["PN", "KC", "GGN", "MBON"])
        XCTAssertEqual(e.gennMNISTModel["input_scale"], 120)
        XCTAssertEqual(e.gennMNISTModel["dt"], 0.5)
        XCTAssertEqual(e.stepsPerEvaluation(images: 20), 20 * 20)
        XCTAssertEqual(e.dtMs, 0.5)
        guard case .gennMNIST(let p) = try e.networkParameters(for: .init([300, 0.002])) else { return XCTFail() }
        XCTAssertEqual(p["kc_count"], 300)
        XCTAssertEqual(p["kc_mbon_eta"], 0.002)
        XCTAssertEqual(p["present_ms"], 10)
        let yaml = e.resolvedYAML()
        XCTAssertTrue(yaml.contains("network: genn-mnist\n"))
        var again = try ExperimentLoader.parse(text: yaml, fileName: "resolved.yaml", checkFiles: false)
        again.sourceText = e.sourceText
        XCTAssertEqual(again, e, yaml)
        XCTAssertEqual(again.resolvedYAML(), yaml)
    }

    func testAnUnknownNetwork() {
        XCTAssertEqual(report("network: genn\n"),
                       "bad.yaml:1: network: expected one of seed, genn-mnist, found \"genn\"")
    }

    func testAParameterOfTheOtherNetworkNamesIt() {
        XCTAssertEqual(report("network: genn-mnist\ngenes:\n  stdp_tau: {prior: {uniform: [1, 2]}}\n"),
                       "bad.yaml:3: genes.stdp_tau: \"stdp_tau\" is a parameter of the seed network, not of the genn-mnist network (set `network: seed` to use it)")
        XCTAssertEqual(report("model: {mbon_teacher: 3}\n"),
                       "bad.yaml:1: model.mbon_teacher: \"mbon_teacher\" is a parameter of the genn-mnist network, not of the seed network (set `network: genn-mnist` to use it)")
        XCTAssertEqual(report("network: genn-mnist\nprotocol: {stimulus_ms: 20}\n" + Self.genes),
                       "bad.yaml:2: protocol.stimulus_ms: applies only to the seed network (this experiment's network is genn-mnist); each image is shown for model.present_ms and then everything is reset")
    }

    func testAGeNNMNISTExperimentListsItsGenes() {
        XCTAssertEqual(report("network: genn-mnist\n"),
                       "bad.yaml:1: genes: a genn-mnist experiment lists its genes (the default genes are the seed network's); see experiments/mnist-genn-mb.yaml")
    }

    func testRecordNamesTheNetworksPopulations() {
        XCTAssertTrue(report("network: genn-mnist\nrecord: {spikes: [DN]}\n" + Self.genes).contains("record.spikes[0]: expected one of PN, KC, GGN, MBON"))
    }
}
