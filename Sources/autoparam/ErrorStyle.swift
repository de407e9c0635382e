import ArgumentParser
import HDF5
import RunFile
import Foundation

/// The one error style of every command (docs/errors.md):
///
/// - bad input (arguments, experiment files, run files that are missing, not run files,
///   damaged, or held by another writer): `error: ` + the path + what is wrong + what to do,
///   exit code 2;
/// - a failure while running (disk full, I/O error): `error: ` + what failed, exit code 1;
/// - never HDF5's error stack unless `--verbose` is given (it goes after the message).

/// `--verbose` (accepted by every command): print HDF5's error stack with an error.
nonisolated(unsafe) var verboseErrors = false

/// Runs `body`, which reads the run file at `path`, and reports any failure to read it as bad
/// input in the common style: "`path` cannot be `action`: what is wrong: what to do".
func readingRunFile<T>(_ path: String, action: String = "read", _ body: () throws -> T) throws -> T {
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
        throw BadInput("\(path) cannot be \(action): no such file: check the path")
    }
    if isDirectory.boolValue {
        throw BadInput("\(path) cannot be \(action): it is a directory: give the path of a run file (.h5) written by autoparam run")
    }
    do {
        return try body()
    } catch let error as BadInput {
        throw error
    } catch let error as HDF5Error {
        throw BadInput(RunFileProblem.describe(error, path: path, action: action), detail: RunFileProblem.stack(of: error))
    } catch let error as RunFileError {
        throw BadInput(RunFileProblem.describe(error, path: path, action: action))
    }
}

/// The command line with a negative number given as its own argument joined to its option
/// (`--duration -5` → `--duration=-5`), so that it reaches the option's range check instead of
/// being taken for an unknown flag. Only `--name` followed by something that reads as a
/// negative number (`-5`, `-0.5`, `-1e3`, `-inf`, `-nan`) is joined; no command takes a negative
/// number as a positional argument.
func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        if argument == "--" { result += arguments[index...]; break }
        if argument.hasPrefix("--"), !argument.contains("="), index + 1 < arguments.count,
           isNegativeNumber(arguments[index + 1]) {
            result.append(argument + "=" + arguments[index + 1])
            index += 2
            continue
        }
        result.append(argument)
        index += 1
    }
    return result
}

private func isNegativeNumber(_ text: String) -> Bool {
    guard text.hasPrefix("-"), text.count > 1 else { return false }
    let body = text.dropFirst().lowercased()
    if ["inf", "infinity", "nan"].contains(body) { return true }
    guard let first = body.first, first.isNumber || first == "." else { return false }
    return Double(text) != nil
}
