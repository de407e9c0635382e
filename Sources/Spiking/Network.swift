import Randomness

/// A spiking network simulated with GeNN's semantics and order of a step (GeNN 4's for the
/// seed's models; GeNN 5's `LIF`, `IF` and `symmetric_stdp` for the MNIST mushroom body).
///
/// Each call to ``step(using:)`` advances time step k (t = Float(k)·Float(dt)):
/// 1. synapse updates for the spikes emitted in step k−1: the presynaptic rule of every
///    group (StaticPulse / STDP pre rule), then the postsynaptic learning of every plastic
///    group (STDP post rule);
/// 2. neuron updates, every population: Isyn = 0; each incoming group adds its current
///    (with V before this update) and decays; current sources add theirs; `oldSpike =
///    threshold(state)`; the model's update; a spike is emitted where `threshold(state) &&
///    !oldSpike` (GeNN's auto-refractory rule), setting sT = t and running the reset. Models
///    without the auto-refractory rule (LIF, and the integrate-and-fire neuron with
///    `usesAutoRefractory == false`) spike wherever `threshold(state)` holds after the update;
/// 3. k += 1.
///
/// All state is 32-bit float. The only randomness inside a step is the Poisson draws, taken
/// from the caller's generator in population order and neuron order, so a run is a pure
/// function of its construction and the generator's seed.
public final class Network {
    /// Time step, ms.
    public let dtMs: Float
    /// Index of the next step to compute (k).
    public private(set) var stepIndex = 0
    public private(set) var populations: [NeuronPopulation] = []
    public private(set) var synapseGroups: [SynapseGroup] = []
    public private(set) var currentSources: [CurrentSource] = []
    /// The first place where state became NaN or infinite, if it has. The simulation carries
    /// on as GeNN does (non-finite neurons never cross threshold again).
    public private(set) var firstNumericalFailure: NumericalFailure?

    /// Synapse groups targeting each population, in creation order.
    private var incoming: [[Int]] = []
    private var sources: [[Int]] = []

    /// An empty network with time step `dtMs` (ms, > 0).
    public init(dtMs: Float = 0.1) {
        precondition(dtMs > 0 && dtMs.isFinite, "dt must be a positive number of ms")
        self.dtMs = dtMs
    }

    /// Time of step k, ms, computed as GeNN does: Float(k) × Float(dt).
    @inlinable public func timeMs(ofStep k: Int) -> Float { Float(k) * dtMs }

    /// Add a population; returns its index.
    @discardableResult
    public func addPopulation(name: String, size: Int, model: NeuronModel) -> Int {
        populations.append(NeuronPopulation(name: name, size: size, model: model, dtMs: dtMs))
        incoming.append([]); sources.append([])
        return populations.count - 1
    }

    /// Add a synapse group from population `source` to `target`; returns its index.
    @discardableResult
    public func connect(name: String, from source: Int, to target: Int, connectivity: Connectivity,
                        weights: SynapticWeights, rule: WeightUpdateRule = .staticPulse,
                        postsynaptic: PostsynapticModel) -> Int {
        let g = SynapseGroup(name: name, source: populations[source], sourceIndex: source,
                             target: populations[target], targetIndex: target, connectivity: connectivity,
                             weights: weights, rule: rule, postsynaptic: postsynaptic, dtMs: dtMs)
        synapseGroups.append(g)
        incoming[target].append(synapseGroups.count - 1)
        return synapseGroups.count - 1
    }

    /// Add a current source injecting `magnitudes` (nA, one per neuron) into `target`.
    @discardableResult
    public func addCurrentSource(name: String, target: Int, magnitudes: [Float]) -> Int {
        precondition(magnitudes.count == populations[target].size, "\(name): one magnitude per target neuron")
        currentSources.append(CurrentSource(name: name, target: target, magnitudes: magnitudes))
        sources[target].append(currentSources.count - 1)
        return currentSources.count - 1
    }

    /// Return the network to its initial dynamic state between two inputs, as GeNN's MNIST
    /// example does between images: every population's model state and spike times
    /// (``NeuronPopulation/resetState(keepingPendingSpikes:)``) and every synapse group's
    /// `inSyn` (``SynapseGroup/resetInput()``).
    ///
    /// Unchanged: weights (learned or not), plasticity flags, current-source magnitudes,
    /// Poisson firing probabilities, spike records and counts, the first numerical failure,
    /// and time: the step index runs on, as GeNN's `t` does in the example. Allocation-free.
    public func resetState(keepingPendingSpikes: Bool = false) {
        for p in populations { p.resetState(keepingPendingSpikes: keepingPendingSpikes) }
        for g in synapseGroups { g.resetInput() }
    }

