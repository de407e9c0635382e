import Randomness

/// The seed tree of a run: every random stream is a pure function of the master seed and
/// its place in the run, never of thread count or the order evaluations finish in.
///
/// - replicate r: `SeedTree(master).child(r)`;
/// - the GA's stream of replicate r: `replicate(r).child("ga")`;
/// - evaluation row e of replicate r (row e of its evaluations table; the initial
///   population is rows 0…P−1 and tournament t's child is row P + t):
///   `replicate(r).child("evaluations").child(e)`, whose seed drives the wiring, the initial
///   weights and the Poisson input (``MushroomBody``); with K networks per genotype, network
///   k ≥ 1 takes `child("seeds").child(k)` of that seed.
public struct RunSeeds: Sendable, Hashable {
    public let master: UInt64

    public init(master: UInt64) { self.master = master }

    /// The seed of replicate `r`.
    public func replicate(_ r: Int) -> SeedTree { SeedTree(master).child(UInt64(r)) }

    /// The GA's generator of replicate `r`, freshly seeded.
    public func gaGenerator(replicate r: Int) -> Xoshiro256StarStar { replicate(r).child("ga").generator() }

    /// The seed of evaluation row `e` of replicate `r`.
    public func evaluation(replicate r: Int, row e: Int) -> UInt64 {
        replicate(r).child("evaluations").child(UInt64(e)).seed
    }

    /// The seed of network `k` of evaluation row `e` when each genotype is evaluated on K
    /// networks (`evaluation.seeds`): network 0 is ``evaluation(replicate:row:)`` itself (so a
    /// K = 1 run is unchanged), network k ≥ 1 is
    /// `SeedTree(evaluation(r, e)).child("seeds").child(k)`.
    public func evaluation(replicate r: Int, row e: Int, seedIndex k: Int) -> UInt64 {
        let base = evaluation(replicate: r, row: e)
        return k == 0 ? base : SeedTree(base).child("seeds").child(UInt64(k)).seed
    }
}
