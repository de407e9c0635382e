import XCTest
import Randomness
import Spiking

/// The SIMD column update `SymmetricSTDP.postsynapticColumn` (one MBON spike, all KC→MBON
/// weights of that column) against `referencePostsynapticColumn` (glibc expf per synapse, as
/// GeNN's CPU code). The kernel only uses its fast exp to pick lanes certainly on the floor, so
/// the two must agree bit for bit.
final class SymmetricSTDPKernelTests: XCTestCase {
    /// A KC × MBON row-major matrix and KC spike times of every kind: never (−FLT_MAX), long ago,
    /// recent, one step ago, exactly at the floor's boundary region, and a few non-finite ones.
    private func fixture(preCount: Int, postCount: Int, seed: UInt64, t: Float, p: SymmetricSTDPParameters)
        -> (w: [Float], st: [Float]) {
        var rng = Xoshiro256StarStar(seed: seed)
        let w = (0..<(preCount * postCount)).map { _ in
            p.wMin + Float(rng.nextUniformDouble()) * (p.wMax - p.wMin) }
        // exp(−Δ/tau) = 0.9·rho is where the floor starts.
        let boundary = p.rho > 0 ? -p.tauMs * Float(log(0.9 * Double(p.rho))) : 10
        let st: [Float] = (0..<preCount).map { i in
            switch i % 7 {
            case 0: return -.greatestFiniteMagnitude
            case 1: return t - Float(rng.nextUniformDouble()) * 5 * p.tauMs
            case 2: return t - dt
            case 3: return t - boundary * Float(0.95 + 0.1 * rng.nextUniformDouble())
            case 4: return t - 200 - Float(rng.nextUniformDouble()) * 1000
            case 5: return i % 5 == 0 ? .nan : t - Float(rng.nextUniformDouble()) * p.tauMs
            default: return t - Float(rng.nextUniformDouble()) * 2 * boundary
            }
        }
        return (w, st)
    }

    private func assertColumnsAgree(preCount: Int, postCount: Int, column j: Int, p: SymmetricSTDPParameters,
                                    seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        let t: Float = 1234.5
        let (w0, st) = fixture(preCount: preCount, postCount: postCount, seed: seed, t: t, p: p)
        var fast = w0, reference = w0
        st.withUnsafeBufferPointer { st in
            fast.withUnsafeMutableBufferPointer { w in
                SymmetricSTDP.postsynapticColumn(w.baseAddress! + j, stride: postCount, preSpikeTimesMs: st, tMs: t, parameters: p)
            }
            reference.withUnsafeMutableBufferPointer { w in
                SymmetricSTDP.referencePostsynapticColumn(w.baseAddress! + j, stride: postCount, preSpikeTimesMs: st, tMs: t, parameters: p)
            }
        }
        var changed = 0, mismatches = 0
        for s in 0..<w0.count {
            if s % postCount != j {
                XCTAssertEqual(fast[s].bitPattern, w0[s].bitPattern, "synapse \(s) outside column \(j) changed", file: file, line: line)
                continue
            }
            if fast[s] != w0[s] { changed += 1 }
            if fast[s].bitPattern != reference[s].bitPattern {
                mismatches += 1
                if mismatches <= 5 {
                    XCTFail("pre \(s / postCount): kernel \(fast[s]) vs reference \(reference[s]) (st \(st[s / postCount]))",
                            file: file, line: line)
                }
            }
        }
        XCTAssertEqual(mismatches, 0, file: file, line: line)
        XCTAssertGreaterThan(changed, preCount / 2, "most weights of the column move", file: file, line: line)
    }

    func testTheKernelMatchesTheReferenceOnTheMNISTShapeAndParameters() {
        // 20 000 KCs × 10 MBONs; a non-multiple of 16 is covered by the next test.
        assertColumnsAgree(preCount: 20_000, postCount: 10, column: 3, p: .mnistMushroomBody, seed: 1)
    }

    func testTheKernelMatchesTheReferenceWithAScalarTailAndLargeSteps() {
        let p = SymmetricSTDPParameters(tauMs: 10, rho: 0.2, eta: 0.1, wMin: 0, wMax: 1)
        for (n, seed) in [(1, UInt64(2)), (15, 3), (17, 4), (1_003, 5)] {
            assertColumnsAgree(preCount: n, postCount: 4, column: 0, p: p, seed: seed)
            assertColumnsAgree(preCount: n, postCount: 4, column: 3, p: p, seed: seed + 100)
        }
    }

    func testTheKernelMatchesTheReferenceWhenRhoGivesNoFloorShortcut() {
        for rho: Float in [0, -0.05] {
            let p = SymmetricSTDPParameters(tauMs: 15, rho: rho, eta: 0.01, wMin: -1, wMax: 1)
            assertColumnsAgree(preCount: 333, postCount: 2, column: 1, p: p, seed: 9)
        }
    }

    func testTheFloorIsExactlyMinusATenthOfRhoTimesEta() {
        // A never-spiked KC: timing = max(0 − rho, −0.1·rho) = −0.1·rho.
        let p = SymmetricSTDPParameters.mnistMushroomBody
        var w: [Float] = [0.01, 0.01]
        let st: [Float] = [-.greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        st.withUnsafeBufferPointer { st in
            w.withUnsafeMutableBufferPointer { w in
                SymmetricSTDP.postsynapticColumn(w.baseAddress!, stride: 1, preSpikeTimesMs: st, tMs: 20, parameters: p)
            }
        }
        XCTAssertEqual(w, [Float](repeating: 0.01 + 0.00002 * (-0.1 * 0.01), count: 2))
    }
}
