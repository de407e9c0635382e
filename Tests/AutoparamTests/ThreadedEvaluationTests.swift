import MushroomBodyModel
import Datasets
import XCTest

/// One evaluation shared among threads gives, bit for bit, the evaluation one thread gives:
/// every spike of every population, the final weights, the trace and the score.
final class ThreadedEvaluationTests: XCTestCase {
    func testAnEvaluationIsIdenticalOnOneTwoAndThreeThreads() throws {
        let images = PresentedImages(EmbeddedDataset.generate(count: 8, seed: 7))
        let p = try MushroomBodyParameters().setting([("kc_count", 300), ("stdp_tau", 26), ("stdp_alpha", 0.00006),
                                                      ("w_max", 0.4), ("stdp_offset", 0.0044), ("teacher", 1.0)])
        let settings = EvaluationSettings(variant: .seed, rubric: .seed242, recordedPopulations: MushroomBody.populationNames,
                                          recordFinalWeights: true)
        let one = Evaluator.evaluate(parameters: p, training: images, settings: settings, seed: 4, threads: 1)
        XCTAssertGreaterThan(one.spikeCounts[1], 100, "the KCs must fire for the test to mean anything")
        for threads in [2, 3] {
            let many = Evaluator.evaluate(parameters: p, training: images, settings: settings, seed: 4, threads: threads)
            XCTAssertEqual(many.spikes, one.spikes, "\(threads) threads")
            XCTAssertEqual(many.spikeCounts, one.spikeCounts)
            XCTAssertEqual(many.finalWeights, one.finalWeights)
            XCTAssertEqual(many.trace, one.trace)
            XCTAssertEqual(many.components, one.components)
            XCTAssertEqual(many.fitness, one.fitness)
            XCTAssertEqual(many.status, one.status)
            XCTAssertEqual(many.steps, one.steps)
        }
    }
}
