/// The whole parameter set of GeNN 5's insect MNIST classifier network (`network: genn-mnist`,
/// docs/model.md "The GeNN MNIST mushroom body"), every number under a documented name with
/// GeNN's value as the default.
///
/// The same pattern as ``MushroomBodyParameters``: a genotype or an experiment's `model:`
/// overrides any value by name; values are held as Double and rounded to Float once when the
/// network is built. Names that both networks have (`kc_count`, `pn_kc_weight`, …) mean the
/// same role in each, with this network's units and defaults.
public struct GeNNMNISTParameters: Sendable, Hashable {
    /// The LIF constants each of the three LIF populations has, under its prefix.
    static func lif(_ prefix: String, _ population: String, tauRefrac: Double) -> [ModelParameter] {
        [
            .init("\(prefix)_c", "nF", 0.2, .positive, "\(population) LIF membrane capacitance C"),
            .init("\(prefix)_tau_m", "ms", 20, .positive, "\(population) LIF membrane time constant TauM"),
            .init("\(prefix)_v_rest", "mV", -60, .finite, "\(population) LIF resting potential Vrest"),
            .init("\(prefix)_v_reset", "mV", -60, .finite, "\(population) LIF reset (and initial) potential Vreset"),
            .init("\(prefix)_v_thresh", "mV", -50, .finite, "\(population) LIF threshold Vthresh"),
            .init("\(prefix)_i_offset", "nA", 0, .finite, "\(population) LIF offset current Ioffset"),
            .init("\(prefix)_tau_refrac", "ms", tauRefrac, .nonNegative, "\(population) LIF refractory period TauRefrac"),
        ]
    }

    /// Every parameter, in documentation order.
    public static let definitions: [ModelParameter] = [
        // Input and protocol.
        .init("input_scale", "nA", 80, .nonNegative, "PN input current: pixel / (sum of the image's pixels) × input_scale"),
        .init("present_ms", "ms", 20, .positive, "duration of each image; every state variable is reset after it"),
        .init("dt", "ms", 0.1, .positive, "simulation time step"),
        // Kenyon cells and their input.
        .init("kc_count", "1", 20_000, .integer(0...200_000), "number of Kenyon cells"),
        .init("pn_kc_fan_in", "1", 20, .integer(0...10_000), "PN inputs per KC, drawn with replacement (FixedNumberPreWithReplacement)"),
        .init("pn_kc_weight", "nA", 0.2, .finite, "PN→KC global weight g (StaticPulseConstantWeight)"),
        .init("pn_kc_tau", "ms", 3, .positive, "PN→KC ExpCurr decay time constant"),
        // The GGN.
        .init("ggn_threshold", "1", 200, .finite, "GGN (IF) threshold: spikes at V ≥ ggn_threshold, reset to 0"),
        .init("kc_ggn_weight", "1", 1, .finite, "KC→GGN global weight (DeltaCurr)"),
        .init("ggn_kc_weight", "nA", -5, .finite, "GGN→KC global weight (ExpCurr)"),
        .init("ggn_kc_tau", "ms", 5, .positive, "GGN→KC ExpCurr decay time constant"),
        // KC→MBON learning.
        .init("kc_mbon_tau", "ms", 15, .positive, "KC→MBON symmetric STDP time constant tau"),
        .init("kc_mbon_rho", "1", 0.01, .finite, "KC→MBON STDP offset rho"),
        .init("kc_mbon_eta", "nA", 0.00002, .finite, "KC→MBON STDP learning rate eta"),
        .init("kc_mbon_w_min", "nA", 0, .finite, "KC→MBON lower weight bound wMin"),
        .init("kc_mbon_w_max", "nA", 0.0233, .finite, "KC→MBON upper weight bound wMax"),
        .init("kc_mbon_syn_tau", "ms", 3, .positive, "KC→MBON ExpCurr decay time constant"),
        .init("mbon_teacher", "nA", 5, .finite, "teaching current into the labelled MBON while training"),
    ] + lif("pn", "PN", tauRefrac: 100) + lif("kc", "KC", tauRefrac: 2) + lif("mbon", "MBON", tauRefrac: 2)

