import Datasets
import Foundation
import XCTest

/// Checks against the original study's seed data set, which is not part of the repository:
/// it lives at `../shared/data/seed-dataset.csv` relative to the package root. The tests skip
/// when it is absent (for example in a checkout elsewhere); the environment variable
/// `AUTOPARAM_SEED_DATASET` may point at it instead.
final class SeedDatasetTests: XCTestCase {
    private func seedPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["AUTOPARAM_SEED_DATASET"], !path.isEmpty {
            return path
        }
        // This file is <root>/Tests/DatasetsTests/SeedDatasetTests.swift.
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("../shared/data/seed-dataset.csv").standardized.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("seed dataset not found at \(path); skipping")
        }
        return path
    }

    func testTheSeedLoadsWithLabelsByRotation() throws {
        let seed = try CSVImageLoader.load(path: try seedPath())
        XCTAssertEqual(seed.count, 80)
        XCTAssertEqual(seed.labels, (0..<80).map { [0, 1, 3, 3, 0, 1, 2, 2][$0 % 8] })
        XCTAssertEqual(seed.classCounts, [20, 20, 20, 20])
        // What the generator imitates: dull is one empty frame at the image edge…
        let dull = ImageMetrics(seed.image(0))
        XCTAssertEqual(dull.nonZeroCount, 203)
        XCTAssertEqual((2..<26).flatMap { r in (2..<26).map { dull.value(r, $0) } }.filter { $0 > 0 }.count, 0)
        // …unknown a small dot, food filled, rubbish hollow.
        XCTAssertLessThanOrEqual(ImageMetrics(seed.image(1)).nonZeroCount, 21)
        XCTAssertGreaterThan(ImageMetrics(seed.image(3)).centralFill, 0.9)
        XCTAssertGreaterThan(ImageMetrics(seed.image(7)).enclosedZeroCount, 50)
        // Writing it back in its own notation gives the same images.
        XCTAssertEqual(try CSVImageLoader.load(text: CSVImageLoader.encode(seed), name: "copy"), seed)
    }

    /// The generated images have about as many non-zero pixels per class as the seed's, and
    /// a comparable mean of the non-zero pixels (what the simulator normalises by).
    func testGeneratedImagesResembleTheSeed() throws {
        let seed = try CSVImageLoader.load(path: try seedPath())
        let generated = EmbeddedDataset.generate(count: 800, seed: 1)
        func perClass(_ set: LabelledImages, _ measure: (ImageMetrics) -> Double) -> [Double] {
            (0..<4).map { label in
                let values = (0..<set.count).filter { set.labels[$0] == label }.map { measure(ImageMetrics(set.image($0))) }
                return values.reduce(0, +) / Double(values.count)
            }
        }
        let seedCounts = perClass(seed) { Double($0.nonZeroCount) }
        let generatedCounts = perClass(generated) { Double($0.nonZeroCount) }
        let seedMeans = perClass(seed) { $0.nonZeroMean }
        let generatedMeans = perClass(generated) { $0.nonZeroMean }
        for label in 0..<4 {
            print("class \(label): non-zero pixels \(generatedCounts[label]) (seed \(seedCounts[label])), mean \(generatedMeans[label]) (seed \(seedMeans[label]))")
            let countRatio = generatedCounts[label] / seedCounts[label]
            XCTAssertTrue((0.75...1.35).contains(countRatio),
                          "class \(label): \(generatedCounts[label]) non-zero pixels on average, seed \(seedCounts[label])")
            let meanRatio = generatedMeans[label] / seedMeans[label]
            XCTAssertTrue((0.7...1.3).contains(meanRatio),
                          "class \(label): mean of non-zero pixels \(generatedMeans[label]), seed \(seedMeans[label])")
        }
    }
}
