/// Parameters of GeNN's `TraubMiles` Hodgkin–Huxley neuron (Traub and Miles, 1991).
///
/// Units: conductances µS, reversal potentials mV, capacitance nF. The defaults are GeNN's
/// and the seed's. `substeps` selects the GeNN variant: 25 is `TraubMiles`, 1 is
/// `TraubMilesFast`, any other n is `TraubMilesNStep` with `ntimes = n`.
public struct TraubMilesParameters: Sendable, Hashable, Codable {
    /// Sodium conductance, µS.
    public var gNa: Float = 7.15
    /// Sodium reversal potential, mV.
    public var ENa: Float = 50
    /// Potassium conductance, µS.
    public var gK: Float = 1.43
    /// Potassium reversal potential, mV.
    public var EK: Float = -95
    /// Leak conductance, µS.
    public var gl: Float = 0.02672
    /// Leak reversal potential, mV.
    public var El: Float = -63.563
    /// Membrane capacitance, nF.
    public var C: Float = 0.143
    /// Forward-Euler substeps per time step (25: TraubMiles; 1: TraubMilesFast).
    public var substeps: Int = 25

    public init() {}

    public init(gNa: Float = 7.15, ENa: Float = 50, gK: Float = 1.43, EK: Float = -95,
                gl: Float = 0.02672, El: Float = -63.563, C: Float = 0.143, substeps: Int = 25) {
        self.gNa = gNa; self.ENa = ENa; self.gK = gK; self.EK = EK
        self.gl = gl; self.El = El; self.C = C; self.substeps = substeps
    }
}

/// State of one TraubMiles neuron: membrane potential (mV) and the gating variables m, h, n.
public struct TraubMilesState: Sendable, Hashable {
    /// Membrane potential, mV.
    public var V: Float
    public var m: Float
    public var h: Float
    public var n: Float

    public init(V: Float, m: Float, h: Float, n: Float) {
        self.V = V; self.m = m; self.h = h; self.n = n
    }

    /// GeNN's initial state used by the seed: V −60 mV, m 0.0529324, h 0.3176767, n 0.5961207.
    public static let initial = TraubMilesState(V: -60, m: 0.0529324, h: 0.3176767, n: 0.5961207)

    /// Spike threshold condition: `V >= 0`.
    @inlinable public var isAboveThreshold: Bool { V >= 0 }
}

/// The TraubMiles update, in two forms held together by tests: a plain reference that reads
/// like docs/model.md (glibc `expf`, one neuron), and the SIMD kernel the simulator runs.
public enum TraubMiles {
    /// Advance one neuron by one time step `dtMs` (ms) under synaptic current `isyn` (nA),
    /// exactly as GeNN's generated code does: `substeps` forward-Euler steps of `dt/substeps`
    /// with the removable singularities at V = −52, −25 and −50 mV defined by their limits.
    public static func referenceStep(_ s: inout TraubMilesState, isyn: Float, dtMs: Float,
                                     parameters p: TraubMilesParameters) {
        let mdt = dtMs / Float(p.substeps)
        var V = s.V, m = s.m, h = s.h, n = s.n
        for _ in 0..<p.substeps {
            let imem = -(m * m * m * h * p.gNa * (V - p.ENa) + n * n * n * n * p.gK * (V - p.EK)
                         + p.gl * (V - p.El) - isyn)
            var a: Float = V == -52 ? 1.28 : 0.32 * (-52 - V) / (libraryExp((-52 - V) / 4) - 1)
            var b: Float = V == -25 ? 1.4 : 0.28 * (V + 25) / (libraryExp((V + 25) / 5) - 1)
            m += (a * (1 - m) - b * m) * mdt
            a = 0.128 * libraryExp((-48 - V) / 18)
            b = 4 / (libraryExp((-25 - V) / 5) + 1)
            h += (a * (1 - h) - b * h) * mdt
            a = V == -50 ? 0.16 : 0.032 * (-50 - V) / (libraryExp((-50 - V) / 5) - 1)
            b = 0.5 * libraryExp((-55 - V) / 40)
            n += (a * (1 - n) - b * n) * mdt
            V += imem / p.C * mdt
        }
        s = TraubMilesState(V: V, m: m, h: h, n: n)
    }