    /// The population named `name`, if any.
    public func population(named name: String) -> NeuronPopulation? {
        populations.first { $0.name == name }
    }

    /// Run `count` steps.
    public func run(steps count: Int, using rng: inout some RandomNumberGenerator) {
        for _ in 0..<count { step(using: &rng) }
    }

    /// Advance one time step (see the type's documentation for the order).
    public func step(using rng: inout some RandomNumberGenerator) {
        let t = timeMs(ofStep: stepIndex)
        for g in synapseGroups { deliverPresynapticSpikes(g, tMs: t) }
        for g in synapseGroups { applyPostsynapticLearning(g, tMs: t) }
        for p in populations.indices { updateNeurons(p, tMs: t, using: &rng) }
        stepIndex += 1
    }

    // MARK: - Neuron update

    private func gatherInput(_ p: Int) {
        let pop = populations[p]
        let count = pop.paddedSize
        pop.isyn.withUnsafeMutableBufferPointer { isyn in
            for i in 0..<count { isyn[i] = 0 }
            for gi in incoming[p] {
                let g = synapseGroups[gi]
                let c = g.constants
                let decay = c.decay, factor = c.currentFactor, e = c.reversalPotential
                pop.V.withUnsafeBufferPointer { V in
                    g.inSyn.withUnsafeMutableBufferPointer { inSyn in
                        if c.isConductance {
                            for i in 0..<count { isyn[i] += inSyn[i] * (e - V[i]); inSyn[i] *= decay }
                        } else if factor == 1 && decay == 0 {
                            for i in 0..<count { isyn[i] += inSyn[i]; inSyn[i] = 0 }
                        } else {
                            for i in 0..<count { isyn[i] += inSyn[i] * factor; inSyn[i] *= decay }
                        }
                    }
                }
            }
            for si in sources[p] {
                currentSources[si].magnitudes.withUnsafeBufferPointer { m in
                    for i in 0..<pop.size { isyn[i] += m[i] }
                }
            }
        }
    }

    private func emit(_ pop: NeuronPopulation, _ i: Int, tMs: Float) {
        pop.spikes.append(Int32(i))
        pop.lastSpikeTimeMs[i] = tMs
        pop.spikeCount += 1
        if pop.isRecording {
            pop.recordedSteps.append(UInt32(truncatingIfNeeded: stepIndex))
            pop.recordedIds.append(UInt32(i))
        }
    }

    private func noteFailure(_ pop: NeuronPopulation, neuron: Int, variable: String) {
        if firstNumericalFailure == nil {
            firstNumericalFailure = NumericalFailure(population: pop.name, step: stepIndex, neuron: neuron, variable: variable)
        }
    }

    private func updateNeurons(_ p: Int, tMs t: Float, using rng: inout some RandomNumberGenerator) {
        let pop = populations[p]
        pop.spikes.removeAll(keepingCapacity: true)
        guard pop.size > 0 else { return }
        switch pop.model {
        case .poisson(let params):
            // Poisson neurons have no synaptic input in GeNN's Poisson model.
            var emitted: [Int] = []
            let size = pop.size
            pop.V.withUnsafeMutableBufferPointer { V in
                pop.poissonSpikeTime.withUnsafeMutableBufferPointer { spikeTime in
                    pop.firingProbability.withUnsafeBufferPointer { probability in
                        for i in 0..<size {
                            let old = V[i] >= params.Vspike
                            Poisson.step(V: &V[i], spikeTimeMs: &spikeTime[i], probability: probability[i],
                                         tMs: t, parameters: params, using: &rng)
                            if V[i] >= params.Vspike && !old { emitted.append(i) }
                        }
                    }
                }
            }
            for i in emitted { emit(pop, i, tMs: t) }
        case .integrateAndFire(let params):
            gatherInput(p)
            for i in 0..<pop.size {
                let old = params.usesAutoRefractory && pop.V[i] >= params.Vthresh
                pop.V[i] += pop.isyn[i]
                if !pop.V[i].isFinite { noteFailure(pop, neuron: i, variable: "V") }
                if pop.V[i] >= params.Vthresh && !old {
                    emit(pop, i, tMs: t)
                    pop.V[i] = 0
                }
            }
        case .traubMiles(let params):
            gatherInput(p)
            updateTraubMiles(pop, params: params, tMs: t)
        case .lif(let params):
            gatherInput(p)
            updateLIF(pop, params: params, tMs: t)
        }
    }