    /// Index of each parameter in ``definitions``.
    public static let index: [String: Int] = Dictionary(uniqueKeysWithValues: definitions.enumerated().map { ($1.name, $0) })

    /// The genes of `experiments/mnist-genn-mb.yaml` (the parameters a search over this
    /// network usually evolves).
    public static let usualGeneNames = ["input_scale", "kc_count", "pn_kc_fan_in", "pn_kc_weight", "pn_kc_tau",
                                        "ggn_threshold", "ggn_kc_weight", "kc_mbon_tau", "kc_mbon_rho", "kc_mbon_eta",
                                        "kc_mbon_w_max", "mbon_teacher"]

    /// Values, parallel to ``definitions``.
    public private(set) var values: [Double]

    /// GeNN's values.
    public init() { values = Self.definitions.map(\.defaultValue) }

    /// The value of parameter `name`, or nil if there is no such parameter.
    public subscript(name: String) -> Double? {
        guard let i = Self.index[name] else { return nil }
        return values[i]
    }

    /// A copy with parameter `name` set to `value`.
    ///
    /// - Throws: ``UnknownParameterError`` for a name this network does not have (naming the
    ///   seed network when the name is one of its parameters, else with a did-you-mean).
    public func setting(_ name: String, to value: Double) throws -> GeNNMNISTParameters {
        guard let i = Self.index[name] else { throw NetworkKind.gennMNIST.unknownParameter(name) }
        var copy = self
        copy.values[i] = value
        return copy
    }

    /// A copy with every pair of `overrides` applied in order.
    public func setting(_ overrides: [(String, Double)]) throws -> GeNNMNISTParameters {
        var p = self
        for (k, v) in overrides { p = try p.setting(k, to: v) }
        return p
    }

    /// Every value outside its parameter's domain, as "name: problem" lines; empty when valid.
    public func problems() -> [String] {
        var out: [String] = []
        for (i, d) in Self.definitions.enumerated() {
            if let p = d.domain.problem(with: values[i]) { out.append("\(d.name): \(p)") }
        }
        if out.isEmpty, presentSteps < 1 {
            out.append("present_ms: an image must be shown for at least one time step, found \(format(value("present_ms"))) ms with dt \(format(value("dt"))) ms")
        }
        if out.isEmpty, kcCount > 0, value("pn_kc_fan_in") > 0, kcCount * Int(value("pn_kc_fan_in")) > 50_000_000 {
            out.append("pn_kc_fan_in: kc_count × pn_kc_fan_in must be at most 50000000 synapses, found \(kcCount * Int(value("pn_kc_fan_in")))")
        }
        return out
    }

    // Typed accessors used by the builder and the protocol.
    @inlinable public func value(_ name: String) -> Double { values[Self.index[name]!] }
    public var kcCount: Int { Int(value("kc_count")) }
    public var dtMs: Double { value("dt") }
    /// Steps of each image, ⌊present_ms/dt + 0.5⌋ (200 by default).
    public var presentSteps: Int {
        let s = (value("present_ms") / value("dt")).rounded()
        return s.isFinite && s < 1e9 ? Int(s) : 0
    }

    /// The GeNN `LIF` parameters of population `prefix` ("pn", "kc" or "mbon").
    public func lifParameters(_ prefix: String) -> LIFParametersValues {
        func f(_ n: String) -> Float { Float(value("\(prefix)_\(n)")) }
        return LIFParametersValues(C: f("c"), TauM: f("tau_m"), Vrest: f("v_rest"), Vreset: f("v_reset"),
                                   Vthresh: f("v_thresh"), Ioffset: f("i_offset"), TauRefrac: f("tau_refrac"))
    }
}

/// The seven LIF constants of one population as Floats (kept free of `Spiking` types so the
/// exporter can read them too).
public struct LIFParametersValues: Sendable, Hashable {
    public let C: Float, TauM: Float, Vrest: Float, Vreset: Float, Vthresh: Float, Ioffset: Float, TauRefrac: Float
}
