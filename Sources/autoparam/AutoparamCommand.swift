import ArgumentParser
import RunFile
import HDF5
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The root of the command tree.
struct AutoparamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autoparam",
        abstract: "Evolve the hyperparameters of a spiking mushroom-body network and record everything to HDF5.",
        discussion: """
            Exit codes: 0 success, 1 a failure while running, 2 bad input (arguments, experiment \
            file or run file). Add --verbose to any command to print HDF5's error stack with an error.
            """,
        version: AutoparamVersion.current,
        subcommands: [Run.self, Validate.self, Inspect.self, Report.self, Compare.self, Runs.self, ExportGeNN.self, Merge.self, Slurm.self, Evaluate.self, Neuron.self, Parameters.self]
    )
}

/// An error in what the user gave us (arguments, files): exit code 2.
struct BadInput: Error, CustomStringConvertible {
    let message: String
    /// HDF5's error stack behind it, printed with `--verbose`.
    let detail: String?
    init(_ message: String, detail: String? = nil) { self.message = message; self.detail = detail }
    var description: String { message }
}

@main
enum Entry {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let flag = arguments.firstIndex(of: "--verbose"), !arguments[..<flag].contains("--") {
            verboseErrors = true
            arguments.remove(at: flag)
        }
        do {
            var command = try AutoparamCommand.parseAsRoot(joiningNegativeNumbers(arguments))
            try command.run()
            endProcess(0)
        } catch let error as BadInput {
            printError("error: \(error.message)")
            if verboseErrors, let detail = error.detail { printError(detail) }
            endProcess(2)
        } catch let code as ExitCode {
            endProcess(code.rawValue)
        } catch let error as HDF5Error {
            // Reading a run file is wrapped by readingRunFile (exit 2); what reaches here failed
            // while running: writing, a full disk, an I/O error.
            printError("error: \(error.message)")
            if verboseErrors { printError(error.stackDescription) }
            exitAfterFailure(1)
        } catch {
            let code = AutoparamCommand.exitCode(for: error)
            if code == .success {
                AutoparamCommand.exit(withError: error)  // help and version
            }
            let message = AutoparamCommand.fullMessage(for: error)
            if code == .validationFailure {
                // One style: ArgumentParser says "Error: …"; every other message says "error: …".
                let text = message.hasPrefix("Error: ") ? "error: " + message.dropFirst("Error: ".count) : message
                printError(text.hasPrefix("error:") ? text : "error: \(text)")
                endProcess(2)
            }
            // Our own errors print their description ("error: Error: …" was ArgumentParser's
            // wording of a non-parser error).
            let text = "\(error)"
            printError(text.hasPrefix("error:") ? text : "error: \(text)")
            if verboseErrors, let stack = RunFileProblem.stack(of: error) { printError(stack) }
            exitAfterFailure(1)
        }
    }
}

/// Ends the process once a command is done, without the exit-time destructors.
///
/// Why not `exit()`: it runs the shared libraries' destructors on the calling thread while
/// libdispatch's worker threads (the evaluation pool, the signal sources) may still be winding
/// down, and a worker's thread-local cleanup (`_dispatch_cache_cleanup`) racing those
/// destructors corrupted the heap: "double free or corruption (fasttop)" in about 1 of 150
/// runs on a loaded machine, often with exit status 0 (core dumps: the crashing thread in
/// `_libdispatch_tsd_cleanup`, the main thread in `_dl_fini`). Every file is closed by then;
/// the HDF5 library is shut down explicitly (flushing anything still open), every C stream is
/// flushed, and `_exit` ends all threads at once.
func endProcess(_ code: Int32) -> Never {
    HDF5Library.shutDown()
    fflush(nil)
    _exit(code)
}

/// Ends the process after a failure while running, without the exit handlers.
///
/// After a write failed (a full disk), HDF5 may hold a file it could neither flush nor close;
/// the HDF5 layer's exit handler (`H5close`) then tries again and crashed (SIGSEGV inside
/// libhdf5, seen with a file-size limit). The run file is already in the state a kill would
/// leave, which resume handles, so the process ends as a killed writer would: output flushed,
/// no exit handlers.
func exitAfterFailure(_ code: Int32) -> Never {
    fflush(nil)  // every C stream: what print() buffered on stdout
    _exit(code)
}

/// Write a line to standard error.
func printError(_ line: String) {
    var stderr = StandardError()
    print(line, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
