import Analysis
import MushroomBodyModel
import RunFile
import Foundation
import XCTest

/// `autoparam compare`'s statistics on hand-computed cases, and the one definition of the best
/// evaluation (docs/report.md, "Definitions"; docs/compare.md).
final class CompareTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Mann–Whitney U

    func testSeparatedSamplesOfThreeHaveExactPOfOneTenth() throws {
        // U = 0; the null distribution puts 1 of C(6,3) = 20 arrangements at U = 0 and 1 at
        // U = 9, so p = 2 · 1/20 = 0.1.
        let t = try XCTUnwrap(MannWhitneyU([1, 2, 3], [4, 5, 6]))
        XCTAssertEqual(t.u, 0)
        XCTAssertEqual(t.method, .exact)
        XCTAssertEqual(t.p, 0.1, accuracy: 1e-15)
        XCTAssertEqual(t.rankBiserial, -1)
        XCTAssertEqual(t.commonLanguage, 0)
    }

    func testTwoAgainstTwoExactTailIsCountedByHand() throws {
        // Arrangements of 2 + 2 values give U = 0, 1, 2, 2, 3, 4: P(U ≥ 3) = 2/6 and P(U ≥ 4) = 1/6.
        let t = try XCTUnwrap(MannWhitneyU([1, 3], [2, 4]))  // U = 1 (3 > 2), max(U1, U2) = 3
        XCTAssertEqual(t.u, 1)
        XCTAssertEqual(t.p, 2.0 * 2 / 6, accuracy: 1e-15)
        XCTAssertEqual(t.rankBiserial, -0.5)
    }

    func testTiesUseTheNormalApproximationWithTieAndContinuityCorrection() throws {
        // Pooled 1, 2, 2, 2, 3, 4 → ranks 1, 3, 3, 3, 5, 6; R1 = 7, U1 = 7 − 6 = 1, U2 = 8.
        // σ² = 9/12 · (7 − (27 − 3)/30) = 4.65; z = (8 − 4.5 − 0.5)/√4.65; p = 2(1 − Φ(z)).
        let t = try XCTUnwrap(MannWhitneyU([1, 2, 2], [2, 3, 4]))
        XCTAssertEqual(t.u, 1)
        XCTAssertTrue(t.hasTies)
        XCTAssertEqual(t.method, .normalApproximation)
        let z = 3 / 4.65.squareRoot()
        XCTAssertEqual(try XCTUnwrap(t.z), z, accuracy: 1e-12)
        XCTAssertEqual(t.p, erfc(z / 2.0.squareRoot()), accuracy: 1e-12)
        XCTAssertEqual(t.p, 0.16415972847851523, accuracy: 1e-12)  // scipy.stats.mannwhitneyu
    }

    func testEveryValueTiedGivesPOne() throws {
        let t = try XCTUnwrap(MannWhitneyU([5, 5, 5], [5, 5]))
        XCTAssertEqual(t.u, 3)
        XCTAssertEqual(t.p, 1)
        XCTAssertEqual(t.rankBiserial, 0)
    }

    func testSwappingTheSamplesKeepsPAndNegatesTheEffect() throws {
        var generator = CompareTestGenerator(seed: 7)
        for _ in 0..<50 {
            let a = (0..<Int.random(in: 1...12, using: &generator)).map { _ in Double(Int.random(in: 0...20, using: &generator)) }
            let b = (0..<Int.random(in: 1...12, using: &generator)).map { _ in Double(Int.random(in: 0...20, using: &generator)) }
            let ab = try XCTUnwrap(MannWhitneyU(a, b)), ba = try XCTUnwrap(MannWhitneyU(b, a))
            XCTAssertEqual(ab.p, ba.p, accuracy: 1e-12)
            XCTAssertEqual(ab.rankBiserial, -ba.rankBiserial, accuracy: 1e-12)
            XCTAssertEqual(ab.u + ba.u, Double(a.count * b.count))
            XCTAssertTrue((0...1).contains(ab.p))
        }
    }

    func testExactNullDistributionIsSymmetricAndSumsToOne() {
        for m in 1...5 {
            for n in 1...6 {
                let maxU = m * n
                XCTAssertEqual(MannWhitneyU.exactUpperTail(0, m, n), 1, accuracy: 1e-12)
                XCTAssertEqual(MannWhitneyU.exactUpperTail(maxU + 1, m, n), 0)
                for u in 0...maxU {
                    let pmf = MannWhitneyU.exactUpperTail(u, m, n) - MannWhitneyU.exactUpperTail(u + 1, m, n)
                    let mirrored = MannWhitneyU.exactUpperTail(maxU - u, m, n) - MannWhitneyU.exactUpperTail(maxU - u + 1, m, n)
                    XCTAssertEqual(pmf, mirrored, accuracy: 1e-12, "m \(m) n \(n) u \(u)")
                }
            }
        }
    }

    func testNaNValuesAreLeftOutAndEmptySamplesGiveNoTest() {
        XCTAssertNil(MannWhitneyU([], [1]))
        XCTAssertNil(MannWhitneyU([.nan], [1]))
        XCTAssertEqual(MannWhitneyU([1, .nan, 2, 3], [4, 5, 6])?.n1, 3)
    }

    // MARK: - Bootstrap

    func testBootstrapIsReproducibleAndBracketsTheMean() throws {
        let values = [3.0, 5, 4, 8, 6, 7, 5.5]
        let a = try XCTUnwrap(BootstrapInterval(values)), b = try XCTUnwrap(BootstrapInterval(values))
        XCTAssertEqual(a, b)
        let mean = values.reduce(0, +) / Double(values.count)
        XCTAssertLessThan(a.lower, mean)
        XCTAssertGreaterThan(a.upper, mean)
        XCTAssertGreaterThanOrEqual(a.lower, values.min()!)
        XCTAssertLessThanOrEqual(a.upper, values.max()!)
        XCTAssertEqual(a.resamples, 10_000)
        XCTAssertNotEqual(BootstrapInterval(values, seed: 99), a)
        let single = try XCTUnwrap(BootstrapInterval([42]))
        XCTAssertEqual(single.lower, 42)
        XCTAssertEqual(single.upper, 42)
    }

    // MARK: - One definition of the best evaluation

    /// Population 2, every fitness 5: the losers of both tournaments tie their winners, so rows 0
    /// and 1 leave the population; the best evaluation is still row 0 (the earliest of the maxima).
    func writeTiedRun(_ path: String) throws {
        let layout = RunLayout(replicateCount: 1, genes: [GeneDescription(name: "w_max", prior: "uniform(0, 1)")],
                               componentNames: ["score"], populationNames: ["DN"], recordsWeights: false,
                               dtMilliseconds: 0.1, stepsPerEvaluation: 10)
        let recorder = try RunRecorder.create(
            path: path, provenance: RunProvenance(toolVersion: "test", createdISO8601: "2026-01-01T00:00:00Z", experimentName: "ties",
                                                  masterSeed: 1, experimentText: "name: ties\n", host: "h", threads: 1),
            dataset: RunDatasetRecord(images: [], labels: [], imageCount: 0, classNames: []), layout: layout,
            replicateSeeds: [1], overwrite: true)
        func evaluation(_ w: Double, tournament: Int64, slot: Int32) -> EvaluationRecord {
            EvaluationRecord(genotype: [w], fitness: 5, maxFitness: 10, components: [5], seed: 0, wallSeconds: 0.1,
                             tournament: tournament, slot: slot, populationSizes: [4], spikes: [SpikeTrain(steps: [1], ids: [0])])
        }
        try recorder.appendEvaluation(replicate: 0, evaluation(0.1, tournament: -1, slot: 0))
        try recorder.appendEvaluation(replicate: 0, evaluation(0.2, tournament: -1, slot: 1))
        try recorder.commit()
        try recorder.appendEvaluation(replicate: 0, evaluation(0.3, tournament: 0, slot: 0))
        try recorder.appendTournament(replicate: 0, TournamentRecord(index: 0, a: 0, b: 1, winner: 1, loser: 0, crossoverMask: [0],
                                                                     mutatedGenes: [1], evaluationRow: 2, bestFitness: 5,
                                                                     meanFitness: 5, minFitness: 5))
        try recorder.commit()
        try recorder.appendEvaluation(replicate: 0, evaluation(0.4, tournament: 1, slot: 1))
        try recorder.appendTournament(replicate: 0, TournamentRecord(index: 1, a: 1, b: 0, winner: 0, loser: 1, crossoverMask: [0],
                                                                     mutatedGenes: [1], evaluationRow: 3, bestFitness: 5,
                                                                     meanFitness: 5, minFitness: 5))
        try recorder.setReplicateStatus(replicate: 0, status: .complete, wallSeconds: 1)
        try recorder.commit()
        try recorder.finish()
    }

    func testBestEvaluationIsTheEarliestOfEqualMaximaEvenWhenItLeftThePopulation() throws {
        let file = directory.appendingPathComponent("ties.h5").path
        try writeTiedRun(file)
        let reader = try RunReader(path: file)
        defer { try? reader.close() }
        let report = try RunReport(reader: reader)
        XCTAssertEqual(report.replicates[0].best?.row, 0)
        XCTAssertEqual(report.replicates[0].best?.genotype, [0.1])
        XCTAssertEqual(report.replicates[0].lineage.map(\.row), [0, 0, 0])
        XCTAssertEqual(RunReport.bestRow(report.evaluations[0].fitness), 0)
        XCTAssertEqual(try BestEvaluation(report: report, reader: reader)?.row, 0)
        XCTAssertEqual(report.overallBest?.row, 0)
        let json = report.json().serialized()
        XCTAssertTrue(json.contains("\"best_evaluation_row\":0,"), json)
    }

    func testBestRowPutsNaNLastAndTiesFirst() {
        XCTAssertEqual(RunReport.bestRow([.nan, 3, 7, 7, .nan]), 2)
        XCTAssertEqual(RunReport.bestRow([.nan, .nan]), 0)
        XCTAssertNil(RunReport.bestRow([]))
    }

    // MARK: - The comparison

    func testComparisonOfARunWithItselfFindsNoDifference() throws {
        let file = directory.appendingPathComponent("ties.h5").path
        try writeTiedRun(file)
        let report = try RunReport.load(path: file)
        let comparison = RunComparison(runs: [(label: "a", report: report), (label: "b", report: report)])
        XCTAssertEqual(comparison.pairs.count, 1)
        let test = try XCTUnwrap(comparison.pairs[0].test)
        XCTAssertEqual(test.p, 1)
        XCTAssertEqual(test.rankBiserial, 0)
        XCTAssertEqual(comparison.runs[0].finalBest.map(\.fitness), [5])
        XCTAssertEqual(comparison.runs[0].trace.map(\.median), [5, 5, 5])
        XCTAssertEqual(comparison.runs[0].tournamentsTo90PercentMedian, 0)
        XCTAssertEqual(comparison.runs[0].wallSecondsTotal, 1)
        let html = ComparePage.html(comparison)
        XCTAssertEqual(html.components(separatedBy: "<svg id=").count - 1, 2)
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertEqual(comparison.csvFiles().map(\.name), ["runs.csv", "final_best.csv", "pairs.csv", "traces.csv"])
        XCTAssertTrue(comparison.text().contains("exact"), comparison.text())
    }

    func testDefaultLabelsAreFileNamesUnlessTheyRepeat() {
        XCTAssertEqual(RunComparison.defaultLabels(["runs/a.h5", "x/b.h5"]), ["a", "b"])
        XCTAssertEqual(RunComparison.defaultLabels(["x/a.h5", "y/a.h5", "c"]), ["x/a.h5", "y/a.h5", "c"])
    }

    // MARK: - The file explains itself

    func testEveryDatasetOfARunFileHasUnitsAndADescription() throws {
        let file = directory.appendingPathComponent("ties.h5").path
        try writeTiedRun(file)
        let paths = ["evaluations/genotype", "evaluations/fitness", "evaluations/status", "tournaments/tournament",
                     "spikes/DN/steps", "spikes/KC/ids", "weights/values", "checkpoint/rng_state", "dataset/images", "genes/names"]
        for path in paths { XCTAssertNotNil(RunFileDescriptions.entry(for: path), path) }
        XCTAssertNil(RunFileDescriptions.entry(for: "evaluations/no_such"))
        XCTAssertEqual(RunFileDescriptions.statusNames, [EvaluationStatus.ok.name, "invalid_genotype", "numerical_failure"])
    }
}

/// A small seeded generator for the property tests.
struct CompareTestGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
