#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    /// Threads that share each step (≥ 1, default 1). The TraubMiles and LIF populations are
    /// split into blocks of whole SIMD16 chunks, one per thread, at least
    /// ``minimumChunksPerBlock`` chunks each (smaller populations use fewer threads; a network
    /// with none large enough runs on the calling thread alone). Results, spikes included,
    /// are bit-identical for any count (NeuronBlocks.swift says why). The worker threads
    /// start at the first step and live as long as the network, sleeping when it is idle.
    public var threads = 1 {
        didSet {
            precondition(threads >= 1, "threads must be at least 1")
            if threads != oldValue { discardBlockPlan() }
        }
    }
    /// The fewest SIMD16 chunks (16 neurons each) a thread is given: below about 64 neurons
    /// a block's work is shorter than the barrier that ends it.
    public static let minimumChunksPerBlock = 4
    /// When true (the default), a network with several threads checks now and then that
    /// they pay: every 8192 steps it times 128 steps with the team and 128 with the calling
    /// thread running every block itself, and keeps the faster for the rest of the cycle. On
    /// a machine whose cores are busy with other work, a step that must wait for a second
    /// thread to be scheduled can be many times slower than one thread alone. Results are
    /// the same either way (who runs a block does not change what it computes).
    public var adaptsToLoad = true
    /// Whether the current steps run on the team (false: on the calling thread alone, after
    /// ``adaptsToLoad`` found that faster).
    public var isUsingThreads: Bool { team != nil && tuning.usesTeam }
    private var tuning = ThreadTuning()
    /// When true, ``step(using:)`` adds its time to ``profile`` (two clock reads a step).
    public var isProfiling = false
    /// Where the steps' time went, while ``isProfiling``.
    public private(set) var profile = StepProfile()
    /// How the blocked populations are split, built at the first step after a change.
    var blockPlan: BlockPlan?
    private var team: WorkerTeam?

    /// An empty network with time step `dtMs` (ms, > 0).
    public init(dtMs: Float = 0.1) {
        precondition(dtMs > 0 && dtMs.isFinite, "dt must be a positive number of ms")
        self.dtMs = dtMs
    }

    deinit { team?.stop() }

    /// Time of step k, ms, computed as GeNN does: Float(k) × Float(dt).
    @inlinable public func timeMs(ofStep k: Int) -> Float { Float(k) * dtMs }

    /// Add a population; returns its index.
    @discardableResult
    public func addPopulation(name: String, size: Int, model: NeuronModel) -> Int {
        populations.append(NeuronPopulation(name: name, size: size, model: model, dtMs: dtMs))
        incoming.append([]); sources.append([])
        discardBlockPlan()
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
        discardBlockPlan()
        return synapseGroups.count - 1
    }

    /// Add a current source injecting `magnitudes` (nA, one per neuron) into `target`.
    @discardableResult
    public func addCurrentSource(name: String, target: Int, magnitudes: [Float]) -> Int {
        precondition(magnitudes.count == populations[target].size, "\(name): one magnitude per target neuron")
        currentSources.append(CurrentSource(name: name, target: target, magnitudes: magnitudes))
        sources[target].append(currentSources.count - 1)
        discardBlockPlan()
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
    ///
    /// The work is arranged for ``threads``, without changing any result: on the calling
    /// thread, the deliveries of the individual-weight groups and the postsynaptic learning;
    /// then the block phase on every thread (the global-weight deliveries onto, and the
    /// neuron updates of, the TraubMiles and LIF populations); then on the calling thread, in
    /// population order, each blocked population's spikes in neuron order and the update of
    /// the others (Poisson, with its draws in neuron order, and integrate-and-fire).
    public func step(using rng: inout some RandomNumberGenerator) {
        let stepStart = isProfiling ? StepProfile.now() : 0
        let t = timeMs(ofStep: stepIndex)
        let plan = preparedBlockPlan()
        plan.refresh(from: self, tMs: t)
        for (gi, g) in synapseGroups.enumerated() where !plan.deliveredInBlocks[gi] { deliverPresynapticSpikes(g, tMs: t) }
        for g in synapseGroups { applyPostsynapticLearning(g, tMs: t) }
        let timing = isProfiling || (team != nil && adaptsToLoad && tuning.isMeasuring)
        let blockStart = timing ? StepProfile.now() : 0
        if let team, tuning.usesTeam || !adaptsToLoad {
            team.perform()
        } else {
            for participant in 0..<plan.maximumBlocks { updateBlocks(participant: participant) }
        }
        let blockEnd = timing ? StepProfile.now() : 0
        if team != nil && adaptsToLoad { tuning.advance(blockNanoseconds: blockEnd &- blockStart) }
        for p in populations.indices {
            let k = plan.blockedIndex[p]
            if k >= 0 { mergeBlocks(plan.populations[k], tMs: t) } else { updateNeurons(p, tMs: t, using: &rng) }
        }
        stepIndex += 1
        if isProfiling { profile.add(stepStart: stepStart, blockStart: blockStart, blockEnd: blockEnd, end: StepProfile.now()) }
    }

    /// Threads the current structure can use: the most blocks of any population.
    public var threadsInUse: Int { preparedBlockPlan().maximumBlocks }

    /// Synapse groups onto population `p` and current sources into it, in creation order.
    func incomingGroups(of p: Int) -> [Int] { incoming[p] }
    func sourceIndices(of p: Int) -> [Int] { sources[p] }

    private func preparedBlockPlan() -> BlockPlan {
        if let blockPlan { return blockPlan }
        let plan = BlockPlan(network: self, participants: threads, minimumChunksPerBlock: Self.minimumChunksPerBlock)
        blockPlan = plan
        let participants = plan.maximumBlocks
        if participants > 1 {
            team = WorkerTeam(participants: participants) { [unowned(unsafe) self] participant in
                self.updateBlocks(participant: participant)
            }
        }
        return plan
    }

    private func discardBlockPlan() {
        tuning = ThreadTuning()
        team?.stop()
        team = nil
        blockPlan = nil
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

    func emit(_ pop: NeuronPopulation, _ i: Int, tMs: Float) {
        pop.spikes.append(Int32(i))
        pop.lastSpikeTimeMs[i] = tMs
        pop.spikeCount += 1
        if pop.isRecording {
            pop.recordedSteps.append(UInt32(truncatingIfNeeded: stepIndex))
            pop.recordedIds.append(UInt32(i))
        }
    }

    func noteFailure(_ pop: NeuronPopulation, neuron: Int, variable: String) {
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
        case .traubMiles, .lif:
            preconditionFailure("\(pop.name): TraubMiles and LIF populations are updated in blocks (NeuronBlocks.swift)")
        }
    }
}

