import Foundation

/// Writes NumPy's `.npy` format, version 1.0, which `numpy.load` reads without options.
///
/// Layout: the magic `\x93NUMPY`, the version bytes 1 0, a little-endian UInt16 header length,
/// then the header, an ASCII Python dict literal
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces and ended by
/// `\n` so that the data starts at a multiple of 64 bytes; then the data, C order (row-major),
/// little-endian.
public enum NPYFile {
    /// The `.npy` bytes of `values` as float32 (`'<f4'`), row-major with `shape`.
    ///
    /// - Precondition: every dimension is ≥ 0 and their product equals `values.count`.
    public static func float32(_ values: [Float], shape: [Int]) -> Data {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "shape \(shape) does not hold \(values.count) values")
        var data = header(descr: "<f4", shape: shape)
        data.reserveCapacity(data.count + 4 * values.count)
        for v in values {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The `.npy` bytes of `values` as float64 (`'<f8'`), row-major with `shape`.
    public static func float64(_ values: [Double], shape: [Int]) -> Data {
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "shape \(shape) does not hold \(values.count) values")
        var data = header(descr: "<f8", shape: shape)
        data.reserveCapacity(data.count + 8 * values.count)
        for v in values {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The preamble (magic, version, length) and padded header for an array of NumPy type
    /// `descr` and `shape`; its length is a multiple of 64.
    public static func header(descr: String, shape: [Int]) -> Data {
        let dims: String
        switch shape.count {
        case 0: dims = "()"
        case 1: dims = "(\(shape[0]),)"
        default: dims = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var text = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        // Magic (6) + version (2) + length (2) + header, ending in '\n', is a multiple of 64.
        let unpadded = 10 + text.utf8.count + 1
        text += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        let length = UInt16(text.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(Data(text.utf8))
        return data
    }
}
