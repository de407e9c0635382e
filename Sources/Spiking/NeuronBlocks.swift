/// The block phase of a step: the TraubMiles and LIF populations, split into fixed runs of
/// whole SIMD16 chunks ("blocks"), one per thread of the network's ``WorkerTeam``.
///
/// A block does all the deterministic work of its neurons for the step: the delivery of the
/// previous step's spikes through every global-weight synapse group onto its neurons (only
/// the synapses whose target lies in the block: each block has its own copy of the sparse
/// rows, in the original order), the gathering of the synaptic input and its decay, the
/// current sources, and the SIMD kernel. Spikes go into a per-chunk lane mask; after the
/// phase the calling thread emits them chunk by chunk, so in neuron order, whatever the
/// split. Every Float operation on a neuron is the one a single thread would do, in the same
/// order (the additions into one `inSyn` entry still follow the spike order and the row
/// order), so results are bit-identical for any number of threads.
///
/// What stays on the calling thread, in GeNN's order: the synapse groups with individual
/// weights (the plastic KC→DN and KC→MBON) and all postsynaptic learning, before the phase;
/// after it, in population order, the merge of each blocked population's spikes and the
/// update of the other populations: Poisson (its draws come from one generator in neuron
/// order, so its stream must not be split), integrate-and-fire.
final class BlockPlan {
    /// One population updated in blocks.
    struct Population {
        enum Kernel { case traubMiles(TraubMilesParameters), lif(LIFParameters, LIFConstants) }
        let index: Int
        let kernel: Kernel
        let size: Int
        let chunks: Int
        /// Blocks (1 ... the team's participants); participant b updates block b.
        let blocks: Int
        /// First chunk of each block, `blocks + 1` entries.
        let blockStart: UnsafeMutablePointer<Int>
        /// Spiking lanes of each chunk in this step.
        let spikeMask: UnsafeMutablePointer<UInt16>
        /// First chunk of each block with a non-finite variable in this step, or −1.
        let failedChunk: UnsafeMutablePointer<Int>
        /// Indices into ``BlockPlan/inputs`` and ``BlockPlan/sources``.
        let inputs: Range<Int>
        let sources: Range<Int>
        // The state arrays, taken on the calling thread at the start of every step.
        var V: UnsafeMutablePointer<Float>? = nil
        var m: UnsafeMutablePointer<Float>? = nil
        var h: UnsafeMutablePointer<Float>? = nil
        var n: UnsafeMutablePointer<Float>? = nil
        var refracTime: UnsafeMutablePointer<Float>? = nil
        var isyn: UnsafeMutablePointer<Float>? = nil
    }

    /// One synapse group onto a blocked population.
    struct Input {
        let group: Int
        let constants: PostsynapticConstants
        let isDense: Bool
        let preCount: Int
        /// Sparse groups: the rows of each block, block after block (`blocks × (preCount + 1)`
        /// row starts into `blockTargets`); nil for dense groups.
        let blockRowStart: UnsafeMutablePointer<Int32>?
        let blockTargets: UnsafeMutablePointer<Int32>?
        // Refreshed every step.
        var inSyn: UnsafeMutablePointer<Float>? = nil
        /// Whether this step's delivery happens in the blocks (a global weight).
        var deliversInBlocks = false
        var weight: Float = 0
        var spikes: UnsafePointer<Int32>? = nil
        var spikeCount = 0
    }

    /// Threads in the team (the calling thread included).
    let participants: Int
    let populations: UnsafeMutableBufferPointer<Population>
    let inputs: UnsafeMutableBufferPointer<Input>
    let sources: UnsafeMutableBufferPointer<UnsafePointer<Float>?>
    /// Per synapse group: whether its delivery this step happens in the blocks.
    let deliveredInBlocks: UnsafeMutableBufferPointer<Bool>
    /// Index into ``populations`` of each network population, or −1 if it is not blocked.
    let blockedIndex: [Int]
    /// Time of the step being computed, ms.
    var tMs: Float = 0

    /// Most blocks of any population: the threads this plan can use.
    var maximumBlocks: Int { populations.reduce(1) { max($0, $1.blocks) } }

