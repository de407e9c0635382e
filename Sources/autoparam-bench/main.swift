import ArgumentParser
import ExperimentFiles
import MushroomBodyModel
import RunFile
import Datasets
import Foundation
import Runner
import Randomness
import Spiking
import HDF5

/// Release-build benchmarks. Run: `swift run -c release autoparam-bench <subcommand>`.
/// Figures go into the issue notes; nothing here is asserted by tests.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoparam-bench",
        abstract: "Release-build benchmarks of the simulator and the evaluation.",
        subcommands: [Kernel.self, Evaluation.self, Threads.self, Replicate.self, Recording.self, Checksums.self, GeNNMNIST.self]
    )
}

/// CPU time (user + system) of this process so far, s: all its threads together.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(0, &usage)  // RUSAGE_SELF
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
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
    @Option(help: "Threads of each evaluation.") var threads = 1

    func run() throws {
        let images = try data.map { try CSVImageLoader.load(path: $0) } ?? EmbeddedDataset.generate(count: 80, seed: 1)
        let presented = PresentedImages(images)
        for k in kc {
            let p = try MushroomBodyParameters().setting([("kc_count", Double(k)), ("stdp_tau", 26), ("stdp_alpha", 0.00006),
                                                          ("w_max", 0.4), ("stdp_offset", 0.0044), ("teacher", 1.0)])
            let settings = EvaluationSettings(variant: ProtocolVariant(rawValue: variant) ?? .seed, rubric: .seed242,
                                              recordedPopulations: record ? MushroomBody.populationNames : [])
            let r = Evaluator.evaluate(parameters: p, training: presented, settings: settings, seed: 1, threads: threads)
            print(String(format: "kc_count %5d: %.2f s wall, fitness %.1f / %.0f, %@, peak RSS %.1f MiB", k, r.wallSeconds,
                         r.fitness, r.maxFitness, r.status.name, peakResidentMiB()))
        }
    }
}

