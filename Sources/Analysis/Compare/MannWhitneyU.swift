import Foundation

/// The two-sided Mann–Whitney U test (Wilcoxon rank-sum) of two independent samples, as
/// `scipy.stats.mannwhitneyu(a, b, alternative="two-sided")` computes it with its default
/// `method="auto"` and `use_continuity=True` (docs/compare.md).
///
/// - `u` is U of the first sample: the number of pairs (a, b) with a > b, ties counting ½;
///   `n1·n2 − u` is U of the second.
/// - **Exact** p-value when at least one sample has 8 values or fewer and no value is tied
///   (across or within the samples): the null distribution of U is counted over every way of
///   choosing the first sample's ranks, p = min(1, 2·P(U ≥ max(U₁, U₂))).
/// - Otherwise the **normal approximation with tie correction and continuity correction**:
///   σ² = n1·n2/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))) over the sizes t of groups of tied values,
///   z = (max(U₁, U₂) − n1·n2/2 − ½)/σ, p = min(1, 2·(1 − Φ(z))). When every value is tied
///   (σ = 0) p is 1.
/// - Effect size: the rank-biserial correlation r = 2·U₁/(n1·n2) − 1, from −1 (every value of
///   the first sample below every value of the second) to +1 (every one above); and the
///   common-language effect size U₁/(n1·n2) = P(a > b) + ½·P(a = b).
///
/// NaN values are left out before testing. Complexity: ranking O(n log n); the exact
/// distribution O(n·m²·(n − m)) time and O(m²·(n − m)) memory for m = min(n1, n2) ≤ 8.
public struct MannWhitneyU: Sendable, Hashable {
    /// How the p-value was computed.
    public enum Method: String, Sendable, Hashable {
        /// The exact null distribution of U (no ties, a sample of at most 8 values).
        case exact
        /// The normal approximation with tie correction and continuity correction.
        case normalApproximation = "normal_approximation"
    }

    /// Sample sizes (NaN values left out).
    public var n1: Int
    public var n2: Int
    /// U of the first sample.
    public var u: Double
    /// Two-sided p-value.
    public var p: Double
    public var method: Method
    /// Whether any value occurs more than once in the pooled samples.
    public var hasTies: Bool
    /// z of the normal approximation (nil for the exact method).
    public var z: Double?
    /// Rank-biserial correlation 2·U₁/(n1·n2) − 1.
    public var rankBiserial: Double
    /// U₁/(n1·n2): the probability that a value of the first sample beats one of the second (ties ½).
    public var commonLanguage: Double

    /// The most values the smaller sample may have for the exact method (scipy's rule).
    public static let exactLimit = 8

    /// Tests `a` against `b`; nil when either has no (non-NaN) value.
    public init?(_ a: [Double], _ b: [Double]) {
        let x = a.filter { !$0.isNaN }, y = b.filter { !$0.isNaN }
        guard !x.isEmpty, !y.isEmpty else { return nil }
        n1 = x.count
        n2 = y.count
        let (ranks, tieSizes) = Self.ranks(x + y)
        let r1 = ranks[0..<n1].reduce(0, +)
        let m1 = Double(n1), m2 = Double(n2)
        u = r1 - m1 * (m1 + 1) / 2
        let u2 = m1 * m2 - u
        let larger = max(u, u2)
        hasTies = tieSizes.contains { $0 > 1 }
        rankBiserial = 2 * u / (m1 * m2) - 1
        commonLanguage = u / (m1 * m2)
        if (n1 <= Self.exactLimit || n2 <= Self.exactLimit) && !hasTies {
            method = .exact
            z = nil
            p = min(1, 2 * Self.exactUpperTail(Int(larger.rounded()), n1, n2))
        } else {
            method = .normalApproximation
            let n = m1 + m2
            let tieTerm = tieSizes.reduce(0.0) { $0 + Double($1) * Double($1) * Double($1) - Double($1) }
            let sigma = (m1 * m2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            let numerator = larger - m1 * m2 / 2 - 0.5
            if sigma > 0 {
                let zValue = numerator / sigma
                z = zValue
                p = min(1, 2 * Self.normalUpperTail(zValue))
            } else {
                z = nil
                p = 1
            }
        }
    }

    /// Mid-ranks (1-based; tied values share the mean of their ranks) of `values`, in their
    /// order, and the size of each group of equal values.
    static func ranks(_ values: [Double]) -> (ranks: [Double], tieSizes: [Int]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var sizes: [Int] = []
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let mid = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = mid }
            sizes.append(j - i + 1)
            i = j + 1
        }
        return (ranks, sizes)
    }

    /// P(U ≥ u) under the null hypothesis for samples of n1 and n2 distinct values.
    ///
    /// Counts the ways to place the m = min(n1, n2) values of one sample among n1 + n2 ordered
    /// positions by the U they give: a value placed after j values of the other sample adds j.
    /// The null distribution of U depends on the two sizes only, not on which sample is which.
    public static func exactUpperTail(_ u: Int, _ n1: Int, _ n2: Int) -> Double {
        let m = min(n1, n2), n = max(n1, n2)
        let maxU = m * n
        if u <= 0 { return 1 }
        if u > maxU { return 0 }
        // ways[k][s]: placements of k values of the small sample among the positions so far with sum s.
        var ways = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: m + 1)
        ways[0][0] = 1
        for position in 0..<(m + n) {
            for k in stride(from: min(m, position + 1), through: 1, by: -1) {
                let before = position - (k - 1)  // values of the other sample before this position
                guard before >= 0, before <= n else { continue }
                let row = ways[k - 1]
                for s in stride(from: maxU - before, through: 0, by: -1) where row[s] != 0 {
                    ways[k][s + before] += row[s]
                }
            }
        }
        let total = ways[m].reduce(0, +)
        let tail = ways[m][u...].reduce(0, +)
        return tail / total
    }

    /// 1 − Φ(z) for the standard normal distribution.
    static func normalUpperTail(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }
}
