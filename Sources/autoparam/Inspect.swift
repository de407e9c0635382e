import ArgumentParser
import Analysis
import HDF5
import Foundation

/// `autoparam inspect`: a summary of a run file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a run file: provenance, replicates, evaluations, statuses and sizes.",
        discussion: """
            Works on the file of a killed or still running writer: only committed tournaments are counted. \
            The file is opened read-only and never changed. --verify also reads every chunk of every \
            dataset and checks its Fletcher-32 checksum, listing every damaged dataset with its rows \
            (exit 2 if any).
            """
    )

    @Argument(help: ArgumentHelp("The run file (HDF5).", valueName: "run.h5"))
    var file: String

    @Flag(help: "Read every chunk and check its checksum; list any damage (exit 2 if there is some).")
    var verify = false

    func run() throws {
        try readingRunFile(file) {
            print(try RunInspection.summary(path: file), terminator: "")
        }
        guard verify else { return }
        let damage: [HDF5Damage] = try readingRunFile(file) {
            let hdf5 = try HDF5File.open(path: file, options: HDF5FileOptions(fileLocking: false))
            defer { try? hdf5.close() }
            return try hdf5.verify()
        }
        if damage.isEmpty {
            print("verify        every chunk read back and matched its checksum")
            return
        }
        print("verify        \(damage.count) damaged object\(damage.count == 1 ? "" : "s"):")
        for item in damage { print("  \(item)") }
        throw BadInput("\(file) is damaged: \(damage.count) object\(damage.count == 1 ? "" : "s") failed to read back (listed above): "
                       + "start the run again with --force, or keep a copy and read the undamaged parts; "
                       + "a writer that was killed can leave the chunk after its last commit unreadable, which `autoparam run --resume` rewrites")
    }
}
