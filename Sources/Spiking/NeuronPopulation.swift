/// A population of neurons of one model, with its state, this step's spikes, the last spike
/// time of every neuron and, optionally, a record of every spike.
///
/// State arrays are padded to a multiple of 16 so the TraubMiles kernel runs whole SIMD16
/// vectors; padding lanes never spike and are never reported.
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

    init(name: String, size: Int, model: NeuronModel) {
        precondition(size >= 0, "population size must be non-negative")
        self.name = name
        self.size = size
        self.model = model
        paddedSize = (size + 15) / 16 * 16
        isyn = [Float](repeating: 0, count: paddedSize)
        lastSpikeTimeMs = [Float](repeating: -Float.greatestFiniteMagnitude, count: size)
        switch model {
        case .poisson(let p):
            V = [Float](repeating: p.Vrest, count: paddedSize)
            m = []; h = []; n = []
            poissonSpikeTime = [Float](repeating: PoissonParameters.initialSpikeTimeMs, count: paddedSize)
            firingProbability = [Float](repeating: 0, count: size)
        case .traubMiles:
            let s = TraubMilesState.initial
            V = [Float](repeating: s.V, count: paddedSize)
            m = [Float](repeating: s.m, count: paddedSize)
            h = [Float](repeating: s.h, count: paddedSize)
            n = [Float](repeating: s.n, count: paddedSize)
            poissonSpikeTime = []; firingProbability = []
        case .integrateAndFire:
            V = [Float](repeating: 0, count: paddedSize)
            m = []; h = []; n = []; poissonSpikeTime = []; firingProbability = []
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
