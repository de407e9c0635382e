import Datasets
import XCTest

final class LabelledImagesTests: XCTestCase {
    /// Image i is filled with the grey value 10·i + 1 (so images are told apart by any pixel).
    private func numbered(_ count: Int, labels: [Int]? = nil) throws -> LabelledImages {
        try LabelledImages(
            pixels: (0..<count).flatMap { [UInt8](repeating: UInt8(10 * $0 + 1), count: 784) },
            labels: labels ?? (0..<count).map { $0 % 4 })
    }

    func testShapeAndAccessors() throws {
        let set = try numbered(5)
        XCTAssertEqual(set.width, 28)
        XCTAssertEqual(set.height, 28)
        XCTAssertEqual(LabelledImages.pixelsPerImage, 784)
        XCTAssertEqual(set.count, 5)
        XCTAssertEqual(set.classCount, 4)
        XCTAssertEqual(set.classNames, ["dull", "unknown", "rubbish", "food"])
        XCTAssertEqual(set.image(3).count, 784)
        XCTAssertEqual(Set(set.image(3)), [31])
        XCTAssertEqual(set.image(3).startIndex, 3 * 784)
        XCTAssertEqual(set.classCounts, [2, 1, 1, 1])
        XCTAssertEqual("\(set)", "5 images of 28×28 in 4 classes: dull 2, unknown 1, rubbish 1, food 1")
    }

    func testValidation() {
        XCTAssertThrowsError(try LabelledImages(pixels: [UInt8](repeating: 0, count: 783), labels: [0])) {
            XCTAssertEqual("\($0)", "expected 1 × 784 = 784 pixels for 1 labels, found 783")
        }
        XCTAssertThrowsError(try LabelledImages(pixels: [UInt8](repeating: 0, count: 1568), labels: [0, 4])) {
            XCTAssertEqual("\($0)", "label of image 2: expected a label 0…3, found 4")
        }
        XCTAssertThrowsError(try LabelledImages(pixels: [UInt8](repeating: 0, count: 784), labels: [-1])) {
            XCTAssertEqual("\($0)", "label of image 1: expected a label 0…3, found -1")
        }
        XCTAssertThrowsError(try LabelledImages(pixels: [], labels: [], classNames: [])) {
            XCTAssertEqual("\($0)", "a data set needs at least one class")
        }
        XCTAssertNoThrow(try LabelledImages(pixels: [UInt8](repeating: 0, count: 784), labels: [9], classNames: LabelledImages.classNames(count: 10)))
        XCTAssertEqual(LabelledImages.classNames(count: 3), ["class 0", "class 1", "class 2"])
        XCTAssertEqual(LabelledImages.classNames(count: 4), ["dull", "unknown", "rubbish", "food"])
    }

    func testSubsets() throws {
        let set = try numbered(6)
        let middle = set.subset(2..<4)
        XCTAssertEqual(middle.count, 2)
        XCTAssertEqual(middle.labels, [2, 3])
        XCTAssertEqual(Set(middle.image(0)), [21])
        let picked = set.subset([5, 0, 5])
        XCTAssertEqual(picked.labels, [1, 0, 1])
        XCTAssertEqual(picked.pixels, Array(set.image(5)) + Array(set.image(0)) + Array(set.image(5)))
        XCTAssertEqual(picked.classNames, set.classNames)
        XCTAssertEqual(set.subset(0..<6), set)
        XCTAssertEqual(set.subset([Int]()).count, 0)
    }

    func testSplitTakesTheLastImagesAsTest() throws {
        let set = try numbered(10)
        let (train, test) = set.split(testCount: 3)
        XCTAssertEqual(train, set.subset(0..<7))
        XCTAssertEqual(test, set.subset(7..<10))
        XCTAssertEqual(set.split(testCount: 0).train, set)
        XCTAssertEqual(set.split(testCount: 0).test.count, 0)
        XCTAssertEqual(set.split(testCount: 10).test, set)

        let generated = EmbeddedDataset.generate(count: 80, seed: 1).split(testCount: 16)
        XCTAssertEqual(generated.train.classCounts, [16, 16, 16, 16])
        XCTAssertEqual(generated.test.classCounts, [4, 4, 4, 4])
    }

    func testAsciiArt() throws {
        var pixels = [UInt8](repeating: 0, count: 784)
        pixels[0] = 255
        pixels[1] = 1
        pixels[2] = 128
        pixels[28 + 27] = 200
        let art = LabelledImages.asciiArt(pixels: pixels)
        let lines = art.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 29)  // 28 lines, each ending in "\n"
        XCTAssertEqual(lines.last, "")
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.count == 28 })
        XCTAssertEqual(lines[0], "@.+" + String(repeating: " ", count: 25))
        XCTAssertEqual(lines[1], String(repeating: " ", count: 27) + "%")
        XCTAssertEqual(lines[2], Substring(String(repeating: " ", count: 28)))

        let set = try LabelledImages(pixels: pixels, labels: [3])
        XCTAssertEqual(set.asciiArt(0), "image 0: food (3)\n" + art)
    }
}
