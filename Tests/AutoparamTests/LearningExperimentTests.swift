import Datasets
import Evolution
import ExperimentFiles
import MushroomBodyModel
import XCTest

/// The settings of learning experiments: protocol, classes and split, K networks, the random
/// variant; each parsed, resolved and round-tripped, each bad value reported with its line.
final class LearningExperimentTests: XCTestCase {
    func parse(_ text: String, overrides: [String] = []) throws -> Experiment {
        try ExperimentLoader.parse(text: text, fileName: "learn.yaml", overrides: overrides)
    }

    func report(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(text)
            XCTFail("expected problems", file: file, line: line)
            return ""
        } catch { return "\(error)" }
    }

    func roundTrip(_ e: Experiment, file: StaticString = #filePath, line: UInt = #line) throws {
        var again = try ExperimentLoader.parse(text: e.resolvedYAML(), fileName: "resolved.yaml", checkFiles: false)
        again.sourceText = e.sourceText
        again.overrides = e.overrides
        XCTAssertEqual(again, e, e.resolvedYAML(), file: file, line: line)
    }

    func testDefaultsAreTheSeedsProtocolOneNetworkAndTheGA() throws {
        let e = try parse("")
        XCTAssertEqual(e.protocolSettings, .seed)
        XCTAssertEqual(e.seedSettings, SeedSettings(seeds: 1, aggregate: .mean))
        XCTAssertNil(e.classes)
        XCTAssertEqual(e.split, .last)
        XCTAssertEqual(e.search, .microbial)
        let yaml = e.resolvedYAML()
        for line in ["  classes: all", "  split: last", "  epochs: 1", "  order: file", "  readout: first_spike",
                     "  reset_between_images: false", "evaluation:", "  seeds: 1", "  aggregate: mean"] {
            XCTAssertTrue(yaml.split(separator: "\n").contains(Substring(line)), "missing \(line)")
        }
    }

    func testEveryNewSettingParsesResolvesAndRoundTrips() throws {
        let e = try parse("""
            dataset: {source: embedded, count: 40, classes: [3, 0], split: stratified, test_count: 4}
            protocol: {epochs: 3, order: shuffled, readout: spike_count, reset_between_images: true}
            evaluation: {seeds: 4, aggregate: median}
            rubric: accuracy
            ga: {variant: random, population: 5, tournaments: 9}
            """)
        XCTAssertEqual(e.classes, [3, 0])
        XCTAssertEqual(e.split, .stratified)
        XCTAssertEqual(e.testCount, 4)
        XCTAssertEqual(e.protocolSettings, ProtocolSettings(epochs: 3, order: .shuffled, readout: .spikeCount, resetBetweenImages: true))
        XCTAssertEqual(e.seedSettings, SeedSettings(seeds: 4, aggregate: .median))
        XCTAssertEqual(e.search, .random)
        XCTAssertEqual(e.ga.populationSize, 5)
        XCTAssertEqual(e.ga.tournaments, 9)
        XCTAssertTrue(e.resolvedYAML().contains("ga:\n  variant: random\n  population: 5\n  tournaments: 9\n"))
        try roundTrip(e)
        for aggregate in ["mean", "median", "min"] {
            XCTAssertEqual(try parse("evaluation: {aggregate: \(aggregate)}").seedSettings.aggregate.rawValue, aggregate)
        }
    }

    func testClassesKeepTheirImagesRelabelledAndTheStratifiedSplitTakesEqualShares() throws {
        // The embedded rotation [0, 1, 3, 3, 0, 1, 2, 2]: 40 images have 10, 10, 10 and 10.
        let e = try parse("""
            dataset: {count: 40, classes: [3, 1], split: stratified, test_count: 6}
            rubric: accuracy
            """)
        let images = try e.loadImages()
        XCTAssertEqual(images.count, 20)
        XCTAssertEqual(images.classCounts, [10, 10])
        let all = EmbeddedDataset.generate(count: 40, seed: 1)
        // Kept in file order: image 1 (label 1 → 1), 2 (3 → 0), 3 (3 → 0), 5 (1 → 1), …
        XCTAssertEqual(Array(images.pixels.prefix(784 * 2)), all.subset([1, 2]).pixels)
        XCTAssertEqual(Array(images.labels.prefix(4)), [1, 0, 0, 1])
        let (training, test) = try e.splitImages(images)
        XCTAssertEqual(training.count, 14)
        XCTAssertEqual(test!.classCounts, [3, 3])
        // The last 3 of each class, in file order: images 27 (→ 0), 29 (→ 1), 33 (→ 1), 34, 35 (→ 0), 37 (→ 1).
        XCTAssertEqual(test!.labels, [0, 1, 1, 0, 0, 1])
        XCTAssertEqual(Array(test!.pixels.prefix(784)), all.subset([27]).pixels)
    }

    func testStratifiedDefaultTestCountIsAMultipleOfTheClasses() throws {
        let e = try parse("dataset: {count: 48, split: stratified}\nrubric: accuracy\n")
        XCTAssertEqual(e.testCount, 8)   // ⌊48/5⌋ = 9, down to a multiple of 4
    }

    // MARK: - Bad input

    func testEpochsAndSeedsMustBeAtLeastOne() {
        XCTAssertEqual(report("protocol:\n  epochs: 0\n"), "learn.yaml:2: protocol.epochs: expected at least 1 epoch, found 0")
        XCTAssertEqual(report("evaluation:\n  seeds: 0\n"),
                       "learn.yaml:2: evaluation.seeds: expected at least 1 network per genotype, found 0")
    }

    func testUnknownAggregateReadoutOrOrderListsTheChoices() {
        XCTAssertTrue(report("evaluation: {aggregate: average}\n").hasPrefix("learn.yaml:1: evaluation.aggregate: expected one of mean, median, min, found \"average\""))
        XCTAssertTrue(report("protocol: {readout: spikes}\n").hasPrefix("learn.yaml:1: protocol.readout: expected one of first_spike, spike_count, found \"spikes\""))
        XCTAssertTrue(report("protocol: {order: random}\n").hasPrefix("learn.yaml:1: protocol.order: expected one of file, shuffled, found \"random\""))
        XCTAssertTrue(report("dataset: {split: first}\n").hasPrefix("learn.yaml:1: dataset.split: expected one of last, stratified, found \"first\""))
    }

    func testClassesAbsentFromTheDataTooManyOrRepeatedAreErrors() {
        XCTAssertEqual(report("dataset:\n  classes: [0, 7]\n"),
                       "learn.yaml:2: dataset.classes: classes [0, 7]: class 7 has no images; the labels present are 0, 1, 2, 3")
        XCTAssertEqual(report("dataset:\n  classes: [0, 1, 2, 3, 4]\n"),
                       "learn.yaml:2: dataset.classes: the seed network has 4 output neurons (DNs), one per class, but 5 classes are listed")
        XCTAssertEqual(report("dataset:\n  classes: [1, 1]\n"), "learn.yaml:2: dataset.classes[1]: class 1 is listed twice")
    }

    func testAnImpossibleStratifiedSplitIsAnError() {
        XCTAssertEqual(report("dataset:\n  split: stratified\n  test_count: 6\nrubric: accuracy\n"),
                       "learn.yaml:2: dataset.split: stratified split: expected a test count that is a multiple of the 4 classes, found 6")
    }

    func testGAOnlyKeysAreErrorsForTheRandomVariant() {
        let text = report("ga:\n  variant: random\n  deme_size: 2\n  mutation_probability: 0.1\n")
        XCTAssertTrue(text.contains("learn.yaml:3: ga.deme_size: applies only to the microbial GA (variants seed and harvey)"), text)
        XCTAssertTrue(text.contains("learn.yaml:4: ga.mutation_probability: applies only to the microbial GA"), text)
    }

    // MARK: - Real digits

    func testMNISTDigitsZeroToThreeFromGzipIDX() throws {
        let (images, labels) = try LearningSupport.mnist()
        let e = try parse("""
            dataset: {source: idx, images: \(images), labels: \(labels), classes: [0, 1, 2, 3], split: stratified, test_count: 40}
            protocol: {images: 120}
            rubric: accuracy
            """)
        let all = try e.dataset.load(keepingClasses: [0, 1, 2, 3])
        XCTAssertEqual(all.count, 1600)
        XCTAssertEqual(all.classCounts, [400, 400, 400, 400])
        let used = try e.loadImages()
        XCTAssertEqual(used.count, 120)
        let (training, test) = try e.splitImages(used)
        XCTAssertEqual(training.count, 80)
        XCTAssertEqual(test!.classCounts, [10, 10, 10, 10])
        // MNIST's labels 0…9 need classes: without them the loader stops at the first label above 3.
        XCTAssertThrowsError(try DatasetSource.idx(imagesPath: images, labelsPath: labels).load())
    }
}
