import ArgumentParser
import RunFile
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
            Exit codes: 0 success, 1 a failure while running, 2 bad input (arguments or experiment file).
            """,
        version: AutoparamVersion.current,
        subcommands: [Run.self, Validate.self, Inspect.self, Report.self, Compare.self, Runs.self, ExportGeNN.self, Merge.self, Slurm.self, Evaluate.self, Neuron.self, Parameters.self]
    )
}

/// An error in what the user gave us (arguments, files): exit code 2.
struct BadInput: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

@main
enum Entry {
    static func main() {
        do {
            var command = try AutoparamCommand.parseAsRoot()
            try command.run()
        } catch let error as BadInput {
            printError("error: \(error.message)")
            exit(2)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = AutoparamCommand.exitCode(for: error)
            if code == .success {
                AutoparamCommand.exit(withError: error)  // help and version
            }
            let message = AutoparamCommand.fullMessage(for: error)
            if code == .validationFailure {
                printError(message.hasPrefix("Error:") || message.hasPrefix("error:") ? message : "error: \(message)")
                exit(2)
            }
            printError("error: \(message)")
            exit(1)
        }
    }
}

/// Write a line to standard error.
func printError(_ line: String) {
    var stderr = StandardError()
    print(line, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
