import Randomness
import Spiking

/// The protocol settings the GeNN MNIST network's evaluation takes as plain inputs (the
/// experiment's `protocol:` and dataset settings fill them in).
public struct GeNNMNISTProtocol: Sendable, Hashable {
    /// Classes, one MBON each; labels must lie in `0..<classCount`. Default 10 (all digits).
    public var classCount: Int
    /// Passes over the training images, each in the order given. Default 1 (GeNN's example).
    public var epochs: Int

    public init(classCount: Int = 10, epochs: Int = 1) {
        self.classCount = classCount; self.epochs = epochs
    }

    /// The MBONs a data set needs: one per listed class (`dataset.classes`, `--classes`), else
    /// one per label up to the highest of `labels`.
    public static func classCount(listed: [Int]?, labels: [Int]) -> Int {
        listed?.count ?? ((labels.max() ?? 0) + 1)
    }
}

/// Trains and tests GeNN's MNIST mushroom body for one parameter set (docs/model.md).
public enum GeNNMNISTEvaluator {
    /// Evaluate one parameter set.
    ///
    /// Training (`epochs` passes, images in the given order): each image is presented for
    /// `present_ms` with `mbon_teacher` nA into the MBON of its label and KC→MBON plasticity
    /// on (the synapses learn and transmit nothing), then every state variable is reset.
    /// Testing: teacher off, plasticity frozen, the learned g transmitted; each test image is
    /// presented the same way and its class is the first MBON to spike (ties to the lower
    /// index; no spike: no response, counted wrong). The trace's training entries record the
    /// first MBON spike of each training image too (the teacher's MBON, unless another fires
    /// first), so the seed rubric's spike criteria are defined; its weight and voltage checks
    /// read the mean KC→MBON weight and the mean KC V before each reset.
    ///
    /// Never traps on a degenerate genotype: values outside their domains, or labels outside
    /// `0..<classCount`, give ``EvaluationStatus/invalidGenotype(_:)`` without simulating.
    ///
    /// - Parameters:
    ///   - seed: the evaluation's seed; the PN→KC wiring derives from it.
    ///   - threads: threads that share each step of the simulation (``Network/threads``); the
    ///     result is bit-identical for any count.
    public static func evaluate(parameters: GeNNMNISTParameters, training: PresentedImages, test: PresentedImages?,
                                protocol proto: GeNNMNISTProtocol = .init(), settings: EvaluationSettings,
                                seed: UInt64, threads: Int = 1) -> EvaluationResult {
        let clock = ContinuousClock()
        let start = clock.now
        let rubric = settings.rubric
        let testSet = rubric.needsTestPhase ? (test ?? PresentedImages(pixels: [], labels: [])) : PresentedImages(pixels: [], labels: [])
        let epochs = max(0, proto.epochs)
        let maxFitness = rubric.maximum(trainingCount: training.count * epochs)
        let names = GeNNMNISTNetwork.populationNames
        var problems = parameters.problems()
        if proto.classCount < 1 { problems.append("classes: expected at least 1 class, found \(proto.classCount)") }
        if let bad = (training.labels + testSet.labels).first(where: { !(0..<max(proto.classCount, 0)).contains($0) }) {
            problems.append("classes: label \(bad) is outside 0…\(proto.classCount - 1) (\(proto.classCount) MBONs)")
        }
        guard problems.isEmpty else {
            return EvaluationResult(fitness: 0, maxFitness: maxFitness, componentNames: rubric.componentNames,
                                    components: [Double](repeating: 0, count: rubric.componentNames.count),
                                    status: .invalidGenotype(problems), populationNames: names,
                                    populationSizes: [training.pixelsPerImage, 0, 1, max(proto.classCount, 0)],
                                    spikeCounts: [0, 0, 0, 0], steps: 0, wallSeconds: Evaluator.seconds(clock.now - start),
                                    spikes: [:], finalWeights: nil, trace: nil)
        }

        let tree = SeedTree(seed)
        let body = GeNNMNISTNetwork(parameters: parameters, pnCount: training.pixelsPerImage, classCount: proto.classCount,
                                    seed: tree)
        let net = body.network
        net.threads = max(1, threads)
        for name in settings.recordedPopulations { net.population(named: name)?.isRecording = true }
        // The dynamics draw no random numbers; the generator only satisfies `step(using:)`.
        var unused = tree.child("unused").generator()
        let checks = rubric != .accuracy
        let kcPop = net.populations[body.kc]

        func meanKCVoltage() -> Double {
            let v = kcPop.membranePotential
            guard !v.isEmpty else { return .nan }
            var s = 0.0
            for x in v { s += Double(x) }
            return s / Double(v.count)
        }

        var trace = ProtocolTrace(initialMeanWeight: body.meanWeight, initialMeanKCVoltage: meanKCVoltage(),
                                  training: [], completed: false)
        func run(_ images: PresentedImages, teacher: Bool) -> [ProtocolTrace.ImagePresentation] {
            var out: [ProtocolTrace.ImagePresentation] = []
            out.reserveCapacity(images.count)
            for i in 0..<images.count {
                let label = images.labels[i]
                var weight = Double.nan, volts = Double.nan
                let first = body.present(images.image(i), teacherFor: teacher ? label : nil, using: &unused,
                                         beforeReset: checks ? { weight = body.meanWeight; volts = meanKCVoltage() } : nil)
                out.append(.init(label: label, scoredSpikes: first.map { [$0] } ?? [], firstStimulusSpike: first,
                                 meanWeightAfter: weight, meanKCVoltageAfter: volts))
            }
            return out
        }

        body.isPlastic = true
        for _ in 0..<epochs { trace.training += run(training, teacher: true) }
        if rubric.needsTestPhase {
            body.isPlastic = false
            trace.test = run(testSet, teacher: false)
        }
        trace.completed = true

        let (fitness, components) = rubric.score(trace)
        var spikes: [String: SpikeTrain] = [:]
        for name in settings.recordedPopulations {
            if let pop = net.population(named: name) { spikes[name] = SpikeTrain(steps: pop.recordedSteps, ids: pop.recordedIds) }
        }
        let status: EvaluationStatus = net.firstNumericalFailure.map { .numericalFailure($0) } ?? .ok
        return EvaluationResult(
            fitness: fitness, maxFitness: maxFitness, componentNames: rubric.componentNames, components: components,
            status: status, populationNames: names, populationSizes: net.populations.map(\.size),
            spikeCounts: net.populations.map(\.spikeCount), steps: net.stepIndex,
            wallSeconds: Evaluator.seconds(clock.now - start), spikes: spikes,
            finalWeights: settings.recordFinalWeights ? net.synapseGroups[body.kcToMBON].individualWeights : nil,
            trace: trace)
    }
}

/// One evaluation path for both networks.
public enum NetworkEvaluator {
    /// Evaluate `parameters` on whichever network they belong to. `proto` applies to the GeNN
    /// MNIST network (the seed's network has its fixed 4 DNs and one pass).
    public static func evaluate(parameters: NetworkParameters, training: PresentedImages, test: PresentedImages?,
                                protocol proto: GeNNMNISTProtocol = .init(), settings: EvaluationSettings,
                                seed: UInt64, threads: Int = 1) -> EvaluationResult {
        switch parameters {
        case .seed(let p):
            return Evaluator.evaluate(parameters: p, training: training, test: test, settings: settings, seed: seed,
                                      threads: threads)
        case .gennMNIST(let p):
            return GeNNMNISTEvaluator.evaluate(parameters: p, training: training, test: test, protocol: proto,
                                               settings: settings, seed: seed, threads: threads)
        }
    }
}
