import Datasets

/// Shape measurements of one 28×28 image, used to check what the generator claims.
struct ImageMetrics {
    let pixels: [UInt8]
    static let side = 28

    init<Pixels: Collection>(_ pixels: Pixels) where Pixels.Element == UInt8 {
        self.pixels = Array(pixels)
        precondition(self.pixels.count == Self.side * Self.side)
    }

    func value(_ row: Int, _ column: Int) -> UInt8 { pixels[row * Self.side + column] }

    var nonZeroCount: Int { pixels.filter { $0 > 0 }.count }

    /// The mean of the non-zero pixels (0 when there are none).
    var nonZeroMean: Double {
        let nonZero = pixels.filter { $0 > 0 }
        return nonZero.isEmpty ? 0 : Double(nonZero.reduce(0) { $0 + Int($1) }) / Double(nonZero.count)
    }

    /// Rows and columns spanned by the non-zero pixels (nil when the image is empty).
    var boundingBox: (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? {
        var rows: [Int] = [], columns: [Int] = []
        for r in 0..<Self.side { for c in 0..<Self.side where value(r, c) > 0 { rows.append(r); columns.append(c) } }
        guard let r0 = rows.min(), let r1 = rows.max(), let c0 = columns.min(), let c1 = columns.max() else { return nil }
        return (r0...r1, c0...c1)
    }

    /// The fraction of non-zero pixels in the central half (in each direction) of the
    /// bounding box.
    var centralFill: Double {
        guard let box = boundingBox else { return 0 }
        let h = box.rows.count, w = box.columns.count
        let rows = (box.rows.lowerBound + h / 4)...(box.rows.upperBound - h / 4)
        let columns = (box.columns.lowerBound + w / 4)...(box.columns.upperBound - w / 4)
        var filled = 0
        for r in rows { for c in columns where value(r, c) > 0 { filled += 1 } }
        return Double(filled) / Double(rows.count * columns.count)
    }

    /// The fraction of the bounding box that is non-zero.
    var boxFill: Double {
        guard let box = boundingBox else { return 0 }
        return Double(nonZeroCount) / Double(box.rows.count * box.columns.count)
    }

    /// Zero pixels that cannot be reached from outside the image through zero pixels
    /// (4-connected): the holes enclosed by a closed outline.
    var enclosedZeroCount: Int {
        let side = Self.side
        // Flood the zero pixels from a one-pixel margin of zeros around the image.
        var outside = [Bool](repeating: false, count: side * side)
        var stack: [(Int, Int)] = []
        for i in 0..<side {
            for (r, c) in [(0, i), (side - 1, i), (i, 0), (i, side - 1)] where value(r, c) == 0 && !outside[r * side + c] {
                outside[r * side + c] = true
                stack.append((r, c))
            }
        }
        while let (r, c) = stack.popLast() {
            for (dr, dc) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                let (nr, nc) = (r + dr, c + dc)
                guard (0..<side).contains(nr), (0..<side).contains(nc), value(nr, nc) == 0, !outside[nr * side + nc] else { continue }
                outside[nr * side + nc] = true
                stack.append((nr, nc))
            }
        }
        return (0..<(side * side)).filter { pixels[$0] == 0 && !outside[$0] }.count
    }
}
