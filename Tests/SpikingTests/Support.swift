import Foundation
import Randomness
import Spiking

// Shared fixtures for the Spiking tests. Nothing here reuses the simulator's own arithmetic:
// expected values come from the equations of docs/model.md, written again in Double.

/// Time step used throughout, ms.
let dt: Float = 0.1

/// An integrate-and-fire probe that never fires: `V += Isyn` each step, so its V is the
/// running sum of the current delivered to it.
let integratingProbe = NeuronModel.integrateAndFire(.init(Vthresh: .greatestFiniteMagnitude))

/// The GeNN Poisson input neuron with its default parameters.
let poissonModel = NeuronModel.poisson(PoissonParameters())

/// A generator for tests whose networks draw no random numbers (or whose draws do not matter).
func testRNG(_ seed: UInt64 = 1) -> Xoshiro256StarStar { Xoshiro256StarStar(seed: seed) }

/// Step the network `steps` times, setting each listed Poisson population's firing
/// probabilities before every step: neuron i of population `pop` gets probability 1 on the
/// steps in `schedule[pop][i]` and 0 on all others. A Poisson neuron with probability 1 spikes
/// on any step it is not refractory, so (with scheduled steps at least 4 apart) its spikes land
/// exactly there. `each(k)` runs after step k.
func drive(_ net: Network, steps: Int, schedule: [Int: [Set<Int>]], each: (Int) -> Void = { _ in }) {
    var rng = testRNG()
    for k in 0..<steps {
        for (pop, perNeuron) in schedule {
            net.populations[pop].firingProbability = perNeuron.map { $0.contains(k) ? 1 : 0 }
        }
        net.step(using: &rng)
        each(k)
    }
}

/// `drive(_:steps:schedule:each:)` for populations of one neuron.
func drive(_ net: Network, steps: Int, firingAt schedule: [Int: Set<Int>], each: (Int) -> Void = { _ in }) {
    drive(net, steps: steps, schedule: schedule.mapValues { [$0] }, each: each)
}

/// Steps at which the recorded neuron `id` of a population spiked.
func spikeSteps(_ pop: NeuronPopulation, neuron id: Int = 0) -> [Int] {
    zip(pop.recordedSteps, pop.recordedIds).filter { $0.1 == UInt32(id) }.map { Int($0.0) }
}

// MARK: - TraubMiles, re-derived in Double from docs/model.md

/// The state of one TraubMiles neuron in Double.
struct HHState {
    var V = -60.0, m = 0.0529324, h = 0.3176767, n = 0.5961207
    var isFinite: Bool { V.isFinite && m.isFinite && h.isFinite && n.isFinite }
}

/// One time step of GeNN's TraubMiles family in Double: `substeps` forward-Euler substeps of
/// dt/substeps (25: TraubMiles, 1: TraubMilesFast, n: TraubMilesNStep), with the singular
/// points of the rate functions replaced by their limits.
func hhStep(_ s: inout HHState, current I: Double, dtMs: Double = 0.1, substeps: Int = 25) {
    let gNa = 7.15, ENa = 50.0, gK = 1.43, EK = -95.0, gl = 0.02672, El = -63.563, C = 0.143
    let h_ = dtMs / Double(substeps)
    for _ in 0..<substeps {
        let V = s.V
        let iNa = gNa * pow(s.m, 3) * s.h * (V - ENa)
        let iK = gK * pow(s.n, 4) * (V - EK)
        let iL = gl * (V - El)
        let dVdt = (I - iNa - iK - iL) / C
        // m gate
        let xm = -52 - V
        let alphaM = xm == 0 ? 1.28 : 0.32 * xm / (exp(xm / 4) - 1)
        let ym = V + 25
        let betaM = ym == 0 ? 1.4 : 0.28 * ym / (exp(ym / 5) - 1)
        // h gate
        let alphaH = 0.128 * exp((-48 - V) / 18)
        let betaH = 4 / (1 + exp((-25 - V) / 5))
        // n gate
        let xn = -50 - V
        let alphaN = xn == 0 ? 0.16 : 0.032 * xn / (exp(xn / 5) - 1)
        let betaN = 0.5 * exp((-55 - V) / 40)
        // All rates use V at the start of the substep; V moves last.
        s.m += h_ * (alphaM * (1 - s.m) - betaM * s.m)
        s.h += h_ * (alphaH * (1 - s.h) - betaH * s.h)
        s.n += h_ * (alphaN * (1 - s.n) - betaN * s.n)
        s.V += h_ * dVdt
    }
}

/// Spike steps of one Double TraubMiles neuron under a constant current, with GeNN's
/// auto-refractory rule (a spike where V ≥ 0 after the update and V < 0 before it), and the
/// first step after which its state is no longer finite, if any.
func hhSpikeSteps(current: Double, steps: Int, substeps: Int = 25) -> (spikes: [Int], firstNonFinite: Int?) {
    var s = HHState()
    var spikes: [Int] = []
    for k in 0..<steps {
        let before = s.V >= 0
        hhStep(&s, current: current, substeps: substeps)
        if !s.isFinite { return (spikes, k) }
        if s.V >= 0 && !before { spikes.append(k) }
    }
    return (spikes, nil)
}

/// Spike steps of one simulator TraubMiles neuron under a constant current from a current
/// source, and the simulator's first numerical failure.
func simulatedSpikeSteps(current: Float, steps: Int, substeps: Int = 25) -> (spikes: [Int], failure: NumericalFailure?) {
    let net = Network(dtMs: dt)
    let p = net.addPopulation(name: "TM", size: 1, model: .traubMiles(.init(substeps: substeps)))
    net.populations[p].isRecording = true
    net.addCurrentSource(name: "I", target: p, magnitudes: [current])
    var rng = testRNG()
    net.run(steps: steps, using: &rng)
    return (spikeSteps(net.populations[p]), net.firstNumericalFailure)
}

/// Distance in units in the last place between two finite floats of the same sign (or zero).
func ulpDistance(_ a: Float, _ b: Float) -> Int64 {
    func key(_ x: Float) -> Int64 {
        let bits = Int64(Int32(bitPattern: x.bitPattern))
        return bits < 0 ? Int64(Int32.min) - bits : bits  // monotone over all floats
    }
    return abs(key(a) - key(b))
}
