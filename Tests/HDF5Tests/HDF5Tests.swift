import Foundation
import HDF5
import XCTest

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hdf5-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

final class HDF5RoundTripTests: XCTestCase {
    private func roundTrip<T: HDF5Numeric & Equatable>(_ values: [T], in group: HDF5Group, file: StaticString = #filePath, line: UInt = #line) throws {
        let name = "\(T.self)"
        let fixed = try group.writeDataset("fixed_\(name)", values)
        XCTAssertEqual(try fixed.read(as: T.self), values, file: file, line: line)
        XCTAssertEqual(try fixed.elementType(), T.hdf5ElementType, file: file, line: line)
        let grown = try group.createDataset("grown_\(name)", of: T.self, shape: [0, 2], extendable: true,
                                            storage: .compressed(rows: 3))
        XCTAssertEqual(try grown.append(Array(values.prefix(4))), 0, file: file, line: line)
        XCTAssertEqual(try grown.append(Array(values.dropFirst(4))), 2, file: file, line: line)
        XCTAssertEqual(try grown.shape(), [values.count / 2, 2], file: file, line: line)
        XCTAssertEqual(try grown.read(as: T.self), values, file: file, line: line)
    }

    func testEveryNumericTypeRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("types.h5")
        do {
            let file = try HDF5File.create(path: path)
            let root = file.root
            try roundTrip([UInt8.min, 1, 2, 3, 200, UInt8.max], in: root)
            try roundTrip([UInt16.min, 1, 2, 3, 60_000, UInt16.max], in: root)
            try roundTrip([UInt32.min, 1, 2, 3, 4_000_000_000, UInt32.max], in: root)
            try roundTrip([UInt64.min, 1, 2, 3, 1 << 63, UInt64.max], in: root)
            try roundTrip([Int8.min, -1, 0, 1, 2, Int8.max], in: root)
            try roundTrip([Int16.min, -1, 0, 1, 2, Int16.max], in: root)
            try roundTrip([Int32.min, -1, 0, 1, 2, Int32.max], in: root)
            try roundTrip([Int64.min, -1, 0, 1, 2, Int64.max], in: root)
            try roundTrip([Int.min, -1, 0, 1, 2, Int.max], in: root)
            try roundTrip([Float(-1.5), 0, .pi, .greatestFiniteMagnitude, -.infinity, .leastNonzeroMagnitude], in: root)
            try roundTrip([-1.5, 0, Double.pi, .greatestFiniteMagnitude, .infinity, .leastNonzeroMagnitude], in: root)
            try file.close()
        }
        // Reopen read-only: everything is still there, and NaN survives bit-exactly.
        let file = try HDF5File.open(path: path)
        XCTAssertEqual(try file.root.openDataset("fixed_UInt64").read(as: UInt64.self).last, UInt64.max)
        XCTAssertEqual(try file.root.openDataset("grown_Int8").read(as: Int8.self), [Int8.min, -1, 0, 1, 2, Int8.max])
        // HDF5 converts between numeric types on read.
        XCTAssertEqual(try file.root.openDataset("fixed_UInt8").read(as: Double.self), [0, 1, 2, 3, 200, 255])
        XCTAssertEqual(try file.root.openDataset("fixed_UInt8").storage(), .contiguous)
        XCTAssertEqual(try file.root.openDataset("grown_Double").storage(), .compressed(rows: 3))
    }

    func testNaNAndMultidimensionalShapes() throws {
        let directory = try TemporaryDirectory()
        let file = try HDF5File.create(path: directory.path("nan.h5"))
        let values: [Double] = [.nan, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
        let cube = try file.root.writeDataset("cube", values, shape: [2, 3, 2])
        XCTAssertEqual(try cube.shape(), [2, 3, 2])
        let back: [Double] = try cube.read()
        XCTAssertTrue(back[0].isNaN)
        XCTAssertEqual(Array(back.dropFirst()), Array(values.dropFirst()))
        XCTAssertEqual(try cube.read(rows: 1..<2, as: Double.self), [6, 7, 8, 9, 10, 11])
        XCTAssertEqual(try cube.maxShape(), [2, 3, 2])
        let grown = try file.root.createDataset("grown", of: Float.self, shape: [0, 3, 2], extendable: true)
        XCTAssertEqual(try grown.maxShape(), [nil, 3, 2])
        try grown.append([Float](repeating: 1, count: 12))
        XCTAssertEqual(try grown.shape(), [2, 3, 2])
    }
}

