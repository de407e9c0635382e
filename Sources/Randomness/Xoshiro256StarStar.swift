/// The xoshiro256** pseudo-random generator (Blackman and Vigna, 2018).
///
/// 256 bits of state, period 2²⁵⁶ − 1, passes BigCrush. Deterministic: the same seed gives
/// the same stream on every platform and build. Seed it with ``init(seed:)``, which expands a
/// 64-bit seed through SplitMix64 as the authors recommend, so that nearby seeds give
/// unrelated streams.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The four state words; never all zero.
    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose state is expanded from `seed` by SplitMix64.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
        if state == (0, 0, 0, 0) { state.0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// A generator resumed from a saved ``state`` (for checkpoints).
    ///
    /// - Precondition: the words are not all zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.state = state
    }

    /// The state as an array of four words, in order (for storage).
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    public static func == (a: Self, b: Self) -> Bool { a.stateWords == b.stateWords }
    public func hash(into hasher: inout Hasher) { hasher.combine(stateWords) }

    enum CodingKeys: String, CodingKey { case state }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let w = try c.decode([UInt64].self, forKey: .state)
        guard w.count == 4, w != [0, 0, 0, 0] else {
            throw DecodingError.dataCorruptedError(forKey: .state, in: c, debugDescription: "expected four words, not all zero")
        }
        self.init(state: (w[0], w[1], w[2], w[3]))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stateWords, forKey: .state)
    }
}
