import ExperimentFiles
import MushroomBodyModel
import Datasets
import Evolution
import Foundation
import XCTest

/// Good experiment files: defaults, overrides, the data path, the resolved YAML round trip,
/// and the example files in experiments/.
final class ExperimentTests: XCTestCase {
    /// The package root, found from this file (Tests/AutoparamTests/ExperimentTests.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let experimentsFolder = packageRoot.appendingPathComponent("experiments")

    func parse(_ text: String, fileName: String = "test.yaml", overrides: [String] = [], dataPath: String? = nil) throws -> Experiment {
        try ExperimentLoader.parse(text: text, fileName: fileName, overrides: overrides, dataPath: dataPath)
    }

    /// The experiment its own resolved YAML gives (with the original's text and overrides, which
    /// the resolved form does not carry).
    func roundTrip(_ experiment: Experiment, file: StaticString = #filePath, line: UInt = #line) throws {
        let yaml = experiment.resolvedYAML()
        var again = try ExperimentLoader.parse(text: yaml, fileName: "resolved.yaml", checkFiles: false)
        XCTAssertEqual(again.sourceText, yaml, file: file, line: line)
        again.sourceText = experiment.sourceText
        again.overrides = experiment.overrides
        XCTAssertEqual(again, experiment, "resolved YAML:\n\(yaml)", file: file, line: line)
        XCTAssertEqual(again.resolvedYAML(), yaml, file: file, line: line)
    }

    // MARK: - Defaults

    func testEmptyFileIsTheDefaultExperiment() throws {
        let e = try parse("", fileName: "some/dir/trial.yaml")
        XCTAssertEqual(e.name, "trial")
        XCTAssertEqual(e.description, "")
        XCTAssertEqual(e.seed, 1)
        XCTAssertEqual(e.replicates, 1)
        XCTAssertEqual(e.threads, 0)
        XCTAssertEqual(e.output, "runs/trial.h5")
        XCTAssertEqual(e.dataset, .embedded(count: 80, seed: 1))
        XCTAssertEqual(e.testCount, 0)
        XCTAssertNil(e.imageCount)
        XCTAssertEqual(e.variant, .corrected)
        XCTAssertEqual(e.model, MushroomBodyParameters())
        XCTAssertEqual(e.genes, Experiment.seedGenes)
        XCTAssertEqual(e.rubric, .seed242)
        XCTAssertEqual(e.ga, MicrobialGAConfiguration(variant: .seed, populationSize: 10, tournaments: 300))
        XCTAssertEqual(e.record, RecordSettings(populations: ["PN", "KC", "DN", "GGN"], allEvaluations: true, finalWeights: false))
        XCTAssertEqual(e.overrides, [])
        var named = Experiment(name: "trial")
        named.sourceText = ""
        XCTAssertEqual(e, named)
    }

    func testSectionsLeftEmptyTakeTheirDefaults() throws {
        var e = try parse("dataset:\nprotocol:\nmodel:\nga:\nrecord:\n")
        e.sourceText = ""
        XCTAssertEqual(e, try parse(""))
    }

    func testTestSplitDefaultsToAFifthForRubricsWithATestPhase() throws {
        XCTAssertEqual(try parse("rubric: accuracy\n").testCount, 16)
        XCTAssertEqual(try parse("rubric: accuracy\nprotocol: {images: 42}\n").testCount, 8)
        XCTAssertEqual(try parse("rubric: {weighted: {accuracy: 10, first_spike: 1}}\ndataset: {count: 24}\n").testCount, 4)
        XCTAssertEqual(try parse("rubric: {weighted: {first_spike: 1}}\n").testCount, 0)
    }

    func testProtocolSettingsSetTheModel() throws {
        let e = try parse("protocol: {variant: seed, dt: 0.05, stimulus_ms: 20, blank_ms: 10, neuron_model: traubmiles-nstep, substeps: 5, images: 40}\n")
        XCTAssertEqual(e.variant, .seed)
        XCTAssertEqual(e.imageCount, 40)
        XCTAssertEqual(e.model["dt"], 0.05)
        XCTAssertEqual(e.model["stimulus_ms"], 20)
        XCTAssertEqual(e.model["blank_ms"], 10)
        XCTAssertEqual(e.model["traub_substeps"], 5)
        XCTAssertEqual(try parse("protocol: {neuron_model: traubmiles-fast}\n").model["traub_substeps"], 1)
    }