final class HDF5AttributeTests: XCTestCase {
    func testScalarsArraysStringsAndOverwrite() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("attributes.h5")
        do {
            let file = try HDF5File.create(path: path)
            let group = try file.root.createGroup("a/b")
            try group.setAttribute("int", Int64(-42))
            try group.setAttribute("double", 2.5)
            try group.setAttribute("unsigned", UInt64.max)
            try group.setAttribute("text", "Grüße, μ-body ✓")
            try group.setAttribute("empty_text", "")
            try group.setAttribute("numbers", [1.0, -2.0, .infinity])
            try group.setAttribute("bytes", [UInt8]())
            try group.setAttribute("names", ["PN", "KC", "", "DN"])
            try group.setAttribute("no_names", [String]())
            // Overwrite with another type and shape.
            try group.setAttribute("overwritten", Int32(1))
            try group.setAttribute("overwritten", ["now", "strings"])
            let long = String(repeating: "yaml: text\n", count: 20_000)
            try file.root.setAttribute("long", long)
            try file.close()
        }
        let file = try HDF5File.open(path: path)
        let group = try file.root.openGroup("a/b")
        XCTAssertEqual(try group.attribute("int", as: Int64.self), -42)
        XCTAssertEqual(try group.attribute("double", as: Double.self), 2.5)
        XCTAssertEqual(try group.attribute("unsigned", as: UInt64.self), UInt64.max)
        XCTAssertEqual(try group.stringAttribute("text"), "Grüße, μ-body ✓")
        XCTAssertEqual(try group.stringAttribute("empty_text"), "")
        XCTAssertEqual(try group.attributeArray("numbers", as: Double.self), [1.0, -2.0, .infinity])
        XCTAssertEqual(try group.attributeArray("bytes", as: UInt8.self), [])
        XCTAssertEqual(try group.stringArrayAttribute("names"), ["PN", "KC", "", "DN"])
        XCTAssertEqual(try group.stringArrayAttribute("no_names"), [])
        XCTAssertEqual(try group.stringArrayAttribute("overwritten"), ["now", "strings"])
        XCTAssertEqual(try file.root.stringAttribute("long").count, 11 * 20_000)
        XCTAssertTrue(try group.hasAttribute("int"))
        XCTAssertFalse(try group.hasAttribute("missing"))
        XCTAssertEqual(try group.attributeNames(),
                       ["bytes", "double", "empty_text", "int", "names", "no_names", "numbers", "overwritten", "text", "unsigned"])
        XCTAssertThrowsError(try group.attribute("names", as: Int64.self))
        XCTAssertThrowsError(try group.attribute("numbers", as: Double.self))
        XCTAssertThrowsError(try group.stringAttribute("missing")) { error in
            XCTAssertFalse((error as? HDF5Error)?.stack.isEmpty ?? true)
        }
    }
}

