import Foundation
import HDF5
import XCTest

/// `rewriteTailChunkIgnoringChecksum`: a chunk whose bytes after the kept rows changed without
/// its checksum (what a killed writer's torn rewrite leaves) fails every read; the repair makes
/// the kept rows readable again, unchanged.
final class HDF5ChecksumRepairTests: XCTestCase {
    private func rows(_ range: Range<Int>) -> [UInt32] { range.map { 0x7A11_0000 + UInt32($0) } }

    func testATornTailChunkReadsAgainWithItsKeptRowsUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("torn.h5")
        do {
            let file = try HDF5File.create(path: path)
            let data = try file.root.createDataset("data", of: UInt32.self, shape: [0], extendable: true,
                                                   storage: .chunked(rows: 1024, allocateEarly: true))
            try data.append(rows(0..<900))
            try file.close()
        }
        // Change row 800 (after the 700 kept rows) in place, as a torn rewrite would: the
        // chunk's checksum no longer matches, and every row of the chunk fails to read.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let pattern = withUnsafeBytes(of: rows(800..<801)[0]) { Array($0) }
        let at = try XCTUnwrap((0...(bytes.count - 4)).first { bytes[$0..<($0 + 4)].elementsEqual(pattern) })
        bytes[at] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let file = try HDF5File.open(path: path, mode: .readWrite)
        let data = try file.root.openDataset("data")
        XCTAssertThrowsError(try data.read(rows: 0..<10, as: UInt32.self)) { error in
            XCTAssertEqual((error as? HDF5Error)?.kind, .damaged, "\(error)")
        }
        XCTAssertTrue(try data.rewriteTailChunkIgnoringChecksum(keptRows: 700))
        try data.setRowCount(700)
        XCTAssertEqual(try data.read(as: UInt32.self), rows(0..<700))
        try file.close()
        let again = try HDF5File.open(path: path)
        XCTAssertEqual(try again.verify(), [])
        XCTAssertEqual(try again.root.openDataset("data").read(as: UInt32.self), rows(0..<700))
        try again.close()
    }

    func testNothingIsRewrittenWithoutKeptRowsOrWithoutChecksums() throws {
        let directory = try TemporaryDirectory()
        let file = try HDF5File.create(path: directory.path("plain.h5"))
        let checked = try file.root.createDataset("checked", of: UInt32.self, shape: [0], extendable: true,
                                                  storage: .chunked(rows: 100))
        try checked.append(rows(0..<250))
        XCTAssertFalse(try checked.rewriteTailChunkIgnoringChecksum(keptRows: 0))
        XCTAssertTrue(try checked.rewriteTailChunkIgnoringChecksum(keptRows: 200))
        XCTAssertEqual(try checked.read(as: UInt32.self), rows(0..<250))
        let plain = try file.root.createDataset("plain", of: UInt32.self, shape: [0], extendable: true,
                                                storage: .chunked(rows: 100, fletcher32: false))
        try plain.append(rows(0..<250))
        XCTAssertFalse(try plain.rewriteTailChunkIgnoringChecksum(keptRows: 120))
        try file.close()
    }
}
