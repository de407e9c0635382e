/// A uniform integer in `0 ..< bound` by Lemire's nearly divisionless method (2019).
///
/// Consumes one 64-bit draw, and more only on the rare rejection (probability below
/// `bound / 2⁶⁴`). Written out here rather than taken from the standard library's
/// `random(in:using:)` so that the mapping from draws to integers is part of this module's
/// contract and cannot change with the toolchain.
///
/// - Precondition: `bound > 0`.
func uniformWord(below bound: UInt64, using rng: inout some RandomNumberGenerator) -> UInt64 {
    precondition(bound > 0, "uniform integer below zero")
    var m = rng.next().multipliedFullWidth(by: bound)
    if m.low < bound {
        let threshold = (0 &- bound) % bound
        while m.low < threshold { m = rng.next().multipliedFullWidth(by: bound) }
    }
    return m.high
}

/// A uniform index in `0 ..< count` (see ``uniformWord(below:using:)``).
func uniformIndex(below count: Int, using rng: inout some RandomNumberGenerator) -> Int {
    precondition(count > 0, "uniform index below zero")
    return Int(uniformWord(below: UInt64(count), using: &rng))
}

/// `k` distinct positions in `0 ..< n`, every k-subset equally likely, in the order drawn.
///
/// A partial Fisher–Yates shuffle of `[0, 1, …, n − 1]`: for `i` in `0 ..< k`, swap slot `i`
/// with slot `i + uniformIndex(below: n − i)`; the first `k` slots are the answer. Consumes
/// exactly `k` index draws.
func distinctPositions(
    _ k: Int, of n: Int, using rng: inout some RandomNumberGenerator
) -> [Int] {
    precondition(k >= 0 && k <= n, "cannot choose \(k) of \(n)")
    var slots = Array(0..<n)
    for i in 0..<k {
        let j = i + uniformIndex(below: n - i, using: &rng)
        slots.swapAt(i, j)
    }
    return Array(slots[0..<k])
}
