import CZlib

/// Decompression of gzip files (RFC 1952), as MNIST's IDX files are distributed, with the
/// system's zlib.
///
/// A file is recognised as gzip by its content, the magic bytes `1F 8B`, never by its name.
/// Several gzip members one after another (what `cat a.gz b.gz` makes) decompress to their
/// contents one after another, as `gunzip` does. Each member's CRC-32 and length are checked.
///
/// Errors are ``DatasetError/badFile(file:expected:found:)`` naming the file:
///
///     images.gz: expected a complete gzip stream, found the end of the file after 812 bytes (truncated)
///     images.gz: expected a valid gzip stream, found corrupt data near compressed byte 96 (zlib: incorrect data check)
///     images.gz: expected at most 268435456 bytes (256 MiB) after decompression, found more (not decompressed further)
public enum Gzip {
    /// The most bytes ``decompress(_:name:limit:)`` produces unless told otherwise: 256 MiB
    /// (268 435 456 bytes), so that a small malicious file (a "gzip bomb") cannot exhaust
    /// memory. MNIST's largest file, the 60 000 training images, is 47 040 016 bytes.
    public static let maximumDecompressedBytes = 256 << 20

    /// Whether `bytes` start with the gzip magic bytes `1F 8B`.
    public static func isCompressed<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        bytes.starts(with: [0x1F, 0x8B])
    }

    /// The contents of the gzip file `bytes` (every member, in order); `name` stands for the
    /// file in error messages.
    ///
    /// - Parameter limit: the most bytes to produce, at least 0; more is an error, and at most
    ///   `limit + 1` bytes are ever held (plus one 64 KiB buffer).
    /// - Throws: ``DatasetError/badFile(file:expected:found:)`` when `bytes` are not gzip,
    ///   are corrupt (a bad header, deflate data, CRC-32 or length), end early, are followed by
    ///   something other than another gzip member, or decompress to more than `limit` bytes.
    public static func decompress(_ bytes: [UInt8], name: String, limit: Int = maximumDecompressedBytes) throws -> [UInt8] {
        precondition(limit >= 0, "limit \(limit) is negative")
        guard isCompressed(bytes) else {
            throw DatasetError.badFile(file: name, expected: "a gzip file (starting 1F 8B)", found: "other data")
        }
        guard bytes.count <= Int(UInt32.max) else {
            throw DatasetError.badFile(
                file: name, expected: "at most \(UInt32.max) compressed bytes", found: "\(bytes.count)")
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var input = bytes
        try input.withUnsafeMutableBufferPointer { input in
            try buffer.withUnsafeMutableBufferPointer { buffer in
                var stream = z_stream()
                // 16 + 15: a gzip wrapper (not zlib's own) around a deflate stream with a window
                // of up to 2¹⁵ bytes, the most deflate allows.
                guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                    throw DatasetError.unreadable(file: name, reason: "zlib cannot start decompressing (out of memory?)")
                }
                defer { inflateEnd(&stream) }
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(input.count)
                while true {
                    let room = min(buffer.count, limit + 1 - output.count)
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(room)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: buffer[0..<(room - Int(stream.avail_out))])
                    if output.count > limit {
                        throw DatasetError.badFile(
                            file: name, expected: "at most \(limit) bytes\(mebibytes(limit)) after decompression",
                            found: "more (not decompressed further)")
                    }
                    let consumed = input.count - Int(stream.avail_in)
                    switch status {
                    case Z_OK:
                        continue
                    case Z_STREAM_END:
                        // The end of one member: the end of the file, or another member.
                        if stream.avail_in == 0 { return }
                        guard isCompressed(input[consumed...]) else {
                            throw DatasetError.badFile(
                                file: name,
                                expected: "another gzip member (1F 8B) or the end of the file after byte \(consumed)",
                                found: "\(stream.avail_in) bytes of other data")
                        }
                        guard inflateReset(&stream) == Z_OK else {
                            throw DatasetError.unreadable(file: name, reason: "zlib cannot restart decompressing")
                        }
                    case Z_BUF_ERROR where stream.avail_in == 0:
                        // No progress possible: the input ended inside a member.
                        throw DatasetError.badFile(
                            file: name, expected: "a complete gzip stream",
                            found: "the end of the file after \(input.count) bytes (truncated)")
                    case Z_DATA_ERROR:
                        let reason = stream.msg.map { String(cString: $0) } ?? "invalid data"
                        throw DatasetError.badFile(
                            file: name, expected: "a valid gzip stream",
                            found: "corrupt data near compressed byte \(consumed) (zlib: \(reason))")
                    case Z_MEM_ERROR:
                        throw DatasetError.unreadable(file: name, reason: "zlib ran out of memory while decompressing")
                    default:
                        throw DatasetError.unreadable(file: name, reason: "zlib failed while decompressing (status \(status))")
                    }
                }
            }
        }
        return output
    }

    /// " (256 MiB)" for a whole number of mebibytes, otherwise "".
    private static func mebibytes(_ bytes: Int) -> String {
        bytes > 0 && bytes % (1 << 20) == 0 ? " (\(bytes >> 20) MiB)" : ""
    }
}
