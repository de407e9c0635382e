import Datasets
import MushroomBodyModel
import Randomness
import Spiking
import XCTest

/// GeNN's MNIST mushroom body at the network level (the models themselves are held to hand
/// computations in SpikingTests): the parameter table, the built network's shape and wiring,
/// the reset between images, the non-transmitting training synapses, and a small end-to-end run.
final class GeNNMNISTTests: XCTestCase {
    static let images = PresentedImages(EmbeddedDataset.generate(count: 40, seed: 5))

    func testTheTableHasEveryNameOfTheIssueWithGeNNsValues() {
        let expected: [String: Double] = [
            "input_scale": 80, "present_ms": 20, "kc_count": 20_000, "pn_kc_fan_in": 20, "pn_kc_weight": 0.2, "pn_kc_tau": 3,
            "ggn_threshold": 200, "kc_ggn_weight": 1, "ggn_kc_weight": -5, "ggn_kc_tau": 5, "kc_mbon_tau": 15,
            "kc_mbon_rho": 0.01, "kc_mbon_eta": 0.00002, "kc_mbon_w_min": 0, "kc_mbon_w_max": 0.0233, "kc_mbon_syn_tau": 3,
            "mbon_teacher": 5, "dt": 0.1,
            "pn_c": 0.2, "pn_tau_m": 20, "pn_v_rest": -60, "pn_v_reset": -60, "pn_v_thresh": -50, "pn_i_offset": 0, "pn_tau_refrac": 100,
            "kc_c": 0.2, "kc_tau_m": 20, "kc_v_rest": -60, "kc_v_reset": -60, "kc_v_thresh": -50, "kc_i_offset": 0, "kc_tau_refrac": 2,
            "mbon_c": 0.2, "mbon_tau_m": 20, "mbon_v_rest": -60, "mbon_v_reset": -60, "mbon_v_thresh": -50, "mbon_i_offset": 0,
            "mbon_tau_refrac": 2,
        ]
        let p = GeNNMNISTParameters()
        XCTAssertEqual(Set(GeNNMNISTParameters.definitions.map(\.name)), Set(expected.keys))
        for (name, value) in expected { XCTAssertEqual(p[name], value, name) }
        XCTAssertTrue(p.problems().isEmpty)
        XCTAssertEqual(p.presentSteps, 200)
        for d in GeNNMNISTParameters.definitions { XCTAssertFalse(d.unit.isEmpty, d.name) }
    }

    func testAParameterOfTheOtherNetworkNamesIt() {
        XCTAssertThrowsError(try GeNNMNISTParameters().setting("stdp_tau", to: 1)) { error in
            XCTAssertEqual("\(error)", "\"stdp_tau\" is a parameter of the seed network, not of the genn-mnist network (set `network: seed` to use it)")
        }
        XCTAssertThrowsError(try MushroomBodyParameters().setting("mbon_teacher", to: 1)) { error in
            XCTAssertTrue("\(error)".contains("genn-mnist network"), "\(error)")
        }
        XCTAssertThrowsError(try GeNNMNISTParameters().setting("kc_mbon_etta", to: 1)) { error in
            XCTAssertEqual("\(error)", "unknown parameter \"kc_mbon_etta\" (did you mean \"kc_mbon_eta\"?)")
        }
        // Shared names are valid in both.
        XCTAssertNoThrow(try NetworkParameters(defaultsFor: .seed).setting("pn_kc_tau", to: 2))
        XCTAssertNoThrow(try NetworkParameters(defaultsFor: .gennMNIST).setting("pn_kc_tau", to: 2))
    }