    /// Advance 16 neurons by one time step, in registers, with the fast exponential.
    ///
    /// The algebra is the reference's with shared exponentials: with e5 = exp((V+25)/5),
    /// exp((−25−V)/5) = 1/e5 and exp((−50−V)/5) = e⁻⁵/e5, so each substep needs four `exp`s;
    /// and the four divisions become one reciprocal of the product of their denominators.
    /// Where that product could overflow (V outside [−300, 120] mV), a denominator is zero
    /// (V exactly −52 or −25 mV, where GeNN uses the limits) or the shared form loses
    /// precision (V within 0.1 mV of −50), the substep takes the plain path with one division
    /// per rate instead. Agreement with
    /// ``referenceStep(_:isyn:dtMs:parameters:)`` is held by `TraubMilesKernelTests`.
    @inlinable @inline(__always)
    public static func step(V: inout SIMD16<Float>, m: inout SIMD16<Float>, h: inout SIMD16<Float>,
                            n: inout SIMD16<Float>, isyn: SIMD16<Float>, dtMs: Float,
                            parameters p: TraubMilesParameters) {
        let mdt = dtMs / Float(p.substeps)
        let gNa = p.gNa, ENa = p.ENa, gK = p.gK, EK = p.EK, gl = p.gl, El = p.El
        let mdtOverC = mdt / p.C
        let eMinus5: Float = 0.006737947  // e⁻⁵
        var v = V, mm = m, hh = h, nn = n
        for _ in 0..<p.substeps {
            let m3h = mm * mm * mm * hh
            let n2 = nn * nn
            let imem = -(m3h * gNa * (v - ENa) + n2 * n2 * gK * (v - EK) + gl * (v - El) - isyn)
            let u52 = -52 - v
            let v25 = v + 25
            let u50 = -50 - v
            let em = fastExp(u52 * 0.25)
            let e5 = fastExp(v25 * 0.2)
            let eh = fastExp((-48 - v) * 0.055555556)
            let en = fastExp((-55 - v) * 0.025)
            let d1 = em - 1, d2 = e5 - 1, d3 = e5 + 1, d4 = eMinus5 - e5
            let am: SIMD16<Float>, bm: SIMD16<Float>, bh: SIMD16<Float>, an: SIMD16<Float>
            // Near −50 mV, e⁻⁵/e5 − 1 loses the small difference to rounding: take the plain path.
            let unsafeLanes = (v .< -300) .| (v .> 120) .| (v .== -52) .| (v .== -25)
                .| ((u50 .> -0.1) .& (u50 .< 0.1))
            if !any(unsafeLanes) {
                let p12 = d1 * d2, p34 = d3 * d4
                let r = 1 / (p12 * p34)
                am = 0.32 * u52 * (r * d2 * p34)
                bm = 0.28 * v25 * (r * d1 * p34)
                bh = 4 * e5 * (r * p12 * d4)
                an = 0.032 * u50 * e5 * (r * p12 * d3)
            } else {
                var a = 0.32 * u52 / d1
                a.replace(with: 1.28, where: v .== -52)
                var b = 0.28 * v25 / d2
                b.replace(with: 1.4, where: v .== -25)
                var c = 0.032 * u50 / (fastExp(u50 * 0.2) - 1)
                c.replace(with: 0.16, where: v .== -50)
                am = a; bm = b; an = c
                bh = 4 / (1 / e5 + 1)
            }
            mm = mm + (am * (1 - mm) - bm * mm) * mdt
            let ah = 0.128 * eh
            hh = hh + (ah * (1 - hh) - bh * hh) * mdt
            let bn = 0.5 * en
            nn = nn + (an * (1 - nn) - bn * nn) * mdt
            v = v + imem * mdtOverC
        }
        V = v; m = mm; h = hh; n = nn
    }
}
