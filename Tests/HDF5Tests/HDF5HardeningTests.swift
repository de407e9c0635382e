import Foundation
import HDF5
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// FNV-1a over a file's bytes: enough to tell whether anything changed.
private func fingerprint(_ path: String) throws -> UInt64 {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}

/// Flips one byte of the first place in `path` where `pattern` occurs (data written unfiltered
/// is stored verbatim, so a distinctive pattern finds its chunk).
private func damage(_ path: String, at pattern: [UInt8], offset: Int = 0) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let start = try XCTUnwrap((0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) },
                              "pattern not found in \(path)")
    bytes[start + offset] ^= 0xFF
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Row `i` of the test data: 0x5EED0000 + i, a value no HDF5 structure contains.
private func marked(_ rows: Range<Int>) -> [UInt32] { rows.map { 0x5EED_0000 + UInt32($0) } }
private func bytes(of value: UInt32) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

final class HDF5ChecksumTests: XCTestCase {
    func testChunkedDatasetsAreChecksummedByDefaultAndH5pyReadsThem() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("checksum.h5")
        do {
            let file = try HDF5File.create(path: path)
            let times = try file.root.createDataset("times", of: UInt32.self, shape: [0], extendable: true,
                                                    storage: .chunked(rows: 64, allocateEarly: true))
            try times.append(marked(0..<100))
            XCTAssertEqual(try times.storage(), .chunked(rows: 64, allocateEarly: true))
            XCTAssertTrue(try times.storage().fletcher32)
            let packed = try file.root.createDataset("packed", of: Int32.self, shape: [0], extendable: true,
                                                     storage: .compressed(rows: 16))
            try packed.append((0..<40).map { Int32($0) })
            XCTAssertEqual(try packed.storage(), .compressed(rows: 16, level: 4, fletcher32: true))
            let fixed = try file.root.writeDataset("fixed", [1.0, 2.0])
            XCTAssertEqual(try fixed.storage(), .contiguous)
            let unchecked = try file.root.createDataset("unchecked", of: UInt8.self, shape: [0], extendable: true,
                                                        storage: .chunked(rows: 8, fletcher32: false))
            XCTAssertFalse(try unchecked.storage().fletcher32)
            try file.close()
        }
        let file = try HDF5File.open(path: path)
        XCTAssertEqual(try file.root.openDataset("times").read(as: UInt32.self), marked(0..<100))
        try file.close()

        // h5py (any HDF5 reader, no plugins) reads checksummed, shuffled and deflated chunks.
        let script = """
            import sys, h5py, numpy
            f = h5py.File(sys.argv[1], "r")
            t = f["times"]
            assert t.fletcher32 and t[99] == 0x5EED0000 + 99, (t.fletcher32, t[99])
            p = f["packed"]
            assert p.fletcher32 and p.shuffle and p.compression == "gzip", p
            assert (p[:] == numpy.arange(40)).all()
            print("ok")
            """
        let (status, output) = try runPython(script, path)
        guard let status else { throw XCTSkip("python3 with h5py not available") }
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "ok")
    }

    func testReadingADamagedChunkNamesTheDatasetAndTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("run.h5")
        let name = "/replicates/000/spikes/KC/times"
        do {
            let file = try HDF5File.create(path: path)
            let times = try file.root.createDataset(name, of: UInt32.self, shape: [0], extendable: true,
                                                    storage: .chunked(rows: 64))
            try times.append(marked(0..<200))
            try file.close()
        }
        // Row 70 lies in the second chunk; the first chunk stays readable.
        try damage(path, at: bytes(of: marked(70..<71)[0]))
        let file = try HDF5File.open(path: path)
        let times = try file.root.openDataset(name)
        XCTAssertEqual(try times.read(rows: 0..<64, as: UInt32.self), marked(0..<64))
        XCTAssertThrowsError(try times.read(as: UInt32.self)) { error in
            guard let error = error as? HDF5Error else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .damaged)
            XCTAssertEqual("\(error)", "checksum mismatch reading \(name) in \(path): the file is damaged")
            XCTAssertTrue(error.stackDescription.contains("Fletcher32"), error.stackDescription)
        }
        XCTAssertThrowsError(try times.read(rows: 60..<70, as: UInt32.self))
    }

    func testVerifyListsEveryDamagedDatasetWithoutStopping() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("verify.h5")
        do {
            let file = try HDF5File.create(path: path)
            try file.root.setAttribute("format", "test")
            let a = try file.root.createDataset("a/first", of: UInt32.self, shape: [0], extendable: true,
                                                storage: .chunked(rows: 32))
            try a.append(marked(1000..<1100))
            let b = try file.root.createDataset("b/c/second", of: UInt32.self, shape: [0, 2], extendable: true,
                                                storage: .chunked(rows: 16))
            try b.append(marked(2000..<2064))
            try file.root.writeDataset("b/contiguous", [1.5, 2.5, 3.5])
            try file.root.writeDataset("b/names", ["x", "yz"])
            try file.root.writeDataset("scalarish", [Int64(7)], storage: .compressed())
            let sound = try file.root.createDataset("sound", of: UInt32.self, shape: [0], extendable: true,
                                                    storage: .chunked(rows: 32))
            try sound.append(marked(3000..<3100))
            try file.close()
        }
        do {
            let file = try HDF5File.open(path: path)
            XCTAssertEqual(try file.verify(), [])
            try file.close()
        }
        // Damage chunk 2 (rows 64..<96) of /a/first and chunk 1 (rows 16..<32) of /b/c/second.
        try damage(path, at: bytes(of: 1000 + 0x5EED_0000 + 70))
        try damage(path, at: bytes(of: 2000 + 0x5EED_0000 + 40))
        let file = try HDF5File.open(path: path)
        let found = try file.verify()
        XCTAssertEqual(found.map(\.path), ["/a/first", "/b/c/second"])
        XCTAssertEqual(found.map(\.rows), [[64..<96], [16..<32]])
        XCTAssertEqual(found.first?.reason, "checksum mismatch reading /a/first in \(path): the file is damaged")
        XCTAssertTrue(found[1].description.hasPrefix("/b/c/second: checksum mismatch"), found[1].description)
        XCTAssertEqual(try file.root.openDataset("sound").read(as: UInt32.self), marked(3000..<3100))
    }
}

