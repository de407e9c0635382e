import XCTest
import Randomness
import Spiking

/// The SIMD16 kernel `LIF.step` against the one-neuron `LIF.referenceStep`: the same Float
/// operations in the same order, so they must agree bit for bit, lane by lane, spikes included.
final class LIFKernelTests: XCTestCase {
    private func sameFloat(_ a: Float, _ b: Float) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    private func assertKernelMatchesReference(_ p: LIFParameters, steps: Int, seed: UInt64,
                                              initialV: (Int) -> Float, initialR: (Int) -> Float,
                                              current: (inout Xoshiro256StarStar, Int) -> Float,
                                              file: StaticString = #filePath, line: UInt = #line) -> Int {
        let c = LIFConstants(parameters: p, dtMs: Double(dt))
        var rng = Xoshiro256StarStar(seed: seed)
        var V = SIMD16<Float>(), R = SIMD16<Float>()
        var refV = [Float](repeating: 0, count: 16), refR = refV
        for i in 0..<16 { V[i] = initialV(i); R[i] = initialR(i); refV[i] = V[i]; refR[i] = R[i] }
        var spikes = 0
        for k in 0..<steps {
            var I = SIMD16<Float>()
            for i in 0..<16 { I[i] = current(&rng, i) }
            let mask = LIF.step(V: &V, refracTimeMs: &R, isyn: I, dtMs: dt, parameters: p, constants: c)
            for i in 0..<16 {
                let spiked = LIF.referenceStep(V: &refV[i], refracTimeMs: &refR[i], isyn: I[i], dtMs: dt,
                                               parameters: p, constants: c)
                if spiked { spikes += 1 }
                guard mask[i] == spiked, sameFloat(V[i], refV[i]), sameFloat(R[i], refR[i]) else {
                    XCTFail("step \(k), lane \(i): kernel (spike \(mask[i]), V \(V[i]), R \(R[i])) vs reference "
                            + "(spike \(spiked), V \(refV[i]), R \(refR[i]))", file: file, line: line)
                    return spikes
                }
            }
        }
        return spikes
    }

    func testKernelMatchesTheReferenceBitForBitUnderNoisyInput() {
        let p = LIFParameters()  // GeNN's MNIST KC/MBON parameters
        let spikes = assertKernelMatchesReference(
            p, steps: 3000, seed: 7,
            initialV: { -70 + Float($0) * 1.5 }, initialR: { $0 % 3 == 0 ? 1.05 : 0 },
            current: { rng, i in Float(rng.nextUniformDouble()) * 0.25 * Float(i) / 4 })
        XCTAssertGreaterThan(spikes, 100, "lanes must spike and go refractory for the test to mean anything")
    }

    func testKernelMatchesTheReferenceWithOffsetCurrentAndDistinctResetAndRest() {
        let p = LIFParameters(C: 0.5, TauM: 10, Vrest: -65, Vreset: -70, Vthresh: -52, Ioffset: 0.7,
                              TauRefrac: 0.75, initialV: -80)
        let spikes = assertKernelMatchesReference(
            p, steps: 3000, seed: 11,
            initialV: { _ in -80 }, initialR: { Float($0) * 0.1 - 0.5 },
            current: { rng, _ in Float(rng.nextStandardNormal()) * 0.5 })
        XCTAssertGreaterThan(spikes, 100)
    }

    func testNonFiniteLanesBehaveAsInTheReferenceAndNeverSpike() {
        let p = LIFParameters()
        let specials: [Float] = [.nan, .infinity, -.infinity, .greatestFiniteMagnitude]
        let spikes = assertKernelMatchesReference(
            p, steps: 50, seed: 3,
            initialV: { $0 < 4 ? specials[$0] : -60 }, initialR: { $0 == 5 ? .nan : 0 },
            current: { _, i in i == 6 ? .nan : (i == 7 ? .infinity : 0.2) })
        XCTAssertGreaterThan(spikes, 0)
    }
}
