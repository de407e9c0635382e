import ArgumentParser
import Autoparam
import Datasets
import Foundation
import Spiking

/// Release-build benchmarks. Run: `swift run -c release autoparam-bench <subcommand>`.
/// Figures go into the issue notes; nothing here is asserted by tests.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoparam-bench",
        abstract: "Release-build benchmarks of the simulator and the evaluation.",
        subcommands: [Kernel.self, Evaluation.self]
    )
}

/// Peak resident set size of this process, MiB (Linux `ru_maxrss` is in KiB).
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(0, &usage)  // RUSAGE_SELF
    return Double(usage.ru_maxrss) / 1024
}

/// TraubMiles kernel throughput in neuron-substeps per second on one core.
struct Kernel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "TraubMiles update throughput (neuron-substeps/s, one core).")

    @Option(help: "Neurons (rounded up to a multiple of 16).") var neurons = 1024
    @Option(help: "Time steps per repetition.") var steps = 4000
    @Option(help: "Repetitions (the best is reported).") var repeats = 3

    func run() {
        let chunks = (neurons + 15) / 16
        let p = TraubMilesParameters()
        var best = 0.0
        for _ in 0..<repeats {
            var V = [SIMD16<Float>](repeating: SIMD16(repeating: TraubMilesState.initial.V), count: chunks)
            var m = [SIMD16<Float>](repeating: SIMD16(repeating: TraubMilesState.initial.m), count: chunks)
            var h = [SIMD16<Float>](repeating: SIMD16(repeating: TraubMilesState.initial.h), count: chunks)
            var n = [SIMD16<Float>](repeating: SIMD16(repeating: TraubMilesState.initial.n), count: chunks)
            // Currents from 0 to 2 nA: a mix of resting and regularly firing neurons.
            let isyn = (0..<chunks).map { c in SIMD16<Float>((0..<16).map { Float(c * 16 + $0) / Float(chunks * 16) * 2 }) }
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<steps {
                for c in 0..<chunks {
                    TraubMiles.step(V: &V[c], m: &m[c], h: &h[c], n: &n[c], isyn: isyn[c], dtMs: 0.1, parameters: p)
                }
            }
            let d = (clock.now - start).components
            let seconds = Double(d.seconds) + Double(d.attoseconds) * 1e-18
            let rate = Double(chunks * 16 * steps * p.substeps) / seconds
            best = max(best, rate)
            blackHole(V)
        }
        print(String(format: "TraubMiles kernel: %.1f M neuron-substeps/s (one core, %d neurons, %d steps, best of %d)",
                     best / 1e6, chunks * 16, steps, repeats))
    }
}

@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

/// Wall time and peak memory of full seed-protocol evaluations.
struct Evaluation: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Wall time of one full seed-protocol evaluation (80 images, 40 000 steps) per KC count.")

    @Option(parsing: .upToNextOption, help: "KC counts to time.") var kc: [Int] = [200, 1000, 2000]
    @Option(help: "A CSV in the seed's format (default: the embedded dataset).") var data: String?
    @Option(help: "Protocol variant.") var variant: String = "seed"
    @Flag(help: "Record the spikes of every population.") var record = false

    func run() throws {
        let images = try data.map { try CSVImageLoader.load(path: $0) } ?? EmbeddedDataset.generate(count: 80, seed: 1)
        let presented = PresentedImages(images)
        for k in kc {
            let p = try MushroomBodyParameters().setting([("kc_count", Double(k)), ("stdp_tau", 26), ("stdp_alpha", 0.00006),
                                                          ("w_max", 0.4), ("stdp_offset", 0.0044), ("teacher", 1.0)])
            let settings = EvaluationSettings(variant: ProtocolVariant(rawValue: variant) ?? .seed, rubric: .seed242,
                                              recordedPopulations: record ? MushroomBody.populationNames : [])
            let r = Evaluator.evaluate(parameters: p, training: presented, settings: settings, seed: 1)
            print(String(format: "kc_count %5d: %.2f s wall, fitness %.1f / %.0f, %@, peak RSS %.1f MiB", k, r.wallSeconds,
                         r.fitness, r.maxFitness, r.status.name, peakResidentMiB()))
        }
    }
}
