/// The whole parameter set of the mushroom-body network and its protocol (docs/model.md),
/// every number under a documented name with the seed's default.
///
/// A genotype overrides any of them by name (``setting(_:to:)``), so an experiment can evolve
/// more than the seed's six genes. Values are held as Double and rounded to Float once when
/// the network is built, as GeNN writes parameters into generated code.
public struct MushroomBodyParameters: Sendable, Hashable {
    /// Every parameter, in documentation order.
    public static let definitions: [ModelParameter] = [
        // The seed's genes.
        .init("kc_count", "1", 800, .integer(0...100_000), "number of Kenyon cells (seed prior 0…2199)", seedGene: true),
        .init("stdp_tau", "ms", 26, .nonNegative, "STDP time constant, tauPlus = tauMinus", seedGene: true),
        .init("stdp_alpha", "µS", 0.00006, .finite, "STDP amplitude, aPlus = aMinus", seedGene: true),
        .init("w_max", "µS", 0.4, .nonNegative, "STDP upper weight bound wMax", seedGene: true),
        .init("stdp_offset", "1", 0.0044, .finite, "STDP offset subtracted from the exponential term", seedGene: true),
        .init("teacher", "nA", 1.0, .finite, "teacher current: +teacher into the labelled DN, −teacher into the others", seedGene: true),
        // Connectivity and synapses.
        .init("pn_kc_probability", "1", 0.2, .probability, "PN→KC connection probability (each pair independently)"),
        .init("pn_kc_weight", "µS", 0.0033555, .finite, "PN→KC global conductance g"),
        .init("pn_kc_tau", "ms", 1, .positive, "PN→KC ExpCond decay time constant"),
        .init("pn_kc_reversal", "mV", 0, .finite, "PN→KC ExpCond reversal potential E"),
        .init("kc_dn_weight_mean", "µS", 1e-5, .finite, "mean of the initial KC→DN weights (normal)"),
        .init("kc_dn_weight_sd", "µS", 5e-6, .nonNegative, "standard deviation of the initial KC→DN weights"),
        .init("kc_dn_tau", "ms", 10, .positive, "KC→DN ExpCond decay time constant"),
        .init("kc_dn_reversal", "mV", 0, .finite, "KC→DN ExpCond reversal potential E"),
        .init("stdp_w_min", "µS", 0, .finite, "STDP lower weight bound wMin"),
        .init("kc_ggn_weight", "1", 1, .finite, "KC→GGN global weight (DeltaCurr)"),
        .init("ggn_kc_weight", "nA", -5, .finite, "GGN→KC global weight (ExpCurr)"),
        .init("ggn_kc_tau", "ms", 20, .positive, "GGN→KC ExpCurr decay time constant"),
        .init("ggn_threshold", "1", 40, .finite, "GGN threshold Vthresh"),
        // Neuron models.
        .init("poisson_trefract", "ms", 0.3, .nonNegative, "Poisson refractory period"),
        .init("poisson_tspike", "ms", 0.2, .nonNegative, "Poisson spike duration"),
        .init("poisson_vspike", "mV", 80, .finite, "Poisson spike potential"),
        .init("poisson_vrest", "mV", -60, .finite, "Poisson resting potential"),
        .init("traub_gna", "µS", 7.15, .finite, "TraubMiles sodium conductance"),
        .init("traub_ena", "mV", 50, .finite, "TraubMiles sodium reversal potential"),
        .init("traub_gk", "µS", 1.43, .finite, "TraubMiles potassium conductance"),
        .init("traub_ek", "mV", -95, .finite, "TraubMiles potassium reversal potential"),
        .init("traub_gl", "µS", 0.02672, .finite, "TraubMiles leak conductance"),
        .init("traub_el", "mV", -63.563, .finite, "TraubMiles leak reversal potential"),
        .init("traub_c", "nF", 0.143, .positive, "TraubMiles membrane capacitance"),
        .init("traub_substeps", "1", 25, .integer(1...1000), "Euler substeps per step: 25 TraubMiles, 1 TraubMilesFast, n TraubMilesNStep"),
        // Input and protocol.
        .init("input_divisor", "1", 235, .positive, "firingProb = pixel / mean(non-zero pixels) / input_divisor"),
        .init("dt", "ms", 0.1, .positive, "simulation time step"),
        .init("stimulus_ms", "ms", 25, .nonNegative, "duration of each image presentation"),
        .init("blank_ms", "ms", 25, .nonNegative, "duration of the blank after each image"),
    ]

    /// Index of each parameter in ``definitions``.
    public static let index: [String: Int] = Dictionary(uniqueKeysWithValues: definitions.enumerated().map { ($1.name, $0) })

    /// The names of the seed's six genes, in the seed's order.
    public static let seedGeneNames = ["kc_count", "stdp_tau", "stdp_alpha", "w_max", "stdp_offset", "teacher"]

    /// Values, parallel to ``definitions``.
    public private(set) var values: [Double]

    /// The seed's defaults.
    public init() { values = Self.definitions.map(\.defaultValue) }

    /// The value of parameter `name`, or nil if there is no such parameter.
    public subscript(name: String) -> Double? {
        guard let i = Self.index[name] else { return nil }
        return values[i]
    }

    /// A copy with parameter `name` set to `value`.
    ///
    /// - Throws: ``UnknownParameterError`` (with a did-you-mean suggestion) for a name that is
    ///   not in ``definitions``. Values are not checked here; see ``problems()``.
    public func setting(_ name: String, to value: Double) throws -> MushroomBodyParameters {
        guard let i = Self.index[name] else { throw NetworkKind.seed.unknownParameter(name) }
        var copy = self
        copy.values[i] = value
        return copy
    }

    /// A copy with every pair of `overrides` applied in order.
    public func setting(_ overrides: [(String, Double)]) throws -> MushroomBodyParameters {
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
        return out
    }

    // Typed accessors used by the builder.
    @inlinable func value(_ name: String) -> Double { values[Self.index[name]!] }
    public var kcCount: Int { Int(value("kc_count")) }
    public var dtMs: Double { value("dt") }
    /// Steps of each image presentation, ⌊stimulus_ms/dt + 0.5⌋ (250 by default).
    public var stimulusSteps: Int { Int((value("stimulus_ms") / value("dt")).rounded()) }
    /// Steps of each blank, ⌊blank_ms/dt + 0.5⌋ (250 by default).
    public var blankSteps: Int { Int((value("blank_ms") / value("dt")).rounded()) }
}

/// A parameter name that the network does not have.
public struct UnknownParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let suggestion: String?
    /// The network asked (`seed`, `genn-mnist`), when known.
    public let network: String?
    /// The other network, when it has a parameter of this name.
    public let networkHavingIt: String?
    /// An unknown name, with the closest known name when one is near enough to suggest, or the
    /// other network that has it.
    public init(name: String, suggestion: String?, network: String? = nil, networkHavingIt: String? = nil) {
        self.name = name
        self.suggestion = suggestion
        self.network = network
        self.networkHavingIt = networkHavingIt
    }
    public var description: String {
        if let other = networkHavingIt {
            return "\"\(name)\" is a parameter of the \(other) network, not of the \(network ?? "chosen") network (set `network: \(other)` to use it)"
        }
        return "unknown parameter \"\(name)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
    }
}
