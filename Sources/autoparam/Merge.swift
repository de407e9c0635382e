import ArgumentParser
import Cluster
import MushroomBodyModel
import Foundation

/// `autoparam merge`: combine the run files of shards into one.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the run files of shards (autoparam run --shard) into one run file.",
        discussion: """
            The merged file's datasets equal those of a single-machine run of the same experiment \
            (provenance, host and timings aside). Each replicate is copied from the part in which \
            it is not pending; parts are only read. Parts must come from the same experiment (its \
            text, master seed and format version), and no replicate may be in two parts. \
            Replicates in no part stay pending and are listed (an error with --strict); a \
            replicate from a killed job keeps its committed tournaments and its status, and \
            `autoparam run FILE --resume --output MERGED` finishes it. See docs/cluster.md. Example:
              autoparam merge runs/x.shard-*-of-4.h5 --output runs/x.h5
            """
    )

    @Argument(help: ArgumentHelp("The run files of the shards.", valueName: "part.h5"))
    var parts: [String]

    @Option(help: ArgumentHelp("The merged run file to write.", valueName: "path"))
    var output: String

    @Flag(help: "Overwrite an existing output file (replaced only once the merge has succeeded).")
    var force = false

    @Flag(help: "Fail when a replicate is in no part, instead of leaving it pending.")
    var strict = false

    func validate() throws {
        if parts.isEmpty { throw ValidationError("give the run files to merge, then --output") }
    }

    func run() throws {
        let summary: MergeSummary
        do {
            summary = try RunMerger.merge(parts: parts, output: output, options: MergeOptions(force: force, strict: strict))
        } catch let error as MergeError {
            throw BadInput(error.description)
        }
        print("run file     \(summary.output)")
        for r in summary.replicates {
            let status = r.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            if let part = r.part {
                print("replicate \(String(r.index).padding(toLength: 3, withPad: " ", startingAt: 0)) \(status) tournaments \(r.tournaments)  from \(part)")
            } else {
                print("replicate \(String(r.index).padding(toLength: 3, withPad: " ", startingAt: 0)) missing")
            }
        }
        let missing = summary.missing
        if !missing.isEmpty {
            printError("missing: replicate\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") in no part and stay\(missing.count == 1 ? "s" : "") pending in \(summary.output)")
        }
        let incomplete = summary.incomplete
        if !incomplete.isEmpty {
            let list = incomplete.map { "\($0.index) (\($0.status.rawValue), \($0.tournaments) tournaments)" }.joined(separator: ", ")
            printError("incomplete: \(list); `autoparam run EXPERIMENT --resume --output \(summary.output)` finishes \(incomplete.count == 1 ? "it" : "them")")
        }
    }
}
