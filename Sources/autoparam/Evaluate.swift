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
            """
    )

    @Option(help: ArgumentHelp("Comma-separated name=value pairs (default: the seed's values).", valueName: "name=value,..."))
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

    @Option(help: "Threads that share the simulation's steps (default: all cores). The output, wall time aside, is the same for any count.")
    var threads: Int?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .customLong("allow-large"), help: "Accept a job beyond the size limits (docs/limits.md): images, KCs, steps, memory.")
    var allowLarge = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, found \(threads)") }
    }

    func run() throws {
        let parameters = try Self.parameters(genotype)
        // Limits before anything is allocated: --count 100000000 used to abort allocating 78 GB.
        if data.data == nil {
            try Self.checkLimits(EvaluationLimits.Job(images: data.count, parameters: parameters), allowLarge: allowLarge)
        }
        let images = try data.load()
        try Self.checkLimits(EvaluationLimits.Job(images: images.count, parameters: parameters), allowLarge: allowLarge)
        let all = PresentedImages(images)
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
        let result = Evaluator.evaluate(parameters: parameters, training: training, test: test, settings: settings, seed: seed,
                                        threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        if json {
            print(try EvaluationReport.json(result))
        } else {
            print(EvaluationReport.text(result), terminator: "")
        }
    }

    /// The genotype's parameters, or bad input: not `name=value`, a name given twice, an empty
    /// item or an empty genotype, an unknown name, or a value outside its domain (the evaluator
    /// would only report those as an invalid_genotype status).
    static func parameters(_ text: String?) throws -> MushroomBodyParameters {
        guard let text else { return MushroomBodyParameters() }
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        if text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw BadInput("--genotype is empty: give name=value pairs such as kc_count=800,w_max=0.4, or leave --genotype out for the seed's values")
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
        let parameters: MushroomBodyParameters
        do { parameters = try MushroomBodyParameters().setting(pairs) } catch { throw BadInput("--genotype: \(error)") }
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

