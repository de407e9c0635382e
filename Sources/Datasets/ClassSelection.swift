extension LabelledImages {
    /// The images whose labels are in `classes`, in file order, relabelled by their place in
    /// `classes`: with `classes` `[3, 1]`, label 3 becomes 0 and label 1 becomes 1, and the
    /// class names follow (`classNames` of the result is `[classNames[3], classNames[1]]`, so
    /// MNIST's "class 3" keeps its name under its new label 0).
    ///
    /// For example the digits 0–3 of MNIST as a four-class problem:
    /// `try mnist.keeping(classes: [0, 1, 2, 3])`. O(`count × 784`).
    ///
    /// - Throws: ``DatasetError/invalid(_:)`` when `classes` is empty, lists a class twice, or
    ///   lists a class with no images (the message lists the labels present):
    ///
    ///       classes [3, 7]: class 7 has no images; the labels present are 0, 1, 2, 3
    ///       classes [3, 1, 3]: class 3 is listed twice
    ///       classes []: expected at least one class, found an empty list
    public func keeping(classes: [Int]) throws -> LabelledImages {
        let field = "classes \(classes)"
        guard !classes.isEmpty else {
            throw DatasetError.invalid("\(field): expected at least one class, found an empty list")
        }
        let counts = classCounts
        var newLabel: [Int: Int] = [:]
        for (position, label) in classes.enumerated() {
            guard newLabel[label] == nil else { throw DatasetError.invalid("\(field): class \(label) is listed twice") }
            guard counts.indices.contains(label), counts[label] > 0 else {
                let present = counts.indices.filter { counts[$0] > 0 }.map(String.init).joined(separator: ", ")
                throw DatasetError.invalid("\(field): class \(label) has no images; the labels present are \(present)")
            }
            newLabel[label] = position
        }
        let kept = labels.indices.filter { newLabel[labels[$0]] != nil }
        return try LabelledImages(
            pixels: subset(kept).pixels, labels: kept.map { newLabel[labels[$0]]! },
            classNames: classes.map { classNames[$0] })
    }

    /// The first `n` images, in file order, with the same class names — for example the
    /// first 250 after ``keeping(classes:)``.
    ///
    /// - Throws: ``DatasetError/invalid(_:)`` when `n` is negative or more than ``count``:
    ///
    ///       first 300 images: expected at least 300 images, found 250
    public func first(_ n: Int) throws -> LabelledImages {
        guard n >= 0 else { throw DatasetError.invalid("first \(n) images: expected a count of at least 0, found \(n)") }
        guard n <= count else {
            throw DatasetError.invalid("first \(n) images: expected at least \(n) images, found \(count)")
        }
        return subset(0..<n)
    }
}
