import ArgumentParser
import Datasets
import Dispatch
import Foundation
import MushroomBodyModel
import Randomness

/// `autoparam evaluate`: build, simulate and score one genotype.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the network for one genotype, run the protocol and score it.",
        discussion: """
            The genotype sets any parameter of the network by name (see docs/parameters.md); \
            the others keep the seed's values. Example:
              autoparam evaluate --genotype kc_count=800,stdp_tau=26,stdp_alpha=0.00006,w_max=0.4,stdp_offset=0.0044,teacher=1.0
            GeNN's MNIST mushroom body (docs/model.md), trained on 3200 digits and tested on 800:
              autoparam evaluate --network genn-mnist --data mnist-4k-images-idx3-ubyte.gz \\
                --labels mnist-4k-labels-idx1-ubyte.gz --rubric accuracy --test-count 800 --genotype kc_count=2000
            """
    )

    @Option(help: ArgumentHelp("Comma-separated name=value pairs (default: the network's default values).", valueName: "name=value,..."))
    var genotype: String?

    @OptionGroup var data: DataOptions

    @Option(help: "Protocol variant: seed (reproduce the seed's quirks 1–3) or corrected.")
    var variant: ProtocolVariant = .corrected

    @Option(help: "Rubric: seed-242 or accuracy.")
    var rubric: RubricName = .seed242

    @Option(name: .customLong("test-count"), help: "Held-out test images for the accuracy rubric (the last ones). Default: a fifth of the images.")
    var testCount: Int?

    @Option(help: "How the test images are set aside: last (the last ones) or stratified (equal shares per class, the last of each).")
    var split: SplitRule = .last

    @Option(help: "Times the training images are shown before the test images.")
    var epochs: Int = 1

    @Option(help: "Training order in each epoch: file, or shuffled (a new order each epoch, from the seed).")
    var order: ProtocolSettings.Order = .file

    @Option(help: "How a test image names a class: first_spike (the first DN to spike) or spike_count (the DN with the most spikes; a tie is no response).")
    var readout: Readout = .firstSpike

    @Flag(name: .customLong("reset-between-images"), help: "Return every state variable and synaptic input to its initial value before each image (weights kept).")
    var resetBetweenImages = false

    @Option(help: "The evaluation's seed (wiring, initial weights, Poisson input).")
    var seed: UInt64 = 1

    @Option(help: "Network: seed (the seed's mushroom body) or genn-mnist (GeNN 5's MNIST classifier; parameters: autoparam parameters --network genn-mnist).")
    var network: NetworkKind = .seed

    @Option(help: "Evaluate on K independently seeded networks (seed index 0 is --seed itself) and aggregate their fitness.")
    var seeds: Int = 1

    @Option(help: "How the K fitnesses are combined: mean, median or min.")
    var aggregate: SeedSettings.Aggregate = .mean

    @Option(help: "Threads that share the simulation's steps (default: all cores). The output, wall time aside, is the same for any count.")
    var threads: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .customLong("allow-large"), help: "Accept a job beyond the size limits (docs/limits.md): images, KCs, steps, memory.")
    var allowLarge = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, found \(threads)") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, found \(epochs)") }
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1 network, found \(seeds)") }
        if network == .gennMNIST {
            if order != .file { throw ValidationError("--order: the genn-mnist network shows the training images in file order") }
            if readout != .firstSpike { throw ValidationError("--readout: the genn-mnist network reads the first MBON spike") }
        }
    }

    func run() throws {
        let parameters = try Self.parameters(genotype, network: network)
        // Limits before anything is allocated: --count 100000000 used to abort allocating 78 GB.
        if case .seed(let p) = parameters, data.data == nil {
            try Self.checkLimits(EvaluationLimits.Job(images: data.count ?? 80, parameters: p), allowLarge: allowLarge)
        }
        let images = try data.load(classCount: network.maximumClasses ?? 256, maximumClasses: network.maximumClasses)
        if case .seed(let p) = parameters {
            try Self.checkLimits(EvaluationLimits.Job(images: images.count, parameters: p), allowLarge: allowLarge)
        }
        let all = PresentedImages(images)
        // GeNN's MNIST network: one MBON per class (--classes, else up to the highest label).
        let proto = GeNNMNISTProtocol(classCount: GeNNMNISTProtocol.classCount(listed: try data.classList(maximum: nil), labels: all.labels),
                                      epochs: epochs)
        var training = all, test: PresentedImages?
        if rubric == .accuracy {
            let k = testCount ?? max(1, all.count / 5)
            guard k >= 1, k < all.count else {
                throw BadInput("--test-count must be between 1 and \(all.count - 1) for \(all.count) images, found \(k)")
            }
            let parts: (train: [Int], test: [Int])
            do { parts = try images.splitIndices(testCount: k, rule: split) } catch { throw BadInput("--split \(split.rawValue): \(error)") }
            training = all.subset(parts.train)
            test = all.subset(parts.test)
        }
        let protocolSettings = ProtocolSettings(epochs: epochs, order: order, readout: readout, resetBetweenImages: resetBetweenImages)
        let settings = EvaluationSettings(variant: variant, rubric: rubric.rubric, protocolSettings: protocolSettings)
        let seedSettings = SeedSettings(seeds: seeds, aggregate: aggregate)
        // Network k ≥ 1 takes its own stream of --seed (as a run's K networks do).
        let networkSeeds = (0..<seeds).map { k in k == 0 ? seed : SeedTree(seed).child("seeds").child(UInt64(k)).seed }
        let results = ResultSlots<EvaluationResult>(count: seeds)
        let (trainingImages, testImages) = (training, test)
        // The K networks run at once, sharing the threads (the result does not depend on them).
        let perNetwork = max(1, (threads ?? ProcessInfo.processInfo.activeProcessorCount) / seeds)
        DispatchQueue.concurrentPerform(iterations: seeds) { k in
            results.set(k, NetworkEvaluator.evaluate(parameters: parameters, training: trainingImages, test: testImages,
                                                     protocol: proto, settings: settings, seed: networkSeeds[k],
                                                     threads: perNetwork))
        }
        let each = results.values()
        let result = seedSettings.combine(each)
        if seeds > 1 && !json {
            let list = each.map { EvaluationReport.number($0.fitness) }.joined(separator: ", ")
            print("networks     \(seeds) (fitness \(list); \(aggregate.rawValue) below)")
        }
        if json {
            print(try EvaluationReport.json(result))
        } else {
            print(EvaluationReport.text(result), terminator: "")
        }
    }

    /// The genotype's parameters for `network`, or bad input: not `name=value`, a name given
    /// twice, an empty item or an empty genotype, an unknown name, or a value outside its domain
    /// (the evaluator would only report those as an invalid_genotype status).
    static func parameters(_ text: String?, network: NetworkKind = .seed) throws -> NetworkParameters {
        guard let text else { return NetworkParameters(defaultsFor: network) }
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw BadInput("--genotype is empty: give name=value pairs such as kc_count=800,w_max=0.4, or leave --genotype out for the default values")
        }
        if let empty = items.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw BadInput("--genotype: item \(empty + 1) of \(items.count) is empty: remove the extra comma")
        }
        let pairs: [(String, Double)]
        do { pairs = try GenotypeText.parse(text) } catch { throw BadInput("--genotype: \(error)") }
        var seen = Set<String>()
        for (name, _) in pairs where !seen.insert(name).inserted {
            throw BadInput("--genotype: \(name) is given more than once: give each parameter once")
        }
        let parameters: NetworkParameters
        do { parameters = try NetworkParameters(defaultsFor: network).setting(pairs) } catch { throw BadInput("--genotype: \(error)") }
        let problems = parameters.problems()
        guard problems.isEmpty else {
            throw BadInput("--genotype: " + problems.joined(separator: "; "))
        }
        return parameters
    }

    static func checkLimits(_ job: EvaluationLimits.Job, allowLarge: Bool) throws {
        let problems = EvaluationLimits.problems(job, allowLarge: allowLarge)
        guard problems.isEmpty else { throw BadInput(problems.joined(separator: "\n")) }
    }
}

extension ProtocolVariant: ExpressibleByArgument {}
extension SplitRule: ExpressibleByArgument {}
extension ProtocolSettings.Order: ExpressibleByArgument {}
extension Readout: ExpressibleByArgument {}
extension SeedSettings.Aggregate: ExpressibleByArgument {}

/// Write-once result slots filled from concurrent work.
final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); storage[i] = value; lock.unlock() }
    func values() -> [T] { lock.lock(); defer { lock.unlock() }; return storage.map { $0! } }
}

/// Rubric names accepted on the command line.
enum RubricName: String, ExpressibleByArgument, CaseIterable {
    case seed242 = "seed-242"
    case accuracy
    var rubric: Rubric { self == .seed242 ? .seed242 : .accuracy }
}

