import ExperimentFiles
import XCTest

/// Bad experiment files, each with the exact report a user sees: the file, the line, the
/// setting, what was expected and what was found (and a did-you-mean where one is likely).
final class ExperimentValidationTests: XCTestCase {
    /// The report for `text` read as bad.yaml, or a failure if it loads.
    func report(_ text: String, overrides: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let experiment = try ExperimentLoader.parse(text: text, fileName: "bad.yaml", overrides: overrides)
            XCTFail("expected problems, loaded \(experiment.name)", file: file, line: line)
            return ""
        } catch let error as ExperimentError {
            return error.description
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return ""
        }
    }

    func assertReport(_ text: String, overrides: [String] = [], _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(report(text, overrides: overrides, file: file, line: line), expected, file: file, line: line)
    }

    // MARK: - YAML and structure

    func testSyntaxErrorNamesLineAndColumn() {
        assertReport("name: x\n  seed: 2\n", "bad.yaml:2:7: invalid YAML: mapping values are not allowed in this context")
        assertReport("name: x\nga: {population: 10\nreplicates: 2\n",
                     "bad.yaml:3:11: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 5)")
    }

    func testTopLevelMustBeAMapping() {
        assertReport("- name: x\n", "bad.yaml:1: expected a mapping of experiment settings (name, seed, genes, …), found a list")
    }

    func testUnknownTopLevelKeySuggestsTheNearestSetting() {
        assertReport("replicate: 2\n", "bad.yaml:1: replicate: unknown setting (did you mean \"replicates\"?)")
    }

    func testUnknownKeyWithoutNearMatchListsTheValidOnes() {
        assertReport("record:\n  colour: blue\n", "bad.yaml:2: record.colour: unknown setting; record takes spikes, evaluations, weights")
    }

    func testWrongTypeSaysWhatWasExpectedAndFound() {
        assertReport("seed: abc\n", "bad.yaml:1: seed: expected a whole number from 0 to 18446744073709551615, found \"abc\"")
        assertReport("ga:\n  population: [10]\n", "bad.yaml:2: ga.population: expected a whole number, found a list")
        assertReport("record: {weights: maybe}\n", "bad.yaml:1: record.weights: expected true or false, found \"maybe\"")
    }

    // MARK: - Impossible numbers

    func testPopulationBelowTwo() {
        assertReport("ga: {population: 1}\n", "bad.yaml:1: ga.population: a tournament needs at least 2 members, found 1")
    }

    func testNegativeTournaments() {
        assertReport("ga:\n  tournaments: -1\n", "bad.yaml:2: ga.tournaments: must not be negative, found -1")
    }

    func testNoReplicates() {
        assertReport("replicates: 0\n", "bad.yaml:1: replicates: at least 1 replicate is needed, found 0")
    }

    // MARK: - Genes and priors

    func testMisspelledPriorKind() {
        assertReport("genes:\n  stdp_tau: {prior: {unifrom: [0, 1]}, round: 4}\n",
                     "bad.yaml:2: genes.stdp_tau.prior: expected one of uniform, log_uniform, int_uniform, normal, choice, constant, product, quotient, sum, found \"unifrom\" (did you mean \"uniform\"?)")
    }

    func testUniformEndsOutOfOrder() {
        assertReport("genes:\n  w_max: {prior: {uniform: [2, 1]}}\n",
                     "bad.yaml:2: genes.w_max.prior.uniform: lower end 2 is above upper end 1")
    }

    func testLogUniformNeedsAPositiveLowerEnd() {
        assertReport("genes:\n  stdp_alpha: {prior: {log_uniform: [0, 0.001]}}\n",
                     "bad.yaml:2: genes.stdp_alpha.prior.log_uniform: a log-uniform prior needs a lower end above 0, found 0")
    }

    func testNegativeNormalStandardDeviation() {
        assertReport("genes:\n  w_max:\n    prior: {normal: {mean: 0.5, sd: -0.1}}\n",
                     "bad.yaml:3: genes.w_max.prior.normal.sd: a standard deviation must not be negative, found -0.1")
    }

    func testQuotientWhoseDenominatorCanBeZero() {
        assertReport("genes:\n  stdp_alpha: {prior: {quotient: [{uniform: [0, 1]}, {int_uniform: [0, 10]}]}}\n",
                     "bad.yaml:2: genes.stdp_alpha.prior.quotient[1]: the denominator {int_uniform: [0, 10]} can be zero")
    }

    func testGeneBoundsOutOfOrder() {
        assertReport("genes:\n  w_max: {prior: {uniform: [0, 1]}, bounds: [0.9, 0.1]}\n",
                     "bad.yaml:2: genes.w_max.bounds: lower bound 0.9 is above upper bound 0.1")
    }

    func testGeneDeclaredTwice() {
        assertReport("genes:\n  w_max: {prior: {uniform: [0, 1]}}\n  teacher: {prior: {constant: 1}}\n  w_max: {prior: {uniform: [0, 2]}}\n",
                     "bad.yaml:4: genes.w_max: gene declared twice (first at line 2)")
    }

    func testPriorWrittenInPlaceOfTheGeneSettings() {
        assertReport("genes:\n  kc_count: {int_uniform: [0, 10]}\n",
                     "bad.yaml:2: genes.kc_count: the prior goes under prior: write kc_count: {prior: {int_uniform: …}}")
    }

    func testGeneWithoutPrior() {
        assertReport("genes:\n  w_max: {round: 3}\n", "bad.yaml:2: genes.w_max: missing prior, for example prior: {uniform: [0, 1]}")
    }

    func testUnknownGeneSuggestsTheParameter() {
        assertReport("genes:\n  stdp_taus: {prior: {uniform: [0, 1]}}\n",
                     "bad.yaml:2: genes.stdp_taus: unknown parameter \"stdp_taus\" (did you mean \"stdp_tau\"?)")
    }

    func testIntegerParameterNeedsAWholeNumberPrior() {
        assertReport("genes:\n  kc_count: {prior: {uniform: [50, 400]}}\n",
                     "bad.yaml:2: genes.kc_count: kc_count takes whole numbers, but the prior {uniform: [50, 400]} draws fractions; use int_uniform, or set integer: true to round the draws")
    }

    func testPriorLeavingTheParameterDomain() {
        assertReport("genes:\n  pn_kc_probability: {prior: {uniform: [0, 2]}}\n",
                     "bad.yaml:2: genes.pn_kc_probability: pn_kc_probability must be in [0, 1], but this gene's values span [0, 2]; narrow the prior or set bounds")
        assertReport("genes:\n  pn_kc_tau: {prior: {normal: {mean: 1, sd: 0.5}}}\n",
                     "bad.yaml:2: genes.pn_kc_tau: pn_kc_tau must be > 0, but this gene's values span [-inf, inf]; narrow the prior or set bounds")
    }

    // MARK: - model

    func testGeneAlsoFixedInModel() {
        assertReport("genes:\n  w_max: {prior: {uniform: [0, 1]}}\nmodel:\n  w_max: 0.5\n",
                     "bad.yaml:4: model.w_max: w_max is also a gene: a parameter is either fixed in model: or evolved in genes:, not both")
    }

    func testUnknownModelParameter() {
        assertReport("model:\n  ggn_treshold: 30\n",
                     "bad.yaml:2: model.ggn_treshold: unknown parameter \"ggn_treshold\" (did you mean \"ggn_threshold\"?)")
    }

    func testModelValueOutsideItsDomain() {
        assertReport("model: {pn_kc_probability: 1.5}\n",
                     "bad.yaml:1: model.pn_kc_probability: expected a probability in [0, 1], found 1.5")
    }

    func testProtocolParameterUnderModel() {
        assertReport("model: {dt: 0.05}\n", "bad.yaml:1: model.dt: set dt with protocol.dt, not under model:")
    }

    // MARK: - dataset, protocol and rubric

    func testTestSplitLeavingNoTrainingImages() {
        assertReport("rubric: accuracy\ndataset: {count: 10, test_count: 10}\n",
                     "bad.yaml:2: dataset.test_count: 10 test images leave none to train on: the experiment uses 10 images, so test_count must be below 10")
    }

    func testAccuracyNeedsATestSplit() {
        assertReport("rubric: accuracy\ndataset: {test_count: 0}\n",
                     "bad.yaml:2: dataset.test_count: rubric accuracy scores held-out images: test_count must be at least 1, found 0")
        assertReport("rubric: accuracy\ndataset: {count: 4}\n",
                     "bad.yaml:2: dataset.test_count: rubric accuracy scores held-out images, but the default split (a fifth of 4 images) is 0; set test_count or use more images")
    }

    func testSeedRubricHasNoTestPhase() {
        assertReport("dataset: {test_count: 5}\n",
                     "bad.yaml:1: dataset.test_count: rubric seed-242 has no test phase, so test_count must be 0, found 5")
    }

    func testMoreImagesThanTheDataSetHas() {
        assertReport("dataset: {count: 16}\nprotocol: {images: 20}\n",
                     "bad.yaml:2: protocol.images: the data set has 16 images, fewer than the 20 asked for")
    }

    func testMissingDataFile() {
        assertReport("dataset: {source: csv, path: no-such-images.csv}\n",
                     "bad.yaml:1: dataset.path: no file \"no-such-images.csv\" (relative paths start from the working directory); give the images with --data FILE")
    }

    func testSettingOfAnotherSource() {
        assertReport("dataset: {source: embedded, path: images.csv}\n",
                     "bad.yaml:1: dataset.path: applies only to source csv (this dataset's source is embedded)")
    }

    func testMisspelledProtocolVariant() {
        assertReport("protocol: {variant: corected}\n",
                     "bad.yaml:1: protocol.variant: expected one of seed, corrected, found \"corected\" (did you mean \"corrected\"?)")
    }

    func testUnknownWeightedCriterion() {
        assertReport("rubric:\n  weighted: {first_spike: 1, acuracy: 10}\n",
                     "bad.yaml:2: rubric.weighted.acuracy: unknown criterion (did you mean \"accuracy\"?)")
    }

    func testHarveySettingsUnderTheSeedVariant() {
        assertReport("ga: {variant: seed, mutation_probability: 0.1}\n",
                     "bad.yaml:1: ga.mutation_probability: applies only to variant harvey (this ga's variant is seed)")
    }

    func testUnknownSpikePopulation() {
        assertReport("record: {spikes: [DN, MBON]}\n", "bad.yaml:1: record.spikes[1]: expected one of PN, KC, DN, GGN, found \"MBON\"")
        assertReport("record: {spikes: [DN, kc]}\n", "bad.yaml:1: record.spikes[1]: expected one of PN, KC, DN, GGN, found \"kc\" (did you mean \"KC\"?)")
    }

    // MARK: - Overrides

    func testOverrideOfAnUnknownSetting() {
        assertReport("ga: {population: 4}\n", overrides: ["ga.tornaments=20"],
                     "bad.yaml: --set ga.tornaments=20: ga.tornaments: unknown setting (did you mean \"tournaments\"?)")
    }

    func testOverrideIsValidatedLikeTheFile() {
        assertReport("ga: {population: 4}\n", overrides: ["ga.population=ten"],
                     "bad.yaml: --set ga.population=ten: ga.population: expected a whole number, found \"ten\"")
        assertReport("", overrides: ["genes.stdp_tau.round=20"],
                     "bad.yaml: --set genes.stdp_tau.round=20: genes.stdp_tau.round: expected a number of decimals from 0 to 15, found 20")
    }

    func testOverrideValueThatIsNotYAML() {
        assertReport("", overrides: ["ga={population: 3"],
                     "bad.yaml: --set ga={population: 3: ga: the value is not valid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 1, column 1)")
    }

    func testOverrideIntoAFileSettingIsNamedWithTheLine() {
        assertReport("genes:\n  kc_count: {prior: {int_uniform: [0, 10]}}\n", overrides: ["genes.kc_count.prior={uniform: [1, 5]}"],
                     "bad.yaml:2: --set genes.kc_count.prior={uniform: [1, 5]}: genes.kc_count: kc_count takes whole numbers, but the prior {uniform: [1, 5]} draws fractions; use int_uniform, or set integer: true to round the draws")
    }

    func testOverrideWithoutAValue() {
        assertReport("", overrides: ["ga.population"], "bad.yaml: --set ga.population: expected PATH=VALUE, for example ga.tournaments=20")
    }

    // MARK: - All problems at once

    func testEveryProblemIsReportedInFileOrder() {
        let text = """
            name: many
            ga: {population: 1, tournaments: 5}
            genes:
              kc_count: {prior: {int_uniform: [400, 50]}}
              w_max: {prior: {uniform: [0, 1]}, round: 4}
            model:
              w_max: 0.4
            rubric: acuracy
            replicates: 0

            """
        assertReport(text, """
            bad.yaml:2: ga.population: a tournament needs at least 2 members, found 1
            bad.yaml:4: genes.kc_count.prior.int_uniform: lower end 400 is above upper end 50
            bad.yaml:7: model.w_max: w_max is also a gene: a parameter is either fixed in model: or evolved in genes:, not both
            bad.yaml:8: rubric: expected one of seed-242, accuracy, {weighted: {criterion: weight, …}}, found "acuracy" (did you mean "accuracy"?)
            bad.yaml:9: replicates: at least 1 replicate is needed, found 0
            """)
    }

    func testUnreadableFile() {
        XCTAssertThrowsError(try ExperimentLoader.load(path: "no/such/experiment.yaml")) { error in
            XCTAssertEqual("\(error)", "no/such/experiment.yaml: no such experiment file")
        }
    }
}
