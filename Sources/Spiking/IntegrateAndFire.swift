/// Parameters of the seed's giant GABAergic neuron (GGN): a non-leaky integrate-and-fire
/// neuron that adds its input current to V each step.
///
/// Update `V += Isyn`; threshold `V >= Vthresh`; reset `V = 0`. V is dimensionless here
/// (it integrates the count of KC spikes delivered through a DeltaCurr synapse of weight 1).
public struct IntegrateAndFireParameters: Sendable, Hashable, Codable {
    /// Threshold on V.
    public var Vthresh: Float = 40

    public init(Vthresh: Float = 40) { self.Vthresh = Vthresh }
}
