#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parameters of GeNN 5's built-in `LIF` neuron (a leaky integrate-and-fire neuron with a
/// refractory timer), as used by GeNN's insect MNIST classifier for the PNs, KCs and MBONs.
///
/// Units: capacitance nF, times ms, potentials mV, current nA (so the membrane resistance
/// `TauM / C` is in MΩ and `I·R` in mV). The defaults are the MNIST example's `LIF_PARAMS`.
public struct LIFParameters: Sendable, Hashable, Codable {
    /// Membrane capacitance, nF.
    public var C: Float = 0.2
    /// Membrane time constant, ms.
    public var TauM: Float = 20
    /// Resting potential, mV.
    public var Vrest: Float = -60
    /// Potential after a spike, mV.
    public var Vreset: Float = -60
    /// Spike threshold, mV.
    public var Vthresh: Float = -50
    /// Constant offset current added to the synaptic input, nA.
    public var Ioffset: Float = 0
    /// Refractory period after a spike, ms.
    public var TauRefrac: Float = 2
    /// Initial (and reset-between-images) membrane potential, mV. GeNN's example starts
    /// every LIF population at `Vreset`; `nil` in the initialiser means that.
    public var initialV: Float

    public init(C: Float = 0.2, TauM: Float = 20, Vrest: Float = -60, Vreset: Float = -60, Vthresh: Float = -50,
                Ioffset: Float = 0, TauRefrac: Float = 2, initialV: Float? = nil) {
        self.C = C; self.TauM = TauM; self.Vrest = Vrest; self.Vreset = Vreset; self.Vthresh = Vthresh
        self.Ioffset = Ioffset; self.TauRefrac = TauRefrac; self.initialV = initialV ?? Vreset
    }

    /// Initial `RefracTime`, ms (GeNN's example: 0, not refractory).
    public static let initialRefracTimeMs: Float = 0
}

/// GeNN's derived parameters of `LIF` at a time step, computed in Double and rounded to Float
/// once, as GeNN writes derived parameters into the generated code.
public struct LIFConstants: Sendable, Hashable {
    /// `ExpTC = exp(−dt / TauM)`.
    public let expTC: Float
    /// `Rmembrane = TauM / C`, MΩ.
    public let rMembrane: Float

    public init(parameters p: LIFParameters, dtMs: Double) {
        expTC = Float(exp(-dtMs / Double(p.TauM)))
        rMembrane = Float(Double(p.TauM) / Double(p.C))
    }
}

/// The GeNN 5 `LIF` update, in two forms held together by `LIFKernelTests`: a plain reference
/// for one neuron that reads like GeNN's code, and the SIMD16 kernel the simulator runs.
///
/// GeNN 5 (`include/genn/genn/neuronModels.h`, `NeuronModels::LIF`):
/// ```
/// sim:       if (RefracTime <= 0.0) { scalar alpha = ((Isyn + Ioffset) * Rmembrane) + Vrest;
///                                     V = alpha - (ExpTC * (alpha - V)); }
///            else { RefracTime -= dt; }
/// threshold: RefracTime <= 0.0 && V >= Vthresh
/// reset:     V = Vreset; RefracTime = TauRefrac;
/// ```
/// with `SET_NEEDS_AUTO_REFRACTORY(false)` (GeNN 5's default for every neuron model, and set
/// explicitly on LIF in GeNN 4 too): a spike is emitted whenever the threshold condition holds
/// after the update, with no comparison against the state before it. The refractory timer does
/// that job: after a spike the neuron is frozen (V held at Vreset, no integration) while
/// `RefracTime > 0`, which lasts ⌈TauRefrac / dt⌉ steps up to Float rounding of the repeated
/// subtraction.
///
/// Both forms do the same IEEE Float operations in the same order (no fused multiply-add), so
/// they agree bit for bit.
public enum LIF {
    /// Advance one neuron by one step under total input `isyn` (nA: synaptic input plus current
    /// sources), then apply the threshold and, on a spike, the reset. Returns whether it spiked.
    @inlinable
    public static func referenceStep(V: inout Float, refracTimeMs: inout Float, isyn: Float, dtMs: Float,
                                     parameters p: LIFParameters, constants c: LIFConstants) -> Bool {
        if refracTimeMs <= 0 {
            let alpha = ((isyn + p.Ioffset) * c.rMembrane) + p.Vrest
            V = alpha - (c.expTC * (alpha - V))
        } else {
            refracTimeMs -= dtMs
        }
        let spike = refracTimeMs <= 0 && V >= p.Vthresh
        if spike {
            V = p.Vreset
            refracTimeMs = p.TauRefrac
        }
        return spike
    }

    /// Advance 16 neurons by one step, apply the threshold and reset; returns the lanes that
    /// spiked. Same arithmetic as ``referenceStep(V:refracTimeMs:isyn:dtMs:parameters:constants:)``
    /// with the branch turned into lane selects. NaN lanes never spike (as in GeNN).
    @inlinable @inline(__always)
    public static func step(V: inout SIMD16<Float>, refracTimeMs: inout SIMD16<Float>, isyn: SIMD16<Float>,
                            dtMs: Float, parameters p: LIFParameters, constants c: LIFConstants)
        -> SIMDMask<SIMD16<Int32>> {
        let integrating = refracTimeMs .<= 0
        let alpha = ((isyn + p.Ioffset) * c.rMembrane) + p.Vrest
        V.replace(with: alpha - (c.expTC * (alpha - V)), where: integrating)
        refracTimeMs.replace(with: refracTimeMs - dtMs, where: .!integrating)
        let spike = (refracTimeMs .<= 0) .& (V .>= p.Vthresh)
        V.replace(with: p.Vreset, where: spike)
        refracTimeMs.replace(with: p.TauRefrac, where: spike)
        return spike
    }
}
