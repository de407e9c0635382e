/// Parameters of the non-leaky integrate-and-fire neuron used as the giant GABAergic neuron
/// (GGN): the seed's GGN (GeNN 4) and the `IF` model of GeNN 5's insect MNIST classifier.
///
/// Update `V += Isyn`; threshold `V >= Vthresh`; reset `V = 0`; V starts (and is reset between
/// images) at 0. V is dimensionless here: it counts the KC spikes delivered through a
/// DeltaCurr synapse of weight 1 (plus any other input, in the same units).
///
/// Auto-refractory: GeNN 4 gives custom neuron models the auto-refractory rule by default
/// (`NeuronModels::Base::isAutoRefractoryRequired()` returns true), so the seed's GGN emits a
/// spike only where the threshold holds after the update and did not hold before it. GeNN 5
/// turned the default off (`isAutoRefractoryRequired()` returns false in
/// `include/genn/genn/neuronModels.h`, and PyGeNN's `create_neuron_model` has
/// `auto_refractory_required=False`), so the MNIST example's `IF` spikes whenever
/// `V >= Vthresh` after the update. The two differ only for a neuron that is already at or
/// above threshold before an update (a V set from outside, or `Vthresh <= 0`).
public struct IntegrateAndFireParameters: Sendable, Hashable, Codable {
    /// Threshold on V (the seed: 40; GeNN's MNIST example: 200).
    public var Vthresh: Float = 40
    /// GeNN 4's auto-refractory rule (true, the seed's GGN) or GeNN 5's default (false).
    public var usesAutoRefractory: Bool = true

    public init(Vthresh: Float = 40, usesAutoRefractory: Bool = true) {
        self.Vthresh = Vthresh; self.usesAutoRefractory = usesAutoRefractory
    }

    /// The `IF` GGN of GeNN 5's MNIST mushroom-body example: no auto-refractory rule.
    public static func genn5(Vthresh: Float = 200) -> Self { .init(Vthresh: Vthresh, usesAutoRefractory: false) }

    private enum CodingKeys: String, CodingKey { case Vthresh, usesAutoRefractory }

    /// Decodes encodings made before `usesAutoRefractory` existed as the seed's GeNN 4 GGN.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        Vthresh = try c.decode(Float.self, forKey: .Vthresh)
        usesAutoRefractory = try c.decodeIfPresent(Bool.self, forKey: .usesAutoRefractory) ?? true
    }
}
