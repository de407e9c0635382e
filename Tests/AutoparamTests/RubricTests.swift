import MushroomBodyModel
import XCTest

/// The seed's rubric and the accuracy rubric on crafted traces, against totals computed by
/// hand from docs/model.md.
final class RubricTests: XCTestCase {
    /// A trace of `n` images where every image's scored spikes are `spikes(i, label)`.
    func trace(_ n: Int, weight: Double = 1e-5, voltage: Double = -60, completed: Bool = true,
               spikes: (Int, Int) -> [DNSpike]) -> ProtocolTrace {
        let rotation = [0, 1, 3, 3, 0, 1, 2, 2]
        let images = (0..<n).map { i -> ProtocolTrace.ImagePresentation in
            let label = rotation[i % 8]
            return .init(label: label, scoredSpikes: spikes(i, label), meanWeightAfter: weight, meanKCVoltageAfter: voltage)
        }
        return ProtocolTrace(initialMeanWeight: weight, initialMeanKCVoltage: voltage, training: images, completed: completed)
    }

    func testPerfectResponseScores241() {
        let t = trace(80) { i, label in [DNSpike(step: 500 * i + 3, neuron: label), DNSpike(step: 500 * i + 9, neuron: label)] }
        let (fitness, components) = Rubric.seed242.score(t)
        XCTAssertEqual(fitness, 241)
        XCTAssertEqual(Rubric.seed242.maximum(trainingCount: 80), 241)
        XCTAssertEqual(components, [1, 0.5, 80, 80, 39.5, 39.5, 0.5])
    }

    func testComponentsAddUpToTheTotal() {
        let t = trace(24, weight: .nan) { i, label in
            i % 3 == 0 ? [DNSpike(step: 1, neuron: (label + 1) % 4), DNSpike(step: 2, neuron: label)] : []
        }
        let (fitness, components) = Rubric.seed242.score(t)
        XCTAssertEqual(components.reduce(0, +), fitness)
        // Hand count: 8 images (i % 3 == 0) have a wrong first spike and a right second one;
        // the weight checks all fail (NaN); 23 voltage checks pass.
        XCTAssertEqual(components, [0, 0.5, 0, 8, 0, 11.5, 0.5])
        XCTAssertEqual(fitness, 20.5)
    }

    func testOnlyTheFirstTwoSpikesCount() {
        let t = trace(8) { _, label in
            [DNSpike(step: 1, neuron: (label + 1) % 4), DNSpike(step: 1, neuron: (label + 2) % 4),
             DNSpike(step: 2, neuron: label), DNSpike(step: 3, neuron: label)]
        }
        let c = Rubric.seedComponents(t)
        XCTAssertEqual(c[2], 0)
        XCTAssertEqual(c[3], 0)
    }

    func testChecksSkipTheLastImageAndZeroMeansFail() {
        // Weight mean exactly 0 fails, voltage passes; 10 images give 9 checks each.
        let t = trace(10, weight: 0, voltage: -61) { _, _ in [] }
        XCTAssertEqual(Rubric.seedComponents(t), [0, 0.5, 0, 0, 0, 4.5, 0.5])
        XCTAssertEqual(Rubric.seed242.maximum(trainingCount: 10), 1.5 + 20 + 9 + 0.5)
    }

    func testAnIncompleteRunLosesTheCompletionHalfPoint() {
        let t = trace(2, completed: false) { _, _ in [] }
        XCTAssertEqual(Rubric.seedComponents(t).last, 0)
    }

    func testInfiniteMeanPassesTheSeedCheckButNaNDoesNot() {
        XCTAssertTrue(Rubric.passesCheck(.infinity))
        XCTAssertFalse(Rubric.passesCheck(.nan))
        XCTAssertFalse(Rubric.passesCheck(0))
        XCTAssertTrue(Rubric.passesCheck(-1e-30))
    }

