import ArgumentParser
import Analysis
import Foundation

/// `autoparam runs`: a table of the run files under a directory.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the run files under a directory: experiment, seed, replicates, best fitness, rubric, size; --json.",
        discussion: """
            Searches DIR and its subdirectories for *.h5 run files. Per file: its path under DIR, \
            the experiment, master seed, replicates complete/all, the best fitness (the highest over \
            every replicate, ties to the earliest row), rubric, network, creation time, the \
            replicates' recorded wall time (summed) and the file size. Files being written are \
            read up to their last commit; .h5 files that are not run files are listed on stderr. \
            See docs/compare.md.
              autoparam runs
              autoparam runs results/ --json
            """
    )

    @Argument(help: ArgumentHelp("The directory to search.", valueName: "dir"))
    var directory = "runs"

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BadInput("\(directory): no such directory")
        }
        let catalogue: RunCatalogue
        do { catalogue = try RunCatalogue(directory: directory) } catch { throw BadInput("\(directory): \(error)") }
        if json {
            print(catalogue.json().serialized())
        } else {
            print(catalogue.text(), terminator: "")
            for s in catalogue.skipped { printError("skipped \(s.path): \(s.reason)") }
        }
    }
}
