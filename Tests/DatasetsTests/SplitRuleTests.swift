import Datasets
import XCTest

final class SplitRuleTests: XCTestCase {
    private func assertError(
        _ expression: @autoclosure () throws -> (train: [Int], test: [Int]), _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertTrue(error is DatasetError, "\(type(of: error))", file: file, line: line)
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    func testLastTakesTheFinalImagesAsTheSplitDoes() throws {
        let labels = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1]
        let split = try SplitRule.last.indices(labels: labels, classCount: 4, testCount: 3)
        XCTAssertEqual(split.train, [0, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(split.test, [7, 8, 9])
        XCTAssertEqual(try SplitRule.last.indices(labels: labels, classCount: 4, testCount: 0).test, [])
        XCTAssertEqual(try SplitRule.last.indices(labels: labels, classCount: 4, testCount: 10).train, [])
        // The same parts as LabelledImages.split.
        let set = EmbeddedDataset.generate(count: 40, seed: 2)
        let indices = try set.splitIndices(testCount: 8, rule: .last)
        let parts = set.split(testCount: 8)
        XCTAssertEqual(set.subset(indices.train), parts.train)
        XCTAssertEqual(set.subset(indices.test), parts.test)
    }

    /// Worked by hand: two test images per class, the last two of each class in file order.
    func testStratifiedTakesTheLastOfEachClass() throws {
        //             index: 0  1  2  3  4  5  6  7  8  9 10 11
        let labels =         [0, 0, 1, 2, 1, 0, 2, 1, 2, 0, 1, 2]
        // class 0 at 0, 1, 5, 9 → test 5, 9; class 1 at 2, 4, 7, 10 → test 7, 10;
        // class 2 at 3, 6, 8, 11 → test 8, 11.
        let split = try SplitRule.stratified.indices(labels: labels, classCount: 3, testCount: 6)
        XCTAssertEqual(split.test, [5, 7, 8, 9, 10, 11])
        XCTAssertEqual(split.train, [0, 1, 2, 3, 4, 6])
        // Uneven classes: class 1 has exactly its share, leaving none for training.
        let uneven = try SplitRule.stratified.indices(labels: [1, 0, 0, 0, 1], classCount: 2, testCount: 4)
        XCTAssertEqual(uneven.test, [0, 2, 3, 4])
        XCTAssertEqual(uneven.train, [1])
        XCTAssertEqual(try SplitRule.stratified.indices(labels: labels, classCount: 3, testCount: 0).train, Array(0..<12))
        XCTAssertEqual(try SplitRule.stratified.indices(labels: labels, classCount: 3, testCount: 12).test, Array(0..<12))
    }

    /// Against a plain reference over random labels: the test set is, per class, that class's
    /// indices' last `share`; both lists ascending; together every index once.
    func testStratifiedMatchesAPlainReference() throws {
        var rng = SplitMix(seed: 5)
        for _ in 0..<100 {
            let classCount = 1 + Int(rng.next() % 5)
            let labels = (0..<(20 + Int(rng.next() % 40))).map { _ in Int(rng.next() % UInt64(classCount)) }
            let fewest = (0..<classCount).map { c in labels.filter { $0 == c }.count }.min()!
            let share = Int(rng.next() % UInt64(fewest + 1))
            let split = try SplitRule.stratified.indices(labels: labels, classCount: classCount, testCount: share * classCount)
            let expectedTest = (0..<classCount).flatMap { c in labels.indices.filter { labels[$0] == c }.suffix(share) }.sorted()
            XCTAssertEqual(split.test, expectedTest)
            XCTAssertEqual(split.train, labels.indices.filter { !expectedTest.contains($0) })
            XCTAssertEqual(split.test.map { labels[$0] }.reduce(into: [Int](repeating: 0, count: classCount)) { $0[$1] += 1 },
                           [Int](repeating: share, count: classCount))
        }
    }

    func testSplitErrors() throws {
        let labels = [0, 1, 2, 2, 0, 1, 2, 0, 2, 0]  // class 0: 4 images, class 1: 2, class 2: 4
        for rule in SplitRule.allCases {
            assertError(try rule.indices(labels: labels, classCount: 3, testCount: 11), "split: expected a test count 0…10, found 11")
            assertError(try rule.indices(labels: labels, classCount: 3, testCount: -1), "split: expected a test count 0…10, found -1")
        }
        assertError(try SplitRule.stratified.indices(labels: labels, classCount: 3, testCount: 4),
                    "stratified split: expected a test count that is a multiple of the 3 classes, found 4")
        assertError(try SplitRule.stratified.indices(labels: labels, classCount: 3, testCount: 9),
                    "stratified split: class 1 has 2 images, fewer than its share of 3 test images")
        assertError(try SplitRule.stratified.indices(labels: labels, classCount: 4, testCount: 4),
                    "stratified split: class 3 has 0 images, fewer than its share of 1 test images")
        assertError(try SplitRule.stratified.indices(labels: [0, 3], classCount: 3, testCount: 0),
                    "stratified split: expected labels 0…2, found 3")
        let set = EmbeddedDataset.generate(count: 8, seed: 1)
        assertError(try set.splitIndices(testCount: 6, rule: .stratified),
                    "stratified split: expected a test count that is a multiple of the 4 classes, found 6")
    }
}
