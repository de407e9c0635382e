import ArgumentParser
import ExperimentFiles
import MushroomBodyModel
import RunFile
import Datasets
import Foundation
import Spiking
import Randomness

/// Release-build benchmarks. Run: `swift run -c release autoparam-bench <subcommand>`.
/// Figures go into the issue notes; nothing here is asserted by tests.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoparam-bench",
        abstract: "Release-build benchmarks of the simulator and the evaluation.",
        subcommands: [Kernel.self, Evaluation.self, Recording.self, GeNNMNIST.self]
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

/// What recording every spike costs: evaluation time with and without spike capture, the
/// time to write the records through the run-file recorder, and bytes per spike on disk.
struct Recording: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cost of recording all spikes: time overhead, write throughput, bytes per spike.")

    @Option(help: "Kenyon cells.") var kc = 1000
    @Option(help: "Evaluations to record.") var evaluations = 3
    @Option(help: "A CSV in the seed's format (default: the embedded dataset).") var data: String?

    func run() throws {
        let images = try data.map { try CSVImageLoader.load(path: $0) } ?? EmbeddedDataset.generate(count: 80, seed: 1)
        let presented = PresentedImages(images)
        let p = try MushroomBodyParameters().setting([("kc_count", Double(kc)), ("stdp_tau", 26), ("stdp_alpha", 0.00006),
                                                      ("w_max", 0.4), ("stdp_offset", 0.0044), ("teacher", 1.0)])
        let names = MushroomBody.populationNames
        var plain = 0.0, recorded = 0.0, writing = 0.0, spikes = 0
        let path = NSTemporaryDirectory() + "autoparam-bench-recording.h5"
        let layout = RunLayout(replicateCount: 1, genes: [GeneDescription(name: "kc_count", prior: "constant")],
                               componentNames: Rubric.seed242.componentNames, populationNames: names, recordsWeights: false,
                               dtMilliseconds: 0.1, stepsPerEvaluation: 40_000)
        func makeRecorder() throws -> RunRecorder { try RunRecorder.create(
            path: path, provenance: RunProvenance(toolVersion: AutoparamVersion.current, createdISO8601: "", experimentName: "bench",
                                                  masterSeed: 1, experimentText: "", host: "", threads: 1),
            dataset: RunDatasetRecord(images: images.pixels, labels: images.labels.map(Int32.init), imageCount: images.count,
                                      classNames: images.classNames),
            layout: layout, replicateSeeds: [1], overwrite: true) }
        // The size of the same file with no evaluations: the images and the empty layout.
        let empty = try makeRecorder()
        try empty.finish()
        let baseline = try Self.fileSize(path)
        let recorder = try makeRecorder()
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        for e in 0..<evaluations {
            let seed = UInt64(e + 1)
            let a = Evaluator.evaluate(parameters: p, training: presented, settings: .init(variant: .seed), seed: seed)
            plain += a.wallSeconds
            let b = Evaluator.evaluate(parameters: p, training: presented,
                                       settings: .init(variant: .seed, recordedPopulations: names), seed: seed)
            recorded += b.wallSeconds
            let trains = names.map { b.spikes[$0] ?? SpikeTrain() }
            spikes += trains.reduce(0) { $0 + $1.count }
            let record = EvaluationRecord(genotype: [Double(kc)], fitness: b.fitness, maxFitness: b.maxFitness,
                                          components: b.components, seed: seed, wallSeconds: b.wallSeconds, tournament: -1,
                                          slot: Int32(e), populationSizes: b.populationSizes.map(Int32.init), spikes: trains)
            let start = clock.now
            _ = try recorder.appendEvaluation(replicate: 0, record)
            try recorder.commit()
            writing += seconds(clock.now - start)
        }
        try recorder.finish()
        let bytes = try Self.fileSize(path) - baseline
        print(String(format: "kc_count %d, %d evaluations, %d spikes recorded", kc, evaluations, spikes))
        print(String(format: "evaluation without recording %.3f s, with spike capture %.3f s (%+.1f %%)",
                     plain / Double(evaluations), recorded / Double(evaluations), (recorded / plain - 1) * 100))
        print(String(format: "writing through the recorder: %.3f s per evaluation (%.1f %% of an evaluation), %.2f M spikes/s",
                     writing / Double(evaluations), writing / plain * 100, Double(spikes) / writing / 1e6))
        print(String(format: "spike records %d bytes on disk beyond the empty file: %.2f bytes per recorded spike", bytes, Double(bytes) / Double(spikes)))
        try? FileManager.default.removeItem(atPath: path)
    }

    static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }
}


/// GeNN's MNIST mushroom body: the cost of one training image at full size and of one whole
/// evaluation (issue 12's targets: ≤ 5 ms per image at 20 000 KCs, ≤ 30 s for 3200 + 800
/// digits with 10 classes, one core).
struct GeNNMNIST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genn-mnist",
        abstract: "GeNN MNIST network: time per training image (20 000 KCs) and per evaluation (3200 + 800 digits), peak memory.")

    @Option(help: "IDX images (default: 4000 embedded images).") var data: String?
    @Option(help: "IDX labels for --data.") var labels: String?
    @Option(help: "Kenyon cells.") var kc = 20_000
    @Option(help: "Training images to time one by one (the median is reported).") var images = 100
    @Option(help: "Training images of the whole evaluation.") var train = 3200
    @Option(help: "Test images of the whole evaluation.") var test = 800
    @Flag(help: "Skip the whole evaluation.") var imagesOnly = false

    func run() throws {
        let all: PresentedImages
        if let data {
            all = PresentedImages(try DatasetSource.idx(imagesPath: data, labelsPath: labels ?? "").load(classCount: 10))
        } else {
            all = PresentedImages(EmbeddedDataset.generate(count: train + test, seed: 1))
        }
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let p = try GeNNMNISTParameters().setting("kc_count", to: Double(kc))
        let body = GeNNMNISTNetwork(parameters: p, classCount: 10, seed: SeedTree(1))
        var rng = SeedTree(1).child("unused").generator()
        var times: [Double] = []
        for i in 0..<min(images, all.count) {
            let start = clock.now
            body.present(all.image(i), teacherFor: all.labels[i] % 10, using: &rng)
            times.append(seconds(clock.now - start))
        }
        times.sort()
        let kcSpikes = body.network.populations[body.kc].spikeCount
        print(String(format: "one training image, %d KCs, %d steps: median %.2f ms, min %.2f ms (%d images; %.0f KC spikes/image), peak RSS %.1f MiB",
                     kc, p.presentSteps, times[times.count / 2] * 1e3, times[0] * 1e3, times.count,
                     Double(kcSpikes) / Double(times.count), peakResidentMiB()))
        guard !imagesOnly else { return }
        let n = min(train + test, all.count)
        let parts = all.subset(0..<n).split(testCount: min(test, n - 1))
        let r = GeNNMNISTEvaluator.evaluate(parameters: p, training: parts.training, test: parts.test,
                                            protocol: .init(classCount: 10, epochs: 1),
                                            settings: EvaluationSettings(rubric: .accuracy), seed: 1)
        print(String(format: "one evaluation, %d KCs, %d training + %d test images, 10 classes: %.2f s wall, accuracy %.4f, no response %.4f, %@, peak RSS %.1f MiB",
                     kc, parts.training.count, parts.test.count, r.wallSeconds, r.fitness, r.components[2], r.status.name,
                     peakResidentMiB()))
    }
}