    init(network net: Network, participants: Int, minimumChunksPerBlock: Int) {
        self.participants = participants
        var pops: [Population] = [], ins: [Input] = [], srcCount = 0
        var blockedIndex = [Int](repeating: -1, count: net.populations.count)
        for (p, pop) in net.populations.enumerated() {
            let kernel: Population.Kernel
            switch pop.model {
            case .traubMiles(let params): kernel = .traubMiles(params)
            case .lif(let params): kernel = .lif(params, pop.lifConstants!)
            case .poisson, .integrateAndFire: continue
            }
            let chunks = pop.paddedSize / 16
            let blocks = max(1, min(participants, chunks / max(1, minimumChunksPerBlock)))
            let blockStart = UnsafeMutablePointer<Int>.allocate(capacity: blocks + 1)
            for b in 0...blocks { blockStart[b] = chunks * b / blocks }
            let firstInput = ins.count
            for gi in net.incomingGroups(of: p) {
                let g = net.synapseGroups[gi]
                var rowStart: UnsafeMutablePointer<Int32>? = nil, targets: UnsafeMutablePointer<Int32>? = nil
                var dense = true
                if case .sparse(let rows) = g.connectivity {
                    dense = false
                    (rowStart, targets) = Self.splitRows(rows, preCount: g.preCount, blocks: blocks, blockStart: blockStart)
                }
                ins.append(Input(group: gi, constants: g.constants, isDense: dense, preCount: g.preCount,
                                 blockRowStart: rowStart, blockTargets: targets))
            }
            let firstSource = srcCount
            srcCount += net.sourceIndices(of: p).count
            let mask = UnsafeMutablePointer<UInt16>.allocate(capacity: max(1, chunks))
            mask.initialize(repeating: 0, count: max(1, chunks))
            let failed = UnsafeMutablePointer<Int>.allocate(capacity: blocks)
            failed.initialize(repeating: -1, count: blocks)
            blockedIndex[p] = pops.count
            pops.append(Population(index: p, kernel: kernel, size: pop.size, chunks: chunks, blocks: blocks,
                                   blockStart: blockStart, spikeMask: mask, failedChunk: failed,
                                   inputs: firstInput..<ins.count, sources: firstSource..<srcCount))
        }
        populations = .allocate(capacity: pops.count)
        _ = populations.initialize(from: pops)
        inputs = .allocate(capacity: ins.count)
        _ = inputs.initialize(from: ins)
        sources = .allocate(capacity: srcCount)
        sources.initialize(repeating: nil)
        deliveredInBlocks = .allocate(capacity: net.synapseGroups.count)
        deliveredInBlocks.initialize(repeating: false)
        self.blockedIndex = blockedIndex
    }

    deinit {
        for p in populations {
            p.blockStart.deallocate(); p.spikeMask.deallocate(); p.failedChunk.deallocate()
        }
        for i in inputs { i.blockRowStart?.deallocate(); i.blockTargets?.deallocate() }
        populations.deallocate(); inputs.deallocate(); sources.deallocate(); deliveredInBlocks.deallocate()
    }

