import ArgumentParser
import MushroomBodyModel
import Foundation

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

    @Option(help: "The evaluation's seed (wiring, initial weights, Poisson input).")
    var seed: UInt64 = 1

    @Option(help: "Network: seed (the seed's mushroom body) or genn-mnist (GeNN 5's MNIST classifier; parameters: autoparam parameters --network genn-mnist).")
    var network: NetworkKind = .seed

    @Option(help: "genn-mnist: classes, one MBON each; the images whose label is below it are used. Default: 10.")
    var classes: Int?

    @Option(help: "genn-mnist: passes over the training images. Default: 1.")
    var epochs: Int?

    @Option(help: "Threads that share the simulation's steps (default: all cores). The output, wall time aside, is the same for any count.")
    var threads: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .customLong("allow-large"), help: "Accept a job beyond the size limits (docs/limits.md): images, KCs, steps, memory.")
    var allowLarge = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, found \(threads)") }
        if network == .seed, classes != nil || epochs != nil {
            throw ValidationError("--classes and --epochs apply to --network genn-mnist; the seed network has 4 DNs and one pass")
        }
        if let classes, classes < 1 { throw ValidationError("--classes must be at least 1, found \(classes)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, found \(epochs)") }
    }

    func run() throws {
        let parameters = try Self.parameters(genotype, network: network)
        // Limits before anything is allocated: --count 100000000 used to abort allocating 78 GB.
        if case .seed(let p) = parameters, data.data == nil {
            try Self.checkLimits(EvaluationLimits.Job(images: data.count, parameters: p), allowLarge: allowLarge)
        }
        let images = try data.load(classCount: network == .seed ? 4 : max(classes ?? 10, 10))
        if case .seed(let p) = parameters {
            try Self.checkLimits(EvaluationLimits.Job(images: images.count, parameters: p), allowLarge: allowLarge)
        }
        var all = PresentedImages(images)
        let proto = GeNNMNISTProtocol(classCount: classes ?? 10, epochs: epochs ?? 1)
        if network == .gennMNIST {
            let keep = all.labels.indices.filter { all.labels[$0] >= 0 && all.labels[$0] < proto.classCount }
            guard keep.count >= 2 else {
                throw BadInput("--classes \(proto.classCount): only \(keep.count) of the \(all.count) images have a label below \(proto.classCount)")
            }
            if keep.count < all.count { all = all.subset(keep) }
        }
        var training = all, test: PresentedImages?
        if rubric == .accuracy {
            let k = testCount ?? max(1, all.count / 5)
            guard k >= 1, k < all.count else {
                throw BadInput("--test-count must be between 1 and \(all.count - 1) for \(all.count) images, found \(k)")
            }
            let parts = all.split(testCount: k)
            training = parts.training
            test = parts.test
        }
        let settings = EvaluationSettings(variant: variant, rubric: rubric.rubric)
        let result = NetworkEvaluator.evaluate(parameters: parameters, training: training, test: test, protocol: proto,
                                               settings: settings, seed: seed,
                                               threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
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

/// Rubric names accepted on the command line.
enum RubricName: String, ExpressibleByArgument, CaseIterable {
    case seed242 = "seed-242"
    case accuracy
    var rubric: Rubric { self == .seed242 ? .seed242 : .accuracy }
}

