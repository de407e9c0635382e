#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The one-writer rule of a run file: an exclusive advisory lock (`flock(2)`) on a lock file
/// beside it, `<run file>.lock`, taken before the run file (or its `.partial`) is created or
/// opened for writing, and held until the writer is done.
///
/// Every writer takes it — `run`, `run --resume`, `run --force`, `merge --output` — so a second
/// writer is refused at once with the holder's process id, host, command and start time
/// (written into the lock file by the holder). Readers (`inspect`, `report`, `export-genn`,
/// h5py) never take it: they neither wait nor write.
///
/// The lock belongs to the open file description, so the kernel drops it when the holder exits
/// in any way, SIGKILL included; a lock file left by a killed writer holds no lock and the next
/// writer takes it over. A holder that finishes removes the lock file while still holding the
/// lock; a writer that locked a file which was meanwhile removed (its inode no longer at the
/// path) lets go and tries again, so two writers can never both believe they hold it.
///
/// Limits: `flock` is advisory (a program that does not ask is not stopped) and, on network
/// file systems, only as good as their lock support (docs/cluster.md): NFSv4 and Lustre/GPFS
/// mounted with lock support honour it across machines; where the file system refuses locks
/// (ENOLCK, EOPNOTSUPP) the writer goes on without one and says so on stderr.
public final class RunFileLock {
    /// The lock file: the run file's path with `.lock` appended.
    public let path: String
    private var descriptor: Int32

    /// The lock file of `runFile`.
    public static func lockPath(for runFile: String) -> String { runFile + ".lock" }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the writer lock of `runFile` without waiting.
    ///
    /// - Parameters:
    ///   - purpose: what the holder does, shown to a refused writer (`autoparam run`).
    ///   - warn: called once when the file system does not support locks and the writer goes on without one.
    /// - Throws: ``RunFileLockError``: `.held` when another process holds it, `.cannot` when
    ///   the lock file cannot be created (missing folder, no permission).
    public static func acquire(for runFile: String, purpose: String, warn: (String) -> Void = { _ in }) throws -> RunFileLock {
        let path = lockPath(for: runFile)
        for _ in 0..<100 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw RunFileLockError.cannot(runFile: runFile, lockFile: path, reason: String(cString: strerror(errno)))
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                if code == EWOULDBLOCK || code == EAGAIN {
                    let holder = readHolder(fd)
                    close(fd)
                    throw RunFileLockError.held(runFile: runFile, lockFile: path, holder: holder)
                }
                if code == ENOLCK || code == EOPNOTSUPP || code == ENOSYS {
                    warn("warning: the file system of \(runFile) does not support locks (\(String(cString: strerror(code)))): "
                         + "nothing stops a second writer; run one writer per run file")
                    let lock = RunFileLock(path: path, descriptor: fd)
                    lock.writeHolder(purpose)
                    return lock
                }
                close(fd)
                throw RunFileLockError.cannot(runFile: runFile, lockFile: path, reason: String(cString: strerror(code)))
            }
            // Locked: make sure the file we locked is still the one at `path` (a holder that
            // finished may have removed it between our open and our flock).
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0, stat(path, &current) == 0,
               opened.st_dev == current.st_dev, opened.st_ino == current.st_ino {
                let lock = RunFileLock(path: path, descriptor: fd)
                lock.writeHolder(purpose)
                return lock
            }
            close(fd)
        }
        throw RunFileLockError.cannot(runFile: runFile, lockFile: path, reason: "the lock file keeps being replaced")
    }

    /// Removes the lock file and lets go of the lock (idempotent; `deinit` calls it).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)  // while still holding the lock: see the type's comment
        close(descriptor)
        descriptor = -1
    }

    private func writeHolder(_ purpose: String) {
        let started = ISO8601DateFormatter().string(from: Date())
        let text = "process \(getpid()) on \(ProcessInfo.processInfo.hostName) (\(purpose), since \(started))\n"
        _ = ftruncate(descriptor, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func readHolder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// Why the writer lock of a run file was not taken.
public enum RunFileLockError: Error, CustomStringConvertible, Equatable {
    /// Another process holds it (`holder` is what it wrote into the lock file, if anything yet).
    case held(runFile: String, lockFile: String, holder: String?)
    /// The lock file cannot be created or locked.
    case cannot(runFile: String, lockFile: String, reason: String)

    public var description: String {
        switch self {
        case let .held(runFile, _, holder):
            return "\(runFile) is being written by another autoparam (\(holder ?? "a process that is just starting")): "
                + "only one writer at a time; wait for it to finish or stop it (inspect and report can read the file meanwhile)"
        case let .cannot(runFile, lockFile, reason):
            return "cannot take the writer lock \(lockFile) of \(runFile): \(reason); check that its folder exists and is writable"
        }
    }
}