    /// The sparse rows restricted to each block's targets, keeping each row's order.
    private static func splitRows(_ rows: SparseRows, preCount: Int, blocks: Int,
                                  blockStart: UnsafeMutablePointer<Int>) -> (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) {
        let rowStart = UnsafeMutablePointer<Int32>.allocate(capacity: blocks * (preCount + 1))
        let targets = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, rows.synapseCount))
        var next = 0
        for b in 0..<blocks {
            let lo = Int32(blockStart[b] * 16), hi = Int32(blockStart[b + 1] * 16)
            let starts = rowStart + b * (preCount + 1)
            for i in 0..<preCount {
                starts[i] = Int32(next)
                for s in Int(rows.rowStart[i])..<Int(rows.rowStart[i + 1]) {
                    let j = rows.targets[s]
                    if j >= lo && j < hi { targets[next] = j; next += 1 }
                }
            }
            starts[preCount] = Int32(next)
        }
        return (rowStart, targets)
    }

    /// Take this step's pointers and deliveries from the network (on the calling thread).
    /// The arrays they point into are not resized or replaced during a step.
    func refresh(from net: Network, tMs: Float) {
        self.tMs = tMs
        for gi in 0..<deliveredInBlocks.count { deliveredInBlocks[gi] = false }
        for k in populations.indices {
            let pop = net.populations[populations[k].index]
            populations[k].V = pop.V.withUnsafeMutableBufferPointer { $0.baseAddress }
            populations[k].isyn = pop.isyn.withUnsafeMutableBufferPointer { $0.baseAddress }
            switch populations[k].kernel {
            case .traubMiles:
                populations[k].m = pop.m.withUnsafeMutableBufferPointer { $0.baseAddress }
                populations[k].h = pop.h.withUnsafeMutableBufferPointer { $0.baseAddress }
                populations[k].n = pop.n.withUnsafeMutableBufferPointer { $0.baseAddress }
            case .lif:
                populations[k].refracTime = pop.refracTime.withUnsafeMutableBufferPointer { $0.baseAddress }
            }
            var s = populations[k].sources.lowerBound
            for si in net.sourceIndices(of: populations[k].index) {
                sources[s] = net.currentSources[si].magnitudes.withUnsafeBufferPointer { UnsafePointer($0.baseAddress) }
                s += 1
            }
        }
        for k in inputs.indices {
            let g = net.synapseGroups[inputs[k].group]
            inputs[k].inSyn = g.inSyn.withUnsafeMutableBufferPointer { $0.baseAddress }
            if case .global(let w) = g.weights {
                let pre = net.populations[g.source]
                inputs[k].deliversInBlocks = true
                inputs[k].weight = w
                inputs[k].spikeCount = pre.spikes.count
                inputs[k].spikes = pre.spikes.withUnsafeBufferPointer { UnsafePointer($0.baseAddress) }
                deliveredInBlocks[inputs[k].group] = true
            } else {
                inputs[k].deliversInBlocks = false
                inputs[k].spikeCount = 0
            }
        }
    }
}

extension Network {
    /// Participant `participant`'s share of the block phase: block `participant` of every
    /// blocked population that has that many.
    func updateBlocks(participant: Int) {
        guard let plan = blockPlan else { return }
        let dt = dtMs, t = plan.tMs
        for k in plan.populations.indices where participant < plan.populations[k].blocks {
            Self.updateBlock(plan.populations[k], block: participant, plan: plan, dtMs: dt, tMs: t)
        }
    }

