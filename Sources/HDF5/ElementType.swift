import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element types this layer stores. Numeric types are written in the machine's native
/// byte order (HDF5 records it, so every reader converts as needed).
///
/// `string` is a variable-length UTF-8 string (h5py reads it as `str`); its bytes live in the
/// file's global heap and each element holds a heap reference. `fixedString(n)` is UTF-8 in
/// exactly `n` bytes, NUL-padded (h5py reads it as `bytes`; `.asstr()` or `.decode()` gives
/// `str`); longer strings are cut at a character boundary. Prefer `fixedString` for values that
/// are overwritten or truncated in a file that must survive a crash: rewriting one never touches
/// the global heap.
public enum HDF5ElementType: Sendable, Hashable, CustomStringConvertible {
    case uint8, uint16, uint32, uint64
    case int8, int16, int32, int64
    case float32, float64
    case string
    case fixedString(Int)

    /// Size in bytes of one element in memory (for `string`, the size of one pointer).
    public var byteCount: Int {
        switch self {
        case .uint8, .int8: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string: return MemoryLayout<UnsafePointer<CChar>>.size
        case .fixedString(let bytes): return bytes
        }
    }

    public var description: String {
        switch self {
        case .uint8: return "uint8"
        case .uint16: return "uint16"
        case .uint32: return "uint32"
        case .uint64: return "uint64"
        case .int8: return "int8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float32: return "float32"
        case .float64: return "float64"
        case .string: return "string"
        case .fixedString(let bytes): return "string\(bytes)"
        }
    }
}

/// A Swift type stored as one HDF5 numeric element. Conformances: the fixed-width integers,
/// `Int` (stored as int64), `Float` (float32) and `Double` (float64).
public protocol HDF5Numeric: BitwiseCopyable, Sendable {
    static var hdf5ElementType: HDF5ElementType { get }
}

extension UInt8: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .uint8 } }
extension UInt16: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .uint16 } }
extension UInt32: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .uint32 } }
extension UInt64: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .uint64 } }
extension Int8: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int8 } }
extension Int16: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int16 } }
extension Int32: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int32 } }
extension Int64: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int64 } }
extension Int: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .int64 } }
extension Float: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .float32 } }
extension Double: HDF5Numeric { public static var hdf5ElementType: HDF5ElementType { .float64 } }

/// An HDF5 datatype id with ownership: native numeric ids belong to the library and are never
/// closed; string types are copies this layer must close.
final class TypeHandle {
    let id: hid_t
    private let owned: Bool

    private init(id: hid_t, owned: Bool) {
        self.id = id
        self.owned = owned
    }

    /// The memory type for `type` (see `init(_:)`).
    static func make(_ type: HDF5ElementType) throws(HDF5Error) -> TypeHandle {
        switch type {
        case .uint8: return TypeHandle(id: h5Query { chdf5_native_uint8() }, owned: false)
        case .uint16: return TypeHandle(id: h5Query { chdf5_native_uint16() }, owned: false)
        case .uint32: return TypeHandle(id: h5Query { chdf5_native_uint32() }, owned: false)
        case .uint64: return TypeHandle(id: h5Query { chdf5_native_uint64() }, owned: false)
        case .int8: return TypeHandle(id: h5Query { chdf5_native_int8() }, owned: false)
        case .int16: return TypeHandle(id: h5Query { chdf5_native_int16() }, owned: false)
        case .int32: return TypeHandle(id: h5Query { chdf5_native_int32() }, owned: false)
        case .int64: return TypeHandle(id: h5Query { chdf5_native_int64() }, owned: false)
        case .float32: return TypeHandle(id: h5Query { chdf5_native_float() }, owned: false)
        case .float64: return TypeHandle(id: h5Query { chdf5_native_double() }, owned: false)
        case .string:
            let copy = try h5("copy string type") { H5Tcopy(chdf5_c_s1()) }
            let handle = TypeHandle(id: copy, owned: true)
            _ = try h5("make string type variable-length") { H5Tset_size(copy, chdf5_t_variable()) }
            _ = try h5("make string type UTF-8") { H5Tset_cset(copy, H5T_CSET_UTF8) }
            return handle
        case .fixedString(let bytes):
            guard bytes >= 1 else { throw usage("a fixed-length string needs at least 1 byte, not \(bytes)") }
            let copy = try h5("copy string type") { H5Tcopy(chdf5_c_s1()) }
            let handle = TypeHandle(id: copy, owned: true)
            _ = try h5("set string length \(bytes)") { H5Tset_size(copy, bytes) }
            _ = try h5("make string type UTF-8") { H5Tset_cset(copy, H5T_CSET_UTF8) }
            _ = try h5("make string type NUL-padded") { H5Tset_strpad(copy, H5T_STR_NULLPAD) }
            return handle
        }
    }

    /// Adopts a type id returned by HDF5 (from H5Dget_type or H5Aget_type).
    init(adopting id: hid_t) {
        self.id = id
        self.owned = true
    }

    deinit {
        if owned { _ = Library.release(id) { H5Tclose($0) } }
    }

