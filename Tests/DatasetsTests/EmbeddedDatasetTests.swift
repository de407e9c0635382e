import Datasets
import XCTest

final class EmbeddedDatasetTests: XCTestCase {
    /// Images of one class over several seeds and indices, for the shape checks.
    private func images(ofClass label: Int, perSeed: Int = 150) -> [(seed: UInt64, index: Int, metrics: ImageMetrics)] {
        [1, 2, 3, 0xDEAD_BEEF].flatMap { (seed: UInt64) in
            (0..<perSeed).map { index in
                (seed, index, ImageMetrics(EmbeddedDataset.image(ofClass: label, seed: seed, index: index)))
            }
        }
    }

    private func art(_ metrics: ImageMetrics) -> String { "\n" + LabelledImages.asciiArt(pixels: metrics.pixels) }

    // MARK: - Determinism

    func testSameSeedGivesIdenticalBytes() {
        let a = EmbeddedDataset.generate(count: 64, seed: 12345)
        let b = EmbeddedDataset.generate(count: 64, seed: 12345)
        XCTAssertEqual(a.pixels, b.pixels)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.count, 64)
        XCTAssertEqual(a.pixels.count, 64 * 784)
    }

    func testDifferentSeedsGiveDifferentImages() {
        let a = EmbeddedDataset.generate(count: 64, seed: 1)
        let b = EmbeddedDataset.generate(count: 64, seed: 2)
        XCTAssertEqual(a.labels, b.labels)
        for i in 0..<64 {
            XCTAssertNotEqual(a.image(i), b.image(i), "image \(i) (class \(a.labels[i])) is the same for seeds 1 and 2")
        }
    }

    func testImagesWithinOneSetDiffer() {
        let set = EmbeddedDataset.generate(count: 80, seed: 99)
        XCTAssertEqual(Set((0..<80).map { Array(set.image($0)) }).count, 80, "every image should be different")
    }

    func testEachImageDependsOnlyOnSeedIndexAndClass() {
        let long = EmbeddedDataset.generate(count: 40, seed: 7)
        let short = EmbeddedDataset.generate(count: 12, seed: 7)
        XCTAssertEqual(long.subset(0..<12), short)
        for i in [0, 5, 13, 39] {
            XCTAssertEqual(Array(long.image(i)), EmbeddedDataset.image(ofClass: long.labels[i], seed: 7, index: i))
        }
    }

    /// Pins a few bytes so that an accidental change to the drawing (or to the random streams
    /// it uses) shows up: stored data sets and runs depend on these images.
    func testGeneratedBytesArePinned() {
        let set = EmbeddedDataset.generate(count: 8, seed: 2024)
        let checksum = set.pixels.enumerated().reduce(UInt64(1469598103934665603)) { hash, item in
            (hash ^ UInt64(item.element) ^ UInt64(item.offset & 0xFF) << 8) &* 1099511628211
        }
        XCTAssertEqual(checksum, Self.pinnedChecksum, "the generator's output changed")
    }

    static let pinnedChecksum: UInt64 = 10_562_080_166_223_592_571

    // MARK: - Labels

    func testLabelsFollowTheSeedRotation() {
        let set = EmbeddedDataset.generate(count: 100, seed: 3)
        let rotation = [0, 1, 3, 3, 0, 1, 2, 2]
        XCTAssertEqual(LabelRule.seedRotationPattern, rotation)
        XCTAssertEqual(set.labels, (0..<100).map { rotation[$0 % 8] })
        XCTAssertEqual(set.classNames, ["dull", "unknown", "rubbish", "food"])
        XCTAssertEqual(EmbeddedDataset.generate(count: 80, seed: 3).classCounts, [20, 20, 20, 20])
        XCTAssertEqual(try EmbeddedDataset.generate(count: 100, seed: 3, labels: .seedRotation), set)
    }

    func testOtherRotationsAndLabelsFiles() throws {
        let set = try EmbeddedDataset.generate(count: 9, seed: 5, labels: .rotation([3, 2]))
        XCTAssertEqual(set.labels, [3, 2, 3, 2, 3, 2, 3, 2, 3])
        XCTAssertEqual(Array(set.image(4)), EmbeddedDataset.image(ofClass: 3, seed: 5, index: 4))

        let dir = try TemporaryDirectory()
        let labels = try dir.write("labels.txt", "1\n0\n2,3\n")
        XCTAssertEqual(try EmbeddedDataset.generate(count: 4, seed: 5, labels: .file(path: labels)).labels, [1, 0, 2, 3])
        XCTAssertThrowsError(try EmbeddedDataset.generate(count: 5, seed: 5, labels: .file(path: labels))) {
            XCTAssertEqual("\($0)", "\(labels): expected 5 labels (one per image of the generated set), found 4")
        }
    }

    func testBadLabelRulesAreErrors() {
        XCTAssertThrowsError(try EmbeddedDataset.generate(count: 4, seed: 1, labels: .column(index: 0))) {
            XCTAssertEqual("\($0)", "a label column applies only to CSV files; use .rotation or .file here")
        }
        XCTAssertThrowsError(try EmbeddedDataset.generate(count: 4, seed: 1, labels: .rotation([]))) {
            XCTAssertEqual($0 as? DatasetError, .invalid("the label rotation is empty"))
        }
        XCTAssertThrowsError(try EmbeddedDataset.generate(count: 4, seed: 1, labels: .rotation([0, 4]))) {
            XCTAssertEqual("\($0)", "the label rotation [0, 4] has label 4, outside 0…3")
        }
    }

    func testZeroImages() {
        let empty = EmbeddedDataset.generate(count: 0, seed: 1)
        XCTAssertEqual(empty.count, 0)
        XCTAssertEqual(empty.pixels, [])
    }

    // MARK: - What the classes look like

    /// Asserts `property` of every image of a class (over several seeds), reporting how many
    /// images fail and drawing the first of them.
    private func assertEvery(
        ofClass label: Int, _ claim: String, perSeed: Int = 150, line: UInt = #line,
        _ property: (ImageMetrics) -> Bool
    ) {
        let all = images(ofClass: label, perSeed: perSeed)
        let failing = all.filter { !property($0.metrics) }
        guard let first = failing.first else { return }
        XCTFail("\(failing.count) of \(all.count) images of class \(label) are not \(claim); the first, seed \(first.seed) "
                + "image \(first.index) (\(first.metrics.nonZeroCount) non-zero pixels, mean \(first.metrics.nonZeroMean)):"
                + art(first.metrics), line: line)
    }

    /// Grey levels and non-zero pixel counts comparable to the seed's (see the README): the
    /// simulator normalises by the mean of the non-zero pixels, so their number and shape
    /// matter most.
    func testGreyLevelsAndSizesAreComparableToTheSeed() {
        let expected: [(nonZero: ClosedRange<Int>, mean: ClosedRange<Double>)] = [
            (190...216, 80...140),   // dull: seed 203 pixels, mean 107
            (6...30, 35...160),      // unknown: seed 8…21, mean 50…131
            (40...300, 40...140),    // rubbish: seed 40…216, mean 29…122
            (35...420, 100...240),   // food: seed 44…394, mean 152…213
        ]
        for label in 0..<4 {
            assertEvery(ofClass: label, "of \(expected[label].nonZero) non-zero pixels", perSeed: 60) {
                expected[label].nonZero.contains($0.nonZeroCount)
            }
            assertEvery(ofClass: label, "of mean \(expected[label].mean) over the non-zero pixels", perSeed: 60) {
                expected[label].mean.contains($0.nonZeroMean)
            }
        }
    }

    func testDullIsAnEmptyFrameAtTheImageEdge() {
        func border(_ m: ImageMetrics) -> [UInt8] {
            (0..<28).flatMap { i in [m.value(0, i), m.value(27, i), m.value(i, 0), m.value(i, 27)] }
        }
        assertEvery(ofClass: 0, "framed by non-zero edge rows and columns") { border($0).allSatisfy { $0 > 0 } }
        assertEvery(ofClass: 0, "framed brightly (edge mean over 120)") { border($0).map(Int.init).reduce(0, +) / 112 > 120 }
        assertEvery(ofClass: 0, "empty inside the two outer rings") { m in
            (2..<26).allSatisfy { r in (2..<26).allSatisfy { m.value(r, $0) == 0 } }
        }
    }

    func testUnknownIsASmallCompactDot() {
        assertEvery(ofClass: 1, "at most 30 non-zero pixels") { $0.nonZeroCount <= 30 }
        assertEvery(ofClass: 1, "compact (within 6×6 pixels)") {
            guard let box = $0.boundingBox else { return false }
            return box.rows.count <= 6 && box.columns.count <= 6
        }
        assertEvery(ofClass: 1, "bright at the core (a pixel ≥ 150)") { ($0.pixels.max() ?? 0) >= 150 }
    }

    func testFoodIsAFilledBlob() {
        assertEvery(ofClass: 3, "filled (≥ 85% of the central half of the bounding box)") { $0.centralFill >= 0.85 }
        assertEvery(ofClass: 3, "filled (≥ 50% of the bounding box)") { $0.boxFill >= 0.5 }
        assertEvery(ofClass: 3, "free of holes") { $0.enclosedZeroCount == 0 }
        assertEvery(ofClass: 3, "bigger than a dot (≥ 6 pixels across)") {
            guard let box = $0.boundingBox else { return false }
            return min(box.rows.count, box.columns.count) >= 6
        }
    }

    func testRubbishIsAHollowOutline() {
        assertEvery(ofClass: 2, "hollow (≤ 50% of the central half of the bounding box)") { $0.centralFill <= 0.5 }
        assertEvery(ofClass: 2, "hollow (≤ 75% of the bounding box)") { $0.boxFill <= 0.75 }
        assertEvery(ofClass: 2, "closed outlines around ≥ 8 empty pixels") { $0.enclosedZeroCount >= 8 }
        assertEvery(ofClass: 2, "an outline of ≥ 40 pixels") { $0.nonZeroCount >= 40 }
    }

    func testClassesDifferInTheWayClaimed() {
        // The class checks above, each applied to the other classes, must fail for them:
        // otherwise they would not tell the classes apart.
        let food = ImageMetrics(EmbeddedDataset.image(ofClass: 3, seed: 1, index: 0))
        let rubbish = ImageMetrics(EmbeddedDataset.image(ofClass: 2, seed: 1, index: 0))
        let dot = ImageMetrics(EmbeddedDataset.image(ofClass: 1, seed: 1, index: 0))
        XCTAssertGreaterThan(rubbish.enclosedZeroCount, 0)
        XCTAssertEqual(food.enclosedZeroCount, 0)
        XCTAssertLessThan(rubbish.centralFill, food.centralFill)
        XCTAssertLessThan(dot.nonZeroCount, min(food.nonZeroCount, rubbish.nonZeroCount))
    }

    func testPixelsAreBytesOnAZeroBackground() {
        // Values are UInt8, so always 0…255; the background must be exactly 0 (at least 300
        // pixels of every image), and every image must show something.
        let set = EmbeddedDataset.generate(count: 200, seed: 11)
        for i in 0..<set.count {
            let m = ImageMetrics(set.image(i))
            XCTAssertGreaterThan(m.nonZeroCount, 0, "image \(i) is empty")
            XCTAssertGreaterThanOrEqual(784 - m.nonZeroCount, 300, "image \(i) has too little background\(art(m))")
        }
    }
}