    private static func updateBlock(_ p: BlockPlan.Population, block b: Int, plan: BlockPlan, dtMs dt: Float, tMs t: Float) {
        let c0 = p.blockStart[b], c1 = p.blockStart[b + 1]
        guard c1 > c0 else { p.failedChunk[b] = -1; return }
        let lo = c0 * 16, hi = c1 * 16
        let end = min(hi, p.size)
        let isyn = p.isyn!, V = p.V!
        // 1. The previous step's spikes through the global-weight groups, onto this block.
        for k in p.inputs {
            let input = plan.inputs[k]
            guard input.deliversInBlocks, input.spikeCount > 0, let spikes = input.spikes else { continue }
            let inSyn = input.inSyn!, w = input.weight
            if input.isDense {
                for _ in 0..<input.spikeCount { for j in lo..<end { inSyn[j] += w } }
            } else {
                let starts = input.blockRowStart! + b * (input.preCount + 1)
                let targets = input.blockTargets!
                for x in 0..<input.spikeCount {
                    let i = Int(spikes[x])
                    for s in Int(starts[i])..<Int(starts[i + 1]) { inSyn[Int(targets[s])] += w }
                }
            }
        }
        // 2. Synaptic input (with V before the update) and its decay, then current sources.
        for i in lo..<hi { isyn[i] = 0 }
        for k in p.inputs {
            let c = plan.inputs[k].constants
            let inSyn = plan.inputs[k].inSyn!
            let decay = c.decay, factor = c.currentFactor, e = c.reversalPotential
            if c.isConductance {
                for i in lo..<hi { isyn[i] += inSyn[i] * (e - V[i]); inSyn[i] *= decay }
            } else if factor == 1 && decay == 0 {
                for i in lo..<hi { isyn[i] += inSyn[i]; inSyn[i] = 0 }
            } else {
                for i in lo..<hi { isyn[i] += inSyn[i] * factor; inSyn[i] *= decay }
            }
        }
        for s in p.sources {
            let m = plan.sources[s]!
            for i in lo..<end { isyn[i] += m[i] }
        }
        // 3. The kernel, 16 neurons at a time.
        var failed = -1
        let zero = SIMD16<Float>(repeating: 0)
        let raw = { (x: UnsafeMutablePointer<Float>) in UnsafeMutableRawPointer(x) }
        switch p.kernel {
        case .traubMiles(let params):
            let Vb = raw(V), mb = raw(p.m!), hb = raw(p.h!), nb = raw(p.n!), ib = UnsafeRawPointer(isyn)
            for c in c0..<c1 {
                let off = c * 64
                var v = Vb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                var m = mb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                var h = hb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                var n = nb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                let current = ib.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                let old = v .>= 0
                TraubMiles.step(V: &v, m: &m, h: &h, n: &n, isyn: current, dtMs: dt, parameters: params)
                p.spikeMask[c] = laneBits((v .>= 0) .& .!old)
                if failed < 0 && anyLane(((v - v) .!= zero) .| ((m - m) .!= zero) .| ((h - h) .!= zero) .| ((n - n) .!= zero)) {
                    failed = c
                }
                Vb.storeBytes(of: v, toByteOffset: off, as: SIMD16<Float>.self)
                mb.storeBytes(of: m, toByteOffset: off, as: SIMD16<Float>.self)
                hb.storeBytes(of: h, toByteOffset: off, as: SIMD16<Float>.self)
                nb.storeBytes(of: n, toByteOffset: off, as: SIMD16<Float>.self)
            }
        case .lif(let params, let constants):
            let Vb = raw(V), rb = raw(p.refracTime!), ib = UnsafeRawPointer(isyn)
            for c in c0..<c1 {
                let off = c * 64
                var v = Vb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                var r = rb.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                let current = ib.loadUnaligned(fromByteOffset: off, as: SIMD16<Float>.self)
                let spiking = LIF.step(V: &v, refracTimeMs: &r, isyn: current, dtMs: dt, parameters: params, constants: constants)
                Vb.storeBytes(of: v, toByteOffset: off, as: SIMD16<Float>.self)
                rb.storeBytes(of: r, toByteOffset: off, as: SIMD16<Float>.self)
                p.spikeMask[c] = laneBits(spiking)
                if failed < 0 && anyLane(((v - v) .!= zero) .| ((r - r) .!= zero)) { failed = c }
            }
        }
        p.failedChunk[b] = failed
    }

    @inline(__always) private static func laneBits(_ mask: SIMDMask<SIMD16<Int32>>) -> UInt16 {
        guard anyLane(mask) else { return 0 }
        var bits: UInt16 = 0
        for lane in 0..<16 where mask[lane] { bits |= 1 << UInt16(lane) }
        return bits
    }

    /// After the block phase, on the calling thread: emit population `p`'s spikes in neuron
    /// order and note its first non-finite variable, as one thread would have.
    func mergeBlocks(_ p: BlockPlan.Population, tMs t: Float) {
        let pop = populations[p.index]
        pop.spikes.removeAll(keepingCapacity: true)
        for c in 0..<p.chunks where p.spikeMask[c] != 0 {
            let bits = p.spikeMask[c]
            for lane in 0..<16 where bits & (1 << UInt16(lane)) != 0 {
                let i = c * 16 + lane
                if i < p.size { emit(pop, i, tMs: t) }
            }
        }
        guard firstNumericalFailure == nil,
              let failedChunk = (0..<p.blocks).lazy.map({ p.failedChunk[$0] }).first(where: { $0 >= 0 }) else { return }
        for lane in 0..<16 {
            let i = failedChunk * 16 + lane
            guard i < p.size else { break }
            let values: [(String, Float)]
            switch p.kernel {
            case .traubMiles: values = [("V", pop.V[i]), ("m", pop.m[i]), ("h", pop.h[i]), ("n", pop.n[i])]
            case .lif: values = [("V", pop.V[i]), ("RefracTime", pop.refracTime[i])]
            }
            if let bad = values.first(where: { !$0.1.isFinite }) {
                noteFailure(pop, neuron: i, variable: bad.0)
                return
            }
        }
    }
}
