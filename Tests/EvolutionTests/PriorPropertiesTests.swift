import Evolution
import Foundation
import XCTest

/// Support, integrality, description, validation and coding of priors.
final class PriorPropertiesTests: XCTestCase {
    func testDescriptionsOfTheSeedPriors() {
        XCTAssertEqual(seedGenes.map(\.prior.description), [
            "integer_uniform(0, 2199)",
            "product(integer_uniform(0, 99), uniform(0, 1))",
            "quotient(uniform(0, 1), integer_uniform(1, 999999))",
            "uniform(0, 1)",
            "quotient(uniform(0, 1), integer_uniform(1, 999999))",
            "product(uniform(0, 1), integer_uniform(1, 2))",
        ])
        XCTAssertEqual(Prior.logUniform(lower: 0.001, upper: 2.5).description, "log_uniform(0.001, 2.5)")
        XCTAssertEqual(Prior.normal(mean: 0.5, sd: 0.1).description, "normal(0.5, 0.1)")
        XCTAssertEqual(Prior.normal(mean: 0.5, sd: 0.1, lower: 0).description, "normal(0.5, 0.1, 0, inf)")
        XCTAssertEqual(Prior.choice([1, 2.5]).description, "choice([1, 2.5])")
        XCTAssertEqual(Prior.sum(.constant(-3), .constant(1e-9)).description, "sum(constant(-3), constant(1e-09))")
    }

    func testSupport() {
        let s = seedGenes.map(\.prior.support)
        XCTAssertEqual(s[0], 0...2199)
        XCTAssertEqual(s[1], 0...99)
        XCTAssertEqual(s[2], 0...1)
        XCTAssertEqual(s[3], 0...1)
        XCTAssertEqual(s[5], 0...2)
        XCTAssertEqual(Prior.normal(mean: 0, sd: 1).support, -Double.infinity...Double.infinity)
        XCTAssertEqual(Prior.normal(mean: 0, sd: 1, upper: 3).support, -Double.infinity...3)
        XCTAssertEqual(Prior.product(.uniform(lower: -2, upper: 1), .uniform(lower: -3, upper: 4)).support, -8...6)
        XCTAssertEqual(Prior.product(.constant(0), .normal(mean: 0, sd: 1)).support, 0...0)
        XCTAssertEqual(Prior.quotient(.constant(1), .choice([-1, 1])).support, -Double.infinity...Double.infinity)
        XCTAssertEqual(Prior.sum(.choice([1, 5]), .constant(2)).support, 3...7)
        XCTAssertEqual(Prior.uniform(lower: .nan, upper: 1).support, -Double.infinity...Double.infinity,
                       "an invalid prior's support does not trap")
    }

    func testIsInteger() {
        XCTAssertEqual(seedGenes.map(\.prior.isInteger), [true, false, false, false, false, false])
        XCTAssertTrue(Prior.product(.integerUniform(lower: 1, upper: 3), .choice([2, 4])).isInteger)
        XCTAssertTrue(Prior.sum(.constant(2), .integerUniform(lower: 0, upper: 1)).isInteger)
        XCTAssertFalse(Prior.choice([1, 2.5]).isInteger)
        XCTAssertFalse(Prior.quotient(.constant(4), .constant(2)).isInteger)
        XCTAssertEqual(seedGenes.map(\.isInteger), [true, false, false, false, false, false],
                       "a gene's integer flag defaults to its prior's")
    }

    func testValidPriorsHaveNoProblems() {
        for gene in seedGenes { XCTAssertEqual(gene.prior.validate(), [], "\(gene.prior)") }
        XCTAssertEqual(Prior.quotient(.constant(1), .choice([-1, 1])).validate(), [], "a choice without 0 may divide")
        XCTAssertEqual(Prior.quotient(.constant(1), .logUniform(lower: 0.1, upper: 1)).validate(), [])
        XCTAssertEqual(Prior.uniform(lower: 3, upper: 3).validate(), [], "a point is allowed")
        XCTAssertEqual(Prior.normal(mean: 0, sd: 0).validate(), [])
    }

