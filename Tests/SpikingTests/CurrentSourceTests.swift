import XCTest
import Spiking

/// Per-neuron constant currents changed between images: GeNN 5 MNIST `cs_model`
/// (`injectCurrent(magnitude)`) for the PN input and the MBON teacher.
final class CurrentSourceTests: XCTestCase {
    func testMagnitudesChangedBetweenImagesTakeEffectInTheNextStep() {
        let net = Network(dtMs: dt)
        let probe = net.addPopulation(name: "probe", size: 3, model: integratingProbe)
        let s = net.addCurrentSource(name: "input", target: probe, magnitudes: [1, 2, 3])
        var rng = testRNG()
        net.run(steps: 2, using: &rng)
        XCTAssertEqual(net.populations[probe].membranePotential, [2, 4, 6])
        // "image" 2: image / sum(image) · 80 nA.
        let image: [Float] = [0, 3, 1]
        net.currentSources[s].magnitudes = image.map { $0 / 4 * 80 }
        net.run(steps: 1, using: &rng)
        XCTAssertEqual(net.populations[probe].membranePotential, [2, 64, 26])
    }

    func testTheTeacherInjectsOnlyIntoTheLabelledNeuron() {
        let net = Network(dtMs: dt)
        let mbon = net.addPopulation(name: "MBON", size: 10, model: integratingProbe)
        let s = net.addCurrentSource(name: "teacher", target: mbon, magnitudes: [Float](repeating: 0, count: 10))
        net.currentSources[s].setAll(1)
        net.currentSources[s].setOnly(7, to: 5)
        var rng = testRNG()
        net.run(steps: 2, using: &rng)
        XCTAssertEqual(net.populations[mbon].membranePotential, (0..<10).map { $0 == 7 ? 10 : 0 })
        net.currentSources[s].setAll(0)
        net.run(steps: 2, using: &rng)
        XCTAssertEqual(net.populations[mbon].membranePotential[7], 10, "switched off")
    }

    func testTheCurrentDrivesALIFNeuronThroughItsMembraneResistance() {
        // 0.05 nA into R = 100 MΩ: V → Vrest + 5 mV.
        let net = Network(dtMs: dt)
        let pn = net.addPopulation(name: "PN", size: 1, model: .lif(LIFParameters(TauRefrac: 100)))
        net.addCurrentSource(name: "input", target: pn, magnitudes: [0.05])
        var rng = testRNG()
        net.run(steps: 4000, using: &rng)
        XCTAssertEqual(net.populations[pn].membranePotential[0], -55, accuracy: 1e-3)
    }
}
