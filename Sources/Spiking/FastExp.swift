#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vectorised `exp` for `SIMD16<Float>`, the workhorse of the TraubMiles kernel.
///
/// Method: Cody–Waite range reduction `x = n·ln2 + r` with `|r| ≤ ln2/2`, Cephes' degree-6
/// minimax polynomial for `eʳ`, and `2ⁿ` built directly in the exponent bits. The rounding
/// of `x·log2(e)` to an integer uses the add-and-subtract-1.5·2²³ trick, which stays inline
/// (generic SIMD rounding and Float↔Int conversions compile to out-of-line calls).
///
/// Accuracy: within 2 ulp of glibc's `expf` for x in [−87.3, 88.7] (checked by
/// `FastExpTests` over a dense grid). Outside that range the result is `0` below and `+∞`
/// above, as `expf` gives (to within its subnormal tail, which this flushes to zero).
/// NaN in, NaN out.
///
/// Every operation is an elementwise IEEE operation with no fused multiply-add, so the
/// result is identical for any vector width or build.
@inlinable @inline(__always)
public func fastExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let log2e: Float = 1.44269504088896341
    let shifter: Float = 12582912.0  // 1.5·2²³
    let t = x * log2e + shifter
    let n = t - shifter
    // r = x − n·ln2, in two parts for accuracy.
    var r = x - n * 0.693359375
    r = r - n * -2.12194440e-4
    var p: SIMD16<Float> = SIMD16(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let r2 = r * r
    let er = p * r2 + r + 1
    // 2ⁿ from the bits of t: t = 1.5·2²³ + n exactly, so bits(t) − bits(1.5·2²³) = n.
    // n reaches 128 for x in (88.38, 88.72], where 2ⁿ overflows though eʳ·2ⁿ does not:
    // there build 2ⁿ⁻¹ and double eʳ (exact) instead.
    let big = x .> 88
    var bias = SIMD16<UInt32>(repeating: 127)
    bias.replace(with: 126, where: big)
    let tb = unsafeBitCast(t, to: SIMD16<UInt32>.self)
    let scaleBits = (tb &- 0x4B40_0000 &+ bias) &<< 23
    let scale = unsafeBitCast(scaleBits, to: SIMD16<Float>.self)
    var result = er.replacing(with: er + er, where: big) * scale
    result.replace(with: 0, where: x .< -87.33654)
    result.replace(with: .infinity, where: x .> 88.72283)
    return result
}

/// Scalar twin of ``fastExp(_:)`` (same algorithm, same results lane by lane), for tests and
/// the scalar tail of vector loops.
@inlinable
public func fastExp(_ x: Float) -> Float {
    fastExp(SIMD16<Float>(repeating: x))[0]
}

/// glibc's single-precision `expf`, the library exponential GeNN's generated C code calls.
@inlinable @inline(__always)
public func libraryExp(_ x: Float) -> Float { expf(x) }
