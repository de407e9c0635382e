/// Parameters of the symmetric STDP rule of GeNN 5's insect MNIST classifier
/// (`symmetric_stdp` on the KC→MBON synapses). Times in ms; weights in the synapse's units
/// (nA for the ExpCurr targets of the example).
///
/// GeNN's code, with `st_pre` / `st_post` the last spike times of the two neurons (−FLT_MAX
/// before the first spike, so `exp(−Δ/tau)` is then 0) and `t` the time of the step whose
/// synapse update runs:
/// ```
/// pre_spike_syn_code:  const scalar dt = t - st_post;
///                      const scalar timing = exp(-dt / tau) - rho;
///                      g = fmin(wMax, fmax(wMin, g + (eta * timing)));
/// post_spike_syn_code: const scalar dt = t - st_pre;
///                      const scalar timing = fmax(exp(-dt / tau) - rho, -0.1 * rho);
///                      g = fmin(wMax, fmax(wMin, g + (eta * timing)));
/// ```
/// There is no `addToPost`: while learning, spikes change g and deliver nothing. The example's
/// test phase loads the learned g into a `StaticPulse` group instead; here that is the same
/// group with `SynapseGroup.isPlastic = false` (g delivered, never changed). Unlike GeNN 4's
/// additive rule there is no `Δ > 0` guard (in this step order Δ ≥ dt anyway).
public struct SymmetricSTDPParameters: Sendable, Hashable, Codable {
    /// Time constant of the timing window, ms.
    public var tauMs: Float
    /// Offset subtracted from the window (depression for spikes far apart).
    public var rho: Float
    /// Learning rate, weight units.
    public var eta: Float
    /// Lower and upper weight bounds.
    public var wMin: Float, wMax: Float

    public init(tauMs: Float, rho: Float, eta: Float, wMin: Float, wMax: Float) {
        self.tauMs = tauMs; self.rho = rho; self.eta = eta; self.wMin = wMin; self.wMax = wMax
    }

    /// GeNN's MNIST example: tau 15 ms, rho 0.01, eta 0.00002, wMin 0, wMax 0.0233 nA.
    public static let mnistMushroomBody = Self(tauMs: 15, rho: 0.01, eta: 0.00002, wMin: 0, wMax: 0.0233)

    /// The floor on the postsynaptic rule's timing term, `−0.1·rho` (Float arithmetic).
    @inlinable public var postTimingFloor: Float { -0.1 * rho }

    /// The change a presynaptic spike makes to `g`, `deltaMs = t − st_post` after the last
    /// postsynaptic spike.
    @inlinable
    public func afterPresynapticSpike(_ g: Float, deltaMs: Float) -> Float {
        let timing = libraryExp(-deltaMs / tauMs) - rho
        return clampWeight(g + (eta * timing))
    }

    /// The change a postsynaptic spike makes to `g`, `deltaMs = t − st_pre` after the last
    /// presynaptic spike; the timing term never falls below `−0.1·rho`.
    @inlinable
    public func afterPostsynapticSpike(_ g: Float, deltaMs: Float) -> Float {
        let timing = cMax(libraryExp(-deltaMs / tauMs) - rho, postTimingFloor)
        return clampWeight(g + (eta * timing))
    }

    /// `fmin(wMax, fmax(wMin, w))` with C's NaN semantics.
    @inlinable
    public func clampWeight(_ w: Float) -> Float { cMin(wMax, cMax(wMin, w)) }
}

/// The postsynaptic rule over one column of a dense weight matrix (one MBON spike updates the
/// weights from all 20 000 KCs), in two forms held together by `SymmetricSTDPKernelTests`.
public enum SymmetricSTDP {
    /// Plain form: `w[i·stride] = afterPostsynapticSpike(w[i·stride], t − preSpikeTimes[i])`
    /// for every pre neuron i.
    public static func referencePostsynapticColumn(_ w: UnsafeMutablePointer<Float>, stride: Int,
                                                   preSpikeTimesMs st: UnsafeBufferPointer<Float>,
                                                   tMs t: Float, parameters p: SymmetricSTDPParameters) {
        for i in 0..<st.count {
            w[i * stride] = p.afterPostsynapticSpike(w[i * stride], deltaMs: t - st[i])
        }
    }

    /// SIMD16 form, equal bit for bit to
    /// ``referencePostsynapticColumn(_:stride:preSpikeTimesMs:tMs:parameters:)``.
    ///
    /// Most pre neurons spiked long ago or never, so their timing term is the floor `−0.1·rho`.
    /// The kernel computes `exp` for 16 lanes with `fastExp` (within 2 ulp of
    /// `expf`); a lane whose value is at most `rho/2` is certainly on the floor with `expf`
    /// too (`expf − rho ≤ −rho/2 < −0.1·rho`), so it takes the floor with no further work. Only
    /// the remaining lanes (recent pre spikes, or any lane when `rho ≤ 0`) call glibc `expf`,
    /// so the result is exactly GeNN's CPU arithmetic. O(n) with n = `st.count`; allocation-free.
    @inlinable
    public static func postsynapticColumn(_ w: UnsafeMutablePointer<Float>, stride: Int,
                                          preSpikeTimesMs st: UnsafeBufferPointer<Float>,
                                          tMs t: Float, parameters p: SymmetricSTDPParameters) {
        let n = st.count
        guard n > 0, let base = st.baseAddress else { return }
        let floor = p.postTimingFloor
        let cheapBound: Float = p.rho > 0 ? 0.5 * p.rho : -.infinity
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 16 <= n {
            let s = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let x = -(t - s) / p.tauMs
            let onFloor = fastExp(x) .<= cheapBound
            var timing = SIMD16<Float>(repeating: floor)
            if !all(onFloor) {
                for lane in 0..<16 where !onFloor[lane] {
                    timing[lane] = cMax(libraryExp(x[lane]) - p.rho, floor)
                }
            }
            var g = SIMD16<Float>()
            for lane in 0..<16 { g[lane] = w[(i + lane) * stride] }
            var updated = g + (p.eta * timing)
            updated.replace(with: p.wMin, where: .!(updated .>= p.wMin))  // fmax(wMin, ·), NaN → wMin
            updated.replace(with: p.wMax, where: updated .> p.wMax)       // fmin(wMax, ·)
            for lane in 0..<16 { w[(i + lane) * stride] = updated[lane] }
            i += 16
        }
        while i < n {
            w[i * stride] = p.afterPostsynapticSpike(w[i * stride], deltaMs: t - st[i])
            i += 1
        }
    }
}
