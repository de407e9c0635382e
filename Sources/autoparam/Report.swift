import ArgumentParser
import Analysis
import RunFile
import Foundation

/// `autoparam report`: tables, JSON, CSV files and an HTML page from a run file.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a run file: per-replicate table, fitness and gene statistics; --json, --csv, --html.",
        discussion: """
            Reads committed tournaments only, so it works on a run that is still going or was \
            killed, and says which replicates are incomplete. The best evaluation is the one with \
            the highest fitness, ties to the earliest row (the same in every output, export-genn \
            and compare); tournaments are numbered from 0 and traces count tournaments completed \
            (0 = the initial population). Every table, JSON key, CSV column and plot is described \
            in docs/report.md. Examples:
              autoparam report runs/quickstart.h5
              autoparam report runs/quickstart.h5 --json > summary.json
              autoparam report runs/quickstart.h5 --csv tables/ --html report.html
            """
    )

    @Argument(help: ArgumentHelp("The run file (HDF5) written by autoparam run.", valueName: "run-file"))
    var file: String

    @Flag(help: "Print one JSON object instead of the text tables.")
    var json = false

    @Option(help: ArgumentHelp("Also write evaluations.csv (with spike counts per population) and tournaments.csv into this directory (created if needed).", valueName: "dir"))
    var csv: String?

    @Option(help: ArgumentHelp("Also write a self-contained HTML page with plots to this file.", valueName: "out.html"))
    var html: String?

    func run() throws {
        try readingRunFile(file) { try report() }
    }

    private func report() throws {
        let reader = try RunReader(path: file)
        defer { try? reader.close() }
        let report = try RunReport(reader: reader)

        if let csv {
            do { try report.writeCSV(to: csv) } catch { throw BadInput("--csv \(csv): cannot write: \(error.localizedDescription)") }
        }
        if let html {
            let page = try ReportPage.html(report, reader: reader)
            do {
                try Data(page.utf8).write(to: URL(fileURLWithPath: html))
            } catch {
                throw BadInput("--html \(html): cannot write: \(error.localizedDescription)")
            }
        }
        if json {
            print(report.json().serialized())
        } else {
            print(report.text(), terminator: "")
            if let csv { print("\ncsv          \(csv)/evaluations.csv, \(csv)/tournaments.csv") }
            if let html { print(csv == nil ? "\nhtml         \(html)" : "html         \(html)") }
        }
    }
}
