import MushroomBodyModel
import Randomness
import Spiking
import XCTest

/// The training protocol against hand-checked small cases: which image when, teacher and
/// plasticity, resets, epochs and shuffles, and the two readouts.
final class PresentationScheduleTests: XCTestCase {
    /// A network stand-in that logs what the schedule does to it.
    final class Recorder: PresentationTarget {
        var log: [String] = []
        func setTeacher(label: Int?) { log.append("teacher \(label.map(String.init) ?? "off")") }
        func setPlastic(_ on: Bool) { log.append(on ? "plastic" : "frozen") }
        func resetState() { log.append("reset") }
        func present(_ pixels: ArraySlice<UInt8>, label: Int) -> ProtocolTrace.ImagePresentation {
            log.append("show \(pixels.first!)")
            return .init(label: label, scoredSpikes: [])
        }
    }

    /// Images whose first pixel is their number (1…n), labels `labels`.
    func images(_ labels: [Int], firstPixel: Int = 1) -> PresentedImages {
        var pixels: [UInt8] = []
        for i in labels.indices { pixels += [UInt8(firstPixel + i)] + [UInt8](repeating: 0, count: 783) }
        return PresentedImages(pixels: pixels, labels: labels)
    }

    func testSeedProtocolShowsEachTrainingImageOnceTeacherOnThenTestFrozenTeacherOff() {
        var rng = Xoshiro256StarStar(seed: 1)
        let schedule = PresentationSchedule(trainingCount: 2, testCount: 1, settings: .seed, using: &rng)
        let target = Recorder()
        let (training, test) = schedule.run(on: target, training: images([3, 1]), test: images([2], firstPixel: 9))
        XCTAssertEqual(target.log, ["plastic", "teacher 3", "show 1", "teacher 1", "show 2", "teacher off", "frozen", "show 9"])
        XCTAssertEqual(training.map(\.label), [3, 1])
        XCTAssertEqual(test.map(\.label), [2])
    }

    func testEpochsRepeatTheTrainingImagesInFileOrderAndDrawNothing() {
        var rng = Xoshiro256StarStar(seed: 1)
        let before = rng
        let schedule = PresentationSchedule(trainingCount: 3, testCount: 2, settings: ProtocolSettings(epochs: 2), using: &rng)
        XCTAssertEqual(rng, before)
        XCTAssertEqual(schedule.training.map(\.index), [0, 1, 2, 0, 1, 2])
        XCTAssertEqual(schedule.training.map(\.epoch), [0, 0, 0, 1, 1, 1])
        XCTAssertEqual(schedule.test.map(\.index), [0, 1])
    }

    func testShuffledOrderIsAFreshPermutationEachEpochFromTheGenerator() {
        var rng = Xoshiro256StarStar(seed: 7)
        let settings = ProtocolSettings(epochs: 3, order: .shuffled)
        let schedule = PresentationSchedule(trainingCount: 10, testCount: 4, settings: settings, using: &rng)
        let epochs = (0..<3).map { e in schedule.training.filter { $0.epoch == e }.map(\.index) }
        for order in epochs { XCTAssertEqual(order.sorted(), Array(0..<10)) }
        XCTAssertNotEqual(epochs[0], epochs[1])
        XCTAssertNotEqual(epochs[1], epochs[2])
        XCTAssertEqual(schedule.test.map(\.index), [0, 1, 2, 3], "test images stay in file order")
        // Hand-checked Fisher–Yates for one epoch of 3: i = 2, j = next % 3; i = 1, j = next % 2.
        var a = Xoshiro256StarStar(seed: 99), b = a
        let one = PresentationSchedule(trainingCount: 3, testCount: 0, settings: ProtocolSettings(order: .shuffled), using: &a)
        var expected = [0, 1, 2]
        expected.swapAt(2, Int(b.next() % 3))
        expected.swapAt(1, Int(b.next() % 2))
        XCTAssertEqual(one.training.map(\.index), expected)
        // Same generator, same schedule.
        var c = Xoshiro256StarStar(seed: 7)
        XCTAssertEqual(PresentationSchedule(trainingCount: 10, testCount: 4, settings: settings, using: &c), schedule)
    }