    func testModelFixesAnyParameter() throws {
        let e = try parse("model:\n  pn_kc_probability: 0.25\n  ggn_kc_weight: -2.5\n")
        XCTAssertEqual(e.model, try MushroomBodyParameters().setting([("pn_kc_probability", 0.25), ("ggn_kc_weight", -2.5)]))
    }

    func testGenesKeepFileOrderAndSettings() throws {
        let e = try parse("""
            genes:
              w_max: {prior: {normal: {mean: 0.4, sd: 0.1, bounds: [0, null]}}, round: 3, bounds: [0, 1]}
              kc_count: {prior: {choice: [100, 200, 400]}}
              pn_kc_probability: {prior: {uniform: [0.05, 0.5]}, round: 2}
              stdp_tau: {prior: {sum: [{constant: 5}, {log_uniform: [1, 50]}]}}

            """)
        XCTAssertEqual(e.genes.names, ["w_max", "kc_count", "pn_kc_probability", "stdp_tau"])
        XCTAssertEqual(e.genes[0], Gene(name: "w_max", prior: .normal(mean: 0.4, sd: 0.1, lower: 0, upper: nil), decimals: 3, lowerBound: 0, upperBound: 1))
        XCTAssertEqual(e.genes[1], Gene(name: "kc_count", prior: .choice([100, 200, 400])))
        XCTAssertTrue(e.genes[1].isInteger)
        XCTAssertEqual(e.genes[3].prior, .sum(.constant(5), .logUniform(lower: 1, upper: 50)))
    }

    func testIntegerFlagRoundsAFractionalPriorForAnIntegerParameter() throws {
        let e = try parse("genes:\n  kc_count: {prior: {uniform: [50, 400]}, integer: true}\n")
        XCTAssertTrue(e.genes[0].isInteger)
    }

    func testHarveyDefaults() throws {
        let e = try parse("ga: {variant: harvey}\n")
        XCTAssertEqual(e.ga.variant, .harvey(crossoverProbability: 0.5, mutationProbability: 1.0 / 6, mutation: .redraw))
        let g = try parse("ga: {variant: harvey, mutation: gaussian, deme_size: 2}\n")
        XCTAssertEqual(g.ga.variant, .harvey(crossoverProbability: 0.5, mutationProbability: 1.0 / 6, mutation: .gaussian(scale: 0.1)))
        XCTAssertEqual(g.ga.demeSize, 2)
    }

    func testRecordSettings() throws {
        XCTAssertEqual(try parse("record: {spikes: [GGN, DN], evaluations: none, weights: true}\n").record,
                       RecordSettings(populations: ["DN", "GGN"], allEvaluations: false, finalWeights: true))
        XCTAssertEqual(try parse("record: {spikes: none}\n").record.populations, [])
        XCTAssertEqual(try parse("record: {spikes: all}\n").record.populations, ["PN", "KC", "DN", "GGN"])
    }

    func testParametersForAGenotypeSetEachGeneByName() throws {
        let e = try parse("model: {pn_kc_probability: 0.3}\n")
        let p = try e.parameters(for: [800, 26, 0.00006, 0.4, 0.0044, 1.5])
        XCTAssertEqual(p["kc_count"], 800)
        XCTAssertEqual(p["stdp_alpha"], 0.00006)
        XCTAssertEqual(p["teacher"], 1.5)
        XCTAssertEqual(p["pn_kc_probability"], 0.3)
        XCTAssertThrowsError(try e.parameters(for: [800, 26]))
    }

    // MARK: - Overrides and the data path

    func testOverridesAreAppliedBeforeValidation() throws {
        let text = "ga: {population: 6, tournaments: 300}\nrecord: {spikes: all}\n"
        let overrides = ["ga.tournaments=20", "dataset.count=16", "genes.stdp_tau.round=3", "protocol.variant=seed",
                         "model.pn_kc_probability=0.25", "record.spikes=[DN]"]
        let e = try parse(text, overrides: overrides)
        XCTAssertEqual(e.ga.tournaments, 20)
        XCTAssertEqual(e.ga.populationSize, 6)
        XCTAssertEqual(e.dataset, .embedded(count: 16, seed: 1))
        XCTAssertEqual(e.variant, .seed)
        XCTAssertEqual(e.model["pn_kc_probability"], 0.25)
        XCTAssertEqual(e.record.populations, ["DN"])
        // The seed's genes, with only stdp_tau's rounding changed.
        var expected = Experiment.seedGenes.genes
        expected[1].decimals = 3
        XCTAssertEqual(e.genes, GeneSet(expected))
        XCTAssertEqual(e.overrides, overrides)
        XCTAssertEqual(e.sourceText, text)
    }

