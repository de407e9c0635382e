import ArgumentParser
import Analysis
import Foundation

/// `autoparam inspect`: a summary of a run file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a run file: provenance, replicates, evaluations, statuses and sizes.",
        discussion: "Works on the file of a killed or still running writer: only committed tournaments are counted."
    )

    @Argument(help: ArgumentHelp("The run file (HDF5).", valueName: "run.h5"))
    var file: String

    func run() throws {
        try readingRunFile(file) {
            print(try RunInspection.summary(path: file), terminator: "")
        }
    }
}