    func testResetComesBeforeEveryImageOnlyWhenAsked() {
        var rng = Xoshiro256StarStar(seed: 1)
        let settings = ProtocolSettings(resetBetweenImages: true)
        let target = Recorder()
        _ = PresentationSchedule(trainingCount: 2, testCount: 1, settings: settings, using: &rng)
            .run(on: target, training: images([0, 1]), test: images([2], firstPixel: 9))
        XCTAssertEqual(target.log, ["plastic", "reset", "teacher 0", "show 1", "reset", "teacher 1", "show 2",
                                    "teacher off", "frozen", "reset", "show 9"])
    }

    // MARK: - Readout

    func spikes(_ neurons: [Int]) -> [DNSpike] { neurons.enumerated().map { DNSpike(step: $0.offset, neuron: $0.element) } }

    func testSpikeCountNamesTheDNWithMostSpikesATieOrSilenceIsNoResponse() {
        func image(_ neurons: [Int], first: Int? = nil) -> ProtocolTrace.ImagePresentation {
            .init(label: 0, scoredSpikes: spikes(neurons), firstStimulusSpike: first.map { DNSpike(step: 0, neuron: $0) })
        }
        XCTAssertEqual(Readout.spikeCount.prediction(image([1, 2, 2, 3, 2, 1])), 2)
        XCTAssertNil(Readout.spikeCount.prediction(image([1, 2, 2, 1])))
        XCTAssertNil(Readout.spikeCount.prediction(image([])))
        XCTAssertEqual(Readout.firstSpike.prediction(image([1, 2, 2], first: 1)), 1)
        XCTAssertNil(Readout.firstSpike.prediction(image([1, 2, 2], first: nil)))
    }

