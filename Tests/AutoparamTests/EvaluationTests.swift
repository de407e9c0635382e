import MushroomBodyModel
import Datasets
import XCTest

/// The scored evaluation of one genotype: protocol length, degenerate genotypes,
/// determinism and the seed variant's rubric window.
final class EvaluationTests: XCTestCase {
    static let images = PresentedImages(EmbeddedDataset.generate(count: 80, seed: 7))

    func parameters(_ pairs: [(String, Double)]) throws -> MushroomBodyParameters {
        try MushroomBodyParameters().setting(pairs)
    }

    func testEightyImagesTakeFortyThousandSteps() throws {
        let p = try parameters([("kc_count", 20)])
        let r = Evaluator.evaluate(parameters: p, training: Self.images, settings: .init(), seed: 1)
        XCTAssertEqual(r.steps, 40_000)
        XCTAssertEqual(r.maxFitness, 241)
        XCTAssertEqual(r.trace?.training.count, 80)
    }

    func testStimulusAndBlankDurationsSetTheStepCount() throws {
        let p = try parameters([("kc_count", 5), ("stimulus_ms", 10), ("blank_ms", 5)])
        let r = Evaluator.evaluate(parameters: p, training: Self.images.subset(0..<6), settings: .init(), seed: 1)
        XCTAssertEqual(r.steps, 6 * 150)
    }

    func testAnEmptyMushroomBodyIsSimulatedAndScored() throws {
        let p = try parameters([("kc_count", 0)])
        let r = Evaluator.evaluate(parameters: p, training: Self.images.subset(0..<8), settings: .init(), seed: 3)
        XCTAssertEqual(r.status, .ok)
        XCTAssertEqual(r.steps, 8 * 500)
        XCTAssertEqual(r.populationSizes, [784, 0, 4, 1])
        XCTAssertEqual(r.spikeCounts[1], 0)
        // No KCs and no KC→DN synapses: both means are NaN, so every check scores 0; the
        // teacher alone drives the DNs.
        let c = r.components
        XCTAssertEqual(c[0], 0); XCTAssertEqual(c[1], 0); XCTAssertEqual(c[4], 0); XCTAssertEqual(c[5], 0)
        XCTAssertEqual(c[6], 0.5)
        XCTAssertGreaterThan(r.spikeCounts[2], 0)
        XCTAssertEqual(r.fitness, c.reduce(0, +))
    }

    func testAnExplodingGenotypeReportsWhereStateBecameNonFinite() throws {
        let p = try parameters([("kc_count", 10), ("teacher", 1e6)])
        let r = Evaluator.evaluate(parameters: p, training: Self.images.subset(0..<4), settings: .init(variant: .corrected), seed: 1)
        guard case .numericalFailure(let failure) = r.status else { return XCTFail("expected a numerical failure, got \(r.status)") }
        XCTAssertEqual(failure.population, "DN")
        XCTAssertEqual(failure.step, 0)
        XCTAssertEqual(r.steps, 4 * 500, "the run carries on to the end, as GeNN does")
        XCTAssertTrue(r.fitness.isFinite)
        XCTAssertEqual(r.fitness, r.components.reduce(0, +))
    }

    func testInvalidGenotypesAreNotSimulated() throws {
        for pairs: [(String, Double)] in [[("kc_count", -5)], [("stdp_tau", .nan)], [("kc_count", 2.5)],
                                          [("w_max", -1)], [("pn_kc_probability", 1.5)], [("dt", 0)]] {
            let r = Evaluator.evaluate(parameters: try parameters(pairs), training: Self.images.subset(0..<2),
                                       settings: .init(), seed: 1)
            guard case .invalidGenotype(let reasons) = r.status else { return XCTFail("\(pairs): expected invalid, got \(r.status)") }
            XCTAssertTrue(reasons[0].hasPrefix(pairs[0].0 + ":"), reasons[0])
            XCTAssertEqual(r.fitness, 0)
            XCTAssertEqual(r.steps, 0)
        }
    }

    func testUnknownParameterSuggestsTheClosestName() {
        XCTAssertThrowsError(try MushroomBodyParameters().setting("stdp_ta", to: 1)) { error in
            XCTAssertEqual("\(error)", "unknown parameter \"stdp_ta\" (did you mean \"stdp_tau\"?)")
        }
    }

    func testSameSeedGivesIdenticalResultsAndAnotherSeedDifferentSpikes() throws {
        let p = try parameters([("kc_count", 60)])
        let images = Self.images.subset(0..<4)
        let settings = EvaluationSettings(recordedPopulations: MushroomBody.populationNames, recordFinalWeights: true)
        let a = Evaluator.evaluate(parameters: p, training: images, settings: settings, seed: 11)
        let b = Evaluator.evaluate(parameters: p, training: images, settings: settings, seed: 11)
        let c = Evaluator.evaluate(parameters: p, training: images, settings: settings, seed: 12)
        XCTAssertEqual(a.spikeCounts, b.spikeCounts)
        XCTAssertEqual(a.fitness, b.fitness)
        XCTAssertEqual(a.spikes, b.spikes)
        XCTAssertEqual(a.finalWeights, b.finalWeights)
        XCTAssertNotEqual(a.spikes["PN"], c.spikes["PN"])
        XCTAssertNotEqual(a.spikes["KC"], c.spikes["KC"])
    }

    func testSeedVariantScoresOnlyStimulusSpikesAndCorrectedAlsoTheBlank() throws {
        let p = try parameters([("kc_count", 30), ("teacher", 1.5)])
        let images = Self.images.subset(0..<8)
        for variant in ProtocolVariant.allCases {
            let r = Evaluator.evaluate(parameters: p, training: images, settings: .init(variant: variant), seed: 5)
            let offsets = r.trace!.training.enumerated().flatMap { i, image in image.scoredSpikes.map { $0.step - 500 * i } }
            XCTAssertTrue(offsets.allSatisfy { $0 >= 0 && $0 < 500 })
            if variant == .seed {
                XCTAssertTrue(offsets.allSatisfy { $0 < 250 }, "seed variant scores the stimulus window only")
            } else {
                XCTAssertTrue(offsets.contains { $0 >= 250 }, "corrected variant scores the blank too")
            }
        }
    }

    func testTheTeacherDrivesTheLabelledDN() throws {
        // With the teacher on, the labelled DN fires and the others are held down: nearly
        // every image's first scored spike is the label's.
        let p = try parameters([("kc_count", 0), ("teacher", 1)])
        let r = Evaluator.evaluate(parameters: p, training: Self.images.subset(0..<16), settings: .init(variant: .seed), seed: 2)
        XCTAssertEqual(r.components[3], 16, "the second spike is always the labelled DN's")
    }

    func testAccuracyRubricTestsWithTheTeacherOffAndPlasticityFrozen() throws {
        let p = try parameters([("kc_count", 40)])
        let (train, test) = Self.images.subset(0..<16).split(testCount: 8)
        let r = Evaluator.evaluate(parameters: p, training: train, test: test,
                                   settings: .init(rubric: .accuracy, recordFinalWeights: true), seed: 4)
        XCTAssertEqual(r.steps, 16 * 500)
        XCTAssertEqual(r.trace?.test.count, 8)
        XCTAssertEqual(r.maxFitness, 1)
        let predicted = r.trace!.test.compactMap(\.firstStimulusSpike).count
        XCTAssertEqual(r.components[2], Double(8 - predicted) / 8)
        XCTAssertEqual(r.fitness, r.components[0])
    }
}