    func testLaterOverridesWinAndCanReplaceWholeSections() throws {
        let e = try parse("rubric: seed-242\n", overrides: ["ga.population=4", "ga.population=8", "rubric={weighted: {accuracy: 1}}"])
        XCTAssertEqual(e.ga.populationSize, 8)
        XCTAssertEqual(e.rubric, .weighted([.init("accuracy", 1)]))
        let g = try parse("genes:\n  w_max: {prior: {uniform: [0, 1]}}\n", overrides: ["genes.teacher={prior: {constant: 2}}"])
        XCTAssertEqual(g.genes.names, ["w_max", "teacher"])
    }

    func testOverrideIndexesLists() throws {
        let text = "dataset: {source: csv, path: x.csv, labels: {rotation: [0, 1, 3, 3]}}\n"
        let e = try ExperimentLoader.parse(text: text, fileName: "t.yaml", overrides: ["dataset.labels.rotation.0=2"], checkFiles: false)
        XCTAssertEqual(e.dataset, .csv(path: "x.csv", labels: .rotation([2, 1, 3, 3])))
    }

    func testDataPathReplacesTheData() throws {
        let csv = try temporaryCSV(images: 10)
        let embedded = try parse("rubric: accuracy\n", dataPath: csv)
        XCTAssertEqual(embedded.dataset, .csv(path: csv, labels: .seedRotation))
        XCTAssertEqual(embedded.testCount, 2)  // a fifth of the file's 10 images
        let file = try parse("dataset: {source: csv, path: elsewhere.csv, labels: {rotation: [3]}}\n", dataPath: csv)
        XCTAssertEqual(file.dataset, .csv(path: csv, labels: .rotation([3])))
        XCTAssertThrowsError(try parse("protocol: {images: 11}\n", dataPath: csv)) { error in
            XCTAssertEqual("\(error)", "test.yaml:1: protocol.images: the data set has 10 images, fewer than the 11 asked for")
        }
        XCTAssertThrowsError(try parse("", dataPath: "missing-\(UUID()).csv")) { error in
            XCTAssertTrue("\(error)".hasSuffix("(relative paths start from the working directory) (given with --data)"), "\(error)")
        }
    }

    // MARK: - Resolved YAML

    func testResolvedYAMLParsesBackToTheSameExperiment() throws {
        try roundTrip(try parse(""))
        try roundTrip(try parse("""
            name: "odd: name #1"
            description: "two\\nlines, \\"quoted\\""
            seed: 18446744073709551615
            replicates: 3
            threads: 2
            output: out/x.h5
            dataset: {source: embedded, count: 24, seed: 7, test_count: 4}
            protocol: {variant: seed, dt: 0.05, images: 20, neuron_model: traubmiles-nstep, substeps: 7}
            model: {pn_kc_probability: 0.25, kc_dn_weight_sd: 3.3e-7}
            genes:
              w_max: {prior: {normal: {mean: 0.4, sd: 0.1, bounds: [null, 2]}}, round: 3, bounds: [0, 1]}
              kc_count: {prior: {choice: [100, 200, 400]}}
              stdp_alpha: {prior: {quotient: [{log_uniform: [1e-6, 1e-3]}, {sum: [{constant: 1}, {int_uniform: [0, 3]}]}]}}
              blank_ms: {prior: {product: [{uniform: [0.1, 0.3]}, {constant: 100}]}}
            rubric: {weighted: {accuracy: 100, first_spike: 0.5, no_response: -3}}
            ga: {variant: harvey, population: 7, tournaments: 0, crossover_probability: 0.25, mutation_probability: 0.3, mutation: gaussian, mutation_scale: 0.02, deme_size: 2}
            record: {spikes: [KC, PN], evaluations: none, weights: true}

            """))
        try roundTrip(try ExperimentLoader.parse(text: "dataset: {source: csv, path: a b.csv, labels: {column: -1}}\n", fileName: "t.yaml", checkFiles: false))
        try roundTrip(try ExperimentLoader.parse(text: "dataset: {source: csv, path: a.csv, labels: {file: labels.txt}}\n", fileName: "t.yaml", checkFiles: false))
        try roundTrip(try ExperimentLoader.parse(text: "dataset: {source: idx, images: i.idx, labels: l.idx}\n", fileName: "t.yaml", checkFiles: false))
        try roundTrip(try parse("", overrides: ["ga.tournaments=5"]))
        try roundTrip(try parse("genes:\n  traub_substeps: {prior: {int_uniform: [1, 25]}}\n  dt: {prior: {uniform: [0.05, 0.1]}}\n"))
    }

