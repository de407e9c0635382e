/// Parameters of the additive STDP rule on the seed's KC→DN synapses.
///
/// On a presynaptic spike (after `inSyn[post] += g` with the old g):
/// `Δ = t − sT_post; if Δ > 0: g = clamp(g + aMinus·(exp(−Δ/tauMinus) − offset), wMin, wMax)`.
/// On a postsynaptic spike: `Δ = t − sT_pre; if Δ > 0: g = clamp(g + aPlus·(exp(−Δ/tauPlus) − offset), wMin, wMax)`.
/// Spike times start at −FLT_MAX, so a first exponential term is 0. Times in ms; weights in
/// the units of the synapse (µS for ExpCond targets).
public struct AdditiveSTDPParameters: Sendable, Hashable, Codable {
    public var tauPlusMs: Float
    public var tauMinusMs: Float
    public var aPlus: Float
    public var aMinus: Float
    public var wMin: Float
    public var wMax: Float
    public var offset: Float

    public init(tauPlusMs: Float, tauMinusMs: Float, aPlus: Float, aMinus: Float,
                wMin: Float, wMax: Float, offset: Float) {
        self.tauPlusMs = tauPlusMs; self.tauMinusMs = tauMinusMs; self.aPlus = aPlus
        self.aMinus = aMinus; self.wMin = wMin; self.wMax = wMax; self.offset = offset
    }

    /// The seed's symmetric form: tauPlus = tauMinus = `tauMs`, aPlus = aMinus = `alpha`, wMin 0.
    public static func symmetric(tauMs: Float, alpha: Float, wMax: Float, offset: Float) -> Self {
        .init(tauPlusMs: tauMs, tauMinusMs: tauMs, aPlus: alpha, aMinus: alpha, wMin: 0, wMax: wMax, offset: offset)
    }

    /// The depression applied to `g` by a presynaptic spike `deltaMs` after the last postsynaptic one.
    @inlinable
    public func afterPresynapticSpike(_ g: Float, deltaMs: Float) -> Float {
        guard deltaMs > 0 else { return g }
        return clampWeight(g + aMinus * (libraryExp(-deltaMs / tauMinusMs) - offset))
    }

    /// The potentiation applied to `g` by a postsynaptic spike `deltaMs` after the last presynaptic one.
    @inlinable
    public func afterPostsynapticSpike(_ g: Float, deltaMs: Float) -> Float {
        guard deltaMs > 0 else { return g }
        return clampWeight(g + aPlus * (libraryExp(-deltaMs / tauPlusMs) - offset))
    }

    /// `fmin(wMax, fmax(wMin, w))` with C's NaN semantics (a NaN argument is ignored).
    @inlinable
    public func clampWeight(_ w: Float) -> Float { cMin(wMax, cMax(wMin, w)) }
}

@inlinable func cMax(_ a: Float, _ b: Float) -> Float { a.isNaN ? b : (b.isNaN ? a : (a > b ? a : b)) }
@inlinable func cMin(_ a: Float, _ b: Float) -> Float { a.isNaN ? b : (b.isNaN ? a : (a < b ? a : b)) }

/// What a presynaptic spike does (the GeNN weight-update models used here).
public enum WeightUpdateRule: Sendable, Hashable, Codable {
    /// `StaticPulse`: `inSyn[post] += g`.
    case staticPulse
    /// StaticPulse plus the additive STDP rule (``AdditiveSTDPParameters``, GeNN 4 seed).
    case additiveSTDP(AdditiveSTDPParameters)
    /// GeNN 5 MNIST `symmetric_stdp` (``SymmetricSTDPParameters``): while the group is plastic,
    /// spikes only change g and deliver nothing; with `isPlastic = false` the group is a
    /// `StaticPulse` delivering the learned g. Needs individual weights.
    case symmetricSTDP(SymmetricSTDPParameters)

    /// Whether a presynaptic spike adds g to `inSyn` in a group with this rule.
    @inlinable public func transmits(isPlastic: Bool) -> Bool {
        if case .symmetricSTDP = self { return !isPlastic }
        return true
    }
}
