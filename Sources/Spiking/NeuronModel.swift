/// The neuron models the simulator implements: GeNN 4's (docs/model.md) for the seed's
/// network and GeNN 5's `LIF` for the MNIST mushroom body.
public enum NeuronModel: Sendable, Hashable {
    /// GeNN `Poisson`: input neurons driven by a per-step firing probability per neuron.
    case poisson(PoissonParameters)
    /// GeNN `TraubMiles` (25 substeps), `TraubMilesFast` (1) or `TraubMilesNStep` (n).
    case traubMiles(TraubMilesParameters)
    /// The seed's non-leaky integrate-and-fire GGN.
    case integrateAndFire(IntegrateAndFireParameters)
    /// GeNN 5 `LIF`: leaky integrate-and-fire with a refractory timer (``LIF``).
    case lif(LIFParameters)

    /// The name GeNN gives the model.
    public var genNName: String {
        switch self {
        case .poisson: return "Poisson"
        case .traubMiles(let p):
            switch p.substeps { case 25: return "TraubMiles"; case 1: return "TraubMilesFast"; default: return "TraubMilesNStep" }
        case .integrateAndFire: return "GGN"
        case .lif: return "LIF"
        }
    }
}

/// Where and when the state of a population first stopped being finite.
public struct NumericalFailure: Sendable, Hashable, CustomStringConvertible {
    /// Population name.
    public let population: String
    /// Time step index k at which the non-finite value appeared (after that step's update).
    public let step: Int
    /// Index of the first neuron found non-finite at that step.
    public let neuron: Int
    /// The state variable ("V", "m", "h", "n" or "RefracTime").
    public let variable: String

    public init(population: String, step: Int, neuron: Int, variable: String) {
        self.population = population; self.step = step; self.neuron = neuron; self.variable = variable
    }

    public var description: String {
        "population \(population), neuron \(neuron): \(variable) became non-finite at step \(step)"
    }
}
