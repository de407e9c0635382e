import Randomness
import Spiking

/// What an evaluation does besides the genotype: the protocol variant, the rubric, and what
/// it records.
public struct EvaluationSettings: Sendable, Hashable {
    public var variant: ProtocolVariant
    public var rubric: Rubric
    /// Populations whose every spike is returned (a subset of ``MushroomBody/populationNames``).
    public var recordedPopulations: [String]
    /// Whether the final KC→DN weights are returned.
    public var recordFinalWeights: Bool
    /// Epochs, order, readout and resets (``ProtocolSettings``); default the seed's protocol.
    public var protocolSettings: ProtocolSettings

    public init(variant: ProtocolVariant = .corrected, rubric: Rubric = .seed242,
                recordedPopulations: [String] = [], recordFinalWeights: Bool = false,
                protocolSettings: ProtocolSettings = .seed) {
        self.variant = variant; self.rubric = rubric
        self.recordedPopulations = recordedPopulations; self.recordFinalWeights = recordFinalWeights
        self.protocolSettings = protocolSettings
    }
}

/// Builds the network for a genotype, runs the protocol, and scores it.
public enum Evaluator {
    /// Evaluate one parameter set.
    ///
    /// Protocol (docs/model.md): the training images are shown `epochs` times (in file order
    /// or shuffled, see ``PresentationSchedule``); for each the teacher is set for its label,
    /// the image is presented for `stimulus_ms` and the blank for `blank_ms` (250 + 250 steps
    /// by default); after every image but the last, the mean KC→DN weight and mean KC V are
    /// checked. If the rubric needs it, the test images follow with the teacher off and STDP
    /// frozen; the prediction is the settings' ``Readout`` (by default the first DN to spike
    /// in the stimulus window, ties to the lower index). With `reset_between_images` the
    /// network's state is reset before each image.
    ///
    /// Never traps on a degenerate genotype: values outside their domains give
    /// ``EvaluationStatus/invalidGenotype(_:)`` without simulating, and state that becomes
    /// non-finite gives ``EvaluationStatus/numericalFailure(_:)`` after the run.
    ///
    /// - Parameters:
    ///   - seed: the evaluation's seed; the wiring, initial weights and Poisson draws all
    ///     derive from it (see ``MushroomBody``), and a shuffled order from its stream "order".
    ///   - threads: threads that share each step of the simulation (``Network/threads``).
    ///     The result is bit-identical for any count; only `wallSeconds` changes.
    public static func evaluate(parameters: MushroomBodyParameters, training: PresentedImages,
                                test: PresentedImages? = nil, settings: EvaluationSettings,
                                seed: UInt64, threads: Int = 1) -> EvaluationResult {
        let clock = ContinuousClock()
        let start = clock.now
        let rubric = settings.rubric
        let testSet = rubric.needsTestPhase ? (test ?? PresentedImages(pixels: [], labels: [])) : PresentedImages(pixels: [], labels: [])
        let maxFitness = rubric.maximum(trainingCount: training.count * max(settings.protocolSettings.epochs, 1))
        let names = MushroomBody.populationNames
        let problems = parameters.problems()
        guard problems.isEmpty else {
            return EvaluationResult(fitness: 0, maxFitness: maxFitness, componentNames: rubric.componentNames,
                                    components: [Double](repeating: 0, count: rubric.componentNames.count),
                                    status: .invalidGenotype(problems), populationNames: names,
                                    populationSizes: [training.pixelsPerImage, 0, 4, 1], spikeCounts: [0, 0, 0, 0], steps: 0,
                                    wallSeconds: seconds(clock.now - start), spikes: [:], finalWeights: nil, trace: nil)
        }

        let tree = SeedTree(seed)
        let body = MushroomBody(parameters: parameters, pnCount: training.pixelsPerImage, dnCount: 4,
                                variant: settings.variant, seed: tree)
        let net = body.network
        net.threads = max(1, threads)
        for name in settings.recordedPopulations { net.population(named: name)?.isRecording = true }

        var trace = ProtocolTrace(initialMeanWeight: body.meanWeight, initialMeanKCVoltage: body.meanKCVoltage,
                                  training: [], completed: false)
        var orderStream = tree.child("order").generator()
        let schedule = PresentationSchedule(trainingCount: training.count, testCount: testSet.count,
                                            settings: settings.protocolSettings, using: &orderStream)
        let target = MushroomBodyPresenter(body: body, poisson: tree.child("poisson").generator(),
                                           scoreBlankSpikes: settings.variant == .corrected)
        (trace.training, trace.test) = schedule.run(on: target, training: training, test: testSet)
        trace.completed = true

        let (fitness, components) = rubric.score(trace, readout: settings.protocolSettings.readout)
        var spikes: [String: SpikeTrain] = [:]
        for name in settings.recordedPopulations {
            if let pop = net.population(named: name) { spikes[name] = SpikeTrain(steps: pop.recordedSteps, ids: pop.recordedIds) }
        }
        let status: EvaluationStatus = net.firstNumericalFailure.map { .numericalFailure($0) } ?? .ok
        return EvaluationResult(
            fitness: fitness, maxFitness: maxFitness, componentNames: rubric.componentNames, components: components,
            status: status, populationNames: names, populationSizes: net.populations.map(\.size),
            spikeCounts: net.populations.map(\.spikeCount), steps: net.stepIndex, wallSeconds: seconds(clock.now - start),
            spikes: spikes, finalWeights: settings.recordFinalWeights ? net.synapseGroups[body.kcToDN].individualWeights : nil,
            trace: trace)
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}

/// The seed's mushroom body as a ``PresentationTarget``: one image is `stimulus_ms` of the
/// image then `blank_ms` of blank, the Poisson input drawn from the evaluation's "poisson"
/// stream, the DN spikes of the rubric's window collected.
final class MushroomBodyPresenter: PresentationTarget {
    let body: MushroomBody
    var poisson: Xoshiro256StarStar
    let scoreBlankSpikes: Bool

    init(body: MushroomBody, poisson: Xoshiro256StarStar, scoreBlankSpikes: Bool) {
        self.body = body; self.poisson = poisson; self.scoreBlankSpikes = scoreBlankSpikes
    }

    func setTeacher(label: Int?) { body.setTeacher(label: label) }
    func setPlastic(_ on: Bool) { body.isPlastic = on }
    func resetState() { body.network.resetState() }

    func present(_ pixels: ArraySlice<UInt8>, label: Int) -> ProtocolTrace.ImagePresentation {
        let net = body.network
        let dn = net.populations[body.dn]
        var scored: [DNSpike] = []
        var first: DNSpike?
        body.present(pixels)
        for _ in 0..<body.parameters.stimulusSteps {
            net.step(using: &poisson)
            for j in dn.spikes {
                let s = DNSpike(step: net.stepIndex - 1, neuron: Int(j))
                scored.append(s)
                if first == nil { first = s }
            }
        }
        body.present(Optional<[UInt8]>.none)
        for _ in 0..<body.parameters.blankSteps {
            net.step(using: &poisson)
            if scoreBlankSpikes {
                for j in dn.spikes { scored.append(DNSpike(step: net.stepIndex - 1, neuron: Int(j))) }
            }
        }
        return .init(label: label, scoredSpikes: scored, firstStimulusSpike: first,
                     meanWeightAfter: body.meanWeight, meanKCVoltageAfter: body.meanKCVoltage)
    }
}