/// One evaluation on 1, 2, … threads, run back to back in rounds so that a busy machine
/// weighs on every count alike; reports the best wall time of each count, its CPU time, and
/// the ratio to one thread. The results must be identical (checked here too).
struct Threads: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Wall time of one seed-protocol evaluation on 1, 2, … threads (best of rounds).")

    @Option(parsing: .upToNextOption, help: "KC counts to time.") var kc: [Int] = [1000]
    @Option(parsing: .upToNextOption, help: "Thread counts to compare (the first is the reference).") var threads: [Int] = [1, 2]
    @Option(help: "Rounds (each runs every thread count once, in order).") var rounds = 3
    @Option(help: "Images of the protocol (the first ones of the data).") var images = 80
    @Option(help: "A CSV in the seed's format (default: the embedded dataset).") var data: String?
    @Flag(help: "Also split each count's wall time into the block phase (shared) and the rest (one thread).") var profile = false
    @Flag(name: .customLong("no-adapt"), help: "Keep every step on the threads even where one thread is faster (Network.adaptsToLoad off).") var noAdapt = false

    /// The seed protocol's steps (stimulus and blank of every image, teacher on) with the
    /// network's step profile on.
    static func profile(_ p: MushroomBodyParameters, _ images: PresentedImages, threads: Int, adapt: Bool) -> StepProfile {
        let tree = SeedTree(1)
        let body = MushroomBody(parameters: p, pnCount: images.pixelsPerImage, dnCount: 4, variant: .seed, seed: tree)
        let net = body.network
        net.threads = threads
        net.isProfiling = true
        net.adaptsToLoad = adapt
        var poisson = tree.child("poisson").generator()
        for i in 0..<images.count {
            body.setTeacher(label: images.labels[i])
            body.present(images.image(i))
            net.run(steps: p.stimulusSteps, using: &poisson)
            body.present(Optional<[UInt8]>.none)
            net.run(steps: p.blankSteps, using: &poisson)
        }
        return net.profile
    }

    func run() throws {
        var all = try data.map { try CSVImageLoader.load(path: $0) } ?? EmbeddedDataset.generate(count: 80, seed: 1)
        if images < all.count { all = all.subset(0..<images) }
        let presented = PresentedImages(all)
        for k in kc {
            let p = try MushroomBodyParameters().setting([("kc_count", Double(k)), ("stdp_tau", 26), ("stdp_alpha", 0.00006),
                                                          ("w_max", 0.4), ("stdp_offset", 0.0044), ("teacher", 1.0)])
            let settings = EvaluationSettings(variant: .seed, rubric: .seed242)
            var bestWall = [Double](repeating: .infinity, count: threads.count)
            var cpuAtBest = [Double](repeating: .nan, count: threads.count)
            var reference: EvaluationResult?
            for _ in 0..<rounds {
                for (i, t) in threads.enumerated() {
                    let cpu0 = processCPUSeconds()
                    let r = Evaluator.evaluate(parameters: p, training: presented, settings: settings, seed: 1, threads: t)
                    let cpu = processCPUSeconds() - cpu0
                    // Compared as text: a trace with NaN means (a numerical failure) is equal to itself.
                    if let reference, "\(reference.trace as Any)" != "\(r.trace as Any)" || reference.spikeCounts != r.spikeCounts
                        || "\(reference.fitness)" != "\(r.fitness)" {
                        throw ValidationError("kc_count \(k): \(t) threads gave a different result")
                    }
                    reference = reference ?? r
                    if r.wallSeconds < bestWall[i] { bestWall[i] = r.wallSeconds; cpuAtBest[i] = cpu }
                }
            }
            for (i, t) in threads.enumerated() {
                print(String(format: "kc_count %5d, %d thread%@: %.2f s wall (best of %d), %.2f s CPU, %.3f × the %d-thread time",
                             k, t, t == 1 ? "" : "s", bestWall[i], rounds, cpuAtBest[i], bestWall[i] / bestWall[0], threads[0]))
            }
            if profile {
                for t in threads {
                    let s = Self.profile(p, presented, threads: t, adapt: !noAdapt)
                    let total = s.blockSeconds + s.serialSeconds
                    print(String(format: "  profile, %d thread%@: block phase %.2f s, the rest %.2f s (%.1f %% of %.2f s); "
                                 + "with the rest on one thread, 2 threads can reach at best %.3f × and 3 threads %.3f ×",
                                 t, t == 1 ? "" : "s", s.blockSeconds, s.serialSeconds, s.serialSeconds / total * 100, total,
                                 (s.serialSeconds + s.blockSeconds / 2) / total, (s.serialSeconds + s.blockSeconds / 3) / total))
                }
            }
        }
    }
}

