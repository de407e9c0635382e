import Datasets
import Foundation
import XCTest

/// Checks against the project's MNIST subset, which is not part of the repository: 4000
/// digits, 400 of each, as gzip-compressed IDX files in `../shared/data/mnist-4k/` relative
/// to the package root. The tests skip when the folder is absent.
final class MNISTSubsetTests: XCTestCase {
    private func load() throws -> LabelledImages {
        // This file is <root>/Tests/DatasetsTests/MNISTSubsetTests.swift.
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("../shared/data/mnist-4k").standardized
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("the MNIST subset is absent (no folder \(folder.path)); skipping")
        }
        return try IDXLoader.load(
            imagesPath: folder.appendingPathComponent("mnist-4k-images-idx3-ubyte.gz").path,
            labelsPath: folder.appendingPathComponent("mnist-4k-labels-idx1-ubyte.gz").path,
            classCount: 10)
    }

    /// Figures from Python's gzip module, an independent reader of the same files.
    func testTheSubsetLoadsFromItsGzipFiles() throws {
        let mnist = try load()
        XCTAssertEqual(mnist.count, 4000)
        XCTAssertEqual(mnist.classCount, 10)
        XCTAssertEqual(mnist.classCounts, [Int](repeating: 400, count: 10))
        XCTAssertEqual(Array(mnist.labels.prefix(12)), [0, 6, 2, 0, 2, 3, 3, 7, 2, 1, 2, 5])
        XCTAssertEqual(mnist.image(0).reduce(0) { $0 + Int($1) }, 32_037)
        XCTAssertEqual(mnist.image(3999).reduce(0) { $0 + Int($1) }, 18_976)
    }

    func testAStratifiedSplitOfTheDigitsZeroToThree() throws {
        let digits = try load().keeping(classes: [0, 1, 2, 3])
        XCTAssertEqual(digits.count, 1600)
        XCTAssertEqual(digits.classCounts, [400, 400, 400, 400])
        let (train, test) = try digits.splitIndices(testCount: 200, rule: .stratified)
        XCTAssertEqual(digits.subset(test).classCounts, [50, 50, 50, 50])
        XCTAssertEqual(digits.subset(train).classCounts, [350, 350, 350, 350])
        XCTAssertEqual((train + test).sorted(), Array(0..<1600))
        // The test images of each class come after all its training images.
        for label in 0..<4 {
            let lastTrain = train.filter { digits.labels[$0] == label }.max()!
            let firstTest = test.filter { digits.labels[$0] == label }.min()!
            XCTAssertLessThan(lastTrain, firstTest, "digit \(label)")
        }
        XCTAssertEqual(try digits.first(250).count, 250)
    }
}
