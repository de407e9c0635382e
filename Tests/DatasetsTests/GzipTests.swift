import Datasets
import Foundation
import XCTest

final class GzipTests: XCTestCase {
    private func assertError(
        _ expression: @autoclosure () throws -> [UInt8], _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertTrue(error is DatasetError, "\(type(of: error))", file: file, line: line)
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    /// Bytes that compress somewhat: runs of a value mixed with pseudo-random bytes (``SplitMix``
    /// from `seed`, so every run is the same).
    private func sample(count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix(seed: seed)
        func next() -> UInt64 { rng.next() }
        var bytes: [UInt8] = []
        while bytes.count < count {
            let word = next()
            let run = Int(word % 64)
            bytes += word & 0x100 == 0 ? [UInt8](repeating: UInt8(word >> 16 & 0xFF), count: run) : (0..<run).map { _ in UInt8(next() & 0xFF) }
        }
        return Array(bytes.prefix(count))
    }

    /// What the gzip command makes, Gzip decompresses to the original, across sizes around the
    /// 64 KiB buffer.
    func testDecompressesWhatTheGzipCommandMakes() throws {
        let dir = try TemporaryDirectory()
        for (n, count) in [0, 1, 784, 65_535, 65_536, 65_537, 300_001].enumerated() {
            let original = sample(count: count, seed: UInt64(n))
            let compressed = try GzipCommand.compress(Data(original), name: "sample\(n)", in: dir)
            XCTAssertTrue(Gzip.isCompressed(compressed))
            XCTAssertEqual(try Gzip.decompress([UInt8](compressed), name: "sample\(n).gz"), original, "\(count) bytes")
        }
        XCTAssertFalse(Gzip.isCompressed([0x1F]))
        XCTAssertFalse(Gzip.isCompressed([0x00, 0x00, 0x08, 0x03]))
    }

    /// `cat a.gz b.gz` decompresses to a followed by b, as with gunzip; an empty member is fine.
    func testMultipleMembersFollowOneAnother() throws {
        let dir = try TemporaryDirectory()
        let a = sample(count: 70_000, seed: 1)
        let b = sample(count: 1_000, seed: 2)
        let gzA = try GzipCommand.compress(Data(a), name: "a", in: dir)
        let gzB = try GzipCommand.compress(Data(b), name: "b", in: dir)
        let gzEmpty = try GzipCommand.compress(Data(), name: "empty", in: dir)
        XCTAssertEqual(try Gzip.decompress([UInt8](gzA + gzEmpty + gzB), name: "ab.gz"), a + b)
        XCTAssertEqual(try Gzip.decompress([UInt8](gzB + gzB), name: "bb.gz"), b + b)
    }

    func testTruncatedFilesAreReportedAsSuch() throws {
        let dir = try TemporaryDirectory()
        let gz = [UInt8](try GzipCommand.compress(Data(sample(count: 5_000, seed: 3)), name: "s", in: dir))
        for kept in [2, 5, 10, gz.count / 2, gz.count - 8, gz.count - 1] {
            assertError(try Gzip.decompress(Array(gz.prefix(kept)), name: "s.gz"),
                        "s.gz: expected a complete gzip stream, found the end of the file after \(kept) bytes (truncated)")
        }
        // A second member cut short.
        assertError(try Gzip.decompress(gz + gz.prefix(20), name: "s.gz"),
                    "s.gz: expected a complete gzip stream, found the end of the file after \(gz.count + 20) bytes (truncated)")
    }

    func testCorruptFilesNameTheProblem() throws {
        let dir = try TemporaryDirectory()
        let gz = [UInt8](try GzipCommand.compress(Data(sample(count: 5_000, seed: 4)), name: "s", in: dir))
        func corrupted(at index: Int) -> [UInt8] {
            var copy = gz
            copy[index] ^= 0xFF
            return copy
        }
        // The trailer: CRC-32 (4 bytes), then the length mod 2³² (4 bytes), little-endian.
        for (index, reason) in [(gz.count - 8, "incorrect data check"), (gz.count - 1, "incorrect length check"),
                                (2, "unknown compression method")] {
            XCTAssertThrowsError(try Gzip.decompress(corrupted(at: index), name: "s.gz")) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("s.gz: expected a valid gzip stream, found corrupt data near compressed byte "), text)
                XCTAssertTrue(text.hasSuffix("(zlib: \(reason))"), text)
            }
        }
        assertError(try Gzip.decompress(gz + [0, 0, 0], name: "s.gz"),
                    "s.gz: expected another gzip member (1F 8B) or the end of the file after byte \(gz.count), found 3 bytes of other data")
        assertError(try Gzip.decompress([0, 0, 8, 3], name: "plain.idx"),
                    "plain.idx: expected a gzip file (starting 1F 8B), found other data")
    }

    /// A small file that inflates to more than the limit is refused without holding more
    /// than the limit (a gzip bomb); exactly the limit is fine.
    func testTheDecompressedSizeIsLimited() throws {
        XCTAssertEqual(Gzip.maximumDecompressedBytes, 268_435_456)
        let dir = try TemporaryDirectory()
        let zeros = [UInt8](repeating: 0, count: 200_000)
        let gz = [UInt8](try GzipCommand.compress(Data(zeros), name: "zeros", in: dir))
        XCTAssertLessThan(gz.count, 1_000)
        XCTAssertEqual(try Gzip.decompress(gz, name: "zeros.gz", limit: 200_000), zeros)
        assertError(try Gzip.decompress(gz, name: "zeros.gz", limit: 199_999),
                    "zeros.gz: expected at most 199999 bytes after decompression, found more (not decompressed further)")
        assertError(try Gzip.decompress(gz + gz, name: "zeros.gz", limit: 300_000),
                    "zeros.gz: expected at most 300000 bytes after decompression, found more (not decompressed further)")
        assertError(try Gzip.decompress(gz, name: "zeros.gz", limit: 0),
                    "zeros.gz: expected at most 0 bytes after decompression, found more (not decompressed further)")
        let megabyteAndMore = [UInt8](try GzipCommand.compress(Data(count: (1 << 20) + 1), name: "more", in: dir))
        assertError(try Gzip.decompress(megabyteAndMore, name: "more.gz", limit: 1 << 20),
                    "more.gz: expected at most 1048576 bytes (1 MiB) after decompression, found more (not decompressed further)")
    }
}
