import Foundation

// Byte-level helpers shared by the CSV loader and the labels-file reader. They work on the
// file's bytes with index ranges rather than on `String`s, so that an MNIST-sized CSV
// (60 000 rows of 785 values) loads in seconds.

/// The bytes of a file, or ``DatasetError/unreadable(file:reason:)`` naming it.
func readFile(_ path: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw DatasetError.unreadable(file: path, reason: "no such file")
    }
    guard !isDirectory.boolValue else {
        throw DatasetError.unreadable(file: path, reason: "is a directory, not a file")
    }
    do {
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
        throw DatasetError.unreadable(file: path, reason: "cannot read the file (\(error.localizedDescription))")
    }
}

private let newline = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let comma = UInt8(ascii: ",")

@inline(__always) private func isSpace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == carriageReturn
}

/// The lines of a text, without their line ends ("\n" or "\r\n"). A final line end does not
/// start another (empty) line.
func lines(of bytes: [UInt8]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var start = 0
    for i in bytes.indices where bytes[i] == newline {
        result.append(start..<i)
        start = i + 1
    }
    if start < bytes.count { result.append(start..<bytes.count) }
    return result
}

/// The non-blank lines of a text with their 1-based row numbers. Blank lines may only trail
/// the content: a blank line followed by content throws `interiorBlank(row of the blank)`.
func contentLines(of bytes: [UInt8], interiorBlank: (Int) -> Error) throws -> [(row: Int, line: Range<Int>)] {
    var result: [(row: Int, line: Range<Int>)] = []
    var firstBlankRow: Int? = nil
    for (index, line) in lines(of: bytes).enumerated() {
        if isBlank(bytes, line) {
            if firstBlankRow == nil { firstBlankRow = index + 1 }
            continue
        }
        if let blank = firstBlankRow { throw interiorBlank(blank) }
        result.append((index + 1, line))
    }
    return result
}

/// Whether a line holds nothing but spaces, tabs and carriage returns.
func isBlank(_ bytes: [UInt8], _ line: Range<Int>) -> Bool {
    line.allSatisfy { isSpace(bytes[$0]) }
}

/// The comma-separated fields of a line, each trimmed of surrounding spaces and tabs.
func fields(of bytes: [UInt8], line: Range<Int>) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var start = line.lowerBound
    var i = line.lowerBound
    while i <= line.upperBound {
        if i == line.upperBound || bytes[i] == comma {
            var lo = start, hi = i
            while lo < hi, isSpace(bytes[lo]) { lo += 1 }
            while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
            result.append(lo..<hi)
            start = i + 1
        }
        i += 1
    }
    return result
}

/// Exact powers of ten as `Double` (every one up to 10²² is exactly representable).
private let powersOfTen: [Double] = (0...22).reduce(into: []) { table, k in
    table.append(k == 0 ? 1 : table[k - 1] * 10)
}

/// The number written in a field: a decimal integer, a decimal fraction or scientific
/// notation (`2.430000000000000000e+02`) through a fast path, anything else `Double` accepts
/// (hexadecimal floats, "nan", "inf") through `Double(String)`; `nil` when it is no number.
func parseNumber(_ bytes: [UInt8], _ field: Range<Int>) -> Double? {
    if let value = fastDecimal(bytes, field) { return value }
    return Double(String(decoding: bytes[field], as: UTF8.self))
}

