/// Derives independent child seeds from a parent seed and a path of labels.
///
/// A seed tree makes every random stream of a run a pure function of the master seed and the
/// stream's place in the run (replicate r, evaluation e, purpose p), never of which thread ran
/// it or when. `SeedTree(master).child(r).child(e)` is the same value on every machine.
///
/// Derivation: `child(label) = mix(mix(seed ^ domain) &+ label·φ)`, with SplitMix64's
/// finaliser `mix` and the golden-ratio constant φ; different labels or depths give unrelated
/// seeds.
public struct SeedTree: Sendable, Hashable, Codable {
    /// The seed at this node.
    public let seed: UInt64

    public init(_ seed: UInt64) { self.seed = seed }

    /// The child node for `label`.
    public func child(_ label: UInt64) -> SeedTree {
        let a = SplitMix64.mix(seed ^ 0x6A09_E667_F3BC_C909)
        return SeedTree(SplitMix64.mix(a &+ (label &+ 1) &* 0x9E37_79B9_7F4A_7C15))
    }

    /// The child node for a textual purpose (for example "ga" or "poisson").
    public func child(_ purpose: String) -> SeedTree {
        // FNV-1a over the UTF-8 bytes: stable across runs and platforms, unlike `Hasher`.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in purpose.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return child(h)
    }

    /// A generator seeded from this node.
    public func generator() -> Xoshiro256StarStar { Xoshiro256StarStar(seed: seed) }
}

extension RandomNumberGenerator {
    /// A uniform `Float` in [0, 1), from the top 24 bits of one draw (every value a multiple
    /// of 2⁻²⁴, as GeNN's and CUDA's uniform generators produce).
    @inlinable
    public mutating func nextUniformFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform `Double` in [0, 1), from the top 53 bits of one draw.
    @inlinable
    public mutating func nextUniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal `Double` by the Box–Muller transform (two uniform draws each call).
    @inlinable
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1.0 - nextUniformDouble()  // (0, 1]
        let u2 = nextUniformDouble()
        return (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@usableFromInline func _log(_ x: Double) -> Double { Darwin.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
