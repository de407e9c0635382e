/// A current source injecting a per-neuron constant current into a population (the seed's
/// teacher: `Isyn += magnitude[id]`, nA). Magnitudes may be changed between steps.
public final class CurrentSource {
    public let name: String
    /// Index of the target population in the network.
    public let target: Int
    /// Current injected into each neuron, nA; `count` equals the target's size.
    public var magnitudes: [Float]

    init(name: String, target: Int, magnitudes: [Float]) {
        self.name = name; self.target = target; self.magnitudes = magnitudes
    }
}
