/// Which mushroom-body network an experiment evolves (`network:` at the top of an experiment
/// file, `--network` on the command line).
///
/// Both go through one evaluation path (``NetworkEvaluator``): a genotype becomes a parameter
/// set of the chosen network (``NetworkParameters``), the network is built, trained and tested,
/// and the result is an ``EvaluationResult`` with the same fields for either.
public enum NetworkKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The seed's network (TraubMiles KCs and DNs, Poisson PNs, GeNN 4 semantics).
    case seed
    /// GeNN 5's insect MNIST classifier (LIF PNs, KCs and MBONs, IF GGN, symmetric STDP).
    case gennMNIST = "genn-mnist"

    /// The network's parameter table.
    public var definitions: [ModelParameter] {
        switch self {
        case .seed: return MushroomBodyParameters.definitions
        case .gennMNIST: return GeNNMNISTParameters.definitions
        }
    }

    /// Whether the network has a parameter called `name`.
    public func hasParameter(_ name: String) -> Bool {
        switch self {
        case .seed: return MushroomBodyParameters.index[name] != nil
        case .gennMNIST: return GeNNMNISTParameters.index[name] != nil
        }
    }

    /// The definition of parameter `name`, if this network has it.
    public func definition(_ name: String) -> ModelParameter? {
        switch self {
        case .seed: return MushroomBodyParameters.index[name].map { MushroomBodyParameters.definitions[$0] }
        case .gennMNIST: return GeNNMNISTParameters.index[name].map { GeNNMNISTParameters.definitions[$0] }
        }
    }

    /// The error for a name this network lacks: it names the other network when that one has
    /// the parameter, else suggests the closest name of this one.
    public func unknownParameter(_ name: String) -> UnknownParameterError {
        let other = NetworkKind.allCases.first { $0 != self && $0.hasParameter(name) }
        return UnknownParameterError(name: name, suggestion: other == nil ? closestMatch(to: name, in: definitions.map(\.name)) : nil,
                                     network: self.rawValue, networkHavingIt: other?.rawValue)
    }

    /// The most classes the network can tell apart: the seed's has 4 DNs, fixed; GeNN's MNIST
    /// network has one MBON per class (nil: no fixed limit).
    public var maximumClasses: Int? {
        switch self {
        case .seed: return 4
        case .gennMNIST: return nil
        }
    }

    /// Names of the populations, in the order they are built and recorded.
    public var populationNames: [String] {
        switch self {
        case .seed: return MushroomBody.populationNames
        case .gennMNIST: return GeNNMNISTNetwork.populationNames
        }
    }
}

/// A parameter set of either network.
public enum NetworkParameters: Sendable, Hashable {
    case seed(MushroomBodyParameters)
    case gennMNIST(GeNNMNISTParameters)

    /// The network's defaults.
    public init(defaultsFor kind: NetworkKind) {
        switch kind {
        case .seed: self = .seed(MushroomBodyParameters())
        case .gennMNIST: self = .gennMNIST(GeNNMNISTParameters())
        }
    }

    public var kind: NetworkKind {
        switch self { case .seed: return .seed; case .gennMNIST: return .gennMNIST }
    }

    /// The value of `name`, or nil if the network has no such parameter.
    public subscript(name: String) -> Double? {
        switch self { case .seed(let p): return p[name]; case .gennMNIST(let p): return p[name] }
    }

    /// A copy with `name` set; throws ``UnknownParameterError`` for a name the network lacks.
    public func setting(_ name: String, to value: Double) throws -> NetworkParameters {
        switch self {
        case .seed(let p):
            guard MushroomBodyParameters.index[name] != nil else { throw NetworkKind.seed.unknownParameter(name) }
            return .seed(try p.setting(name, to: value))
        case .gennMNIST(let p): return .gennMNIST(try p.setting(name, to: value))
        }
    }

    /// A copy with every pair applied in order.
    public func setting(_ overrides: [(String, Double)]) throws -> NetworkParameters {
        var p = self
        for (k, v) in overrides { p = try p.setting(k, to: v) }
        return p
    }

    /// Every value outside its domain; empty when valid.
    public func problems() -> [String] {
        switch self { case .seed(let p): return p.problems(); case .gennMNIST(let p): return p.problems() }
    }
}
