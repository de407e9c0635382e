import Randomness
import Spiking

/// GeNN 5's insect MNIST classifier (`userproject/mnist_mb_classifier.py`) built from a
/// parameter set (docs/model.md, "The GeNN MNIST mushroom body").
///
/// Populations, in GeNN's order: PN (LIF, one per pixel, driven by the "PN input" current
/// source), KC (LIF, `kc_count`), GGN (IF, 1) and MBON (LIF, one per class). Synapse groups:
/// PN→KC (FixedNumberPreWithReplacement, `pn_kc_fan_in` per KC, global weight, ExpCurr),
/// KC→GGN (dense, DeltaCurr), GGN→KC (dense, ExpCurr) and KC→MBON (dense, symmetric STDP from
/// g = 0, ExpCurr). A second current source, "MBON teacher", drives the labelled MBON.
///
/// While ``isPlastic`` (training) the KC→MBON synapses learn and transmit nothing, as GeNN's
/// `symmetric_stdp` has no `addToPost`: the MBONs fire from the teacher alone. With
/// `isPlastic = false` (testing) they deliver the learned g, GeNN's test network's StaticPulse.
///
/// Randomness: only the PN→KC wiring is random, from the stream "pn_kc_connectivity" of `seed`;
/// the dynamics are deterministic (current input, no Poisson neurons).
public final class GeNNMNISTNetwork {
    /// Names of the populations, in the order they are built and recorded.
    public static let populationNames = ["PN", "KC", "GGN", "MBON"]

    public let network: Network
    public let parameters: GeNNMNISTParameters
    /// Population indices in ``network``.
    public let pn: Int, kc: Int, ggn: Int, mbon: Int
    /// Synapse-group indices.
    public let pnToKC: Int, kcToMBON: Int
    /// Current-source indices.
    public let input: Int, teacher: Int
    /// The PN→KC wiring.
    public let pnKCRows: SparseRows

    /// Build the network for `pnCount` input pixels and `classCount` classes (one MBON each).
    ///
    /// - Precondition: `parameters.problems()` is empty.
    public init(parameters p: GeNNMNISTParameters, pnCount: Int = 784, classCount: Int = 10, seed: SeedTree) {
        parameters = p
        func f(_ name: String) -> Float { Float(p.value(name)) }
        func lif(_ prefix: String) -> LIFParameters {
            let v = p.lifParameters(prefix)
            return LIFParameters(C: v.C, TauM: v.TauM, Vrest: v.Vrest, Vreset: v.Vreset, Vthresh: v.Vthresh,
                                 Ioffset: v.Ioffset, TauRefrac: v.TauRefrac)
        }
        let net = Network(dtMs: f("dt"))
        network = net
        let kcCount = p.kcCount
        pn = net.addPopulation(name: "PN", size: pnCount, model: .lif(lif("pn")))
        kc = net.addPopulation(name: "KC", size: kcCount, model: .lif(lif("kc")))
        ggn = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.genn5(Vthresh: f("ggn_threshold"))))
        mbon = net.addPopulation(name: "MBON", size: classCount, model: .lif(lif("mbon")))

        var wiring = seed.child("pn_kc_connectivity").generator()
        let fanIn = Int(p.value("pn_kc_fan_in"))
        pnKCRows = SparseRows.fixedNumberPreWithReplacement(preCount: pnCount, postCount: kcCount,
                                                            numberPerPost: pnCount > 0 ? fanIn : 0, using: &wiring)
        pnToKC = net.connect(name: "PN_KC", from: pn, to: kc, connectivity: .sparse(pnKCRows), weights: .global(f("pn_kc_weight")),
                             postsynaptic: .exponentialCurrent(tauMs: p.value("pn_kc_tau")))
        net.connect(name: "KC_GGN", from: kc, to: ggn, connectivity: .dense, weights: .global(f("kc_ggn_weight")),
                    postsynaptic: .deltaCurrent)
        net.connect(name: "GGN_KC", from: ggn, to: kc, connectivity: .dense, weights: .global(f("ggn_kc_weight")),
                    postsynaptic: .exponentialCurrent(tauMs: p.value("ggn_kc_tau")))
        let stdp = SymmetricSTDPParameters(tauMs: f("kc_mbon_tau"), rho: f("kc_mbon_rho"), eta: f("kc_mbon_eta"),
                                           wMin: f("kc_mbon_w_min"), wMax: f("kc_mbon_w_max"))
        kcToMBON = net.connect(name: "KC_MBON", from: kc, to: mbon, connectivity: .dense,
                               weights: .individual([Float](repeating: 0, count: kcCount * classCount)),
                               rule: .symmetricSTDP(stdp), postsynaptic: .exponentialCurrent(tauMs: p.value("kc_mbon_syn_tau")))
        input = net.addCurrentSource(name: "PN input", target: pn, magnitudes: [Float](repeating: 0, count: pnCount))
        teacher = net.addCurrentSource(name: "MBON teacher", target: mbon, magnitudes: [Float](repeating: 0, count: classCount))
    }

    /// The PN input currents for an image: pixel / (sum of the pixels) × `input_scale` nA, in
    /// Double, rounded to Float once (GeNN's example divides in float64 numpy, then stores
    /// float32). An all-zero image gives no current.
    public static func inputCurrents<C: Collection>(_ pixels: C, scale: Double) -> [Float] where C.Element == UInt8 {
        var sum = 0.0
        for p in pixels { sum += Double(p) }
        guard sum > 0 else { return [Float](repeating: 0, count: pixels.count) }
        return pixels.map { Float(Double($0) / sum * scale) }
    }

    /// Present `pixels` (teacher on the MBON of `label`, or off for nil) for `present_ms`, then
    /// reset every V, RefracTime, spike time and synaptic input as GeNN's example does between
    /// images. Returns the first MBON spike of the presentation (step, MBON; ties to the lower
    /// index), or nil. `beforeReset` runs after the last step, before the reset.
    ///
    /// Like GeNN's example, the reset leaves the spikes of the last step in the spike buffer,
    /// so they are delivered in the first step of the next image.
    @discardableResult
    public func present<C: Collection>(_ pixels: C, teacherFor label: Int?, using rng: inout some RandomNumberGenerator,
                                       beforeReset: (() -> Void)? = nil) -> DNSpike? where C.Element == UInt8 {
        network.currentSources[input].magnitudes = Self.inputCurrents(pixels, scale: parameters.value("input_scale"))
        let source = network.currentSources[teacher]
        if let label { source.setOnly(label, to: Float(parameters.value("mbon_teacher"))) } else { source.setAll(0) }
        let mbonPop = network.populations[mbon]
        var first: DNSpike?
        for _ in 0..<parameters.presentSteps {
            network.step(using: &rng)
            if first == nil, let j = mbonPop.spikes.first { first = DNSpike(step: network.stepIndex - 1, neuron: Int(j)) }
        }
        beforeReset?()
        network.resetState(keepingPendingSpikes: true)
        return first
    }

    /// Whether KC→MBON plasticity is on (training: learn, transmit nothing) or off (testing:
    /// transmit the learned g, learn nothing).
    public var isPlastic: Bool {
        get { network.synapseGroups[kcToMBON].isPlastic }
        set { network.synapseGroups[kcToMBON].isPlastic = newValue }
    }

    /// Mean KC→MBON weight (NaN when there are no synapses).
    public var meanWeight: Double { network.synapseGroups[kcToMBON].meanWeight }
}