/// `[+-]digits[.digits][(e|E)[+-]digits]` with at most 19 significant digits, or nil.
private func fastDecimal(_ bytes: [UInt8], _ field: Range<Int>) -> Double? {
    var i = field.lowerBound
    let end = field.upperBound
    guard i < end else { return nil }
    var negative = false
    if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
        negative = bytes[i] == UInt8(ascii: "-")
        i += 1
    }
    var mantissa: UInt64 = 0
    var significant = 0
    var digits = 0
    var scale = 0  // power of ten to apply to the mantissa
    var seenPoint = false
    while i < end {
        let byte = bytes[i]
        if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            digits += 1
            if mantissa != 0 || byte != UInt8(ascii: "0") {
                significant += 1
                guard significant <= 19 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
            }
            if seenPoint { scale -= 1 }
        } else if byte == UInt8(ascii: "."), !seenPoint {
            seenPoint = true
        } else {
            break
        }
        i += 1
    }
    guard digits > 0 else { return nil }
    if i < end {
        guard bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return nil }
        i += 1
        var exponentNegative = false
        if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            exponentNegative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var exponent = 0
        var exponentDigits = 0
        while i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            exponent = min(exponent * 10 + Int(bytes[i] - UInt8(ascii: "0")), 10_000)
            exponentDigits += 1
            i += 1
        }
        guard exponentDigits > 0, i == end else { return nil }
        scale += exponentNegative ? -exponent : exponent
    }
    var value = Double(mantissa)
    if mantissa != 0 {
        if scale > 0 {
            guard scale <= 22 else { return negative ? -.infinity : .infinity }
            value *= powersOfTen[scale]
        } else if scale < 0 {
            guard -scale <= 22 else { return nil }  // tiny values: let Double(String) decide
            value /= powersOfTen[-scale]
        }
    }
    return negative ? -value : value
}

/// What a parsed number means as a whole number in a range.
enum WholeNumber: Equatable {
    case value(Int)
    /// No number at all, NaN, ±∞, or a number outside the range by more than 10⁻⁶.
    case notInRange
    /// Inside the range but more than 10⁻⁶ from a whole number.
    case notWhole
}

/// The whole number a parsed field stands for: finite, within `range` (give or take 10⁻⁶),
/// and within 10⁻⁶ of an integer, to which it is rounded.
func wholeNumber(_ value: Double?, in range: ClosedRange<Int>) -> WholeNumber {
    guard let value, value.isFinite,
          value >= Double(range.lowerBound) - 1e-6, value <= Double(range.upperBound) + 1e-6
    else { return .notInRange }
    let rounded = value.rounded()
    guard abs(value - rounded) <= 1e-6 else { return .notWhole }
    return .value(Int(rounded))
}

/// The text of a field as quoted in an error: at most 40 characters, then an ellipsis.
func quotedField(_ bytes: [UInt8], _ field: Range<Int>) -> String {
    let text = String(decoding: bytes[field], as: UTF8.self)
    return text.count <= 40 ? text : String(text.prefix(40)) + "…"
}

/// The grey value in a field, or ``DatasetError/badValue(file:row:column:expected:found:)``.
///
/// A grey value is a finite number that rounds to 0…255 and lies within 10⁻⁶ of a whole
/// number; it is rounded to that whole number. Anything else (text, NaN, ±∞, 300, −1, 12.5)
/// is an error.
func parseGrey(
    _ bytes: [UInt8], _ field: Range<Int>, file: String, row: Int, column: Int
) throws -> UInt8 {
    switch wholeNumber(parseNumber(bytes, field), in: 0...255) {
    case let .value(value):
        return UInt8(value)
    case .notInRange:
        throw DatasetError.badValue(
            file: file, row: row, column: column, expected: "a grey value 0…255",
            found: quotedField(bytes, field))
    case .notWhole:
        throw DatasetError.badValue(
            file: file, row: row, column: column, expected: "a whole grey value 0…255",
            found: quotedField(bytes, field))
    }
}

/// The label in a field, or ``DatasetError/badValue(file:row:column:expected:found:)``.
func parseLabel(
    _ bytes: [UInt8], _ field: Range<Int>, file: String, row: Int, column: Int, classCount: Int
) throws -> Int {
    if case let .value(value) = wholeNumber(parseNumber(bytes, field), in: 0...(classCount - 1)) {
        return value
    }
    throw DatasetError.badValue(
        file: file, row: row, column: column, expected: labelExpectation(classCount: classCount),
        found: quotedField(bytes, field))
}