    func testTheBuiltNetworkHasOneMBONPerClassAndExactFanIn() throws {
        for classes in [2, 4, 10] {
            let p = try GeNNMNISTParameters().setting([("kc_count", 300), ("pn_kc_fan_in", 7)])
            let body = GeNNMNISTNetwork(parameters: p, classCount: classes, seed: SeedTree(3))
            let net = body.network
            XCTAssertEqual(net.populations.map(\.name), ["PN", "KC", "GGN", "MBON"])
            XCTAssertEqual(net.populations.map(\.size), [784, 300, 1, classes])
            XCTAssertEqual(net.synapseGroups[body.kcToMBON].individualWeights?.count, 300 * classes)
            XCTAssertEqual(net.synapseGroups[body.kcToMBON].meanWeight, 0)
            // Every KC has exactly 7 PN partners, counting duplicates.
            var fanIn = [Int](repeating: 0, count: 300)
            for t in body.pnKCRows.targets { fanIn[Int(t)] += 1 }
            XCTAssertEqual(fanIn, [Int](repeating: 7, count: 300))
            XCTAssertEqual(body.pnKCRows.rowStart.count, 785)
        }
        // The wiring is a function of the seed.
        let p = try GeNNMNISTParameters().setting("kc_count", to: 50)
        XCTAssertEqual(GeNNMNISTNetwork(parameters: p, seed: SeedTree(9)).pnKCRows,
                       GeNNMNISTNetwork(parameters: p, seed: SeedTree(9)).pnKCRows)
        XCTAssertNotEqual(GeNNMNISTNetwork(parameters: p, seed: SeedTree(9)).pnKCRows,
                          GeNNMNISTNetwork(parameters: p, seed: SeedTree(10)).pnKCRows)
    }

    func testInputCurrentsAreTheImageOverItsSumTimesTheScale() {
        let c = GeNNMNISTNetwork.inputCurrents([0, 1, 3] as [UInt8], scale: 80)
        XCTAssertEqual(c, [0, 20, 60])
        XCTAssertEqual(GeNNMNISTNetwork.inputCurrents([0, 0] as [UInt8], scale: 80), [0, 0])
    }

    func testEveryStateIsResetAfterEachImageAndTheTeacherAloneDrivesTraining() throws {
        let p = try GeNNMNISTParameters().setting([("kc_count", 400), ("input_scale", 120)])
        let body = GeNNMNISTNetwork(parameters: p, classCount: 4, seed: SeedTree(1))
        let net = body.network
        var rng = SeedTree(1).child("unused").generator()
        let first = body.present(Self.images.image(0), teacherFor: 2, using: &rng)
        XCTAssertEqual(net.stepIndex, 200)
        XCTAssertEqual(first?.neuron, 2, "the teacher's MBON fires first while training")
        XCTAssertGreaterThan(net.populations[body.kc].spikeCount, 0)
        XCTAssertGreaterThan(net.populations[body.pn].spikeCount, 0)
        XCTAssertEqual(net.populations[body.mbon].spikeCount, net.populations[body.mbon].spikeCount)
        for (i, pop) in net.populations.enumerated() {
            let rest: Float = i == body.ggn ? 0 : -60
            XCTAssertEqual(Set(pop.membranePotential), pop.size == 0 ? [] : [rest], pop.name)
            XCTAssertEqual(Set(pop.lastSpikeTimeMs), pop.size == 0 ? [] : [-Float.greatestFiniteMagnitude], pop.name)
            if i != body.ggn { XCTAssertEqual(Set(pop.refractoryTimeMs), [0], pop.name) }
        }
        for g in net.synapseGroups { XCTAssertEqual(Set(g.inSyn), [0], g.name) }
        // Only the labelled MBON spiked: training synapses learn but deliver nothing.
        let mbonSpikes = net.populations[body.mbon].spikeCount
        XCTAssertGreaterThan(mbonSpikes, 0)
        XCTAssertGreaterThan(body.meanWeight, 0, "STDP potentiated KC→labelled-MBON weights")
        let w = net.synapseGroups[body.kcToMBON].individualWeights!
        for k in 0..<400 { for j in [0, 1, 3] { XCTAssertEqual(w[k * 4 + j], 0) } }
    }