/// Wall time of a network's steps, split into the block phase (shared among the threads)
/// and the rest (on the calling thread): with one thread, the rest over the whole bounds
/// what more threads can gain (Amdahl).
public struct StepProfile: Sendable, Hashable {
    /// Steps profiled.
    public var steps = 0
    /// Seconds in the block phase, the barrier's waits included.
    public var blockSeconds = 0.0
    /// Seconds in the rest of the steps: synapse groups with individual weights, STDP,
    /// Poisson and integrate-and-fire updates, the spike merge.
    public var serialSeconds = 0.0

    mutating func add(stepStart: UInt64, blockStart: UInt64, blockEnd: UInt64, end: UInt64) {
        steps += 1
        blockSeconds += Double(blockEnd &- blockStart) * 1e-9
        serialSeconds += Double((blockStart &- stepStart) &+ (end &- blockEnd)) * 1e-9
    }

    /// A monotonic clock, ns.
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// ``Network/adaptsToLoad``: a cycle of 8192 steps, the first 128 timed on the team, the
/// next 128 on the calling thread alone, the rest on whichever was faster.
struct ThreadTuning {
    static let cycle = 8192, window = 128
    private var step = 0
    private var teamNanoseconds: UInt64 = 0, soloNanoseconds: UInt64 = 0
    private var teamIsFaster = true

    /// Whether this step's block phase runs on the team.
    var usesTeam: Bool { step < Self.window || (step >= 2 * Self.window && teamIsFaster) }
    /// Whether this step's block phase is timed.
    var isMeasuring: Bool { step < 2 * Self.window }

    mutating func advance(blockNanoseconds: UInt64) {
        if step < Self.window { teamNanoseconds &+= blockNanoseconds } else if step < 2 * Self.window { soloNanoseconds &+= blockNanoseconds }
        step += 1
        if step == 2 * Self.window { teamIsFaster = teamNanoseconds <= soloNanoseconds }
        if step == Self.cycle { self = ThreadTuning() }
    }
}
