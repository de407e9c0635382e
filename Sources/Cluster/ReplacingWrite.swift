#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes `text` to `path` all at once: into a temporary file beside it, then `rename(2)`d over
/// it, so a reader sees the old file or the new one, never half of one.
///
/// Why not Foundation's `write(toFile:atomically: true)`: on Linux it stages the file in a
/// `TemporaryDirectory.*` folder in the system's temporary folder and leaves that folder behind
/// (one per write). Staging beside the target keeps the rename on one file system and leaves
/// nothing elsewhere; the temporary file is removed if anything fails.
func replacingWrite(_ text: String, toFile path: String, permissions: mode_t = 0o644) throws {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, permissions)
    guard fd >= 0 else { throw CocoaError.error(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    var ok = true
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; ok = false; break }
        written += n
    }
    if fchmod(fd, permissions) != 0 { ok = false }
    if close(fd) != 0 { ok = false }
    guard ok, rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw CocoaError.error(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot write \(path): \(reason)"])
    }
}