    func testTheLearnedWeightsTransmitOnlyWhenFrozen() throws {
        let p = try GeNNMNISTParameters().setting([("kc_count", 400), ("input_scale", 120), ("kc_mbon_eta", 0.01), ("kc_mbon_w_max", 1)])
        let body = GeNNMNISTNetwork(parameters: p, classCount: 4, seed: SeedTree(1))
        var rng = SeedTree(1).child("unused").generator()
        for _ in 0..<3 { body.present(Self.images.image(0), teacherFor: 1, using: &rng) }
        body.isPlastic = false
        let before = body.network.synapseGroups[body.kcToMBON].individualWeights
        let first = body.present(Self.images.image(0), teacherFor: nil, using: &rng)
        XCTAssertEqual(first?.neuron, 1, "the learned weights drive the trained MBON without a teacher")
        XCTAssertEqual(body.network.synapseGroups[body.kcToMBON].individualWeights, before, "frozen")
    }

    func testASmallNetworkTrainsAndTestsEndToEnd() throws {
        let p = try GeNNMNISTParameters().setting([("kc_count", 300), ("input_scale", 120), ("kc_mbon_eta", 0.002), ("kc_mbon_w_max", 0.5)])
        let parts = Self.images.split(testCount: 10)
        let settings = EvaluationSettings(rubric: .accuracy, recordedPopulations: ["KC", "MBON"], recordFinalWeights: true)
        let run = { NetworkEvaluator.evaluate(parameters: .gennMNIST(p), training: parts.training, test: parts.test,
                                               protocol: .init(classCount: 4, epochs: 2), settings: settings, seed: 4) }
        let r = run()
        XCTAssertEqual(r.status, .ok)
        XCTAssertEqual(r.steps, (30 * 2 + 10) * 200)
        XCTAssertEqual(r.populationNames, ["PN", "KC", "GGN", "MBON"])
        XCTAssertEqual(r.populationSizes, [784, 300, 1, 4])
        XCTAssertEqual(r.trace?.training.count, 60)
        XCTAssertEqual(r.trace?.test.count, 10)
        XCTAssertEqual(r.componentNames, Rubric.accuracy.componentNames)
        XCTAssertEqual(r.fitness, r.components[0])
        XCTAssertTrue((0...1).contains(r.fitness))
        XCTAssertEqual(r.spikes["MBON"]?.count, r.spikeCounts[3])
        XCTAssertEqual(r.finalWeights?.count, 1200)
        XCTAssertGreaterThan(r.spikeCounts[3], 60, "every training image drives its MBON")
        let again = run()
        XCTAssertEqual(again.components, r.components)
        XCTAssertEqual(again.spikeCounts, r.spikeCounts)
        XCTAssertEqual(again.finalWeights, r.finalWeights)
    }

    func testLabelsBeyondTheMBONsAndBadValuesAreInvalidGenotypes() throws {
        let parts = Self.images.split(testCount: 8)
        let r = GeNNMNISTEvaluator.evaluate(parameters: GeNNMNISTParameters(), training: parts.training, test: parts.test,
                                            protocol: .init(classCount: 3), settings: .init(rubric: .accuracy), seed: 1)
        guard case .invalidGenotype(let reasons) = r.status else { return XCTFail("\(r.status)") }
        XCTAssertEqual(reasons, ["classes: label 3 is outside 0…2 (3 MBONs)"])
        XCTAssertEqual(r.steps, 0)
        let bad = try GeNNMNISTParameters().setting("kc_count", to: -1)
        let s = GeNNMNISTEvaluator.evaluate(parameters: bad, training: parts.training, test: parts.test,
                                            protocol: .init(classCount: 4), settings: .init(rubric: .accuracy), seed: 1)
        XCTAssertEqual(s.status.name, "invalid_genotype")
        XCTAssertEqual(s.fitness, 0)
    }
}