    func testAccuracyCountsFirstStimulusSpikeAndSilenceAsWrong() {
        // Test labels 3, 3, 0, 2, 1; predictions 3, 0, 0, none, 3.
        let labels = [3, 3, 0, 2, 1]
        let predictions: [Int?] = [3, 0, 0, nil, 3]
        let test = zip(labels, predictions).map { label, p in
            ProtocolTrace.ImagePresentation(label: label, scoredSpikes: [], firstStimulusSpike: p.map { DNSpike(step: 0, neuron: $0) })
        }
        let t = ProtocolTrace(initialMeanWeight: 1, initialMeanKCVoltage: 1, training: [], test: test, completed: true)
        let (fitness, c) = Rubric.accuracy.score(t)
        XCTAssertEqual(fitness, 2.0 / 5.0)               // images 0 and 2
        XCTAssertEqual(c[0], 2.0 / 5.0)
        // food vs distraction: (3→3) right, (3→0) wrong, (0→0) right, (2→none) wrong, (1→3) wrong.
        XCTAssertEqual(c[1], 2.0 / 5.0)
        XCTAssertEqual(c[2], 1.0 / 5.0)                  // no response
        let confusion = Array(c[3...])
        XCTAssertEqual(confusion.reduce(0, +), 4)
        XCTAssertEqual(confusion[3 * 4 + 3], 1)
        XCTAssertEqual(confusion[3 * 4 + 0], 1)
        XCTAssertEqual(confusion[0 * 4 + 0], 1)
        XCTAssertEqual(confusion[1 * 4 + 3], 1)
        XCTAssertEqual(Rubric.accuracy.componentNames.count, c.count)
    }

    func testWeightedRubricSumsItsCriteria() {
        let t = trace(8) { _, label in [DNSpike(step: 0, neuron: label)] }
        let rubric = Rubric.weighted([.init("first_spike", 2), .init("completion", 10)])
        let (fitness, components) = rubric.score(t)
        XCTAssertEqual(fitness, 2 * 8 + 10 * 0.5)
        XCTAssertEqual(components.count, Rubric.seedCriteria.count)
        XCTAssertEqual(rubric.maximum(trainingCount: 8), 2 * 8 + 10 * 0.5)
        XCTAssertFalse(rubric.needsTestPhase)
        XCTAssertTrue(Rubric.weighted([.init("accuracy", 1)]).needsTestPhase)
    }
}

/// The seed's quirks 1 and 2 as docs/model.md states them.
final class QuirkTests: XCTestCase {
    func testSeedVariantTruncatesTheTeacherTowardZero() {
        XCTAssertEqual(ProtocolVariant.seed.teacherMagnitude(1.99), 1)
        XCTAssertEqual(ProtocolVariant.seed.teacherMagnitude(0.97), 0)
        XCTAssertEqual(ProtocolVariant.seed.teacherMagnitude(-1.5), -1)
        XCTAssertEqual(ProtocolVariant.corrected.teacherMagnitude(0.97), 0.97)
    }

    func testSeedVariantTruncatesTheMeanOfNonZeroPixels() {
        // Non-zero pixels 100 and 155: mean 127.5; the seed divides by 127.
        let pixels: [UInt8] = [0, 100, 155, 0]
        let seed = InputEncoding.firingProbabilities(pixels, divisor: 235, variant: .seed)
        let corrected = InputEncoding.firingProbabilities(pixels, divisor: 235, variant: .corrected)
        XCTAssertEqual(seed, [0, Float(100.0 / 127 / 235), Float(155.0 / 127 / 235), 0])
        XCTAssertEqual(corrected, [0, Float(100.0 / 127.5 / 235), Float(155.0 / 127.5 / 235), 0])
    }

    func testAPixelAtTheMeanFiresAtAbout42Point6Hertz() {
        let p = InputEncoding.firingProbabilities([0, 200, 200] as [UInt8], divisor: 235, variant: .corrected)
        XCTAssertEqual(Double(p[1]) / 0.1e-3, 42.55, accuracy: 0.01)   // per 0.1 ms step → Hz
    }

    func testAnAllZeroImageStaysZero() {
        XCTAssertEqual(InputEncoding.firingProbabilities([UInt8](repeating: 0, count: 5), divisor: 235, variant: .seed), [0, 0, 0, 0, 0])
    }
}
