import Evolution
import Foundation
import Randomness
import XCTest

/// Rounding, integrality, clipping, validation and lookup of genes.
final class GeneTests: XCTestCase {
    func testRoundingIsHalfAwayFromZero() {
        XCTAssertEqual(Gene.round(0.123_456_78, decimals: 4), 0.1235)
        XCTAssertEqual(Gene.round(0.123_44, decimals: 4), 0.1234)
        XCTAssertEqual(Gene.round(2.5, decimals: 0), 3)
        XCTAssertEqual(Gene.round(-2.5, decimals: 0), -3)
        XCTAssertEqual(Gene.round(0.125, decimals: 2), 0.13, "an exact binary tie goes away from zero, not to even")
        XCTAssertEqual(Gene.round(-0.125, decimals: 2), -0.13)
        XCTAssertEqual(Gene.round(1.234_567_891e-5, decimals: 8), 0.000_012_35)
        XCTAssertEqual(Gene.round(1e300, decimals: 8), 1e300, "too large to have decimals")
        XCTAssertTrue(Gene.round(.nan, decimals: 2).isNaN)
        XCTAssertEqual(Gene.round(.infinity, decimals: 2), .infinity)
        // The result is the double nearest the decimal, so it prints as that decimal.
        XCTAssertEqual(String(Gene.round(0.299_96, decimals: 4)), "0.3")
        XCTAssertEqual(String(Gene.round(0.7, decimals: 2)), "0.7")
    }

    func testDrawsOfTheSeedGenesAreOnTheirGridAndWithinTheirSupport() {
        var rng = Xoshiro256StarStar(seed: 21)
        for gene in seedGenes {
            for _ in 0..<2_000 {
                let x = gene.draw(using: &rng)
                XCTAssertTrue(gene.prior.support.contains(x), "\(gene.name) = \(x)")
                if let decimals = gene.decimals { XCTAssertEqual(Gene.round(x, decimals: decimals), x) }
                if gene.isInteger { XCTAssertEqual(x, x.rounded()) }
            }
        }
    }

    func testDrawIsThePriorSampleConstrained() {
        let gene = seedGenes[1]
        var rng = Xoshiro256StarStar(seed: 22)
        var reference = rng
        for _ in 0..<100 {
            let raw = gene.prior.sample(using: &reference)
            XCTAssertEqual(gene.draw(using: &rng), Gene.round(raw, decimals: 4))
        }
        XCTAssertEqual(rng, reference)
    }

    func testBoundsClip() {
        let gene = Gene(name: "g", prior: .uniform(lower: 0, upper: 10), lowerBound: 2, upperBound: 3)
        var rng = Xoshiro256StarStar(seed: 23)
        let xs = (0..<10_000).map { _ in gene.draw(using: &rng) }
        XCTAssertTrue(xs.allSatisfy { $0 >= 2 && $0 <= 3 })
        assertBinomial(xs.filter { $0 == 2 }.count, trials: xs.count, p: 0.2, "clipped up to the lower bound")
        assertBinomial(xs.filter { $0 == 3 }.count, trials: xs.count, p: 0.7, "clipped down to the upper bound")
        XCTAssertEqual(gene.range, 2...3)
    }

    func testConstrainRoundsThenClips() {
        let gene = Gene(name: "g", prior: .uniform(lower: 0, upper: 1), decimals: 2, lowerBound: 0.1, upperBound: 0.9)
        XCTAssertEqual(gene.constrain(0.123), 0.12)
        XCTAssertEqual(gene.constrain(0.095), 0.1)
        XCTAssertEqual(gene.constrain(0.01), 0.1)
        XCTAssertEqual(gene.constrain(0.999), 0.9)
        XCTAssertEqual(gene.validate(), [])
    }

