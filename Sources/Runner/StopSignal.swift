import Dispatch
import Foundation

/// A request to stop a run early (Ctrl-C), checked by each replicate between tournaments.
public final class StopSignal: @unchecked Sendable {
    private let lock = Lock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    /// Whether a stop has been requested.
    public var isRequested: Bool { lock.withLock { requested } }

    /// Request a stop.
    public func request() { lock.withLock { requested = true } }

    /// Turn SIGINT and SIGTERM into stop requests (the default action, killing the process,
    /// is replaced), calling `onSignal` once per signal.
    public func installHandlers(onSignal: @escaping @Sendable (Int32) -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                self?.request()
                onSignal(sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}