    func testResolvedYAMLShowsEveryDefault() throws {
        let yaml = try parse("", fileName: "defaults.yaml").resolvedYAML()
        for line in ["name: defaults", "output: runs/defaults.h5", "  source: embedded", "  count: 80", "  test_count: 0",
                     "  variant: corrected", "  dt: 0.1", "  images: all", "  neuron_model: traubmiles", "  kc_dn_weight_mean: 1.0e-05",
                     "  kc_count: {prior: {int_uniform: [0, 2199]}, integer: true}",
                     "  stdp_alpha: {prior: {quotient: [{uniform: [0, 1]}, {int_uniform: [1, 999999]}]}, round: 8, integer: false}",
                     "rubric: seed-242", "  variant: seed", "  population: 10", "  tournaments: 300", "  deme_size: all",
                     "  spikes: [PN, KC, DN, GGN]", "  evaluations: all", "  weights: false"] {
            XCTAssertTrue(yaml.split(separator: "\n").contains(Substring(line)), "missing \(line) in\n\(yaml)")
        }
    }

    // MARK: - experiments/

    func testEveryExampleExperimentValidatesAndRoundTrips() throws {
        let csv = try temporaryCSV(images: 80)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.experimentsFolder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(files, ["harvey.yaml", "mnist-genn-mb-random.yaml", "mnist-genn-mb.yaml", "mnist-seed-mb-random.yaml",
                               "mnist-seed-mb.yaml", "quickstart.yaml", "seed-corrected.yaml", "seed-original.yaml"])
        for file in files {
            let path = Self.experimentsFolder.appendingPathComponent(file).path
            // The MNIST experiments read their data relative to the working directory;
            // without it (or from elsewhere) only their text is checked.
            let mnist = file.hasPrefix("mnist")
            let e = try ExperimentLoader.load(path: path, dataPath: file == "seed-original.yaml" ? csv : nil,
                                              checkFiles: !mnist || LearningSupport.mnistAvailableFromWorkingDirectory)
            XCTAssertEqual(e.name + ".yaml", file)
            XCTAssertEqual(e.output, "runs/\(e.name).h5")
            try roundTrip(e)
        }
        // Without --data, seed-original's placeholder path is only accepted with checkFiles off.
        let path = Self.experimentsFolder.appendingPathComponent("seed-original.yaml").path
        XCTAssertThrowsError(try ExperimentLoader.load(path: path))
        XCTAssertEqual(try ExperimentLoader.load(path: path, checkFiles: false).dataset, .csv(path: "seed-dataset.csv", labels: .seedRotation))
    }

    func testQuickstartIsSmallAndLearns() throws {
        let e = try ExperimentLoader.load(path: Self.experimentsFolder.appendingPathComponent("quickstart.yaml").path)
        XCTAssertEqual(e.dataset, .embedded(count: 80, seed: 1))
        XCTAssertEqual(e.rubric, .accuracy)
        XCTAssertEqual(e.testCount, 16)
        XCTAssertEqual(e.variant, .corrected)
        XCTAssertEqual(e.replicates, 2)
        XCTAssertEqual(e.seedSettings, SeedSettings(seeds: 2, aggregate: .mean))
        XCTAssertEqual(e.protocolSettings, ProtocolSettings(epochs: 1, order: .shuffled, readout: .firstSpike))
        XCTAssertEqual(e.ga, MicrobialGAConfiguration(variant: .seed, populationSize: 6, tournaments: 20))
        XCTAssertEqual(e.genes[0], Gene(name: "kc_count", prior: .integerUniform(lower: 50, upper: 150)))
        XCTAssertEqual(e.genes.names, ["kc_count", "pn_kc_probability", "pn_kc_weight", "input_divisor", "stdp_alpha", "w_max", "teacher"])
        XCTAssertEqual(e.record.populations, ["PN", "KC", "DN", "GGN"])
        XCTAssertEqual(e.output, "runs/quickstart.h5")
        // The overrides the test suites use to shrink it still give a valid experiment.
        XCTAssertNoThrow(try ExperimentLoader.load(path: Self.experimentsFolder.appendingPathComponent("quickstart.yaml").path,
                                                   overrides: ["dataset.count=8", "genes.kc_count.prior={int_uniform: [20, 120]}"]))
    }

