import XCTest
import Spiking

/// `fastExp` is the exponential of the TraubMiles kernel; glibc's `expf` (`libraryExp`) is the
/// one GeNN's generated code calls. They must agree to 2 ulp wherever expf is a normal float.
final class FastExpTests: XCTestCase {
    private func assertWithinTwoUlp(over range: ClosedRange<Float>, points: Int,
                                    file: StaticString = #filePath, line: UInt = #line) {
        var worst: Int64 = 0, worstX: Float = 0
        let span = Double(range.upperBound - range.lowerBound)
        var xs = [Float](repeating: 0, count: 16)
        var i = 0
        while i < points {
            for lane in 0..<16 {
                xs[lane] = Float(Double(range.lowerBound) + span * Double(min(i + lane, points - 1)) / Double(points - 1))
            }
            let v = fastExp(SIMD16<Float>(xs))
            for lane in 0..<16 {
                let d = ulpDistance(v[lane], libraryExp(xs[lane]))
                if d > worst { worst = d; worstX = xs[lane] }
            }
            i += 16
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp at x = \(worstX): fastExp \(fastExp(worstX)), expf \(libraryExp(worstX))",
                                 file: file, line: line)
    }

    func testFastExpIsWithinTwoUlpOfExpfOnADenseGridOverTheNormalRange() {
        assertWithinTwoUlp(over: -87...88, points: 4_000_001)
    }

    func testFastExpIsWithinTwoUlpOfExpfForEveryFloatInMinusOneToOne() {
        // Every float in [-1, 1] is too many; every 64th bit pattern covers all exponents.
        var worst: Int64 = 0, worstX: Float = 0
        for sign in [Float(1), -1] {
            var bits: UInt32 = 0
            while bits <= Float(1).bitPattern {
                let x = sign * Float(bitPattern: bits)
                let d = ulpDistance(fastExp(x), libraryExp(x))
                if d > worst { worst = d; worstX = x }
                bits += 64
            }
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp at x = \(worstX)")
    }

    /// The documented range reaches 88.7: expf is finite up to ln(FLT_MAX) ≈ 88.7228.
    func testFastExpIsFiniteAndWithinTwoUlpJustBelowTheOverflowThreshold() {
        for x: Float in [88.2, 88.4, 88.5, 88.6, 88.7, 88.72] {
            XCTAssertTrue(libraryExp(x).isFinite)
            XCTAssertLessThanOrEqual(ulpDistance(fastExp(x), libraryExp(x)), 2,
                                     "x = \(x): fastExp \(fastExp(x)), expf \(libraryExp(x))")
        }
        assertWithinTwoUlp(over: 88...88.72, points: 100_001)
    }

    func testFastExpIsZeroBelowTheUnderflowThreshold() {
        for x: Float in [-87.35, -87.5, -88, -100, -1e4, -1e30, -.greatestFiniteMagnitude, -.infinity] {
            XCTAssertEqual(fastExp(x), 0, "x = \(x)")
        }
    }

    func testFastExpIsInfinityAboveTheOverflowThreshold() {
        for x: Float in [88.73, 88.8, 89, 100, 1e4, 1e30, .greatestFiniteMagnitude, .infinity] {
            XCTAssertEqual(fastExp(x), .infinity, "x = \(x)")
        }
    }

    func testFastExpPropagatesNaN() {
        XCTAssertTrue(fastExp(Float.nan).isNaN)
        var x = SIMD16<Float>(repeating: 1)
        x[3] = .nan
        let y = fastExp(x)
        XCTAssertTrue(y[3].isNaN)
        XCTAssertEqual(y[2], fastExp(Float(1)), "a NaN lane must not disturb the others")
    }

    func testFastExpOfZeroIsOneAndLanesAreIndependent() {
        XCTAssertEqual(fastExp(Float(0)), 1)
        var x = SIMD16<Float>()
        for i in 0..<16 { x[i] = Float(i) * 5.3 - 40 }
        let y = fastExp(x)
        for i in 0..<16 { XCTAssertEqual(y[i], fastExp(x[i]), "lane \(i)") }
    }
}