/// One replicate of an experiment file, timed: what `autoparam run FILE --replicates 1` does,
/// with the output in a temporary file.
struct Replicate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Wall time of one replicate of an experiment (default experiments/seed-original.yaml).")

    @Argument(help: "The experiment file.") var experiment = "experiments/seed-original.yaml"
    @Option(help: "The data set (--data of `autoparam run`).") var data: String?
    @Option(help: "Threads (0 = all cores).") var threads = 2
    @Option(help: "Tournaments (default: the file's).") var tournaments: Int?

    func run() throws {
        var sets = ["replicates=1", "threads=\(threads)", "output=\(NSTemporaryDirectory())autoparam-bench-replicate.h5"]
        if let tournaments { sets.append("ga.tournaments=\(tournaments)") }
        let e = try ExperimentLoader.load(path: experiment, overrides: sets, dataPath: data)
        let cpu0 = processCPUSeconds()
        let summary = try ExperimentRunner.run(e, options: RunOptions(force: true, quiet: false))
        let cpu = processCPUSeconds() - cpu0
        let evaluations = e.ga.populationSize + (summary.replicates.first?.tournaments ?? 0)
        print(String(format: "%@: 1 replicate, %d evaluations, %d threads: %.1f s wall (%.1f min), %.1f s CPU, %.2f evaluations/s, best fitness %.1f",
                     e.name, evaluations, ExperimentRunner.threadCount(e), summary.wallSeconds, summary.wallSeconds / 60, cpu,
                     Double(evaluations) / summary.wallSeconds, summary.replicates.first?.bestFitness ?? .nan))
        try? FileManager.default.removeItem(atPath: e.output)
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


/// What Fletcher-32 checksums cost a run file: the time to append and commit evaluations with
/// spikes, the time to read every chunk back (`HDF5File.verify()`), and the bytes on disk, with
/// the production storage and with the same storage without checksums.
struct Checksums: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cost of Fletcher-32 checksums: write, commit and read-back time, file size.")

    @Option(help: "Evaluations to write.") var evaluations = 100
    @Option(help: "Spikes per population per evaluation (4 populations).") var spikes = 20_000
    @Option(help: "Repetitions of each variant (the fastest is reported).") var repeats = 3
    @Option(help: "Folder for the scratch files (removed afterwards).") var directory = "."

    func run() throws {
        let names = ["PN", "KC", "DN", "GGN"]
        let layout = RunLayout(replicateCount: 1, genes: [GeneDescription(name: "kc_count", prior: "constant")],
                               componentNames: ["a", "b"], populationNames: names, recordsWeights: false,
                               dtMilliseconds: 0.1, stepsPerEvaluation: 40_000)
        let provenance = RunProvenance(toolVersion: AutoparamVersion.current, createdISO8601: "", experimentName: "bench",
                                       masterSeed: 1, experimentText: "", host: "", threads: 1)
        let dataset = RunDatasetRecord(images: [UInt8](repeating: 0, count: 784 * 8), labels: [Int32](repeating: 0, count: 8),
                                       imageCount: 8, classNames: ["0"])
        // Spike trains like a real evaluation's: increasing steps, ids spread over the population.
        let trains = (0..<names.count).map { p in
            SpikeTrain(steps: (0..<spikes).map { UInt32($0 * 40_000 / spikes) }, ids: (0..<spikes).map { UInt32(($0 * 7 + p) % 784) })
        }
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        var results: [(String, Double, Double, Int)] = []
        for (label, storage) in [("checksums (production)", RunFileStorage.production),
                                 ("no checksums", RunFileStorage.production.withoutChecksums)] {
            var best = (write: Double.infinity, read: Double.infinity, bytes: 0)
            for repeatIndex in 0..<repeats {
                let path = "\(directory)/.autoparam-bench-checksums-\(getpid())-\(repeatIndex).h5"
                defer { unlink(path); unlink(path + ".partial") }
                var durability = RunFileDurability.production
                durability.storage = storage
                let start = clock.now
                let recorder = try RunRecorder.create(path: path, provenance: provenance, dataset: dataset, layout: layout,
                                                      replicateSeeds: [1], overwrite: true, durability: durability)
                for e in 0..<evaluations {
                    let record = EvaluationRecord(genotype: [800], fitness: Double(e), maxFitness: 241, components: [1, 2],
                                                  seed: UInt64(e), wallSeconds: 0, tournament: -1, slot: Int32(e),
                                                  populationSizes: [784, 784, 784, 784], spikes: trains)
                    _ = try recorder.appendEvaluation(replicate: 0, record)
                    try recorder.commit()
                }
                try recorder.finish()
                let written = seconds(clock.now - start)
                let readStart = clock.now
                let file = try HDF5File.open(path: path)
                let damage = try file.verify()
                try file.close()
                let read = seconds(clock.now - readStart)
                precondition(damage.isEmpty, "\(damage)")
                let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
                best = (min(best.write, written), min(best.read, read), bytes)
            }
            results.append((label, best.write, best.read, best.bytes))
        }
        let total = Double(evaluations * spikes * names.count)
        print(String(format: "%d evaluations × %d spikes × 4 populations (%.1f M spikes), commit after each, best of %d",
                     evaluations, spikes, total / 1e6, repeats))
        for (label, write, read, bytes) in results {
            print(String(format: "%-24@ write+commit %.3f s (%.2f ms per evaluation), read back (verify) %.3f s, file %.1f MiB",
                         label as NSString, write, write / Double(evaluations) * 1000, read, Double(bytes) / 1_048_576))
        }
        let (_, w1, r1, b1) = results[0], (_, w0, r0, b0) = results[1]
        print(String(format: "checksums cost: write %+.1f %%, read %+.1f %%, size %+.2f %%",
                     (w1 / w0 - 1) * 100, (r1 / r0 - 1) * 100, (Double(b1) / Double(b0) - 1) * 100))
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
