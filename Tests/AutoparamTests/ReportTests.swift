import Analysis
import RunFile
import Foundation
import XCTest

/// `autoparam report`'s numbers on run files with hand-chosen fitness values (ReportFixture).
final class ReportTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func completeReport() throws -> RunReport {
        let file = path("complete.h5")
        try ReportFixture.complete(at: file)
        return try RunReport.load(path: file)
    }

    func killedReport() throws -> RunReport {
        let file = path("killed.h5")
        try ReportFixture.killed(at: file)
        return try RunReport.load(path: file)
    }

    // MARK: - Text

    func testTextReportPrintsTheFixturesNumbers() throws {
        let report = try completeReport()
        XCTAssertEqual(report.text(), """
            run file     \(path("complete.h5"))
            experiment   fixture, master seed 42
            written by   autoparam test, 2026-01-02T03:04:05Z, host testhost, 1 threads
            genes        kc_count, w_max
            spikes       DN
            status       complete: 2 of 2 replicates

            Replicates
              replicate  status    evaluations  tournaments  best fitness (max)  wall s  best genotype
                      0  complete            6            3     40.000 (50.000)    12.5  kc_count=250 w_max=0.125
                      1  complete            4            1      8.000 (50.000)     7.5  kc_count=120 w_max=0.4

            Final best fitness over 2 replicates
                mean      sd  median    min     max
              24.000  22.627  24.000  8.000  40.000

            Tournaments to reach 90 % of the final best
              replicate 0: 3, replicate 1: 0; median 1.5

            Genes of the final populations (6 genotypes, latest checkpoint of 2 replicates)
              gene         mean        sd    min  max
              kc_count  178.333   50.7609    120  250
              w_max       0.325  0.203715  0.125  0.6

            """)
    }

    func testKilledRunReportsCommittedTournamentsOnlyAndSaysItIsIncomplete() throws {
        let report = try killedReport()
        XCTAssertFalse(report.isComplete)
        XCTAssertEqual(report.incompleteLines, ["incomplete: replicate 0 is running (2 of 3 tournaments committed)",
                                                "incomplete: replicate 1 is running (0 of 3 tournaments committed)"])
        XCTAssertEqual(report.replicates.map(\.recordedStatus), [.running, .pending])
        XCTAssertEqual(report.text(), """
            run file     \(path("killed.h5"))
            experiment   fixture, master seed 42
            written by   autoparam test, 2026-01-02T03:04:05Z, host testhost, 1 threads
            genes        kc_count, w_max
            spikes       DN
            incomplete: replicate 0 is running (2 of 3 tournaments committed)
            incomplete: replicate 1 is running (0 of 3 tournaments committed)
            (3 tournaments: ga.tournaments of the recorded experiment file; --set overrides of the run are not recorded)
            (every number below covers committed tournaments only)

            Replicates
              replicate  status   evaluations  tournaments  best fitness (max)  wall s  best genotype
                      0  running            5            2     30.000 (50.000)       -  kc_count=200 w_max=0.5
                      1  running            3            0      8.000 (50.000)       -  kc_count=120 w_max=0.4

            Final best fitness over 2 replicates
                mean      sd  median    min     max
              19.000  15.556  19.000  8.000  30.000

            Tournaments to reach 90 % of the final best
              replicate 0: 1, replicate 1: 0; median 0.5

            Genes of the final populations (6 genotypes, latest checkpoint of 2 replicates)
              gene          mean        sd    min  max
              kc_count       175   33.3167    120  200
              w_max     0.345833  0.184673  0.125  0.6

            """)
        // The uncommitted third tournament (fitness 40) appears nowhere.
        XCTAssertEqual(report.tournaments[0].count, 2)
        XCTAssertEqual(report.evaluations[0].count, 5)
        XCTAssertFalse(report.evaluationsCSV().contains(",40.0,"))
    }

    // MARK: - History

    func testLineageFollowsTheBestSlotAndKeepsTheIncumbentOnTies() throws {
        let report = try completeReport()
        XCTAssertEqual(report.replicates[0].lineage.map(\.row), [1, 3, 3, 5])
        XCTAssertEqual(report.replicates[0].lineage.map(\.slot), [1, 0, 0, 1])
        XCTAssertEqual(report.replicates[0].trace.map(\.best), [20, 30, 30, 40])
        XCTAssertEqual(report.replicates[0].trace[0].mean, 15)
        // Replicate 1: slot 0 ties slot 1 at 8 after the tournament; slot 1 stays best.
        XCTAssertEqual(report.replicates[1].lineage.map(\.slot), [1, 1])
        XCTAssertEqual(report.replicates[1].best?.genotype, [120, 0.4])
        XCTAssertEqual(report.replicates.map(\.tournamentsTo90Percent), [3, 0])
    }

    // MARK: - JSON

    func testJSONHoldsTheFixturesValues() throws {
        let report = try completeReport()
        let text = report.json().serialized()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["complete"] as? Bool, true)
        XCTAssertEqual(object["incomplete"] as? [String], [])
        XCTAssertEqual(object["expected_tournaments"] as? Int, 3)
        let replicates = try XCTUnwrap(object["replicates"] as? [[String: Any]])
        XCTAssertEqual(replicates.count, 2)
        XCTAssertEqual(replicates[0]["best_fitness"] as? Double, 40)
        XCTAssertEqual(replicates[0]["max_fitness"] as? Double, 50)
        XCTAssertEqual(replicates[0]["best_evaluation_row"] as? Int, 5)
        XCTAssertEqual(replicates[0]["best_genotype"] as? [String: Double], ["kc_count": 250, "w_max": 0.125])
        XCTAssertEqual(replicates[0]["wall_seconds"] as? Double, 12.5)
        XCTAssertEqual(replicates[0]["seed"] as? Int, 11)
        XCTAssertEqual(replicates[0]["best_fitness_trace"] as? [Double], [20, 30, 30, 40])
        XCTAssertEqual(replicates[1]["tournaments_to_90_percent"] as? Int, 0)
        let best = try XCTUnwrap(object["final_best_fitness"] as? [String: Any])
        XCTAssertEqual(best["count"] as? Int, 2)
        XCTAssertEqual(best["mean"] as? Double, 24)
        XCTAssertEqual(try XCTUnwrap(best["sd"] as? Double), 22.627416997969522, accuracy: 1e-12)
        XCTAssertEqual(best["median"] as? Double, 24)
        XCTAssertEqual(best["min"] as? Double, 8)
        XCTAssertEqual(best["max"] as? Double, 40)
        let reached = try XCTUnwrap(object["tournaments_to_90_percent"] as? [String: Any])
        XCTAssertEqual(reached["per_replicate"] as? [Int], [3, 0])
        XCTAssertEqual(reached["median"] as? Double, 1.5)
        let genes = try XCTUnwrap((object["final_population"] as? [String: Any])?["genes"] as? [[String: Any]])
        XCTAssertEqual(genes.map { $0["name"] as? String }, ["kc_count", "w_max"])
        XCTAssertEqual(genes[1]["mean"] as? Double, 0.325)
        XCTAssertEqual(genes[1]["min"] as? Double, 0.125)
        // Key order and number text are part of the contract.
        XCTAssertTrue(text.hasPrefix("{\"run_file\":"), text)
        XCTAssertTrue(text.contains("\"final_best_fitness\":{\"count\":2,\"mean\":24.0,\"sd\":22.627416997969522,\"median\":24.0,\"min\":8.0,\"max\":40.0}"), text)
        XCTAssertTrue(text.contains("\"tournaments_to_90_percent\":{\"per_replicate\":[3,0],\"median\":1.5}"), text)
    }

    func testJSONOfAKilledRunNamesTheIncompleteReplicates() throws {
        let text = try killedReport().json().serialized()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["complete"] as? Bool, false)
        XCTAssertEqual((object["incomplete"] as? [String])?.count, 2)
        XCTAssertEqual(object["expected_tournaments_source"] as? String, "experiment_text")
        let replicates = try XCTUnwrap(object["replicates"] as? [[String: Any]])
        XCTAssertEqual(replicates.map { $0["status"] as? String }, ["running", "running"])
        XCTAssertEqual(replicates.map { $0["recorded_status"] as? String }, ["running", "pending"])
        XCTAssertEqual(replicates[0]["tournaments"] as? Int, 2)
        XCTAssertEqual(replicates[0]["best_fitness"] as? Double, 30)
        XCTAssertTrue(replicates[0]["wall_seconds"] is NSNull)
    }

    // MARK: - CSV

    func testCSVFilesHaveOneRowPerCommittedEvaluationAndTournament() throws {
        let report = try completeReport()
        let files = try report.writeCSV(to: path("csv"))
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }, ["evaluations.csv", "tournaments.csv"])
        let evaluations = try String(contentsOfFile: path("csv/evaluations.csv"), encoding: .utf8)
        let lines = evaluations.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.count, 1 + 6 + 4 + 1)  // header, rows, final newline
        XCTAssertEqual(lines[0], "replicate,row,tournament,slot,fitness,max_fitness,status,status_message,seed,wall_seconds,kc_count,w_max,spikes,checks,spikes_DN")
        XCTAssertEqual(lines[1], "0,0,-1,0,10.0,50.0,ok,,1000,0.5,100.0,0.5,9.0,1.0,3")
        XCTAssertEqual(lines[6], "0,5,2,1,40.0,50.0,ok,,1005,0.5,250.0,0.125,39.0,1.0,3")
        XCTAssertEqual(lines[9], "1,2,-1,2,6.0,50.0,numerical_failure,\"NaN in KC 3, step 17\",1002,0.5,180.0,0.6,5.0,1.0,3")
        XCTAssertEqual(lines[11], "")
        XCTAssertEqual(try String(contentsOfFile: path("csv/tournaments.csv"), encoding: .utf8), """
            replicate,tournament,a,b,winner,loser,evaluation_row,best_fitness,mean_fitness,min_fitness,crossover_mask,mutation_mask,crossover_genes,mutated_genes
            0,0,0,1,1,0,3,30.0,21.666666666666668,15.0,m10,m01,kc_count,w_max
            0,1,2,0,0,2,4,30.0,25.0,20.0,m10,m01,kc_count,w_max
            0,2,1,2,2,1,5,40.0,31.666666666666668,25.0,m01,m10,w_max,kc_count
            1,0,0,1,1,0,3,8.0,7.333333333333333,6.0,m10,m01,kc_count,w_max

            """)
    }

    // MARK: - HTML

    func testPageHasEveryPlotAndNoScript() throws {
        let file = path("complete.h5")
        try ReportFixture.complete(at: file)
        let reader = try RunReader(path: file)
        defer { try? reader.close() }
        let page = try ReportPage.html(try RunReport(reader: reader), reader: reader)
        for id in ReportPage.plotIDs {
            XCTAssertEqual(page.components(separatedBy: "<svg id=\"\(id)\"").count, 2, "plot \(id)")
            XCTAssertTrue(page.contains("<title id=\"\(id)-title\">"), id)
        }
        XCTAssertFalse(page.lowercased().contains("<script"), "the experiment text must be escaped")
        XCTAssertTrue(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"))
        // Self-contained: the SVG namespace is the only URL on the page.
        XCTAssertFalse(page.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        XCTAssertTrue(page.contains("time (ms)"))
    }

    func testPageWithoutSpikesSaysSoInsteadOfARaster() throws {
        let file = path("nospikes.h5")
        try ReportFixture.complete(at: file, spikes: false)
        let reader = try RunReader(path: file)
        defer { try? reader.close() }
        let page = try ReportPage.html(try RunReport(reader: reader), reader: reader)
        XCTAssertFalse(page.contains("id=\"spike-raster\""))
        XCTAssertFalse(page.contains("id=\"dn-responses\""))
        XCTAssertTrue(page.contains("Spikes were not recorded in this run"))
        XCTAssertTrue(page.contains("id=\"fitness-traces\""))
    }

    func testDNCountsUseTheStimulusWindowOnly() throws {
        let file = path("complete.h5")
        try ReportFixture.complete(at: file)
        let reader = try RunReader(path: file)
        defer { try? reader.close() }
        let report = try RunReport(reader: reader)
        let best = try XCTUnwrap(try BestEvaluation(report: report, reader: reader))
        XCTAssertEqual(best.replicate, 0)
        XCTAssertEqual(best.row, 5)
        // 2 images of 20 steps; the fixture's genes set no protocol, so the split is assumed 10 + 10.
        let windows = try XCTUnwrap(ImageWindows(layout: report.layout, dataset: try reader.dataset(),
                                                 experiment: report.experiment, genotype: best.genotype))
        XCTAssertEqual(windows.stepsPerImage, 20)
        XCTAssertEqual(windows.stimulusSteps, 10)
        // DN spikes at steps 1, 2 (DN 0, image 0 stimulus) and 35 (DN 1, image 1 blank: not counted).
        XCTAssertEqual(best.dnStimulusCounts(windows), [[2, 0], [0, 0], [0, 0], [0, 0]])
    }

    // MARK: - Statistics

    func testQuantilesInterpolateLikeNumpy() {
        let v: [Double] = [1, 2, 4, 8]
        XCTAssertEqual(SummaryStatistics.quantile(sorted: v, 0.5), 3)
        XCTAssertEqual(SummaryStatistics.quantile(sorted: v, 0.25), 1.75)
        XCTAssertEqual(SummaryStatistics.quantile(sorted: v, 1), 8)
        let s = SummaryStatistics([3])!
        XCTAssertNil(s.standardDeviation)
        XCTAssertNil(SummaryStatistics([]))
    }

    func testNumberFormats() {
        XCTAssertEqual(ReportFormat.fitness(212.5), "212.500")
        XCTAssertEqual(ReportFormat.gene(350), "350")
        XCTAssertEqual(ReportFormat.gene(-0.0), "0")
        XCTAssertEqual(ReportFormat.gene(3.5e-07), "3.5e-07")
        XCTAssertEqual(ReportFormat.gene(0.1234), "0.1234")
        XCTAssertEqual(ReportFormat.statistic(0.000123456789), "0.000123457")
        XCTAssertEqual(ReportFormat.seconds(12.345), "12.3")
        XCTAssertEqual(ReportFormat.count(4.5), "4.5")
        XCTAssertEqual(ReportFormat.count(4), "4")
        XCTAssertNil(ReportFormat.exact(.nan))
        XCTAssertEqual(JSONValue.object([("a", .number(.infinity)), ("b", .string("q\"\n"))]).serialized(), "{\"a\":null,\"b\":\"q\\\"\\n\"}")
    }
}
