/// One member's gene values, in the order of its ``GeneSet``.
///
/// A thin wrapper over `[Double]` that reads and writes as a plain array (also when coded).
/// Equality and hashing compare bit patterns, so a genotype always equals itself (even
/// holding a NaN) and `0.0` differs from `-0.0`: equal genotypes are identical values.
/// Look values up by name through ``GeneSet/value(_:in:)``.
public struct Genotype: Sendable, Hashable, Codable, RandomAccessCollection, MutableCollection,
    ExpressibleByArrayLiteral, CustomStringConvertible
{
    /// The values, one per gene, in gene order.
    public var values: [Double]

    public init(_ values: [Double]) { self.values = values }
    public init(arrayLiteral elements: Double...) { values = elements }

    public var startIndex: Int { values.startIndex }
    public var endIndex: Int { values.endIndex }
    public subscript(position: Int) -> Double {
        get { values[position] }
        set { values[position] = newValue }
    }

    public static func == (a: Genotype, b: Genotype) -> Bool {
        a.values.count == b.values.count
            && zip(a.values, b.values).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(values.count)
        for v in values { hasher.combine(v.bitPattern) }
    }

    public init(from decoder: Decoder) throws {
        values = try decoder.singleValueContainer().decode([Double].self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values)
    }

    public var description: String { values.description }
}
