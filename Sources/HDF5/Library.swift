import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Library setup, the layer's lock, process exit, and the bridge from HDF5's error stack.
///
/// **The lock.** Every HDF5 call this layer makes, closes in `deinit` included, runs inside
/// `Library.locked`. HDF5's own thread-safe build already serializes calls; this lock exists for
/// one more reason: process exit.
///
/// **Exit.** By default HDF5 registers `H5_term_library` with `atexit`. It runs on the thread that
/// calls `exit()` *without* HDF5's API lock and frees the library's free lists and id tables,
/// while another thread may still be inside HDF5 (a `deinit` closing a dataset on a thread that
/// is winding down). Two threads then free the same blocks: glibc's "double free or corruption
/// (fasttop)". So the layer calls `H5dont_atexit()` before the library initializes and registers
/// its own exit handler instead, which takes this lock (waiting for a call in progress to end),
/// marks the library terminated, and calls `H5close()` (which still flushes and closes files
/// left open, as HDF5's handler did). The lock is never released: a thread that reaches HDF5
/// afterwards waits until the process is gone, and a `deinit` on the exiting thread itself skips
/// its close (the library is gone; the id is meaningless).
///
/// **Errors.** HDF5 prints its error stack to stderr by default. The switch lives in a per-thread
/// error stack in a thread-safe build (Debian's is), so `locked` turns printing off on each
/// thread before its first call.
enum Library {
    /// State behind the lock. `terminated` is set by the exit handler.
    private final class State: @unchecked Sendable {
        let mutex: UnsafeMutablePointer<pthread_mutex_t>
        var terminated = false

        init() {
            mutex = .allocate(capacity: 1)
            var attributes = pthread_mutexattr_t()
            pthread_mutexattr_init(&attributes)
            // Recursive: a `deinit` can run inside a locked region (a temporary released there).
            pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
            pthread_mutex_init(mutex, &attributes)
            pthread_mutexattr_destroy(&attributes)
        }
    }

    /// Initialized once (Swift globals are lazily initialized exactly once, thread-safely).
    private static let state: State = {
        // Must precede the library's initialization; harmless (and then ineffective) if some other
        // code initialized HDF5 first: our handler, registered later, runs first and closes the
        // library, and HDF5's own handler then finds nothing to do.
        _ = H5dont_atexit()
        _ = H5open()
        let state = State()
        atexit { Library.terminate() }
        return state
    }()

    /// Runs `body` holding the layer's lock (see the type's documentation).
    @inline(__always)
    static func locked<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let state = self.state
        pthread_mutex_lock(state.mutex)
        defer { pthread_mutex_unlock(state.mutex) }
        chdf5_prepare_thread()
        return try body()
    }

    /// Releases an id from a `deinit` or `close()`; a no-op after the exit handler ran.
    static func release(_ id: hid_t, _ closer: (hid_t) -> herr_t) -> herr_t {
        locked { () -> herr_t in
            if state.terminated { return 0 }
            return closer(id)
        }
    }

    /// The exit handler: see the type's documentation. Leaves the lock held on purpose.
    /// Idempotent: a second call (the handler after an explicit ``HDF5Library/shutDown()``)
    /// finds the library terminated and does nothing more.
    fileprivate static func terminate() {
        let state = self.state
        pthread_mutex_lock(state.mutex)
        if state.terminated { return }
        state.terminated = true
        _ = H5close()
    }

    /// Reads and clears the calling thread's error stack (call inside `locked`).
    static func takeErrorStack() -> [HDF5Error.StackEntry] {
        final class Entries { var values: [HDF5Error.StackEntry] = [] }
        let entries = Entries()
        withExtendedLifetime(entries) {
            let context = Unmanaged.passUnretained(entries).toOpaque()
            _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_DOWNWARD, { _, entry, context in
                guard let entry, let context else { return 0 }
                let entries = Unmanaged<Entries>.fromOpaque(context).takeUnretainedValue()
                entries.values.append(HDF5Error.StackEntry(
                    function: entry.pointee.func_name.map { String(cString: $0) } ?? "?",
                    description: entry.pointee.desc.map { String(cString: $0) } ?? "",
                    major: Library.message(entry.pointee.maj_num),
                    minor: Library.message(entry.pointee.min_num)))
                return 0
            }, context)
        }
        _ = H5Eclear2(chdf5_e_default())
        return entries.values
    }

    /// The text HDF5 registers for a major or minor error number.
    static func message(_ id: hid_t) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let length = H5Eget_msg(id, nil, &buffer, buffer.count)
        guard length > 0 else { return "" }
        return String(decoding: buffer.prefix(min(Int(length), buffer.count - 1)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Runs one HDF5 call under the layer's lock and turns a negative result into an `HDF5Error`
/// carrying the error stack.
@inline(__always)
func h5<R: BinaryInteger>(_ operation: @autoclosure () -> String, _ call: () -> R) throws(HDF5Error) -> R {
    let (result, stack) = Library.locked { () -> (R, [HDF5Error.StackEntry]?) in
        let result = call()
        return (result, result < 0 ? Library.takeErrorStack() : nil)
    }
    if let stack {
        throw HDF5Error(operation: operation(), entries: stack)
    }
    return result
}

/// Runs HDF5 calls that cannot fail in a way worth reporting (queries of ids this layer holds)
/// under the layer's lock.
@inline(__always)
func h5Query<R>(_ call: () -> R) -> R {
    Library.locked { call() }
}

/// A layer-level refusal (no HDF5 call made).
func usage(_ message: String) -> HDF5Error {
    HDF5Error(operation: message)
}

/// An HDF5 id with exactly one owner.
///
/// `close()` is idempotent and `deinit` closes only what `close()` did not, both under the layer's
/// lock, so an id is released exactly once even when the last reference drops on another thread.
/// Ids are never copied out of a `Handle` for longer than one call: structs and closures hold the
/// `Handle`, never a bare `hid_t` they might close.
final class Handle: @unchecked Sendable {
    /// Guarded by the layer's lock; -1 once closed.
    private var raw: hid_t
    private let closer: (hid_t) -> herr_t

    init(adopting id: hid_t, closer: @escaping (hid_t) -> herr_t) {
        raw = id
        self.closer = closer
    }

    deinit {
        let id = raw
        if id >= 0 { _ = Library.release(id, closer) }
    }

    /// The id, or nil once closed.
    var id: hid_t? {
        let id = h5Query { raw }
        return id >= 0 ? id : nil
    }

    /// Closes the id; closing again does nothing.
    func close(_ operation: @autoclosure () -> String) throws(HDF5Error) {
        let (result, stack) = Library.locked { () -> (herr_t, [HDF5Error.StackEntry]?) in
            guard raw >= 0 else { return (0, nil) }
            let id = raw
            raw = -1
            let result = Library.release(id, closer)
            return (result, result < 0 ? Library.takeErrorStack() : nil)
        }
        if let stack, result < 0 { throw HDF5Error(operation: operation(), entries: stack) }
    }
}

/// Process-wide control of the HDF5 library.
public enum HDF5Library {
    /// Closes the library now, as the exit handler would: waits for any HDF5 call in progress,
    /// flushes and closes whatever is still open, and makes every later call wait forever.
    ///
    /// For a program that ends with `_exit` (no exit handlers): call this first, so that files
    /// left open are still flushed. Safe to call more than once.
    public static func shutDown() { Library.terminate() }
}
