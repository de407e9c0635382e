/// A current source injecting a per-neuron constant current into a population: `Isyn +=
/// magnitude[id]`, nA, every step, after the synaptic input. It is the seed's teacher and
/// GeNN 5's MNIST `cs_model` (`injectCurrent(magnitude)`, a per-neuron variable), used there
/// for the PN input (image / sum(image) · 80 nA) and the MBON teaching current (5 nA into the
/// labelled MBON, 0 elsewhere).
///
/// Magnitudes may be changed between steps (between images); ``Network/resetState(keepingPendingSpikes:)``
/// leaves them alone.
public final class CurrentSource {
    public let name: String
    /// Index of the target population in the network.
    public let target: Int
    /// Number of neurons in the target population.
    public let size: Int
    /// Current injected into each neuron, nA.
    ///
    /// - Precondition: `count` stays equal to the target's size.
    public var magnitudes: [Float] {
        didSet { precondition(magnitudes.count == size, "\(name): one magnitude per target neuron (\(size))") }
    }

    init(name: String, target: Int, magnitudes: [Float]) {
        self.name = name; self.target = target; self.magnitudes = magnitudes; size = magnitudes.count
    }

    /// Inject `magnitude` (nA) into every neuron.
    public func setAll(_ magnitude: Float) {
        magnitudes.withUnsafeMutableBufferPointer { m in
            for i in m.indices { m[i] = magnitude }
        }
    }

    /// Inject `magnitude` (nA) into neuron `index` and nothing into the others (the MBON
    /// teacher: the labelled MBON only).
    public func setOnly(_ index: Int, to magnitude: Float) {
        precondition(index >= 0 && index < size, "\(name): neuron \(index) out of range 0..<\(size)")
        setAll(0)
        magnitudes[index] = magnitude
    }
}
