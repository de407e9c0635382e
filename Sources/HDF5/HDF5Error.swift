import CHDF5

/// A failure reported by the HDF5 C library, or a misuse of this layer detected before calling it.
///
/// `operation` says what this layer was doing ("open file 'run.h5' read-only"); `stack` holds
/// HDF5's own error stack for that call, outermost API call first, one line per entry
/// (`function(): description [minor error]`). `stack` is empty when the layer refused the call
/// itself (a shape mismatch, an unsupported type) without reaching HDF5.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// What the Swift layer was doing when the failure happened.
    public let operation: String
    /// The HDF5 error stack, outermost first; empty for failures detected by this layer.
    public let stack: [String]

    public init(operation: String, stack: [String] = []) {
        self.operation = operation
        self.stack = stack
    }

    public var description: String {
        if stack.isEmpty { return "HDF5: \(operation)" }
        return "HDF5: \(operation) failed: " + stack.joined(separator: "; ")
    }
}

/// One-time library setup and the bridge from HDF5's error stack to `HDF5Error`.
///
/// HDF5 prints its error stack to stderr by default. In a thread-safe build (Debian's is) the
/// "auto print" switch lives in a per-thread error stack, so `prepare()` turns it off once per
/// thread, before the first HDF5 call that thread makes through this layer.
enum Library {
    static func prepare() {
        chdf5_prepare_thread()
    }

    /// Reads and clears the calling thread's error stack.
    static func takeErrorStack() -> [String] {
        final class Lines { var values: [String] = [] }
        let lines = Lines()
        withExtendedLifetime(lines) {
            let context = Unmanaged.passUnretained(lines).toOpaque()
            _ = H5Ewalk2(chdf5_e_default(), H5E_WALK_DOWNWARD, { _, entry, context in
                guard let entry, let context else { return 0 }
                let lines = Unmanaged<Lines>.fromOpaque(context).takeUnretainedValue()
                let function = entry.pointee.func_name.map { String(cString: $0) } ?? "?"
                let description = entry.pointee.desc.map { String(cString: $0) } ?? ""
                var line = "\(function)(): \(description)"
                let minor = Library.message(entry.pointee.min_num)
                if !minor.isEmpty { line += " [\(minor)]" }
                lines.values.append(line)
                return 0
            }, context)
        }
        _ = H5Eclear2(chdf5_e_default())
        return lines.values
    }

    /// The text HDF5 registers for a major or minor error number.
    static func message(_ id: hid_t) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let length = H5Eget_msg(id, nil, &buffer, buffer.count)
        guard length > 0 else { return "" }
        return String(decoding: buffer.prefix(min(Int(length), buffer.count - 1)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Runs one HDF5 call and turns a negative result into an `HDF5Error` carrying the error stack.
@inline(__always)
func h5<R: BinaryInteger>(_ operation: @autoclosure () -> String, _ call: () -> R) throws(HDF5Error) -> R {
    Library.prepare()
    let result = call()
    if result < 0 {
        throw HDF5Error(operation: operation(), stack: Library.takeErrorStack())
    }
    return result
}

/// A layer-level refusal (no HDF5 call made).
func usage(_ message: String) -> HDF5Error {
    HDF5Error(operation: message)
}
