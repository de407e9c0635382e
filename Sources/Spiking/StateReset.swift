extension NeuronPopulation {
    /// Returns every state variable to its value at construction: V (and m, h, n for
    /// TraubMiles; the Poisson spike time), the last spike time sT (−FLT_MAX) and this step's
    /// spikes (so none is delivered by the next step). The firing probabilities (an input),
    /// the spike count and the recorded spikes are kept.
    func resetState() {
        let fresh = NeuronPopulation(name: name, size: size, model: model)
        V = fresh.V
        m = fresh.m; h = fresh.h; n = fresh.n
        poissonSpikeTime = fresh.poissonSpikeTime
        lastSpikeTimeMs = fresh.lastSpikeTimeMs
        spikes.removeAll(keepingCapacity: true)
        for i in isyn.indices { isyn[i] = 0 }
    }
}

extension Network {
    /// Returns the state of every population and every synapse group's input to its value at
    /// construction, keeping the weights (what was learnt), the current sources, the step
    /// index (time goes on) and the spike records: the `reset_between_images` of the
    /// protocol (docs/model.md). After a reset the next step behaves as the first step of a
    /// fresh network with the same weights, except for the time t and the Poisson draws.
    public func resetState() {
        for p in populations { p.resetState() }
        for g in synapseGroups {
            for i in g.inSyn.indices { g.inSyn[i] = 0 }
        }
    }
}
