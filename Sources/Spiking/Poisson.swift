import Randomness

/// Parameters of GeNN's `Poisson` input neuron.
///
/// Each step the neuron spikes with probability `firingProb[offset + id]` (a per-step
/// probability, not a rate), unless it is refractory. Units: ms and mV.
public struct PoissonParameters: Sendable, Hashable, Codable {
    /// Refractory period after a spike, ms.
    public var trefractMs: Float = 0.3
    /// Duration of the spike (V held at `Vspike`), ms.
    public var tspikeMs: Float = 0.2
    /// Potential while spiking, mV.
    public var Vspike: Float = 80
    /// Resting potential, mV.
    public var Vrest: Float = -60

    public init(trefractMs: Float = 0.3, tspikeMs: Float = 0.2, Vspike: Float = 80, Vrest: Float = -60) {
        self.trefractMs = trefractMs; self.tspikeMs = tspikeMs; self.Vspike = Vspike; self.Vrest = Vrest
    }

    /// Initial state: V = −60 mV, spikeTime = −1e5 ms.
    public static let initialSpikeTimeMs: Float = -1e5
}

public enum Poisson {
    /// One Poisson neuron's update at time `tMs`, as in docs/model.md:
    /// ```
    /// if (t − spikeTime) > tspike and V > Vrest:   V = Vrest
    /// else if (t − spikeTime) > trefract:
    ///     if uniform() < p:  V = Vspike; spikeTime = t
    /// ```
    /// A probability `p <= 0` (or NaN) never fires and draws nothing from `rng`, so silent
    /// pixels cost no random numbers; the stream stays a pure function of the seed and input.
    @inlinable @inline(__always)
    public static func step(V: inout Float, spikeTimeMs: inout Float, probability p: Float, tMs: Float,
                            parameters: PoissonParameters, using rng: inout some RandomNumberGenerator) {
        let since = tMs - spikeTimeMs
        if since > parameters.tspikeMs && V > parameters.Vrest {
            V = parameters.Vrest
        } else if since > parameters.trefractMs {
            if p > 0 && rng.nextUniformFloat() < p {
                V = parameters.Vspike
                spikeTimeMs = tMs
            }
        }
    }
}
