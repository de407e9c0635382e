/// How a labelled set is split into a training part and a test part of `testCount` images.
///
/// A split is a pair of index lists into the set (``indices(labels:classCount:testCount:)``
/// or ``LabelledImages/splitIndices(testCount:rule:)``), so the caller builds its own
/// presentation order from them; both lists are in file order (ascending), disjoint, and
/// together hold every index exactly once.
public enum SplitRule: String, Sendable, Equatable, CaseIterable {
    /// The last `testCount` images are the test set, the rest the training set (what
    /// ``LabelledImages/split(testCount:)`` does). The class balance of both parts is
    /// whatever the file order gives.
    case last
    /// `testCount / classCount` images of every class are the test set: the last ones of
    /// each class in file order. The training set is the rest.
    ///
    /// `testCount` must be a multiple of the class count: equal shares are the point of this
    /// rule, so a remainder is an error rather than silently favouring some classes. A class
    /// needs at least its share of images; one with exactly its share leaves none of that
    /// class for training (allowed: the caller may want a test-only class).
    case stratified

    /// The training and test indices into a set with these labels (each in
    /// `0..<classCount`), `testCount` of them for the test set. O(`labels.count`).
    ///
    /// - Throws: ``DatasetError/invalid(_:)``, one line naming the numbers involved:
    ///
    ///       split: expected a test count 0…80, found 90
    ///       stratified split: expected a test count that is a multiple of the 4 classes, found 10
    ///       stratified split: class 2 has 3 images, fewer than its share of 5 test images
    public func indices(labels: [Int], classCount: Int, testCount: Int) throws -> (train: [Int], test: [Int]) {
        guard (0...labels.count).contains(testCount) else {
            throw DatasetError.invalid("split: expected a test count 0…\(labels.count), found \(testCount)")
        }
        switch self {
        case .last:
            let boundary = labels.count - testCount
            return (Array(0..<boundary), Array(boundary..<labels.count))
        case .stratified:
            guard classCount >= 1 else {
                throw DatasetError.invalid("stratified split: expected at least one class, found \(classCount)")
            }
            guard testCount % classCount == 0 else {
                throw DatasetError.invalid(
                    "stratified split: expected a test count that is a multiple of the \(classCount) classes, found \(testCount)")
            }
            let share = testCount / classCount
            var counts = [Int](repeating: 0, count: classCount)
            for label in labels {
                guard counts.indices.contains(label) else {
                    throw DatasetError.invalid("stratified split: expected labels 0…\(classCount - 1), found \(label)")
                }
                counts[label] += 1
            }
            if let short = counts.indices.first(where: { counts[$0] < share }) {
                throw DatasetError.invalid(
                    "stratified split: class \(short) has \(counts[short]) images, fewer than its share of \(share) test images")
            }
            // Image i is a test image when it is among the last `share` of its class: when the
            // images of its class seen so far (i included) exceed count − share.
            var seen = [Int](repeating: 0, count: classCount)
            var train: [Int] = []
            var test: [Int] = []
            train.reserveCapacity(labels.count - testCount)
            test.reserveCapacity(testCount)
            for (index, label) in labels.enumerated() {
                seen[label] += 1
                if seen[label] > counts[label] - share { test.append(index) } else { train.append(index) }
            }
            return (train, test)
        }
    }
}

extension LabelledImages {
    /// The training and test indices of this set by `rule` (see ``SplitRule``), `testCount`
    /// of them for the test set; both in file order. Build the parts with ``subset(_:)``.
    ///
    /// - Throws: ``DatasetError/invalid(_:)`` as ``SplitRule/indices(labels:classCount:testCount:)``.
    public func splitIndices(testCount: Int, rule: SplitRule) throws -> (train: [Int], test: [Int]) {
        try rule.indices(labels: labels, classCount: classCount, testCount: testCount)
    }
}
