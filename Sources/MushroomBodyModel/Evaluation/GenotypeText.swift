/// The textual genotype of the command line: `name=value,name=value`.
public enum GenotypeText {
    /// A malformed genotype string.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The pairs of `text` in order; an empty string gives none.
    ///
    /// - Throws: ``ParseError`` naming the item that is not `name=value` with a finite number.
    public static func parse(_ text: String) throws -> [(String, Double)] {
        var pairs: [(String, Double)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ParseError(description: "expected name=value, found \"\(trimmed)\"")
            }
            guard let value = Double(parts[1]), value.isFinite || value.isNaN || value.isInfinite else {
                throw ParseError(description: "\(parts[0]): expected a number, found \"\(parts[1])\"")
            }
            pairs.append((parts[0], value))
        }
        return pairs
    }

    /// `name=value` pairs joined by commas, values in shortest round-trip form.
    public static func format(_ pairs: [(String, Double)]) -> String {
        pairs.map { "\($0.0)=\(MushroomBodyModel.format($0.1))" }.joined(separator: ",")
    }
}

import Foundation
