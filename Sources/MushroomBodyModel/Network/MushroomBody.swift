import Randomness
import Spiking

/// The seed's mushroom-body network built from a parameter set (docs/model.md).
///
/// Populations PN (Poisson, one per pixel), KC (TraubMiles, `kc_count`), DN (TraubMiles,
/// one per class) and GGN (integrate-and-fire, 1); synapse groups PN→KC (fixed probability,
/// ExpCond), KC→DN (dense, plastic, ExpCond), KC→GGN (dense, DeltaCurr) and GGN→KC (dense,
/// ExpCurr); a teacher current source on the DNs.
///
/// Randomness: the PN→KC wiring and the initial KC→DN weights come from their own streams
/// of `seed` ("pn_kc_connectivity", "kc_dn_weights"), so the wiring does not depend on the
/// weights' draws, nor either on the Poisson stream ("poisson", owned by the protocol).
public final class MushroomBody {
    /// Names of the populations, in the order they are built and recorded.
    public static let populationNames = ["PN", "KC", "DN", "GGN"]

    public let network: Network
    public let parameters: MushroomBodyParameters
    public let variant: ProtocolVariant
    /// Population indices in ``network``.
    public let pn: Int, kc: Int, dn: Int, ggn: Int
    /// Synapse-group index of the plastic KC→DN projection.
    public let kcToDN: Int
    /// Current-source index of the teacher.
    public let teacher: Int

    /// Build the network for `pnCount` input pixels and `dnCount` classes.
    ///
    /// - Precondition: `parameters.problems()` is empty.
    public init(parameters p: MushroomBodyParameters, pnCount: Int = 784, dnCount: Int = 4,
                variant: ProtocolVariant, seed: SeedTree) {
        parameters = p
        self.variant = variant
        func f(_ name: String) -> Float { Float(p.value(name)) }
        let net = Network(dtMs: f("dt"))
        network = net
        let traub = TraubMilesParameters(gNa: f("traub_gna"), ENa: f("traub_ena"), gK: f("traub_gk"), EK: f("traub_ek"),
                                         gl: f("traub_gl"), El: f("traub_el"), C: f("traub_c"),
                                         substeps: Int(p.value("traub_substeps")))
        let poisson = PoissonParameters(trefractMs: f("poisson_trefract"), tspikeMs: f("poisson_tspike"),
                                        Vspike: f("poisson_vspike"), Vrest: f("poisson_vrest"))
        let kcCount = p.kcCount
        pn = net.addPopulation(name: "PN", size: pnCount, model: .poisson(poisson))
        kc = net.addPopulation(name: "KC", size: kcCount, model: .traubMiles(traub))
        dn = net.addPopulation(name: "DN", size: dnCount, model: .traubMiles(traub))
        ggn = net.addPopulation(name: "GGN", size: 1, model: .integrateAndFire(.init(Vthresh: f("ggn_threshold"))))

        var wiring = seed.child("pn_kc_connectivity").generator()
        let rows = SparseRows.fixedProbability(preCount: pnCount, postCount: kcCount,
                                               probability: p.value("pn_kc_probability"), using: &wiring)
        net.connect(name: "PN_KC", from: pn, to: kc, connectivity: .sparse(rows), weights: .global(f("pn_kc_weight")),
                    postsynaptic: .exponentialConductance(tauMs: p.value("pn_kc_tau"), reversalPotentialMv: p.value("pn_kc_reversal")))

        var weightStream = seed.child("kc_dn_weights").generator()
        let mean = p.value("kc_dn_weight_mean"), sd = p.value("kc_dn_weight_sd")
        let initial = (0..<(kcCount * dnCount)).map { _ in Float(mean + sd * weightStream.nextStandardNormal()) }
        let stdp = AdditiveSTDPParameters.symmetric(tauMs: f("stdp_tau"), alpha: f("stdp_alpha"), wMax: f("w_max"),
                                                    offset: f("stdp_offset"))
        let stdpWithMin = AdditiveSTDPParameters(tauPlusMs: stdp.tauPlusMs, tauMinusMs: stdp.tauMinusMs, aPlus: stdp.aPlus,
                                                 aMinus: stdp.aMinus, wMin: f("stdp_w_min"), wMax: stdp.wMax, offset: stdp.offset)
        kcToDN = net.connect(name: "KC_DN", from: kc, to: dn, connectivity: .dense, weights: .individual(initial),
                             rule: .additiveSTDP(stdpWithMin),
                             postsynaptic: .exponentialConductance(tauMs: p.value("kc_dn_tau"), reversalPotentialMv: p.value("kc_dn_reversal")))
        net.connect(name: "KC_GGN", from: kc, to: ggn, connectivity: .dense, weights: .global(f("kc_ggn_weight")),
                    postsynaptic: .deltaCurrent)
        net.connect(name: "GGN_KC", from: ggn, to: kc, connectivity: .dense, weights: .global(f("ggn_kc_weight")),
                    postsynaptic: .exponentialCurrent(tauMs: p.value("ggn_kc_tau")))
        teacher = net.addCurrentSource(name: "teacher", target: dn, magnitudes: [Float](repeating: 0, count: dnCount))
    }

    /// Set the teacher for `label`: +magnitude into DN `label`, −magnitude into the others
    /// (magnitude truncated toward zero under the seed variant); `nil` turns it off.
    public func setTeacher(label: Int?) {
        let dnCount = network.populations[dn].size
        guard let label else {
            network.currentSources[teacher].magnitudes = [Float](repeating: 0, count: dnCount)
            return
        }
        let magnitude = variant.teacherMagnitude(parameters.value("teacher"))
        network.currentSources[teacher].magnitudes = (0..<dnCount).map { $0 == label ? magnitude : -magnitude }
    }

    /// Present `pixels` to the PNs (or the blank, all zeros, when nil).
    public func present<C: Collection>(_ pixels: C?) where C.Element == UInt8 {
        let pop = network.populations[pn]
        if let pixels {
            pop.firingProbability = InputEncoding.firingProbabilities(pixels, divisor: parameters.value("input_divisor"), variant: variant)
        } else {
            pop.firingProbability = [Float](repeating: 0, count: pop.size)
        }
    }

    /// Mean KC→DN weight (NaN when there are no synapses).
    public var meanWeight: Double { network.synapseGroups[kcToDN].meanWeight }

    /// Mean KC membrane potential, mV (NaN when there are no KCs).
    public var meanKCVoltage: Double {
        let v = network.populations[kc].membranePotential
        guard !v.isEmpty else { return .nan }
        var s = 0.0
        for x in v { s += Double(x) }
        return s / Double(v.count)
    }

    /// Whether KC→DN plasticity is on.
    public var isPlastic: Bool {
        get { network.synapseGroups[kcToDN].isPlastic }
        set { network.synapseGroups[kcToDN].isPlastic = newValue }
    }
}