    func testIntegerFlagRoundsToIntegers() {
        let gene = Gene(name: "n", prior: .normal(mean: 10, sd: 3), isInteger: true)
        var rng = Xoshiro256StarStar(seed: 24)
        let xs = (0..<5_000).map { _ in gene.draw(using: &rng) }
        XCTAssertTrue(xs.allSatisfy { $0 == $0.rounded() })
        XCTAssertGreaterThan(Set(xs).count, 10)
        XCTAssertEqual(gene.constrain(2.5), 3)
        XCTAssertEqual(gene.constrain(-2.5), -3)
        XCTAssertFalse(Gene(name: "x", prior: .integerUniform(lower: 0, upper: 3), isInteger: false).constrain(1.5) == 2)
    }

    func testGeneValidationNamesTheField() {
        func fields(_ g: Gene) -> [String] { g.validate().map(\.field) }
        let unit = Prior.uniform(lower: 0, upper: 1)
        XCTAssertEqual(fields(Gene(name: "", prior: unit)), ["gene.name"])
        XCTAssertEqual(fields(Gene(name: "g", prior: .uniform(lower: 1, upper: 0))), ["g.prior.lower"])
        XCTAssertEqual(fields(Gene(name: "g", prior: unit, decimals: 16)), ["g.decimals"])
        XCTAssertEqual(fields(Gene(name: "g", prior: unit, decimals: -1)), ["g.decimals"])
        XCTAssertEqual(fields(Gene(name: "g", prior: unit, lowerBound: .nan)), ["g.lowerBound"])
        XCTAssertEqual(fields(Gene(name: "g", prior: unit, lowerBound: 0.8, upperBound: 0.2)), ["g.lowerBound"])
        XCTAssertEqual(fields(Gene(name: "g", prior: unit, lowerBound: 2)), ["g.lowerBound"], "misses the support")
        XCTAssertEqual(fields(Gene(name: "g", prior: unit, upperBound: -1)), ["g.upperBound"], "misses the support")
        XCTAssertEqual(fields(Gene(name: "g", prior: unit, decimals: 2, upperBound: 0.555)), ["g.upperBound"], "off the grid")
        XCTAssertEqual(fields(Gene(name: "g", prior: .integerUniform(lower: 0, upper: 9), upperBound: 4.5)), ["g.upperBound"])
        for gene in seedGenes { XCTAssertEqual(gene.validate(), []) }
    }

    func testGeneSet() throws {
        XCTAssertEqual(seedGenes.validate(), [])
        XCTAssertEqual(seedGenes.names, ["kc_count", "stdp_tau", "stdp_alpha", "w_max", "stdp_offset", "teacher"])
        XCTAssertEqual(seedGenes.index(of: "w_max"), 3)
        XCTAssertNil(seedGenes.index(of: "nope"))
        let genotype: Genotype = [100, 12.5, 1e-6, 0.5, 2e-7, 1.25]
        XCTAssertEqual(seedGenes.value("teacher", in: genotype), 1.25)
        XCTAssertNil(seedGenes.value("nope", in: genotype))
        XCTAssertEqual(seedGenes.dictionary(genotype)["kc_count"], 100)

        XCTAssertEqual(GeneSet([]).validate().map(\.field), ["genes"])
        let twice = GeneSet([seedGenes[0], seedGenes[0]])
        XCTAssertEqual(twice.validate().map(\.field), ["genes"])

        var rng = Xoshiro256StarStar(seed: 25)
        var reference = rng
        let drawn = seedGenes.draw(using: &rng)
        XCTAssertEqual(drawn.values, seedGenes.map { $0.draw(using: &reference) }, "gene by gene, in order")
    }

    func testGenotypeCodesAsAPlainArrayAndComparesBits() throws {
        let g: Genotype = [1, 2.5]
        XCTAssertEqual(String(decoding: try JSONEncoder().encode(g), as: UTF8.self), "[1,2.5]")
        XCTAssertEqual(try JSONDecoder().decode(Genotype.self, from: Data("[1,2.5]".utf8)), g)
        let nan: Genotype = [.nan]
        XCTAssertEqual(nan, nan)
        XCTAssertNotEqual(Genotype([0.0]), Genotype([-0.0]))
    }
}