final class HDF5OpeningErrorTests: XCTestCase {
    private func openingError(_ path: String, mode: HDF5File.Mode = .readOnly) -> HDF5Error? {
        do {
            _ = try HDF5File.open(path: path, mode: mode)
            XCTFail("opening \(path) succeeded")
            return nil
        } catch {
            return error
        }
    }

    func testEachFailureNamesThePathAndWhatIsWrong() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.h5")
        XCTAssertEqual(openingError(missing)?.kind, .fileNotFound)
        XCTAssertEqual(openingError(missing)?.description, "\(missing) does not exist")

        let folder = directory.path("folder.h5")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        XCTAssertEqual(openingError(folder)?.kind, .isDirectory)
        XCTAssertEqual(openingError(folder)?.description, "\(folder) is a directory")

        let text = directory.path("notes.txt")
        try String(repeating: "not hdf5\n", count: 200).write(toFile: text, atomically: false, encoding: .utf8)
        XCTAssertEqual(openingError(text)?.kind, .notHDF5)
        XCTAssertEqual(openingError(text)?.description, "\(text) is not an HDF5 file")

        let empty = directory.path("empty.h5")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        XCTAssertEqual(openingError(empty)?.description, "\(empty) is not an HDF5 file")

        let truncated = directory.path("truncated.h5")
        do {
            let file = try HDF5File.create(path: truncated)
            try file.root.writeDataset("values", [Double](repeating: 1, count: 10_000))
            try file.root.createGroup("g/h").setAttribute("x", Int64(1))
            try file.close()
        }
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: truncated)[.size] as? Int)
        XCTAssertEqual(truncate(truncated, off_t(size / 2)), 0)
        XCTAssertEqual(openingError(truncated)?.kind, .truncated)
        XCTAssertEqual(openingError(truncated)?.description, "\(truncated) is truncated or damaged")

        // Every message is one line; the stack is there for --verbose.
        let error = try XCTUnwrap(openingError(text))
        XCTAssertFalse(error.description.contains("\n"))
        XCTAssertTrue(error.stackDescription.contains("H5Fopen"), error.stackDescription)

        XCTAssertThrowsError(try HDF5File.create(path: truncated)) { error in
            XCTAssertEqual((error as? HDF5Error)?.kind, .fileExists)
            XCTAssertEqual("\(error)", "\(truncated) exists")
        }
        let nowhere = directory.path("no/such/folder/run.h5")
        XCTAssertThrowsError(try HDF5File.create(path: nowhere)) { error in
            XCTAssertEqual((error as? HDF5Error)?.kind, .fileNotFound)
        }
    }

    func testUnreadableFileSaysPermissionDenied() throws {
        guard geteuid() != 0 else { throw XCTSkip("running as root: file permissions do not apply") }
        let directory = try TemporaryDirectory()
        let path = directory.path("secret.h5")
        try HDF5File.create(path: path).close()
        XCTAssertEqual(chmod(path, 0o200), 0)
        defer { chmod(path, 0o600) }
        XCTAssertEqual(openingError(path)?.kind, .permissionDenied)
        XCTAssertEqual(openingError(path)?.description, "permission denied reading \(path)")
        XCTAssertEqual(chmod(path, 0o400), 0)
        XCTAssertEqual(openingError(path, mode: .readWrite)?.description, "permission denied writing \(path)")
    }

    func testHDF5PrintsNothingToStandardErrorOnAnyThread() throws {
        let directory = try TemporaryDirectory()
        let capture = directory.path("stderr.txt")
        let missing = directory.path("missing.h5")
        fflush(nil)
        let saved = dup(2)
        let sink = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(sink, 0)
        dup2(sink, 2)
        _ = try? HDF5File.open(path: missing)
        let done = DispatchSemaphore(value: 0)
        let worker = Thread {
            _ = try? HDF5File.open(path: missing)
            done.signal()
        }
        worker.start()
        done.wait()
        fflush(nil)
        dup2(saved, 2)
        close(saved)
        close(sink)
        let printed = try String(contentsOfFile: capture, encoding: .utf8)
        XCTAssertFalse(printed.contains("HDF5-DIAG"), printed)
    }
}