    /// Classifies a stored datatype as one of the supported element types.
    func elementType() throws(HDF5Error) -> HDF5ElementType {
        let id = self.id
        let (typeClass, size, signed, variable) = h5Query {
            (H5Tget_class(id), H5Tget_size(id), H5Tget_sign(id) == H5T_SGN_2, H5Tis_variable_str(id) > 0)
        }
        switch typeClass {
        case H5T_INTEGER:
            switch (size, signed) {
            case (1, false): return .uint8
            case (2, false): return .uint16
            case (4, false): return .uint32
            case (8, false): return .uint64
            case (1, true): return .int8
            case (2, true): return .int16
            case (4, true): return .int32
            case (8, true): return .int64
            default: break
            }
        case H5T_FLOAT:
            if size == 4 { return .float32 }
            if size == 8 { return .float64 }
        case H5T_STRING:
            return variable ? .string : .fixedString(size)
        default:
            break
        }
        throw usage("unsupported stored datatype (class \(typeClass.rawValue), size \(size))")
    }
}

/// An HDF5 dataspace id, closed when dropped.
final class SpaceHandle {
    let id: hid_t

    init(adopting id: hid_t) { self.id = id }

    /// A simple dataspace with the given current and maximum dimensions (nil maximum: fixed).
    convenience init(dims: [Int], maxDims: [hsize_t]? = nil) throws(HDF5Error) {
        let current = dims.map { hsize_t($0) }
        let id = try h5("create dataspace \(dims)") {
            current.withUnsafeBufferPointer { cur in
                if let maxDims {
                    return maxDims.withUnsafeBufferPointer { H5Screate_simple(Int32(current.count), cur.baseAddress, $0.baseAddress) }
                }
                return H5Screate_simple(Int32(current.count), cur.baseAddress, nil)
            }
        }
        self.init(adopting: id)
    }

    /// A scalar dataspace (one element, rank 0).
    static func scalar() throws(HDF5Error) -> SpaceHandle {
        let id = try h5("create scalar dataspace") { H5Screate(H5S_SCALAR) }
        return SpaceHandle(adopting: id)
    }

    deinit { _ = Library.release(id) { H5Sclose($0) } }

    /// Current dimensions (empty for a scalar dataspace).
    func dims() throws(HDF5Error) -> [Int] {
        let rank = Int(try h5("get dataspace rank") { H5Sget_simple_extent_ndims(id) })
        if rank == 0 { return [] }
        var dims = [hsize_t](repeating: 0, count: rank)
        _ = try h5("get dataspace dimensions") { H5Sget_simple_extent_dims(id, &dims, nil) }
        return dims.map { Int($0) }
    }

    /// Maximum dimensions; nil marks an unlimited axis.
    func maxDims() throws(HDF5Error) -> [Int?] {
        let rank = Int(try h5("get dataspace rank") { H5Sget_simple_extent_ndims(id) })
        if rank == 0 { return [] }
        var maxDims = [hsize_t](repeating: 0, count: rank)
        _ = try h5("get dataspace maximum dimensions") { H5Sget_simple_extent_dims(id, nil, &maxDims) }
        return maxDims.map { $0 == chdf5_s_unlimited() ? nil : Int($0) }
    }

    func elementCount() throws(HDF5Error) -> Int {
        Int(try h5("count dataspace elements") { H5Sget_simple_extent_npoints(id) })
    }
}

/// Property list id, closed when dropped.
final class PropertyList {
    let id: hid_t
    convenience init(class classID: hid_t, _ what: String) throws(HDF5Error) {
        let id = try h5("create \(what) property list") { H5Pcreate(classID) }
        self.init(adopting: id)
    }
    init(adopting id: hid_t) { self.id = id }
    deinit { _ = Library.release(id) { H5Pclose($0) } }
}

// MARK: - Variable-length strings

/// Calls `body` with an array of C string pointers for `strings` (valid only inside `body`).
func withCStringPointers<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) throws(HDF5Error) -> R) throws(HDF5Error) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return try body(copies.map { UnsafePointer($0) })
}

/// Packs strings into `width`-byte NUL-padded UTF-8 cells, cutting long ones at a character
/// boundary.
func packFixed(_ strings: [String], width: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: strings.count * width)
    for (index, string) in strings.enumerated() {
        var utf8 = Array(string.utf8)
        if utf8.count > width {
            var cut = width
            while cut > 0 && (utf8[cut] & 0xC0) == 0x80 { cut -= 1 }
            utf8 = Array(utf8[..<cut])
        }
        bytes.replaceSubrange((index * width)..<(index * width + utf8.count), with: utf8)
    }
    return bytes
}

/// Splits `width`-byte cells into strings (each ends at its first NUL).
func unpackFixed(_ bytes: [UInt8], width: Int) -> [String] {
    guard width > 0 else { return [] }
    return stride(from: 0, to: bytes.count, by: width).map { start in
        let cell = bytes[start..<min(start + width, bytes.count)]
        let end = cell.firstIndex(of: 0) ?? cell.endIndex
        return String(decoding: cell[cell.startIndex..<end], as: UTF8.self)
    }
}

/// Decodes a NUL-terminated UTF-8 buffer.
func string(fromNulTerminated buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// Converts pointers HDF5 allocated for variable-length strings (NULL reads as "").
func stringsFromPointers(_ pointers: UnsafeMutableBufferPointer<UnsafeMutablePointer<CChar>?>) -> [String] {
    pointers.map { $0.map { String(cString: $0) } ?? "" }
}