    func testImpossiblePriorsNameTheirField() {
        func fields(_ p: Prior) -> [String] { p.validate().map(\.field) }
        XCTAssertEqual(fields(.uniform(lower: 2, upper: 1)), ["prior.lower"])
        XCTAssertEqual(fields(.uniform(lower: 0, upper: .infinity)), ["prior.upper"])
        XCTAssertEqual(fields(.uniform(lower: -.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude)), ["prior.upper"])
        XCTAssertEqual(fields(.logUniform(lower: 0, upper: 1)), ["prior.lower"])
        XCTAssertEqual(fields(.logUniform(lower: -1, upper: 1)), ["prior.lower"])
        XCTAssertEqual(fields(.integerUniform(lower: 5, upper: 4)), ["prior.lower"])
        XCTAssertEqual(fields(.normal(mean: 0, sd: -1)), ["prior.sd"])
        XCTAssertEqual(fields(.normal(mean: .nan, sd: 1)), ["prior.mean"])
        XCTAssertEqual(fields(.normal(mean: 0, sd: 1, lower: 2, upper: 1)), ["prior.lower"])
        XCTAssertEqual(fields(.normal(mean: 0, sd: 1, lower: -.infinity)), ["prior.lower"])
        XCTAssertEqual(fields(.choice([])), ["prior"])
        XCTAssertEqual(fields(.choice([1, .nan])), ["prior.1"])
        XCTAssertEqual(fields(.constant(.infinity)), ["prior"])
        XCTAssertEqual(fields(.quotient(.constant(1), .uniform(lower: 0, upper: 1))), ["prior.denominator"])
        XCTAssertEqual(fields(.quotient(.constant(1), .integerUniform(lower: -1, upper: 1))), ["prior.denominator"])
        XCTAssertEqual(fields(.quotient(.constant(1), .normal(mean: 1, sd: 1))), ["prior.denominator"])
        XCTAssertEqual(fields(.quotient(.constant(1), .product(.constant(2), .choice([0, 1])))), ["prior.denominator"])
        XCTAssertEqual(fields(.product(.uniform(lower: 1, upper: 0), .sum(.constant(1), .choice([])))),
                       ["prior.left.lower", "prior.right.right"])
        XCTAssertEqual(Prior.constant(.nan).validate(field: "w_max.prior").map(\.field), ["w_max.prior"])
    }

    func testCanBeZero() {
        XCTAssertTrue(Prior.uniform(lower: 0, upper: 1).canBeZero)
        XCTAssertFalse(Prior.uniform(lower: -1, upper: 0).canBeZero, "[−1, 0) excludes 0")
        XCTAssertFalse(Prior.logUniform(lower: 1e-9, upper: 1).canBeZero)
        XCTAssertFalse(Prior.integerUniform(lower: 1, upper: 999_999).canBeZero)
        XCTAssertTrue(Prior.normal(mean: 5, sd: 1).canBeZero)
        XCTAssertFalse(Prior.normal(mean: 5, sd: 1, lower: 1).canBeZero)
        XCTAssertFalse(Prior.sum(.constant(1), .uniform(lower: 0, upper: 1)).canBeZero)
        XCTAssertTrue(Prior.quotient(.uniform(lower: 0, upper: 1), .constant(2)).canBeZero)
    }

    func testCodableRoundTrip() throws {
        let priors = seedGenes.map(\.prior) + [
            .normal(mean: 0.5, sd: 0.1, lower: 0, upper: nil), .choice([1, 2]), .constant(4),
            .sum(.logUniform(lower: 1, upper: 2), .constant(1)),
        ]
        let data = try JSONEncoder().encode(priors)
        XCTAssertEqual(try JSONDecoder().decode([Prior].self, from: data), priors)
    }
}