    /// The LIF kernel over whole SIMD16 chunks; no auto-refractory rule (GeNN's `LIF`).
    /// Allocation-free apart from the amortised growth of the spike list and record.
    private func updateLIF(_ pop: NeuronPopulation, params: LIFParameters, tMs t: Float) {
        guard let constants = pop.lifConstants else { return }
        let chunks = pop.paddedSize / 16
        let size = pop.size
        let dt = dtMs
        var failedChunk = -1
        pop.V.withUnsafeMutableBytes { Vb in
        pop.refracTime.withUnsafeMutableBytes { rb in
        pop.isyn.withUnsafeBytes { ib in
            for c in 0..<chunks {
                let off = c * 64
                var V = Vb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                var r = rb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                let isyn = ib.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                let spiking = LIF.step(V: &V, refracTimeMs: &r, isyn: isyn, dtMs: dt, parameters: params, constants: constants)
                Vb.storeBytes(of: V, toByteOffset: off, as: SIMD16<Float>.self)
                rb.storeBytes(of: r, toByteOffset: off, as: SIMD16<Float>.self)
                if anyLane(spiking) {
                    for lane in 0..<16 where spiking[lane] {
                        let i = c * 16 + lane
                        if i < size { emit(pop, i, tMs: t) }
                    }
                }
                if failedChunk < 0 {
                    let z = SIMD16<Float>(repeating: 0)
                    if anyLane(((V - V) .!= z) .| ((r - r) .!= z)) { failedChunk = c }
                }
            }
        }}}
        if failedChunk >= 0 && firstNumericalFailure == nil {
            for lane in 0..<16 {
                let i = failedChunk * 16 + lane
                guard i < size else { break }
                if !pop.V[i].isFinite { noteFailure(pop, neuron: i, variable: "V"); break }
                if !pop.refracTime[i].isFinite { noteFailure(pop, neuron: i, variable: "RefracTime"); break }
            }
        }
    }

    private func updateTraubMiles(_ pop: NeuronPopulation, params: TraubMilesParameters, tMs t: Float) {
        let chunks = pop.paddedSize / 16
        let size = pop.size
        let dt = dtMs
        var spikeLanes: [(Int, SIMDMask<SIMD16<Int32>>)] = []
        var failedChunk = -1
        pop.V.withUnsafeMutableBytes { Vb in
        pop.m.withUnsafeMutableBytes { mb in
        pop.h.withUnsafeMutableBytes { hb in
        pop.n.withUnsafeMutableBytes { nb in
        pop.isyn.withUnsafeBytes { ib in
            for c in 0..<chunks {
                let off = c * 64
                var V = Vb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                var m = mb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                var h = hb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                var n = nb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                let isyn = ib.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                let old = V .>= 0
                TraubMiles.step(V: &V, m: &m, h: &h, n: &n, isyn: isyn, dtMs: dt, parameters: params)
                let spiking = (V .>= 0) .& .!old
                if any(spiking) { spikeLanes.append((c, spiking)) }
                if failedChunk < 0 {
                    let z = SIMD16<Float>(repeating: 0)
                    if any(((V - V) .!= z) .| ((m - m) .!= z) .| ((h - h) .!= z) .| ((n - n) .!= z)) { failedChunk = c }
                }
                Vb.storeBytes(of: V, toByteOffset: off, as: SIMD16<Float>.self)
                mb.storeBytes(of: m, toByteOffset: off, as: SIMD16<Float>.self)
                hb.storeBytes(of: h, toByteOffset: off, as: SIMD16<Float>.self)
                nb.storeBytes(of: n, toByteOffset: off, as: SIMD16<Float>.self)
            }
        }}}}}
        for (c, mask) in spikeLanes {
            for lane in 0..<16 where mask[lane] {
                let i = c * 16 + lane
                if i < size { emit(pop, i, tMs: t) }
            }
        }
        if failedChunk >= 0 && firstNumericalFailure == nil {
            for lane in 0..<16 {
                let i = failedChunk * 16 + lane
                guard i < size else { break }
                for (name, value) in [("V", pop.V[i]), ("m", pop.m[i]), ("h", pop.h[i]), ("n", pop.n[i])] where !value.isFinite {
                    noteFailure(pop, neuron: i, variable: name)
                    break
                }
                if firstNumericalFailure != nil { break }
            }
        }
    }
}
