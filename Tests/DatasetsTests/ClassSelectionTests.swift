import Datasets
import XCTest

final class ClassSelectionTests: XCTestCase {
    /// Image i is filled with the grey value i (so images are told apart by any pixel).
    private func numbered(labels: [Int], classCount: Int) throws -> LabelledImages {
        try LabelledImages(
            pixels: labels.indices.flatMap { [UInt8](repeating: UInt8($0), count: 784) },
            labels: labels, classNames: LabelledImages.classNames(count: classCount))
    }

    private func assertError(
        _ expression: @autoclosure () throws -> LabelledImages, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertTrue(error is DatasetError, "\(type(of: error))", file: file, line: line)
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    func testKeepingRenumbersInTheOrderGivenAndKeepsFileOrder() throws {
        //              index: 0  1  2  3  4  5  6  7  8
        let set = try numbered(labels: [1, 3, 0, 3, 2, 1, 5, 3, 1], classCount: 6)
        let kept = try set.keeping(classes: [3, 1])
        // Indices 0, 1, 3, 5, 7, 8 (labels 1, 3, 3, 1, 3, 1); 3 becomes 0, 1 becomes 1.
        XCTAssertEqual(kept.labels, [1, 0, 0, 1, 0, 1])
        XCTAssertEqual(kept.pixels, set.subset([0, 1, 3, 5, 7, 8]).pixels)
        XCTAssertEqual(kept.classNames, ["class 3", "class 1"])
        XCTAssertEqual(kept.classCounts, [3, 3])

        let one = try set.keeping(classes: [5])
        XCTAssertEqual(one.labels, [0])
        XCTAssertEqual(Set(one.image(0)), [6])
        // All classes present in their own order: the same images and labels.
        let all = try set.keeping(classes: [0, 1, 2, 3, 5])
        XCTAssertEqual(all.pixels, set.subset([0, 1, 2, 3, 4, 5, 7, 8, 6].sorted()).pixels)
        XCTAssertEqual(all.labels, [1, 3, 0, 3, 2, 1, 4, 3, 1])
    }

    /// Against a plain reference: for random labels and random class lists, every kept image
    /// is one whose label is listed, in file order, with the label's place in the list.
    func testKeepingMatchesAPlainFilter() throws {
        var rng = SplitMix(seed: 11)
        for _ in 0..<50 {
            let labels = (0..<40).map { _ in Int(rng.next() % 7) }
            let set = try numbered(labels: labels, classCount: 7)
            let present = Array(Set(labels)).shuffled(using: &rng)
            let classes = Array(present.prefix(1 + Int(rng.next() % UInt64(present.count))))
            let kept = try set.keeping(classes: classes)
            let expected = labels.indices.filter { classes.contains(labels[$0]) }
            XCTAssertEqual(kept.pixels, set.subset(expected).pixels)
            XCTAssertEqual(kept.labels, expected.map { classes.firstIndex(of: labels[$0])! })
        }
    }

    func testKeepingErrors() throws {
        let set = try numbered(labels: [0, 1, 2, 3, 3], classCount: 10)
        assertError(try set.keeping(classes: [3, 7]), "classes [3, 7]: class 7 has no images; the labels present are 0, 1, 2, 3")
        assertError(try set.keeping(classes: [12]), "classes [12]: class 12 has no images; the labels present are 0, 1, 2, 3")
        assertError(try set.keeping(classes: [-1]), "classes [-1]: class -1 has no images; the labels present are 0, 1, 2, 3")
        assertError(try set.keeping(classes: [3, 1, 3]), "classes [3, 1, 3]: class 3 is listed twice")
        assertError(try set.keeping(classes: []), "classes []: expected at least one class, found an empty list")
    }

    func testFirstTakesTheLeadingImages() throws {
        let set = try numbered(labels: [1, 3, 0, 3, 2, 1], classCount: 4)
        XCTAssertEqual(try set.first(4), set.subset(0..<4))
        XCTAssertEqual(try set.first(6), set)
        XCTAssertEqual(try set.first(0).count, 0)
        let afterSelection = try set.keeping(classes: [3, 1]).first(3)
        XCTAssertEqual(afterSelection.labels, [1, 0, 0])
        XCTAssertEqual(afterSelection.pixels, set.subset([0, 1, 3]).pixels)
        assertError(try set.first(7), "first 7 images: expected at least 7 images, found 6")
        assertError(try set.keeping(classes: [3]).first(3), "first 3 images: expected at least 3 images, found 2")
        assertError(try set.first(-1), "first -1 images: expected a count of at least 0, found -1")
    }
}
