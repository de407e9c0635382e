/// The ordered genes of an experiment; gene order is genotype order.
///
/// Invariant (when ``validate()`` is empty): at least one gene, names unique, every gene
/// valid.
public struct GeneSet: Sendable, Hashable, Codable, RandomAccessCollection {
    /// The genes, in genotype order.
    public let genes: [Gene]

    public init(_ genes: [Gene]) { self.genes = genes }

    public var startIndex: Int { genes.startIndex }
    public var endIndex: Int { genes.endIndex }
    public subscript(position: Int) -> Gene { genes[position] }

    /// The gene names, in order.
    public var names: [String] { genes.map(\.name) }

    /// The position of the gene called `name`, if there is one.
    public func index(of name: String) -> Int? { genes.firstIndex { $0.name == name } }

    /// The value of the gene called `name` in `genotype`, nil if there is no such gene or the
    /// genotype is too short.
    public func value(_ name: String, in genotype: Genotype) -> Double? {
        guard let i = index(of: name), i < genotype.count else { return nil }
        return genotype[i]
    }

    /// `genotype` as name → value (for records and for building a model's parameters).
    ///
    /// - Precondition: `genotype.count == count`.
    public func dictionary(_ genotype: Genotype) -> [String: Double] {
        precondition(genotype.count == count, "genotype of \(genotype.count) values for \(count) genes")
        return Dictionary(uniqueKeysWithValues: zip(names, genotype.values))
    }

    /// A new genotype: ``Gene/draw(using:)`` of each gene, in gene order.
    public func draw(using rng: inout some RandomNumberGenerator) -> Genotype {
        var values: [Double] = []
        values.reserveCapacity(genes.count)
        for gene in genes { values.append(gene.draw(using: &rng)) }
        return Genotype(values)
    }

    /// Every problem with the set; empty when valid.
    public func validate() -> [InvalidParameter] {
        var problems: [InvalidParameter] = []
        if genes.isEmpty {
            problems.append(InvalidParameter(field: "genes", reason: "at least one gene is needed"))
        }
        var seen: Set<String> = []
        for gene in genes {
            if !seen.insert(gene.name).inserted {
                problems.append(InvalidParameter(field: "genes", reason: "two genes are called '\(gene.name)'"))
            }
            problems += gene.validate()
        }
        return problems
    }
}
