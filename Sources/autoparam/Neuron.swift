import ArgumentParser
import MushroomBodyModel
import Foundation
import Randomness
import Spiking

/// `autoparam neuron`: one neuron from its initial state under a constant current.
struct Neuron: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate one neuron from its initial state under a constant current and print its spike times.",
        discussion: "Spike times are the times t = k·dt (ms) of the steps in which a spike was emitted."
    )

    enum Model: String, ExpressibleByArgument, CaseIterable {
        case traubmiles
        case traubmilesFast = "traubmiles-fast"
        case traubmilesNStep = "traubmiles-nstep"
    }

    @Option(help: "Neuron model: traubmiles (25 substeps), traubmiles-fast (1) or traubmiles-nstep (--substeps).")
    var model: Model = .traubmiles

    @Option(help: ArgumentHelp("Constant input current, nA.", valueName: "nA"))
    var current: Double

    @Option(help: ArgumentHelp("Simulated time, ms.", valueName: "ms"))
    var duration: Double

    @Option(help: ArgumentHelp("Time step, ms.", valueName: "ms"))
    var dt: Double = 0.1

    @Option(help: "Substeps for traubmiles-nstep.")
    var substeps: Int = 25

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .customLong("allow-large"), help: "Accept more steps than the limit (docs/limits.md).")
    var allowLarge = false

    func validate() throws {
        guard current.isFinite else { throw ValidationError("--current must be a finite number of nA") }
        guard duration.isFinite, duration >= 0 else { throw ValidationError("--duration must be a number of ms ≥ 0, found \(duration)") }
        guard dt.isFinite, dt > 0 else { throw ValidationError("--dt must be a number of ms > 0, found \(dt)") }
        let range = EvaluationLimits.substeps
        guard range.contains(substeps) else {
            throw ValidationError("--substeps must be between \(range.lowerBound) and \(range.upperBound), found \(substeps)")
        }
        let steps = (duration / dt).rounded()
        if steps > Double(1 << 53) || (!allowLarge && steps > Double(EvaluationLimits.neuronSteps)) {
            throw ValidationError("--duration \(duration) ms at --dt \(dt) ms is \(steps) steps, beyond the limit of \(EvaluationLimits.neuronSteps)"
                                  + (steps > Double(1 << 53) ? "" : ": use a shorter --duration or a larger --dt, or add --allow-large"))
        }
    }

    func run() throws {
        var parameters = TraubMilesParameters()
        switch model {
        case .traubmiles: parameters.substeps = 25
        case .traubmilesFast: parameters.substeps = 1
        case .traubmilesNStep: parameters.substeps = substeps
        }
        let net = Network(dtMs: Float(dt))
        let pop = net.addPopulation(name: "neuron", size: 1, model: .traubMiles(parameters))
        net.addCurrentSource(name: "current", target: pop, magnitudes: [Float(current)])
        net.populations[pop].isRecording = true
        var rng = Xoshiro256StarStar(seed: 0)  // TraubMiles draws nothing; the step API asks for a generator
        let steps = Int((duration / dt).rounded())
        // Step by step, to say when V stops being a number (a current of 10³⁰ nA overflows it).
        var nonFiniteStep: Int?
        var done = 0
        while done < steps {
            let block = min(1000, steps - done)
            net.run(steps: block, using: &rng)
            if nonFiniteStep == nil, !net.populations[pop].membranePotential[0].isFinite {
                nonFiniteStep = done + block
                break
            }
            done += block
        }
        let finalV = Double(net.populations[pop].membranePotential[0])
        // t = Float(k)·Float(dt) as GeNN computes it, printed in its shortest decimal form.
        let times = net.populations[pop].recordedSteps.map { Double("\(net.timeMs(ofStep: Int($0)))")! }
        if json {
            let object: [String: Any] = [
                "model": model.rawValue, "substeps": parameters.substeps, "current_na": current,
                "duration_ms": duration, "dt_ms": dt, "steps": steps, "spike_count": times.count,
                "spike_times_ms": times,
                "final_v_mv": finalV.isFinite ? finalV as Any : NSNull(),
                "status": nonFiniteStep == nil ? "ok" : "numerical_failure",
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("model        \(model.rawValue) (\(parameters.substeps) substeps)")
            print("current      \(current) nA for \(duration) ms (dt \(dt) ms, \(steps) steps)")
            print("spikes       \(times.count)")
            if let nonFiniteStep {
                print("status       numerical_failure: V became non-finite by step \(nonFiniteStep) (t ≤ \(Double(nonFiniteStep) * dt) ms); the run stopped there")
            }
            if !times.isEmpty {
                print("times (ms)   " + times.map { String(format: "%.1f", $0) }.joined(separator: " "))
            }
        }
    }
}