final class HDF5DatasetTests: XCTestCase {
    func testStringDatasets() throws {
        let directory = try TemporaryDirectory()
        let file = try HDF5File.create(path: directory.path("strings.h5"))
        let fixed = try file.root.writeDataset("fixed", ["α", "", "numerical failure: NaN in V"])
        XCTAssertEqual(try fixed.elementType(), .string)
        XCTAssertEqual(try fixed.readStrings(), ["α", "", "numerical failure: NaN in V"])
        let grown = try file.root.createDataset("grown", type: .string, shape: [0], extendable: true,
                                                storage: .compressed(rows: 2))
        for chunk in [["a"], ["b", "c", "d"], [], ["ε", String(repeating: "x", count: 10_000)]] {
            try grown.append(chunk)
        }
        XCTAssertEqual(try grown.rowCount(), 6)
        XCTAssertEqual(try grown.readStrings(rows: 2..<5), ["c", "d", "ε"])
        XCTAssertEqual(try grown.readStrings().last?.count, 10_000)
        try grown.setRowCount(3)
        XCTAssertEqual(try grown.readStrings(), ["a", "b", "c"])
    }

    func testFixedLengthStrings() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("fixed.h5")
        do {
            let file = try HDF5File.create(path: path)
            let messages = try file.root.createDataset("messages", type: .fixedString(8), shape: [0], extendable: true,
                                                       storage: .chunked(rows: 2))
            XCTAssertEqual(try messages.elementType(), .fixedString(8))
            try messages.append(["", "ok", "exactly8"])
            // Cut at 8 bytes, and never inside a character: "ééééé" is 10 bytes, 4 characters fit.
            try messages.append(["longer than eight", "ééééé"])
            XCTAssertEqual(try messages.readStrings(), ["", "ok", "exactly8", "longer t", "éééé"])
            XCTAssertEqual(try messages.readStrings(rows: 1..<3), ["ok", "exactly8"])
            try messages.setRowCount(2)
            try messages.append(["again"])
            XCTAssertEqual(try messages.readStrings(), ["", "ok", "again"])
            try file.root.setAttribute("status", "pending", fixedByteCount: 16)
            try file.root.setAttribute("status", "interrupted", fixedByteCount: 16)
            try file.close()
        }
        let file = try HDF5File.open(path: path)
        XCTAssertEqual(try file.root.stringAttribute("status"), "interrupted")
        XCTAssertEqual(try file.root.openDataset("messages").readStrings(), ["", "ok", "again"])
    }

    func testAppendsAcrossChunkBordersAndRowRanges() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("append.h5")
        let width = 3
        var expected: [Int32] = []
        do {
            let file = try HDF5File.create(path: path)
            let rows = try file.root.createDataset("rows", of: Int32.self, shape: [0, width], extendable: true,
                                                   storage: .compressed(rows: 4, level: 6, fletcher32: true))
            var next: Int32 = 0
            for count in [1, 3, 5, 0, 7, 4, 9] {
                let batch = (0..<(count * width)).map { _ in next += 1; return next }
                let first = try rows.append(batch)
                XCTAssertEqual(first, expected.count / width)
                expected += batch
                try file.flush()
            }
            try file.close()
        }
        let file = try HDF5File.open(path: path)
        let rows = try file.root.openDataset("rows")
        XCTAssertEqual(try rows.shape(), [29, width])
        XCTAssertEqual(try rows.read(as: Int32.self), expected)
        for range in [0..<0, 0..<1, 3..<5, 3..<13, 27..<29, 0..<29] {
            XCTAssertEqual(try rows.read(rows: range, as: Int32.self),
                           Array(expected[(range.lowerBound * width)..<(range.upperBound * width)]), "rows \(range)")
        }
        XCTAssertThrowsError(try rows.read(rows: 28..<30, as: Int32.self))
        XCTAssertEqual(try rows.storage(), .compressed(rows: 4, level: 6, fletcher32: true))
        XCTAssertThrowsError(try rows.append([Int32(1)])) // read-only file
    }

    func testWriteRowsTruncateAndShapeChecks() throws {
        let directory = try TemporaryDirectory()
        let file = try HDF5File.create(path: directory.path("rows.h5"))
        let data = try file.root.createDataset("d", of: Double.self, shape: [0, 2], extendable: true,
                                               storage: .chunked(rows: 2))
        try data.append([1.0, 2, 3, 4, 5, 6])
        try data.writeRows([30.0, 40], at: 1)
        XCTAssertEqual(try data.read(as: Double.self), [1, 2, 30, 40, 5, 6])
        try data.setRowCount(1)
        try data.append([7.0, 8])
        XCTAssertEqual(try data.read(as: Double.self), [1, 2, 7, 8])
        XCTAssertThrowsError(try data.append([1.0, 2, 3])) { error in
            XCTAssertTrue("\(error)".contains("whole rows"))
        }
        // Zero-width rows: stored, counted, appended with an explicit row count.
        let empty = try file.root.createDataset("empty", of: Double.self, shape: [0, 0], extendable: true)
        try empty.append([Double](), rows: 5)
        XCTAssertEqual(try empty.shape(), [5, 0])
        XCTAssertEqual(try empty.read(as: Double.self), [])
        // Fixed-shape datasets cannot grow.
        let fixed = try file.root.writeDataset("fixed", [1.0, 2.0])
        XCTAssertThrowsError(try fixed.append([3.0]))
    }

    func testEarlyAllocationMakesTheChunkIndexWhenADatasetGrows() throws {
        let directory = try TemporaryDirectory()
        func size(early: Bool) throws -> Int {
            let path = directory.path("early-\(early).h5")
            let file = try HDF5File.create(path: path, options: HDF5FileOptions(chunkIndexHalfNode: 256))
            for index in 0..<8 {
                let data = try file.root.createDataset("d\(index)", of: UInt32.self, shape: [0], extendable: true,
                                                       storage: .chunked(rows: 1024, allocateEarly: early))
                XCTAssertEqual(try data.storage(), .chunked(rows: 1024, allocateEarly: early))
                // Growing an early-allocated dataset allocates its first chunk, and with it the
                // chunk index, which stays when the dataset shrinks back to empty.
                try data.setRowCount(1)
                try data.setRowCount(0)
            }
            try file.close()
            return try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        }
        // A chunk-index node of 512 rank-1 entries takes about 16 KiB.
        XCTAssertGreaterThan(try size(early: true), try size(early: false) + 8 * 12_000)
        let file = try HDF5File.open(path: directory.path("early-true.h5"), mode: .readWrite)
        let data = try file.root.openDataset("d0")
        XCTAssertEqual(try data.rowCount(), 0)
        try data.append([UInt32](0..<3000))
        try data.setRowCount(10)
        XCTAssertEqual(try data.read(as: UInt32.self), Array(0..<10))
    }

    func testGroupsChildrenAndExistence() throws {
        let directory = try TemporaryDirectory()
        let file = try HDF5File.create(path: directory.path("groups.h5"))
        try file.root.createGroup("replicates/001")
        try file.root.createGroup("replicates/000")
        try file.root.writeDataset("replicates/000/fitness", [1.0])
        XCTAssertEqual(try file.root.childNames(), ["replicates"])
        XCTAssertEqual(try file.root.openGroup("replicates").childNames(), ["000", "001"])
        XCTAssertTrue(try file.root.exists("replicates/000/fitness"))
        XCTAssertFalse(try file.root.exists("replicates/002/fitness"))
        XCTAssertFalse(try file.root.exists("nothing"))
        XCTAssertTrue(try file.root.isGroup("replicates/000"))
        XCTAssertFalse(try file.root.isGroup("replicates/000/fitness"))
        XCTAssertThrowsError(try file.root.createGroup("replicates/000"))
        let replicate = try file.root.openGroup("/replicates/000")
        XCTAssertEqual(replicate.path, "/replicates/000")
        XCTAssertEqual(try replicate.openDataset("fitness").path, "/replicates/000/fitness")
    }
}