    func testAccuracyUnderEachReadoutOnACraftedTrace() {
        // Three test images of labels 0, 1, 2. First spikes: 0, 3, none. Counts: image 0 has
        // DN 1 most, image 1 DN 1 most, image 2 DN 2 most.
        let test: [ProtocolTrace.ImagePresentation] = [
            .init(label: 0, scoredSpikes: spikes([0, 1, 1]), firstStimulusSpike: DNSpike(step: 0, neuron: 0)),
            .init(label: 1, scoredSpikes: spikes([3, 1, 1]), firstStimulusSpike: DNSpike(step: 0, neuron: 3)),
            .init(label: 2, scoredSpikes: spikes([2, 2]), firstStimulusSpike: nil),
        ]
        let trace = ProtocolTrace(initialMeanWeight: 1, initialMeanKCVoltage: -60, training: [], test: test, completed: true)
        let first = Rubric.accuracy.score(trace, readout: .firstSpike)
        XCTAssertEqual(first.fitness, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(first.components[2], 1.0 / 3.0, accuracy: 1e-12)   // no response: image 2
        let count = Rubric.accuracy.score(trace, readout: .spikeCount)
        XCTAssertEqual(count.fitness, 2.0 / 3.0, accuracy: 1e-12)          // images 1 and 2
        XCTAssertEqual(count.components[2], 0)
        XCTAssertEqual(count.components[3 + 0 * 4 + 1], 1)                 // confusion: true 0 predicted 1
    }

    // MARK: - The network's reset and the evaluator

    func testNetworkResetReturnsStateToItsInitialValuesAndKeepsWeights() {
        func build() -> MushroomBody {
            var p = MushroomBodyParameters()
            p = try! p.setting("kc_count", to: 40)
            return MushroomBody(parameters: p, pnCount: 784, dnCount: 4, variant: .corrected, seed: SeedTree(5))
        }
        let body = build(), fresh = build()
        var rng = Xoshiro256StarStar(seed: 3)
        body.present([UInt8](repeating: 200, count: 784))
        body.setTeacher(label: 2)
        body.network.run(steps: 400, using: &rng)
        XCTAssertNotEqual(body.network.populations[body.kc].membranePotential, fresh.network.populations[fresh.kc].membranePotential)
        let weights = body.network.synapseGroups[body.kcToDN].individualWeights
        body.network.resetState()
        for p in body.network.populations.indices {
            XCTAssertEqual(body.network.populations[p].membranePotential, fresh.network.populations[p].membranePotential)
            XCTAssertEqual(body.network.populations[p].lastSpikeTimeMs, fresh.network.populations[p].lastSpikeTimeMs)
            XCTAssertTrue(body.network.populations[p].spikes.isEmpty)
        }
        for g in body.network.synapseGroups { XCTAssertTrue(g.inSyn.allSatisfy { $0 == 0 }) }
        XCTAssertEqual(body.network.synapseGroups[body.kcToDN].individualWeights, weights)
        XCTAssertEqual(body.network.stepIndex, 400)
    }

    func small() -> (PresentedImages, PresentedImages, MushroomBodyParameters) {
        var pixels: [UInt8] = []
        for i in 0..<(6 * 784) {
            let value: Int = (i * 37 + (i / 784) * 11) % 256
            pixels.append(UInt8(value))
        }
        let all = PresentedImages(pixels: pixels, labels: [0, 1, 2, 3, 0, 1])
        let p = try! MushroomBodyParameters().setting([("kc_count", 30), ("stimulus_ms", 5), ("blank_ms", 3)])
        return (all.subset(0..<4), all.subset(4..<6), p)
    }

    func testEpochsMultiplyTheTrainingPresentationsAndTheSeedRubricsMaximum() {
        let (training, test, p) = small()
        let one = Evaluator.evaluate(parameters: p, training: training, test: test, settings: EvaluationSettings(), seed: 2)
        let three = Evaluator.evaluate(parameters: p, training: training, test: test,
                                       settings: EvaluationSettings(protocolSettings: ProtocolSettings(epochs: 3)), seed: 2)
        XCTAssertEqual(one.trace?.training.count, 4)
        XCTAssertEqual(three.trace?.training.count, 12)
        XCTAssertEqual(three.trace?.training.map(\.label), [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        // 1.5 + 2N + (N − 1)·(0.5 + 0.5)... as docs/model.md: 1.5 + 2N + (N − 1) + 0.5 with N = 12.
        XCTAssertEqual(three.maxFitness, 1.5 + 24 + 11 + 0.5)
        XCTAssertEqual(three.steps, 12 * (50 + 30))
        // The first epoch of three is the one-epoch run: file order draws nothing.
        XCTAssertEqual(Array(three.trace!.training.prefix(4)), one.trace!.training)
    }

    func testDefaultProtocolSettingsAreTheSeedsBehaviour() {
        let (training, test, p) = small()
        let settings = EvaluationSettings(rubric: .accuracy)
        var explicit = settings
        explicit.protocolSettings = ProtocolSettings(epochs: 1, order: .file, readout: .firstSpike, resetBetweenImages: false)
        let a = Evaluator.evaluate(parameters: p, training: training, test: test, settings: settings, seed: 4)
        let b = Evaluator.evaluate(parameters: p, training: training, test: test, settings: explicit, seed: 4)
        XCTAssertEqual(a.trace, b.trace)
        XCTAssertEqual(a.spikeCounts, b.spikeCounts)
    }

    func testResetBetweenImagesMakesEachImageStartFromRest() {
        let (training, test, p) = small()
        let settings = EvaluationSettings(rubric: .accuracy, protocolSettings: ProtocolSettings(resetBetweenImages: true))
        let reset = Evaluator.evaluate(parameters: p, training: training, test: test, settings: settings, seed: 4)
        let plain = Evaluator.evaluate(parameters: p, training: training, test: test, settings: EvaluationSettings(rubric: .accuracy), seed: 4)
        XCTAssertEqual(reset.status, .ok)
        // The first image sees a fresh network either way; later ones differ.
        XCTAssertEqual(reset.trace!.training[0], plain.trace!.training[0])
        XCTAssertNotEqual(reset.trace!.training.map(\.meanKCVoltageAfter), plain.trace!.training.map(\.meanKCVoltageAfter))
    }
}
