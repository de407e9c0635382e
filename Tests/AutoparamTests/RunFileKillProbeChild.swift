import RunFileTestSupport
import Foundation
import XCTest

/// Entry point of the child process of the kill tests (RunFileKillTests): the test binary runs
/// this one test with AUTOPARAM_KILL_PROBE_PATH set, and the parent SIGKILLs it. In an ordinary
/// test run the variable is unset and the test does nothing.
final class RunFileKillProbeChild: XCTestCase {
    func testProbeChild() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment["AUTOPARAM_KILL_PROBE_PATH"] else { return }
        let iterations = environment["AUTOPARAM_KILL_PROBE_ITERATIONS"].flatMap(Int.init) ?? 1_000_000
        let profile = environment["AUTOPARAM_KILL_PROBE_PROFILE"].flatMap(RunFileKillProbe.Profile.init) ?? .production
        let pause = environment["AUTOPARAM_KILL_PROBE_PAUSE_MS"].flatMap(Int.init) ?? 0
        try RunFileKillProbe.run(path: path, iterations: iterations, profile: profile, pauseMilliseconds: pause)
    }
}
