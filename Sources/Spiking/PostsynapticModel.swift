#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a synapse group's accumulator `inSyn` becomes current into its target (GeNN 4's
/// postsynaptic models).
///
/// Each step, before the target's update: the current is added to the target's Isyn, using
/// the target's V before the update, then the accumulator decays. Decay factors are computed
/// in Double from `dt` and `tau` and rounded to Float once, as GeNN's derived parameters are.
public enum PostsynapticModel: Sendable, Hashable, Codable {
    /// `ExpCond`: current `inSyn·(E − V)` (nA, with inSyn in µS), then `inSyn *= exp(−dt/tau)`.
    case exponentialConductance(tauMs: Double, reversalPotentialMv: Double)
    /// `ExpCurr`: current `inSyn·(tau/dt)·(1 − exp(−dt/tau))`, then `inSyn *= exp(−dt/tau)`.
    case exponentialCurrent(tauMs: Double)
    /// `DeltaCurr`: current `inSyn`, then `inSyn = 0`.
    case deltaCurrent
}

/// The Float constants a postsynaptic model needs at a given time step.
public struct PostsynapticConstants: Sendable, Hashable {
    /// Multiplier applied to inSyn each step (`expDecay`; 0 for DeltaCurr).
    public let decay: Float
    /// Factor from inSyn to current (`init` of ExpCurr; 1 otherwise).
    public let currentFactor: Float
    /// Reversal potential for ExpCond, mV (unused otherwise).
    public let reversalPotential: Float
    /// Whether the current is conductance-based (`inSyn·(E − V)`).
    public let isConductance: Bool

    public init(model: PostsynapticModel, dtMs: Double) {
        switch model {
        case let .exponentialConductance(tau, e):
            decay = Float(exp(-dtMs / tau)); currentFactor = 1; reversalPotential = Float(e); isConductance = true
        case let .exponentialCurrent(tau):
            decay = Float(exp(-dtMs / tau))
            currentFactor = Float((tau * (1.0 - exp(-dtMs / tau))) * (1.0 / dtMs))
            reversalPotential = 0; isConductance = false
        case .deltaCurrent:
            decay = 0; currentFactor = 1; reversalPotential = 0; isConductance = false
        }
    }
}
