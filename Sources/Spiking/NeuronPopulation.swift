/// A population of neurons of one model, with its state, this step's spikes, the last spike
/// time of every neuron and, optionally, a record of every spike.
///
/// State arrays are padded to a multiple of 16 so the TraubMiles and LIF kernels run whole
/// SIMD16 vectors; padding lanes are never reported as spiking.
public final class NeuronPopulation {
    /// Population name (for example "KC").
    public let name: String
    /// Number of neurons.
    public let size: Int
    /// The model and its parameters.
    public let model: NeuronModel
    /// `size` rounded up to a multiple of 16.
    public let paddedSize: Int

    /// Membrane potential (mV; dimensionless for the GGN), padded.
    var V: [Float]
    /// TraubMiles gating variables, padded (empty for other models).
    var m: [Float], h: [Float], n: [Float]
    /// Poisson: time of the last spike, ms (the model's own `spikeTime` variable).
    var poissonSpikeTime: [Float]
    /// Poisson: per-step firing probability of each neuron (GeNN's `firingProb`).
    public var firingProbability: [Float]
    /// Time of each neuron's last emitted spike, ms (GeNN's `sT`); starts at −FLT_MAX.
    public internal(set) var lastSpikeTimeMs: [Float]
    /// Indices of the neurons that spiked in the most recent step, in increasing order.
    public internal(set) var spikes: [Int32] = []
    /// Synaptic input of the current step (scratch), padded.
    var isyn: [Float]

    /// Whether every spike is appended to ``recordedSteps`` / ``recordedIds``.
    public var isRecording = false
    /// Step index k of every recorded spike, in emission order (by step, then neuron index).
    public internal(set) var recordedSteps: [UInt32] = []
    /// Neuron index of every recorded spike, parallel to ``recordedSteps``.
    public internal(set) var recordedIds: [UInt32] = []
    /// Total spikes emitted since construction (recorded or not).
    public internal(set) var spikeCount = 0

    /// LIF: the refractory timer of each neuron, ms, padded (empty for other models).
    var refracTime: [Float]
    /// LIF: the derived constants at the network's time step.
    let lifConstants: LIFConstants?

    init(name: String, size: Int, model: NeuronModel, dtMs: Float) {
        precondition(size >= 0, "population size must be non-negative")
        self.name = name
        self.size = size
        self.model = model
        paddedSize = (size + 15) / 16 * 16
        isyn = [Float](repeating: 0, count: paddedSize)
        lastSpikeTimeMs = [Float](repeating: -Float.greatestFiniteMagnitude, count: size)
        V = [Float](repeating: 0, count: paddedSize)
        m = []; h = []; n = []; poissonSpikeTime = []; firingProbability = []; refracTime = []
        switch model {
        case .poisson:
            poissonSpikeTime = [Float](repeating: 0, count: paddedSize)
            firingProbability = [Float](repeating: 0, count: size)
            lifConstants = nil
        case .traubMiles:
            m = [Float](repeating: 0, count: paddedSize)
            h = [Float](repeating: 0, count: paddedSize)
            n = [Float](repeating: 0, count: paddedSize)
            lifConstants = nil
        case .integrateAndFire:
            lifConstants = nil
        case .lif(let p):
            refracTime = [Float](repeating: 0, count: paddedSize)
            lifConstants = LIFConstants(parameters: p, dtMs: Double(dtMs))
        }
        resetState()
    }

    /// Return every neuron to the model's initial state, as between two images of GeNN's MNIST
    /// example (`reset_neuron` and `reset_spike_times`):
    /// - V and the model's other variables to their initial values (Poisson: V = Vrest,
    ///   spikeTime = −∞ in effect; TraubMiles: ``TraubMilesState/initial``; integrate-and-fire:
    ///   V = 0; LIF: V = ``LIFParameters/initialV``, RefracTime = 0), padding lanes included;
    /// - every last spike time (GeNN's `sT` / `st`) to −FLT_MAX, "never";
    /// - unless `keepingPendingSpikes`, the spikes of the most recent step, so nothing is
    ///   delivered from before the reset. GeNN's example resets variables and spike times but
    ///   not its spike buffers, so there the last step's spikes are still delivered in the first
    ///   step after the reset; pass true to reproduce that.
    ///
    /// Unchanged: the Poisson firing probabilities (an input), the spike record and count, and
    /// anything outside the population (weights, inSyn, the network's time).
    /// Allocation-free.
    public func resetState(keepingPendingSpikes: Bool = false) {
        switch model {
        case .poisson(let p):
            fill(&V, p.Vrest)
            fill(&poissonSpikeTime, PoissonParameters.initialSpikeTimeMs)
        case .traubMiles:
            let s = TraubMilesState.initial
            fill(&V, s.V); fill(&m, s.m); fill(&h, s.h); fill(&n, s.n)
        case .integrateAndFire:
            fill(&V, 0)
        case .lif(let p):
            fill(&V, p.initialV)
            fill(&refracTime, LIFParameters.initialRefracTimeMs)
        }
        fill(&lastSpikeTimeMs, -Float.greatestFiniteMagnitude)
        fill(&isyn, 0)
        if !keepingPendingSpikes { spikes.removeAll(keepingCapacity: true) }
    }

    private func fill(_ a: inout [Float], _ value: Float) {
        a.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = value }
        }
    }

    /// Membrane potentials of the `size` neurons (mV).
    public var membranePotential: [Float] {
        get { Array(V[0..<size]) }
        set {
            precondition(newValue.count == size, "expected \(size) values")
            V.replaceSubrange(0..<size, with: newValue)
        }
    }

    /// LIF: the refractory timers of the `size` neurons, ms (> 0 while refractory).
    ///
    /// - Precondition: the population's model is LIF.
    public var refractoryTimeMs: [Float] {
        get { Array(refracTime[0..<size]) }
        set {
            precondition(newValue.count == size, "expected \(size) values")
            refracTime.replaceSubrange(0..<size, with: newValue)
        }
    }

    /// The TraubMiles state of neuron `i`.
    ///
    /// - Precondition: the population's model is TraubMiles.
    public func traubMilesState(_ i: Int) -> TraubMilesState {
        TraubMilesState(V: V[i], m: m[i], h: h[i], n: n[i])
    }

    /// Discard recorded spikes (the spike count is kept).
    public func clearRecording() {
        recordedSteps.removeAll(keepingCapacity: true)
        recordedIds.removeAll(keepingCapacity: true)
    }
}
