import Analysis
import ExperimentFiles
import MushroomBodyModel
import RunFile
import Foundation
import XCTest

/// `.npy` writing, the PyGeNN script generator, and the export of one evaluation of a run file.
final class GeNNExportTests: XCTestCase {
    // MARK: - NPYFile

    func testNPYHeaderIsPaddedToSixtyFourBytes() throws {
        for shape in [[], [3], [2, 4], [0, 4], [123, 4], [2, 3, 5]] {
            let header = NPYFile.header(descr: "<f4", shape: shape)
            XCTAssertEqual(header.count % 64, 0, "shape \(shape)")
            XCTAssertEqual(Array(header.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
            let length = Int(header[8]) | (Int(header[9]) << 8)
            XCTAssertEqual(length + 10, header.count)
            XCTAssertEqual(header.last, UInt8(ascii: "\n"))
        }
    }

    func testNPYHeaderDescribesTypeAndShape() throws {
        func text(_ shape: [Int]) -> String {
            String(decoding: NPYFile.header(descr: "<f4", shape: shape).dropFirst(10), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(text([2, 4]), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }")
        XCTAssertEqual(text([3]), "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }")
        XCTAssertEqual(text([]), "{'descr': '<f4', 'fortran_order': False, 'shape': (), }")
    }

    func testNPYDataIsLittleEndianRowMajor() throws {
        let values: [Float] = [1, -2.5, 0.125, .greatestFiniteMagnitude, 3e-7, 0]
        let data = NPYFile.float32(values, shape: [3, 2])
        let header = NPYFile.header(descr: "<f4", shape: [3, 2]).count
        XCTAssertEqual(data.count, header + 4 * values.count)
        for (i, v) in values.enumerated() {
            let bytes = data[(data.startIndex + header + 4 * i)..<(data.startIndex + header + 4 * i + 4)]
            let bits = bytes.enumerated().reduce(UInt32(0)) { $0 | (UInt32($1.element) << (8 * UInt32($1.offset))) }
            XCTAssertEqual(Float(bitPattern: bits), v)
        }
        XCTAssertEqual(NPYFile.float64([1, 2], shape: [2]).count, NPYFile.header(descr: "<f8", shape: [2]).count + 16)
    }

    func testNumPyReadsTheFile() throws {
        let values: [Float] = (0..<12).map { Float($0) * 0.5 - 1 }
        let path = try temporaryPath("weights.npy")
        try NPYFile.float32(values, shape: [3, 4]).write(to: URL(fileURLWithPath: path))
        let out = try python("""
            import numpy
            a = numpy.load(\(GeNNExportTests.pythonString(path)))
            print(a.shape, a.dtype, a.ravel().tolist())
            """, needs: "numpy")
        XCTAssertEqual(out, "(3, 4) float32 \(values.map { "\(Double($0))" }.joined(separator: ", ").wrappedInBrackets)")
    }

    // MARK: - The script generator

    func makeExport(variant: ProtocolVariant = .seed, substeps: Double = 25, weights: String? = nil,
                    notes: [String] = []) throws -> GeNNExport {
        let genes: [(String, Double)] = [("kc_count", 321), ("stdp_tau", 12.3456), ("stdp_alpha", 1.23e-06),
                                         ("w_max", 0.5), ("stdp_offset", 4.8e-07), ("teacher", 1.5)]
        let parameters = try MushroomBodyParameters().setting(genes + [("traub_substeps", substeps)])
        return GeNNExport(provenance: [("run_file", "r.h5"), ("note", "quote \" and \\ and\nnewline")],
                          genotype: genes, parameters: parameters, variant: variant, weightsFile: weights, notes: notes)
    }

    func testEveryParameterIsInTheScript() throws {
        let export = try makeExport()
        let script = export.script
        for (i, d) in MushroomBodyParameters.definitions.enumerated() {
            let value = export.parameters.values[i]
            XCTAssertTrue(script.contains("    \"\(d.name)\": \(value),"), "PARAMETERS lacks \(d.name) = \(value)")
        }
        for (name, value) in export.genotype {
            XCTAssertTrue(script.contains("    \"\(name)\": \(value),\n"), "GENOTYPE lacks \(name)")
        }
        XCTAssertTrue(script.contains("\"kc_count\": 321.0,"))
        XCTAssertTrue(script.contains("\"stdp_alpha\": 1.23e-06,"))
    }

    func testVariantSubstepsAndWeightsAreCarried() throws {
        let seed = try makeExport(variant: .seed).script
        XCTAssertTrue(seed.contains("VARIANT = \"seed\"\n"))
        XCTAssertTrue(seed.contains("TRAUB_SUBSTEPS = 25\n"))
        XCTAssertTrue(seed.contains("WEIGHTS_FILE = None\n"))
        let corrected = try makeExport(variant: .corrected, substeps: 3, weights: "brain_kc_dn_weights.npy").script
        XCTAssertTrue(corrected.contains("VARIANT = \"corrected\"\n"))
        XCTAssertTrue(corrected.contains("TRAUB_SUBSTEPS = 3\n"))
        XCTAssertTrue(corrected.contains("WEIGHTS_FILE = \"brain_kc_dn_weights.npy\"\n"))
    }

    func testScriptUsesGeNN4SpikeSemanticsOnGeNN5() throws {
        let script = try makeExport().script
        // Three custom neuron models (TraubMiles, Poisson, GGN), each with the auto-refractory rule.
        XCTAssertEqual(script.components(separatedBy: "create_neuron_model(\n").count - 1, 3)
        XCTAssertEqual(script.components(separatedBy: "auto_refractory_required=True").count - 1, 3)
        // GeNN 5's built-in TraubMiles lacks that rule: not used.
        XCTAssertFalse(script.contains("\"TraubMiles\""))
        // ExpCond reads the target's V through a variable reference in GeNN 5.
        XCTAssertEqual(script.components(separatedBy: "init_postsynaptic(\"ExpCond\"").count - 1, 2)
        XCTAssertEqual(script.components(separatedBy: "var_refs={\"V\": create_var_ref(").count - 1, 2)
        XCTAssertTrue(script.contains("init_sparse_connectivity(\"FixedProbability\", {\"prob\": P[\"pn_kc_probability\"]})"))
    }

    func testNotesAndProvenanceAreQuotedSafely() throws {
        let script = try makeExport(notes: ["a \"\"\" triple quote and a \\ backslash"]).script
        XCTAssertTrue(script.contains("\"note\": \"quote \\\" and \\\\ and\\nnewline\","))
        XCTAssertTrue(script.contains("Notes on this export:"))
        XCTAssertFalse(script.contains("a \"\"\" triple"))
    }

    func testPythonCompilesTheScript() throws {
        let path = try temporaryPath("brain.py")
        try Data(try makeExport(weights: "w.npy", notes: ["x"]).script.utf8).write(to: URL(fileURLWithPath: path))
        let out = try python("""
            import ast, py_compile
            py_compile.compile(\(GeNNExportTests.pythonString(path)), doraise=True)
            tree = ast.parse(open(\(GeNNExportTests.pythonString(path)), encoding="utf-8").read())
            values = {t.id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                      for t in n.targets if isinstance(t, ast.Name) and t.id in ("GENOTYPE", "PARAMETERS")}
            print(values["GENOTYPE"]["stdp_tau"], values["PARAMETERS"]["kc_count"], len(values["PARAMETERS"]))
            """)
        XCTAssertEqual(out, "12.3456 321.0 \(MushroomBodyParameters.definitions.count)")
    }

    // MARK: - Export of a run file's evaluation

    /// A run file with one replicate of three evaluations (fitness 3, 7, 7), weights recorded.
    func makeRunFile(recordWeights: Bool = true, steps: Int = 2 * 500) throws -> String {
        let path = try temporaryPath("run.h5")
        let genes = Experiment.seedGenes.map { GeneDescription(name: $0.name, prior: $0.prior.description) }
        let layout = RunLayout(replicateCount: 2, genes: genes, componentNames: ["c"], populationNames: ["DN"],
                               recordsWeights: recordWeights, dtMilliseconds: 0.1, stepsPerEvaluation: steps)
        let provenance = RunProvenance(toolVersion: "test", createdISO8601: "2026-01-01T00:00:00Z", experimentName: "tiny",
                                       masterSeed: 1, experimentText: "name: tiny\nprotocol: {variant: seed}\n",
                                       host: "h", threads: 1)
        let dataset = RunDatasetRecord(images: [UInt8](repeating: 0, count: 2 * 784), labels: [0, 1], imageCount: 2,
                                       classNames: ["dull", "unknown", "rubbish", "food"])
        let recorder = try RunRecorder.create(path: path, provenance: provenance, dataset: dataset, layout: layout,
                                              replicateSeeds: [1, 2])
        for (row, fitness) in [3.0, 7.0, 7.0].enumerated() {
            let kc = row + 2
            let record = EvaluationRecord(
                genotype: [Double(kc), 10 + Double(row), 1e-6, 0.5, 1e-7, 1.5], fitness: fitness, maxFitness: 7,
                components: [fitness], seed: UInt64(row), wallSeconds: 0, tournament: -1, slot: Int32(row),
                populationSizes: [4], spikes: [SpikeTrain(steps: [], ids: [])],
                finalWeights: (0..<(kc * 4)).map { Float(row * 100 + $0) })
            try recorder.appendEvaluation(replicate: 0, record)
        }
        try recorder.commit()
        try recorder.finish()
        return path
    }

    func testBestEvaluationIsTheFirstOfTheHighestFitness() throws {
        let result = try GeNNRunExport.make(runFile: try makeRunFile())
        XCTAssertEqual(result.replicate, 0)
        XCTAssertEqual(result.evaluation, 1)
        XCTAssertEqual(result.fitness, 7)
        XCTAssertEqual(result.export.genotype.map(\.0), Experiment.seedGenes.names)
        XCTAssertEqual(result.export.genotype.map(\.1), [3, 11, 1e-6, 0.5, 1e-7, 1.5])
        XCTAssertEqual(result.export.parameters["kc_count"], 3)
        XCTAssertEqual(result.export.parameters["stdp_tau"], 11)
        XCTAssertEqual(result.export.variant, .seed)
        XCTAssertEqual(result.warnings, [])
        XCTAssertNil(result.weights)
        XCTAssertTrue(result.export.script.contains("\"evaluation\": \"1\","))
    }

    func testAChosenRowAndItsWeights() throws {
        let result = try GeNNRunExport.make(runFile: try makeRunFile(), evaluation: .row(2), weightsFile: "w.npy")
        XCTAssertEqual(result.evaluation, 2)
        XCTAssertEqual(result.kcCount, 4)
        XCTAssertEqual(result.weights, (0..<16).map { Float(200 + $0) })
        let npy = try XCTUnwrap(result.weightsNPY)
        XCTAssertEqual(npy.count, NPYFile.header(descr: "<f4", shape: [4, 4]).count + 64)
    }

    func testOutOfRangeChoicesNameTheValidRange() throws {
        let path = try makeRunFile()
        XCTAssertThrowsError(try GeNNRunExport.make(runFile: path, replicate: 2)) {
            XCTAssertEqual("\($0)", "--replicate 2 is out of range: the run has replicates 0…1")
        }
        XCTAssertThrowsError(try GeNNRunExport.make(runFile: path, evaluation: .row(3))) {
            XCTAssertEqual("\($0)", "--evaluation 3 is out of range: replicate 0 has committed evaluations 0…2")
        }
        XCTAssertThrowsError(try GeNNRunExport.make(runFile: path, replicate: 1)) {
            XCTAssertTrue("\($0)".contains("replicate 1 has no committed evaluations"), "\($0)")
        }
        XCTAssertThrowsError(try GeNNRunExport.make(runFile: path + ".missing")) {
            XCTAssertTrue("\($0)".hasPrefix("no run file at ") || "\($0)".contains("cannot be read"), "\($0)")
        }
    }

    func testWeightsOfARunWithoutThem() throws {
        let path = try makeRunFile(recordWeights: false)
        XCTAssertThrowsError(try GeNNRunExport.make(runFile: path, weightsFile: "w.npy")) {
            XCTAssertTrue("\($0)".contains("did not record weights"), "\($0)")
        }
    }

    func testUnrecordedProtocolOverridesAreReported() throws {
        let result = try GeNNRunExport.make(runFile: try makeRunFile(steps: 2 * 300))
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertTrue(result.warnings[0].contains("600 steps per evaluation"), result.warnings[0])
        XCTAssertTrue(result.export.script.contains("Notes on this export:"))
    }

    // MARK: - Helpers

    func temporaryPath(_ name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genn-export-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.appendingPathComponent(name).path
    }

    static func pythonString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// Runs `code` with python3 and returns its trimmed standard output; skips the test when
    /// python3 (or the module `needs`) is not available.
    func python(_ code: String, needs module: String? = nil) throws -> String {
        func run(_ arguments: [String]) throws -> (Int32, String, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + arguments
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let output = out.fileHandleForReading.readDataToEndOfFile()
            let error = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
        }
        guard let (status, _, _) = try? run(["-c", "import \(module ?? "sys")"]), status == 0 else {
            throw XCTSkip("python3\(module.map { " with \($0)" } ?? "") is not available")
        }
        let (code, output, error) = try run(["-c", code])
        XCTAssertEqual(code, 0, error)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

private extension String {
    var wrappedInBrackets: String { "[\(self)]" }
}