final class HDF5FileTests: XCTestCase {
    func testErrorsCarryHDF5Messages() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.h5")
        XCTAssertThrowsError(try HDF5File.open(path: missing)) { error in
            guard let error = error as? HDF5Error else { return XCTFail("not an HDF5Error: \(error)") }
            XCTAssertTrue(error.operation.contains("missing.h5"))
            XCTAssertFalse(error.stack.isEmpty)
            XCTAssertTrue(error.stack.joined().lowercased().contains("unable to open file"), "\(error)")
        }
        // Not an HDF5 file.
        let text = directory.path("text.h5")
        try "not hdf5".write(toFile: text, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try HDF5File.open(path: text)) { error in
            XCTAssertEqual("\(error)", "\(text) is not an HDF5 file")
            XCTAssertTrue((error as? HDF5Error)?.stackDescription.contains("signature") ?? false, "\(error)")
        }
    }

    func testCreateRefusesExistingUnlessTruncating() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("exists.h5")
        do {
            let file = try HDF5File.create(path: path)
            try file.root.setAttribute("generation", Int64(1))
            try file.close()
        }
        XCTAssertThrowsError(try HDF5File.create(path: path)) { error in
            XCTAssertFalse((error as? HDF5Error)?.stack.isEmpty ?? true)
        }
        XCTAssertEqual(try HDF5File.open(path: path).root.attribute("generation", as: Int64.self), 1)
        do {
            let file = try HDF5File.create(path: path, truncate: true)
            XCTAssertFalse(try file.root.hasAttribute("generation"))
            try file.close()
        }
    }

    func testHandlesCloseDeterministically() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("handles.h5")
        let options = HDF5FileOptions(fileLocking: false, holdMetadataUntilFlush: true, reuseFreedSpace: false)
        let file = try HDF5File.create(path: path, options: options)
        XCTAssertEqual(try file.openObjectCount(), 2) // the file and its root group
        do {
            let group = try file.root.createGroup("g")
            let data = try group.createDataset("d", of: UInt32.self, shape: [0], extendable: true)
            try data.append([UInt32(1), 2, 3])
            XCTAssertEqual(try file.openObjectCount(), 4)
            try data.close()
            try data.close() // twice is fine
            XCTAssertThrowsError(try data.shape())
            XCTAssertEqual(try file.openObjectCount(), 3)
        }
        // `group` went out of scope: deinit closed it.
        XCTAssertEqual(try file.openObjectCount(), 2)
        try file.padEndOfAllocation(bytes: 8)
        try file.flush()
        try file.close()
        // The file is really closed: it can be opened read-write again.
        let again = try HDF5File.open(path: path, mode: .readWrite, options: options)
        XCTAssertEqual(try again.root.openDataset("g/d").read(as: UInt32.self), [1, 2, 3])
    }

    func testH5DumpReadsOurFiles() throws {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin"
        let h5dump = searchPath.split(separator: ":").map { "\($0)/h5dump" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let h5dump else { throw XCTSkip("h5dump not found; install hdf5-tools to run this check") }
        let directory = try TemporaryDirectory()
        let path = directory.path("dump.h5")
        do {
            let file = try HDF5File.create(path: path, options: HDF5FileOptions(reuseFreedSpace: false))
            try file.root.setAttribute("format", "autoparam-run")
            let data = try file.root.createDataset("group/values", of: Float.self, shape: [0, 4], extendable: true,
                                                   storage: .compressed(rows: 8, fletcher32: true))
            try data.append([Float](repeating: 0.5, count: 40))
            try file.root.writeDataset("group/names", ["x", "y"])
            try file.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: h5dump)
        process.arguments = ["-H", "-p", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("DATASET \"values\""), output)
        XCTAssertTrue(output.contains("( 10, 4 ) / ( H5S_UNLIMITED, 4 )"), output)
        XCTAssertTrue(output.contains("DEFLATE"), output)
        XCTAssertTrue(output.contains("SHUFFLE"), output)
        XCTAssertTrue(output.contains("CHECKSUM FLETCHER32"), output)
        XCTAssertTrue(output.contains("H5T_CSET_UTF8"), output)
    }
}