final class HDF5ReadOnlyAndOwnershipTests: XCTestCase {
    func testReadOnlyOpeningNeverChangesTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("frozen.h5")
        do {
            let options = HDF5FileOptions(fileLocking: false, holdMetadataUntilFlush: true, reuseFreedSpace: false,
                                          chunkIndexHalfNode: 63, alignment: 4096)
            let file = try HDF5File.create(path: path, options: options)
            try file.root.setAttribute("status", "complete", fixedByteCount: 16)
            let data = try file.root.createDataset("r/values", of: Double.self, shape: [0, 3], extendable: true,
                                                   storage: .chunked(rows: 10, allocateEarly: true))
            try data.append([Double](repeating: 0.25, count: 3 * 25))
            try file.root.writeDataset("r/names", ["a", "b"])
            try file.close()
        }
        let before = try fingerprint(path)
        let sizeBefore = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        for locking in [true, false] {
            let file = try HDF5File.open(path: path, mode: .readOnly, options: HDF5FileOptions(fileLocking: locking))
            XCTAssertFalse(file.isWritable)
            XCTAssertEqual(try file.verify(), [])
            XCTAssertEqual(try file.root.openDataset("r/values").read(as: Double.self).count, 75)
            XCTAssertEqual(try file.root.stringAttribute("status"), "complete")
            XCTAssertThrowsError(try file.root.setAttribute("touched", Int64(1)))
            try file.close()
        }
        XCTAssertEqual(try fingerprint(path), before)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, sizeBefore)
    }

    func testEveryHandleClosesOnceWhereverItsLastReferenceDrops() throws {
        let directory = try TemporaryDirectory()
        let file = try HDF5File.create(path: directory.path("owners.h5"))
        var datasets: [HDF5Dataset] = []
        for index in 0..<8 {
            datasets.append(try file.root.createDataset("d\(index)", of: Int32.self, shape: [0], extendable: true))
        }
        XCTAssertEqual(try file.openObjectCount(), 10)
        // Some closed explicitly (and again), the rest released on other threads.
        try datasets[0].close()
        try datasets[0].close()
        XCTAssertFalse(datasets[0].isOpen)
        XCTAssertThrowsError(try datasets[0].rowCount()) { error in
            XCTAssertEqual((error as? HDF5Error)?.kind, .usage)
        }
        let boxes = datasets.dropFirst().map { Box($0) }
        datasets.removeAll()
        let group = DispatchGroup()
        for box in boxes {
            group.enter()
            Thread {
                _ = try? box.value?.rowCount()
                box.value = nil  // the last reference drops here, on this thread
                group.leave()
            }.start()
        }
        group.wait()
        var count = try file.openObjectCount()
        for _ in 0..<200 where count != 2 {
            usleep(5_000)
            count = try file.openObjectCount()
        }
        XCTAssertEqual(count, 2)
        try file.close()
        try file.close()
        XCTAssertFalse(file.isOpen)
    }
}

/// Hands a non-Sendable handle to another thread (the test's point).
private final class Box<T>: @unchecked Sendable {
    var value: T?
    init(_ value: T) { self.value = value }
}

/// Runs `python3 -c script argument`; status nil when python3 or h5py is missing.
func runPython(_ script: String, _ argument: String) throws -> (Int32?, String) {
    let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin"
    guard let python = searchPath.split(separator: ":").map({ "\($0)/python3" })
        .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return (nil, "") }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: python)
    probe.arguments = ["-c", "import h5py"]
    probe.standardError = FileHandle.nullDevice
    try probe.run()
    probe.waitUntilExit()
    guard probe.terminationStatus == 0 else { return (nil, "") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script, argument]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}
