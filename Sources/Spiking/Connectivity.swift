#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Randomness

/// Which presynaptic neurons connect to which postsynaptic ones.
public enum Connectivity: Sendable, Hashable {
    /// Every pre neuron to every post neuron (GeNN `DENSE`). Individual weights are stored
    /// row-major, pre × post.
    case dense
    /// A sparse matrix in compressed rows: the targets of pre neuron i are
    /// `targets[rowStart[i] ..< rowStart[i + 1]]`, in non-decreasing order.
    case sparse(SparseRows)
}

/// Compressed-row sparse connectivity (GeNN `SPARSE`).
public struct SparseRows: Sendable, Hashable {
    /// `rowStart.count == preCount + 1`; `rowStart[0] == 0`; non-decreasing.
    public let rowStart: [Int32]
    /// Target indices, each in `0 ..< postCount`, non-decreasing within a row. A target may
    /// repeat (``fixedNumberPreWithReplacement(preCount:postCount:numberPerPost:using:)``):
    /// each copy is a synapse of its own and transmits.
    public let targets: [Int32]

    public init(rowStart: [Int32], targets: [Int32]) {
        self.rowStart = rowStart; self.targets = targets
    }

    public var synapseCount: Int { targets.count }

    /// Each (pre, post) pair connected independently with `probability` (GeNN's
    /// `FixedProbability`), generated row by row with geometric skips, as GeNN does:
    /// the gap to the next target is ⌊ln(u) / ln(1 − p)⌋ for u uniform in (0, 1].
    /// `probability` ≤ 0 gives no synapses; ≥ 1 gives all of them.
    public static func fixedProbability(preCount: Int, postCount: Int, probability: Double,
                                        using rng: inout some RandomNumberGenerator) -> SparseRows {
        var rowStart = [Int32](); rowStart.reserveCapacity(preCount + 1)
        var targets = [Int32]()
        targets.reserveCapacity(Int(Double(preCount * postCount) * max(0, min(1, probability)) * 1.1) + 16)
        rowStart.append(0)
        if probability >= 1 {
            for _ in 0..<preCount {
                for j in 0..<postCount { targets.append(Int32(j)) }
                rowStart.append(Int32(targets.count))
            }
        } else if probability > 0, postCount > 0 {
            let logQ = log1p(-probability)
            for _ in 0..<preCount {
                var j = -1
                while true {
                    let u = 1.0 - rng.nextUniformDouble()  // (0, 1]
                    let skip = (log(u) / logQ).rounded(.down)
                    if skip >= Double(postCount - j - 1) { break }
                    j += Int(skip) + 1
                    targets.append(Int32(j))
                }
                rowStart.append(Int32(targets.count))
            }
        } else {
            rowStart.append(contentsOf: repeatElement(0, count: preCount))
        }
        return SparseRows(rowStart: rowStart, targets: targets)
    }
}

extension SparseRows {
    /// Every postsynaptic neuron gets exactly `numberPerPost` presynaptic partners drawn
    /// uniformly with replacement (GeNN's `FixedNumberPreWithReplacement`, the PN→KC fan-in of
    /// the MNIST mushroom body): duplicates are allowed and each is a separate synapse.
    ///
    /// Draws, as GeNN's column-build code does: for each post j in order, `numberPerPost` times,
    /// `pre = ⌈u · preCount⌉ − 1` with u uniform in (0, 1] (`1 − nextUniformDouble()`). The
    /// result is stored pre-major (compressed rows) so a presynaptic spike walks one row; within
    /// a row, targets are in increasing post order. The matrix is a function of the generator's
    /// state: the same seed gives the same matrix. O(preCount + postCount·numberPerPost).
    ///
    /// - Precondition: `numberPerPost >= 0`; `preCount > 0` unless `numberPerPost == 0`.
    public static func fixedNumberPreWithReplacement(preCount: Int, postCount: Int, numberPerPost: Int,
                                                     using rng: inout some RandomNumberGenerator) -> SparseRows {
        precondition(numberPerPost >= 0 && postCount >= 0 && preCount >= 0, "counts must be non-negative")
        precondition(preCount > 0 || numberPerPost == 0 || postCount == 0, "no presynaptic neurons to draw from")
        let total = postCount * numberPerPost
        var drawn = [Int32](repeating: 0, count: total)   // pre index of each (post, c), post-major
        var rowLength = [Int32](repeating: 0, count: preCount)
        let n = Double(preCount)
        for s in 0..<total {
            let u = 1.0 - rng.nextUniformDouble()  // (0, 1]
            let i = min(preCount - 1, max(0, Int((u * n).rounded(.up)) - 1))
            drawn[s] = Int32(i)
            rowLength[i] += 1
        }
        var rowStart = [Int32](repeating: 0, count: preCount + 1)
        for i in 0..<preCount { rowStart[i + 1] = rowStart[i] + rowLength[i] }
        var next = Array(rowStart.dropLast())
        var targets = [Int32](repeating: 0, count: total)
        for s in 0..<total {  // s runs in post order, so each row fills in increasing post order
            let i = Int(drawn[s])
            targets[Int(next[i])] = Int32(s / numberPerPost)
            next[i] += 1
        }
        return SparseRows(rowStart: rowStart, targets: targets)
    }
}

/// Synaptic weights: one shared value, or one per synapse.
public enum SynapticWeights: Sendable, Hashable {
    /// One weight for every synapse (GeNN `GLOBALG`).
    case global(Float)
    /// One weight per synapse (GeNN `INDIVIDUALG`): row-major pre × post for dense
    /// connectivity, in `targets` order for sparse.
    case individual([Float])
}
