/// A projection from one population to another: connectivity, weights, what a presynaptic
/// spike does, and the postsynaptic accumulator `inSyn` (one per target neuron).
public final class SynapseGroup {
    public let name: String
    /// Indices of the source and target populations in the network.
    public let source: Int, target: Int
    public let connectivity: Connectivity
    /// The weights; individual weights change under STDP.
    public internal(set) var weights: SynapticWeights
    public let rule: WeightUpdateRule
    public let postsynaptic: PostsynapticModel
    let constants: PostsynapticConstants
    /// Accumulated input per target neuron (GeNN's `inSyn`), padded to the target's padded size.
    public internal(set) var inSyn: [Float]
    /// When false, STDP changes no weight and spikes deliver `g`: the test phase's frozen
    /// plasticity. For the symmetric rule this is also what turns transmission on (a plastic
    /// `symmetric_stdp` group delivers nothing, as in GeNN's MNIST example).
    public var isPlastic = true
    let preCount: Int, postCount: Int

    init(name: String, source: NeuronPopulation, sourceIndex: Int, target: NeuronPopulation, targetIndex: Int,
         connectivity: Connectivity, weights: SynapticWeights, rule: WeightUpdateRule,
         postsynaptic: PostsynapticModel, dtMs: Float) {
        self.name = name
        self.source = sourceIndex; self.target = targetIndex
        self.connectivity = connectivity
        self.weights = weights
        self.rule = rule
        self.postsynaptic = postsynaptic
        constants = PostsynapticConstants(model: postsynaptic, dtMs: Double(dtMs))
        inSyn = [Float](repeating: 0, count: target.paddedSize)
        preCount = source.size; postCount = target.size
        if case .sparse(let rows) = connectivity {
            precondition(rows.rowStart.count == preCount + 1, "\(name): sparse rows must number the source size + 1")
        }
        if case .symmetricSTDP = rule, case .global = weights {
            preconditionFailure("\(name): the symmetric STDP rule needs individual weights")
        }
        if case .individual(let w) = weights {
            let expected: Int
            switch connectivity {
            case .dense: expected = preCount * postCount
            case .sparse(let rows): expected = rows.synapseCount
            }
            precondition(w.count == expected, "\(name): expected \(expected) individual weights, got \(w.count)")
        }
    }

    /// Empty the postsynaptic accumulator (`inSyn = 0`, GeNN 5's `out_post`), as between two
    /// images of GeNN's MNIST example. Weights are untouched. Allocation-free.
    public func resetInput() {
        inSyn.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = 0 }
        }
    }

    /// The individual weights (row-major pre × post for dense), or nil for a global weight.
    public var individualWeights: [Float]? {
        if case .symmetricSTDP = rule, case .global = weights {
            preconditionFailure("\(name): the symmetric STDP rule needs individual weights")
        }
        if case .individual(let w) = weights { return w }
        return nil
    }

    /// Mean of the individual weights (Double accumulation), or the global weight; NaN when
    /// there are no synapses, as numpy's mean of an empty array.
    public var meanWeight: Double {
        switch weights {
        case .global(let g): return Double(g)
        case .individual(let w):
            guard !w.isEmpty else { return .nan }
            var s = 0.0
            for x in w { s += Double(x) }
            return s / Double(w.count)
        }
    }
}
