import Foundation
import XCTest

/// The base of the command-line tests: finds the `autoparam` executable, gives each test an
/// empty work directory, and runs the tool there as a user would.
class CLITestCase: XCTestCase {
    /// The package root, found from this file (Tests/CLITests/CLITestCase.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The autoparam executable: $AUTOPARAM_BIN, else the one built beside these tests, else
    /// .build/release/autoparam in the package.
    static var binary: URL? {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["AUTOPARAM_BIN"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        // The build folder: the test bundle (or, on Linux, the test executable) lies in it.
        let bundle = Bundle(for: CLITestCase.self).bundleURL
        for folder in [bundle, bundle.deletingLastPathComponent(), Bundle.main.executableURL?.deletingLastPathComponent()] {
            if let folder { candidates.append(folder.appendingPathComponent("autoparam")) }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/release/autoparam"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// An empty directory for this test, removed afterwards.
    var workDirectory: URL!

    override func setUpWithError() throws {
        workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("autoparam-cli-\(UUID())")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// Runs `autoparam <arguments>` in the work directory and waits for it.
    func autoparam(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let binary = Self.binary else { throw XCTSkip("no autoparam binary: build it, or set AUTOPARAM_BIN") }
        return try Self.run(binary, arguments, in: workDirectory)
    }

    /// Runs `executable arguments` in `directory` with `environment` added to this process's
    /// (SLURM_ARRAY_TASK_ID removed, so a shard is never picked up by accident) and waits.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL,
                    environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["SLURM_ARRAY_TASK_ID"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
