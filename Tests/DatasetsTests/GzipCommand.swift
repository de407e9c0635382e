import Foundation
import XCTest

/// The system's `gzip` command, as an independent reference for ``Gzip``: compresses bytes
/// through a file in a ``TemporaryDirectory`` (removed with it). Tests that need it skip
/// when no `gzip` is on the PATH.
enum GzipCommand {
    /// The gzip-compressed bytes of `data` (`gzip -n`: no name or time stamp in the header),
    /// made from a file `name` in `directory`, which keeps both `name` and `name.gz`.
    static func compress(_ data: Data, name: String, in directory: TemporaryDirectory) throws -> Data {
        let path = try directory.write(name, data)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", "-f", "-k", path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw XCTSkip("the gzip command is not available (exit status \(process.terminationStatus)); skipping")
        }
        return try Data(contentsOf: URL(fileURLWithPath: path + ".gz"))
    }
}