    func testSeedOriginalStatesTheSeedsPriorsExactly() throws {
        let e = try ExperimentLoader.load(path: Self.experimentsFolder.appendingPathComponent("seed-original.yaml").path, checkFiles: false)
        // docs/model.md, "The seed's genes and priors".
        let seed = GeneSet([
            Gene(name: "kc_count", prior: .integerUniform(lower: 0, upper: 2199), isInteger: true),
            Gene(name: "stdp_tau", prior: .product(.integerUniform(lower: 0, upper: 99), .uniform(lower: 0, upper: 1)), decimals: 4, isInteger: false),
            Gene(name: "stdp_alpha", prior: .quotient(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 999_999)), decimals: 8, isInteger: false),
            Gene(name: "w_max", prior: .uniform(lower: 0, upper: 1), decimals: 4, isInteger: false),
            Gene(name: "stdp_offset", prior: .quotient(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 999_999)), decimals: 8, isInteger: false),
            Gene(name: "teacher", prior: .product(.uniform(lower: 0, upper: 1), .integerUniform(lower: 1, upper: 2)), decimals: 2, isInteger: false),
        ])
        XCTAssertEqual(e.genes, seed)
        XCTAssertEqual(Experiment.seedGenes, seed)
        XCTAssertEqual(e.variant, .seed)
        XCTAssertEqual(e.rubric, .seed242)
        XCTAssertEqual(e.ga, MicrobialGAConfiguration(variant: .seed, populationSize: 10, tournaments: 300))
    }

    func testSeedCorrectedAndHarvey() throws {
        let corrected = try ExperimentLoader.load(path: Self.experimentsFolder.appendingPathComponent("seed-corrected.yaml").path)
        XCTAssertEqual(corrected.rubric, .accuracy)
        XCTAssertEqual(corrected.testCount, 16)
        XCTAssertEqual(corrected.dataset, .embedded(count: 80, seed: 1))
        XCTAssertEqual(corrected.variant, .corrected)
        let harvey = try ExperimentLoader.load(path: Self.experimentsFolder.appendingPathComponent("harvey.yaml").path)
        guard case let .harvey(crossover, mutationProbability, mutation) = harvey.ga.variant else {
            return XCTFail("harvey.yaml should use Harvey's variant")
        }
        XCTAssertEqual(crossover, 0.5)
        XCTAssertEqual(mutationProbability, 0.1)
        guard case .gaussian = mutation else { return XCTFail("harvey.yaml should mutate by Gaussian steps") }
    }

    // MARK: - The schema document

    func testSchemaDocumentNamesEverySettingAndParameter() throws {
        let doc = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/experiment-schema.md"), encoding: .utf8)
        let settings = ["name", "description", "seed", "replicates", "threads", "output", "dataset", "protocol", "model", "genes",
                        "rubric", "ga", "record", "source", "count", "path", "images", "labels", "rotation", "column", "file",
                        "test_count", "variant", "dt", "stimulus_ms", "blank_ms", "neuron_model", "substeps", "prior", "round",
                        "integer", "bounds", "uniform", "log_uniform", "int_uniform", "normal", "mean", "sd", "choice", "constant",
                        "product", "quotient", "sum", "weighted", "population", "tournaments", "crossover_probability",
                        "mutation_probability", "mutation", "mutation_scale", "deme_size", "spikes", "evaluations", "weights"]
        for name in settings + Rubric.criteria {
            XCTAssertTrue(doc.contains("`\(name)`") || doc.contains("\(name):"), "docs/experiment-schema.md does not document \(name)")
        }
        for definition in MushroomBodyParameters.definitions {
            XCTAssertTrue(doc.contains("| `\(definition.name)` | \(definition.unit) |"), "docs/experiment-schema.md lacks parameter \(definition.name)")
        }
    }

    // MARK: - Helpers

    /// A CSV of `images` all-zero images in a temporary file, removed after the test.
    func temporaryCSV(images: Int) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID()).csv")
        let row = Array(repeating: "0", count: 784).joined(separator: ",")
        try Array(repeating: row, count: images).joined(separator: "\n").appending("\n").write(to: url, atomically: false, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}
